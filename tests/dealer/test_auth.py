"""Signing in and out: sessions end for real, roles are enforced on pages."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from dealer import services
from dealer.auth import hash_password
from dealer.config import Config
from dealer.extensions import db
from dealer.models import User
from tests.conftest import csrf_token, sign_in
from tests.factories import PASSWORD, make_user


def test_login_page_and_successful_sign_in(client, app):
    assert client.get("/login").status_code == 200
    user = make_user(username="desk", roles=["advisor"])
    response = sign_in(client, "DESK")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert 'href="/staff"' not in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None


def test_wrong_password_and_unknown_user_get_the_same_answer(client, app):
    make_user(username="desk")
    wrong = sign_in(client, "desk", "not-the-password").get_data(as_text=True)
    unknown = sign_in(client, "nobody", "not-the-password").get_data(as_text=True)
    message = "Wrong username or password, or the account is deactivated."
    assert message in wrong and message in unknown


def test_pages_need_sign_in(client, app):
    response = client.get("/customers")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0d%0a/evil.example",
        "/%5cevil.example",
        "/%20/evil.example",
        "https://evil.example/",
        "/\\evil.example",
    ],
)
def test_next_only_goes_to_this_site(client, app, target):
    make_user(username="desk")
    token = csrf_token(client)
    response = client.post(
        f"/login?next={target}",
        data={"username": "desk", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_next_keeps_a_path_on_this_site(client, app):
    make_user(username="desk")
    token = csrf_token(client)
    response = client.post(
        "/login?next=/customers%3Fq%3Dwang",
        data={"username": "desk", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/customers?q=wang"


def test_logout_ends_the_session_even_for_a_copied_cookie(app):
    make_user(username="desk")
    browser = app.test_client()
    sign_in(browser, "desk")
    stolen = browser.get_cookie("session").value
    assert browser.get("/customers").status_code == 200
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/customers").status_code == 302


def test_deactivation_ends_sessions_at_once(app, client):
    user = make_user(username="desk")
    sign_in(client, "desk")
    assert client.get("/customers").status_code == 200
    services.set_active(None, user, False)
    db.session.commit()
    assert client.get("/customers").status_code == 302
    assert sign_in(client, "desk").status_code == 422


def test_password_change_ends_other_sessions_but_keeps_this_one(app):
    make_user(username="desk")
    phone, desk = app.test_client(), app.test_client()
    sign_in(phone, "desk")
    sign_in(desk, "desk")
    response = desk.post(
        "/account",
        data={
            "pw-current_password": PASSWORD,
            "pw-password": "a-brand-new-secret",
            "pw-confirm": "a-brand-new-secret",
            "pw-csrf_token": csrf_token(desk, "/account"),
        },
    )
    assert response.status_code == 302
    assert desk.get("/customers").status_code == 200
    assert phone.get("/customers").status_code == 302
    assert sign_in(phone, "desk", "a-brand-new-secret").status_code == 302


def test_idle_session_times_out(app, client):
    make_user(username="desk")
    sign_in(client, "desk")
    with client.session_transaction() as session:
        session["seen_at"] -= Config.SESSION_IDLE_TIMEOUT.total_seconds() + 5
    assert client.get("/customers").status_code == 302


def test_the_session_cookie_is_written_again_once_a_minute_of_use(app, client):
    make_user(username="desk")
    sign_in(client, "desk")
    client.get("/customers")  # the first page after signing in keeps a new form token
    assert "Set-Cookie" not in client.get("/customers").headers
    with client.session_transaction() as session:
        session["seen_at"] -= 61
        seen = session["seen_at"]
    response = client.get("/customers")
    assert response.status_code == 200 and "Set-Cookie" in response.headers
    with client.session_transaction() as session:
        assert session["seen_at"] > seen + 60
    assert "Set-Cookie" not in client.get("/customers").headers


def test_absolute_session_lifetime(app, client):
    make_user(username="desk")
    sign_in(client, "desk")
    with client.session_transaction() as session:
        session["login_at"] -= (
            Config.SESSION_ABSOLUTE_TIMEOUT + timedelta(minutes=1)
        ).total_seconds()
    assert client.get("/customers").status_code == 302


def test_role_is_enforced_on_pages(login, client):
    login("technician")
    assert client.get("/customers").status_code == 403
    assert client.get("/staff").status_code == 403
    assert client.get("/vehicles").status_code == 200


def test_a_new_session_at_login(app, client):
    make_user(username="desk")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, "desk")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_passwords_are_argon2id_with_the_production_parameters():
    hasher = PasswordHasher(**Config.PASSWORD_HASH)
    assert Config.PASSWORD_HASH == {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
    assert hasher.hash("x" * 12).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_stored_hash_is_argon2id(app):
    assert hash_password("long enough secret").startswith("$argon2id$")


def test_logout_is_post_only(login, client):
    login()
    assert client.get("/logout").status_code == 405


def test_a_page_reads_the_user_roles_and_settings_in_one_statement(app):
    from tests.customers.test_queries import counted

    make_user(username="twojobs", roles=["advisor", "callback"])
    client = app.test_client()
    sign_in(client, "twojobs")
    with counted() as statements:
        page = client.get("/account")
    assert page.status_code == 200
    statements = [s for s in statements if s.startswith("SELECT")]
    first = statements[0]
    assert "FROM users" in first and "user_roles" in first and "dealer_settings" in first
    assert not any("user_roles" in s or "dealer_settings" in s for s in statements[1:])
    assert client.get("/dashboard").status_code == 403
    assert client.get("/callbacks").status_code == 200

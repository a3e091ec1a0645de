"""Repeated failed sign-ins are held back per account and per address, across servers, with
one answer whether or not the account exists; every sign-in is logged."""

import logging
from datetime import timedelta

from sqlalchemy import func, select

from dealer import create_app
from dealer.extensions import db
from dealer.models import LoginFailure
from tests.conftest import IsolatedClient, app_config, csrf_token
from tests.factories import PASSWORD, make_user


def attempt(client, username, password, forwarded=None, remote="127.0.0.1"):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
        environ_base={"REMOTE_ADDR": remote},
    )


def test_an_account_is_held_back_at_the_guessing_address_even_with_the_right_password(app, client):
    user = make_user(roles=["advisor"])
    for n in range(5):
        assert attempt(client, user.username, "wrong-password", f"10.0.0.{n}").status_code == 422
    refused = attempt(client, user.username, PASSWORD, "10.0.0.99")
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/").status_code == 302


def test_guessing_from_one_address_does_not_lock_the_user_out_elsewhere(app, client):
    user = make_user(roles=["advisor"])
    for _ in range(12):
        attempt(client, user.username, "wrong-password", remote="198.51.100.66")
    assert attempt(client, user.username, PASSWORD, remote="198.51.100.66").status_code == 429
    office = app.test_client()
    assert attempt(office, user.username, PASSWORD, remote="192.0.2.10").status_code == 302


def test_an_unknown_name_gets_the_same_answers(app, client):
    user = make_user(roles=["advisor"])
    known = [attempt(client, user.username, "wrong-password") for _ in range(6)]
    other = app.test_client()
    unknown = [attempt(other, "nobody-here", "wrong-password") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [422] * 5 + [429]
    for a, b in zip(known, unknown, strict=True):
        assert _message(a) == _message(b)


def test_an_address_is_held_back_across_accounts_whatever_it_forwards(app, client):
    app.config["LOGIN_MAX_PER_ADDRESS"] = 8
    user = make_user(roles=["advisor"])
    for n in range(8):
        attempt(client, f"guess{n}", "wrong-password", forwarded=f"192.0.2.{n}")
    assert attempt(client, user.username, PASSWORD, forwarded="198.51.100.7").status_code == 429


def test_behind_a_declared_proxy_the_forwarded_address_counts(database_url, _schema, tmp_path):
    app = create_app(
        app_config(database_url, STORAGE_DIR=str(tmp_path), TRUSTED_PROXIES=1)
        | {"LOGIN_MAX_PER_ADDRESS": 3}
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        try:
            user = make_user(roles=["advisor"])
            client = app.test_client()
            for n in range(3):
                attempt(client, f"guess{n}", "wrong-password", forwarded="203.0.113.5")
            assert attempt(client, "guess9", "x-wrong-pass", "203.0.113.5").status_code == 429
            assert attempt(client, user.username, PASSWORD, "203.0.113.6").status_code == 302
            rows = db.session.scalars(select(LoginFailure.address)).all()
            assert set(rows) == {"203.0.113.5"}
        finally:
            db.session.remove()
            with db.engine.begin() as conn:
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
            db.engine.dispose()


def test_the_hold_ends_with_the_window_and_success_forgets_the_account(app, client):
    user = make_user(roles=["advisor"])
    for _ in range(5):
        attempt(client, user.username, "wrong-password")
    assert attempt(client, user.username, PASSWORD).status_code == 429
    for failure in db.session.scalars(select(LoginFailure)):
        failure.at -= timedelta(minutes=16)
    db.session.commit()
    assert attempt(client, user.username, PASSWORD).status_code == 302
    left = db.session.scalar(
        select(func.count(LoginFailure.id)).where(LoginFailure.account == user.username)
    )
    assert left == 0


def test_sign_ins_are_logged(app, client, caplog):
    user = make_user(roles=["advisor"])
    with caplog.at_level(logging.INFO):
        attempt(client, user.username, "wrong-password")
        attempt(client, user.username, PASSWORD)
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("login failed from") for m in messages)
    assert any(m.startswith(f"login succeeded for user id {user.id}") for m in messages)
    assert not any(user.username in m or PASSWORD in m for m in messages)


def _message(response) -> str:
    page = response.get_data(as_text=True)
    start = page.find('class="alert')
    return page[start : page.find("</div>", start)]

"""The session cookie: HttpOnly and SameSite=Lax always, Secure with a ``__Host-`` name when
production says so, no remember-me cookie, and nothing personal inside it."""

from dealer import create_app
from dealer.config import from_environment
from tests.conftest import app_config, sign_in
from tests.factories import make_user


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "session=" in c]
    assert len(cookies) == 1
    return cookies[0]


def test_production_cookie_is_secure_with_a_host_prefix(monkeypatch, tmp_path):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    config = from_environment(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"


def test_the_signed_in_cookie_holds_no_personal_data(app, client):
    user = make_user(username="li.na", full_name="李娜")
    response = sign_in(client, user.username)
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert not any("remember" in c for c in response.headers.getlist("Set-Cookie"))
    value = cookie.split("=", 1)[1].split(";", 1)[0]
    session = app.session_interface.get_signing_serializer(app).loads(value)
    text = repr(session)
    for personal in ("li.na", "李娜", user.password_hash):
        assert personal not in text
    assert sorted(session) == ["_fresh", "_id", "_permanent", "_user_id", "login_at", "seen_at"]
    assert session["_user_id"] == f"{user.id}:{user.session_generation}"


def test_a_secure_app_sets_the_host_cookie(database_url, _schema):
    app = create_app(
        app_config(database_url, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-session")
    )
    with app.app_context():
        client = app.test_client()
        make_user(username="secure.desk")
        response = sign_in(client, "secure.desk")
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("__Host-session=")]
    assert cookie and "Secure" in cookie[0] and "Path=/" in cookie[0] and "Domain" not in cookie[0]

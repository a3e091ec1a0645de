"""Fixtures: a fresh database per test, clients, signed-in staff of each role, API tokens.

The suite runs on SQLite by default and on PostgreSQL when
``TEST_DATABASE_URL`` is set. The schema is built once per run; every
test starts with empty tables.
"""

import contextvars
import os
import re
import threading

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from dealer import create_app, services
from dealer.extensions import db
from tests.factories import PASSWORD, make_user

CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The test's own session commits before each request (what the test set up is
    saved, as a person's earlier work would be) and after it (so the test then
    reads what the request wrote, not an older snapshot).
    """

    def open(self, *args, **kwargs):
        if not has_app_context():
            return super().open(*args, **kwargs)
        db.session.commit()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            db.session.commit()


def app_config(database_url: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PASSWORD_HASH": CHEAP_HASH,
        "STORAGE_DIR": extra.pop("STORAGE_DIR", "/tmp/servicedesk-test-storage"),
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(app_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(database_url, _schema, tmp_path):
    app = create_app(app_config(database_url, STORAGE_DIR=str(tmp_path / "storage")))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the form on ``path``."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD):
    """Sign in through the login form."""
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def login(client):
    """Sign ``client`` in as a new member of staff with ``roles``; returns the user."""

    def _login(*roles: str, **kwargs):
        user = make_user(roles=roles or ("advisor",), **kwargs)
        response = sign_in(client, user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return _login


@pytest.fixture
def token_for(app):
    """An ``Authorization`` header for a new user with ``roles``."""

    def _token(*roles: str, **kwargs) -> dict:
        user = make_user(roles=roles, **kwargs)
        _, plain = services.create_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return _token


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on loopback, one thread per request."""
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)

"""What the server leaves on disk is its owner's alone, HTTPS sites get HSTS, command-line
work waits for a busy SQLite database, and errors never print a secret."""

import os
import sqlite3
import stat
import threading
import time

import pytest
from sqlalchemy.exc import IntegrityError

from dealer import create_app
from dealer.extensions import db
from dealer.models import User
from tests.conftest import app_config
from tests.factories import make_user


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_hsts_is_sent_when_cookies_are_secure(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_backup_archive_is_readable_by_its_owner_only(app, tmp_path):
    old = os.umask(0o022)
    try:
        made = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.tar.gz")])
    finally:
        os.umask(old)
    assert made.exit_code == 0, made.output
    assert mode(tmp_path / "b.tar.gz") == 0o600


@pytest.fixture
def sqlite_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    old = os.umask(0o022)
    try:
        app = create_app(app_config(url, STORAGE_DIR=str(tmp_path / "storage")))
        with app.app_context():
            db.create_all()
            yield app, tmp_path / "desk.db"
            db.session.remove()
            db.engine.dispose()
    finally:
        os.umask(old)


def test_the_sqlite_file_is_readable_by_its_owner_only(sqlite_app):
    _app, path = sqlite_app
    assert mode(path) == 0o600
    assert mode(f"{path}-wal") == 0o600


def test_a_command_waits_for_a_busy_sqlite_database(sqlite_app):
    app, path = sqlite_app
    make_user(username="first", roles=["manager"])
    db.session.remove()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO sites (code, name, created_at) VALUES ('B9', 'Busy', '2026-01-01')")

    def release():
        time.sleep(0.8)
        holder.execute("COMMIT")

    thread = threading.Thread(target=release)
    thread.start()
    result = app.test_cli_runner().invoke(
        args=["users", "create", "second", "--password", "a-long-password", "--role", "advisor"]
    )
    thread.join()
    holder.close()
    assert result.exit_code == 0, result.output
    assert "locked" not in result.output


def test_a_database_error_does_not_show_a_password_hash(app):
    user = make_user(username="twice")
    twin = User(
        site_id=user.site_id,
        username="twice",
        full_name="Twin",
        password_hash=user.password_hash,
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError) as caught:
        db.session.flush()
    db.session.rollback()
    assert "argon2" not in str(caught.value)
    assert user.password_hash not in str(caught.value)

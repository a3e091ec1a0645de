"""A request that only read ends its transaction with a commit, so that the statements it
prepared on a pooled PostgreSQL connection stay prepared; anything else is rolled back."""

from sqlalchemy import event, select, text, update

from dealer.database import WROTE, end_reading
from dealer.extensions import db
from dealer.models import User
from tests.conftest import sign_in
from tests.factories import make_user


class Endings:
    """The transactions the session ends, by how."""

    def __init__(self):
        self.seen: list[str] = []

    def __enter__(self):
        session = db.session()
        event.listen(session, "after_commit", self._commit)
        event.listen(session, "after_rollback", self._rollback)
        self.session = session
        return self.seen

    def __exit__(self, *exc):
        event.remove(self.session, "after_commit", self._commit)
        event.remove(self.session, "after_rollback", self._rollback)

    def _commit(self, session):
        self.seen.append("commit")

    def _rollback(self, session):
        self.seen.append("rollback")


def test_a_transaction_that_only_read_is_committed(app):
    make_user(username="reader")
    db.session.commit()
    with Endings() as ended:
        db.session.scalars(select(User)).all()
        end_reading()
    assert ended == ["commit"]
    assert not db.session().in_transaction()


def test_changes_left_unsaved_are_not_committed(app):
    user = make_user(username="keeps", full_name="Kept Name")
    db.session.commit()
    user_id = user.id

    with Endings() as ended:
        db.session.get(User, user_id).full_name = "Flushed Name"
        db.session.flush()
        assert db.session.info[WROTE]
        end_reading()
    assert ended == []
    db.session.rollback()
    assert db.session.get(User, user_id).full_name == "Kept Name"

    with Endings() as ended:
        db.session.execute(update(User).where(User.id == user_id).values(full_name="Updated"))
        end_reading()
    assert ended == []
    db.session.rollback()
    assert db.session.get(User, user_id).full_name == "Kept Name"

    with Endings() as ended:
        db.session.get(User, user_id).full_name = "Pending Name"
        end_reading()
    assert ended == []
    db.session.rollback()
    assert db.session.get(User, user_id).full_name == "Kept Name"


def test_a_failed_request_is_not_committed(app):
    make_user(username="failing")
    db.session.commit()
    with Endings() as ended:
        db.session.scalars(select(User)).all()
        end_reading(RuntimeError("the view failed"))
    assert ended == []
    db.session.rollback()


def test_the_mark_of_a_write_ends_with_its_transaction(app):
    user = make_user(username="marked")
    db.session.commit()
    assert WROTE not in db.session.info
    user.full_name = "Marked"
    db.session.flush()
    assert db.session.info[WROTE]
    db.session.commit()
    assert WROTE not in db.session.info


def test_requests_that_read_leave_their_statements_prepared(app, client):
    """On PostgreSQL, psycopg prepares a statement run five times on a connection and
    forgets all of them at a rollback; PostgreSQL still plans each run for its values."""
    make_user(username="desk", roles=["advisor"])
    sign_in(client, "desk")
    connections = []

    def checked_out(dbapi_connection, record, proxy):
        connections.append(dbapi_connection)

    event.listen(db.engine, "checkout", checked_out)
    try:
        for _ in range(8):
            assert client.get("/customers?q=desk").status_code == 200
    finally:
        event.remove(db.engine, "checkout", checked_out)
    if db.engine.dialect.name != "postgresql":
        assert connections
        return
    used = connections[-1]
    prepared = used.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    mode = used.execute("SHOW plan_cache_mode").fetchone()[0]
    used.rollback()
    assert prepared >= 2
    assert mode == "force_custom_plan"
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"

"""Database connection behaviour: SQLite pragmas and write transactions.

SQLite has no row locks, so an operation that reads and then changes
(stock, transitions, clocks) must hold the write lock from its first
read. Every request that may write (any method but GET, HEAD, OPTIONS)
begins its transaction with ``BEGIN IMMEDIATE``: such requests run one
after another on SQLite, waiting up to the busy timeout, and see each
other's results. Reads stay concurrent (WAL). PostgreSQL locks rows with
``SELECT ... FOR UPDATE`` instead and ignores all of this.
"""

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import DDL, Index, event, func, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dealer.errors import RuleBroken
from dealer.extensions import Base, db

_writing: ContextVar[bool] = ContextVar("writing", default=False)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record) -> None:
    """Foreign keys on, WAL journal, a busy timeout; transactions begun by us, not the driver."""
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    files = [row[2] for row in cursor.execute("PRAGMA database_list") if row[2]]
    cursor.close()
    for name in files:
        keep_private(name)


def keep_private(name: str) -> None:
    """Make a database file and its journal readable by their owner only: they hold every
    customer's name and number."""
    for path in (name, f"{name}-wal", f"{name}-shm"):
        with contextlib.suppress(OSError):
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)


@event.listens_for(Engine, "connect")
def _postgresql_connect(dbapi_connection, connection_record) -> None:
    """Plan each statement for the values it runs with.

    psycopg prepares the statements a connection runs again and again (see
    :func:`end_reading`), and PostgreSQL may then settle on one generic plan for all
    values. The data is lopsided (a few hundred open orders among a million delivered,
    a few VIPs among all customers), and a plan that suits the average value can read a
    whole table for a rare one: the prepared statements are parsed once but planned on
    every run.
    """
    if type(dbapi_connection).__module__.split(".", 1)[0] != "psycopg":
        return
    dbapi_connection.execute("SET plan_cache_mode TO force_custom_plan")
    dbapi_connection.commit()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    """Begin SQLite transactions, taking the write lock at once when the work may write."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def declare_write_intent() -> None:
    """Before each request: will its transaction write?"""
    g.write_intent = _writing.set(request.method not in SAFE_METHODS)


def forget_write_intent(exc=None) -> None:
    """After each request: what follows in the same thread is not that request's work."""
    token = g.pop("write_intent", None)
    if token is not None:
        _writing.reset(token)


def write_from_here() -> None:
    """The rest of this request writes though its method is safe (a public page that counts
    its requests for the rate limit): the transaction so far ends, and the next one takes
    the write lock from its first statement, as a POST's does."""
    db.session.commit()
    forget_write_intent()
    g.write_intent = _writing.set(True)


@contextmanager
def writing() -> Iterator[None]:
    """Run the block's transactions as write transactions (command-line operations)."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


LOCKED = "locked_rows"
"""Where a session keeps the rows its transaction holds the lock on."""


def lock(obj, *, key_share: bool = False) -> None:
    """Read ``obj`` again under its row lock (``SELECT ... FOR UPDATE`` on PostgreSQL; a
    SQLite write request holds the database lock already), once per transaction.

    ``key_share`` takes ``FOR NO KEY UPDATE``, which rows referring to ``obj`` do not wait
    for: the lock for a record that other rows point at while it is counted (a part)."""
    locked = db.session.info.setdefault(LOCKED, set())
    key = inspect(obj).identity_key
    if key in locked:
        return
    db.session.refresh(obj, with_for_update={"key_share": True} if key_share else True)
    locked.add(key)


def get_locked(model, ident):
    """The record of ``model`` with id ``ident`` read under its row lock, or None: the
    operation that follows then needs no second read to take the lock."""
    obj = db.session.get(model, ident, with_for_update=True, populate_existing=True)
    if obj is not None:
        db.session.info.setdefault(LOCKED, set()).add(inspect(obj).identity_key)
    return obj


@event.listens_for(Session, "after_transaction_end")
def _forget_locks(session, transaction) -> None:
    """Locks end with the transaction that took them."""
    if transaction.parent is None:
        session.info.pop(LOCKED, None)


WROTE = "wrote"
"""Where a session notes that its transaction wrote (flushed, or ran an insert, update or
delete)."""


@event.listens_for(Session, "after_flush")
def _note_flush(session, flush_context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_write(state) -> None:
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE, None)


def end_reading(exc=None) -> None:
    """After each request: a transaction that only read ends with COMMIT, not ROLLBACK.

    The two end a reading transaction alike, but psycopg forgets every statement it has
    prepared on the connection at a rollback. Ended with a commit, the statements each
    request repeats (the signed-in user, the pages' lists) stay prepared on the pooled
    connection: PostgreSQL parses them once instead of on every request. A transaction that
    wrote and was not committed, or a request that failed, is rolled back as before.
    """
    if exc is not None or not db.session.registry.has():
        return
    session = db.session()
    if (
        session.in_transaction()
        and not session.info.get(WROTE)
        and not (session.new or session.dirty or session.deleted)
    ):
        session.commit()


def seconds_between(started, ended):
    """Seconds between two stored times, in SQL, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", ended - started)
    return (func.julianday(ended) - func.julianday(started)) * 86400


def substring_indexes(table: str, *columns: str, covering: tuple[str, ...]) -> list[Index]:
    """Indexes for searching ``columns`` by any part of their text (``LIKE '%...%'``).

    On PostgreSQL, a trigram GIN index per column (``pg_trgm``) finds the rows without
    reading the table. SQLite has no such index; there each column gets a B-tree with the
    ``covering`` columns, so that a search reads the small index instead of the table."""
    indexes = []
    for column in columns:
        indexes.append(
            Index(
                f"ix_{table}_{column}_trgm",
                column,
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            ).ddl_if(dialect="postgresql")
        )
        indexes.append(
            Index(f"ix_{table}_{column}_scan", *covering, column).ddl_if(dialect="sqlite")
        )
    return indexes


def include_schema_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``, given to Flask-Migrate by the app factory: the model's
    objects that exist only on another database (declared with ``ddl_if``) are left out of
    the comparison, so the migrations need no application import to know them."""
    condition = getattr(obj, "_ddl_if", None)
    if reflected or condition is None or condition.dialect is None:
        return True

    wanted = condition.dialect
    return db.engine.dialect.name in ((wanted,) if isinstance(wanted, str) else wanted)


TRIGRAMS = DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql")
"""The trigram extension the substring indexes need, created before the tables."""


def _create_extensions() -> None:
    event.listen(Base.metadata, "before_create", TRIGRAMS)


_create_extensions()


REDACTING = "redacting"
"""Where a session notes that erasure may redact frozen records."""


@contextmanager
def redacting(session) -> Iterator[None]:
    """Allow the block to change frozen records (erasure of a person's data, and only that)."""
    session.info[REDACTING] = True
    try:
        yield
    finally:
        session.info.pop(REDACTING, None)


@event.listens_for(Session, "before_flush")
def _keep_frozen_records(session, flush_context, instances) -> None:
    """A model with ``__frozen__ = True`` (what a customer signed) is never changed or
    deleted once written, except by erasure (``redacting``)."""
    if session.info.get(REDACTING):
        return

    for obj in (*session.dirty, *session.deleted):
        if not getattr(type(obj), "__frozen__", False):
            continue
        if obj in session.deleted or session.is_modified(obj, include_collections=False):
            raise RuleBroken(
                _l(
                    "A record the customer signed or acknowledged cannot be changed; "
                    "a later change is a new version."
                )
            )

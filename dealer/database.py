"""Database connection behaviour: SQLite pragmas and write transactions.

SQLite has no row locks, so an operation that reads and then changes
(stock, transitions, clocks) must hold the write lock from its first
read. Every request that may write (any method but GET, HEAD, OPTIONS)
begins its transaction with ``BEGIN IMMEDIATE``: such requests run one
after another on SQLite, waiting up to the busy timeout, and see each
other's results. Reads stay concurrent (WAL). PostgreSQL locks rows with
``SELECT ... FOR UPDATE`` instead and ignores all of this.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import request
from sqlalchemy import event
from sqlalchemy.engine import Engine

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
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    """Begin SQLite transactions, taking the write lock at once when the work may write."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def declare_write_intent() -> None:
    """Before each request: will its transaction write?"""
    _writing.set(request.method not in SAFE_METHODS)


@contextmanager
def writing() -> Iterator[None]:
    """Run the block's transactions as write transactions (command-line operations)."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)

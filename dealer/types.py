"""Column types: exact decimals as integers, and timezone-aware UTC times.

SQLite keeps ``Numeric`` as a binary float, so sums drift there. Amounts,
rates and quantities are stored as integers scaled by a fixed number of
decimal places and come back as ``Decimal`` on every database.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator


class FixedDecimal(TypeDecorator):
    """A ``Decimal`` with ``scale`` places, stored as an integer of minor units."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 2):
        super().__init__()
        self.scale = scale
        self.quantum = Decimal(1).scaleb(-scale)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("exact decimals only: pass a Decimal, int or str, not a float")
        amount = Decimal(value).quantize(self.quantum, rounding=ROUND_HALF_UP)
        return int(amount.scaleb(self.scale))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale).quantize(self.quantum)


def Money() -> FixedDecimal:
    """The column type of every amount of money: two decimal places."""
    return FixedDecimal(2)


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime kept in UTC (SQLite drops the offset, so it is restored)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: times are stored in UTC and must carry a zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


_CLOCK: ContextVar[datetime | None] = ContextVar("clock", default=None)


def utcnow() -> datetime:
    """The current time, aware, in UTC (or the moment ``clock_at`` holds it at)."""
    return _CLOCK.get() or datetime.now(UTC)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run what is inside as if it were ``moment``: the demo's history is made through the
    operations, each step at its own time of a past year."""
    token = _CLOCK.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _CLOCK.reset(token)


def render_migration_type(type_: str, obj, autogen_context):
    """Write custom column types into migrations as the plain types they store."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False

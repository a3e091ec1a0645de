"""Time helpers: UTC inside, the dealer's time zone at the edge."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l

from dealer.errors import DomainError
from dealer.types import utcnow

__all__ = [
    "check_day",
    "check_promised_time",
    "day_start",
    "is_valid_zone",
    "local_time",
    "utcnow",
    "zone",
]

FIRST_DAY = date(2000, 1, 1)
"""No record of the workshop is older: a period starts on this day at the earliest."""
AHEAD = timedelta(days=366)
"""How far ahead a promise or a period may reach."""


def check_day(day: date, field: str) -> date:
    """A day of a period, between the first day of the data and a year from today."""
    last = date.today() + AHEAD
    if not FIRST_DAY <= day <= last:
        raise DomainError(
            _l("Choose a day between %(first)s and %(last)s.", first=FIRST_DAY, last=last), field
        )
    return day


def check_promised_time(moment: datetime, field: str = "promised_at") -> datetime:
    """A promised time: with its time zone, from now on and within a year."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError(_l("Give the time with its offset, e.g. +08:00."), field)
    now = utcnow()
    if moment < now - timedelta(minutes=5):
        raise DomainError(_l("The promised time must be in the future."), field)
    if moment > now + AHEAD:
        raise DomainError(_l("Promise a time within a year."), field)
    return moment.astimezone(UTC)


def is_valid_zone(name: str) -> bool:
    """Whether ``name`` is a known IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name: str) -> tzinfo:
    """The time zone called ``name``."""
    return ZoneInfo(name)


def local_time(moment: datetime, zone_name: str) -> datetime:
    """``moment`` seen in the dealer's time zone."""
    return moment.astimezone(ZoneInfo(zone_name))


def day_start(day: date, zone_name: str) -> datetime:
    """The first moment of the dealer's local ``day``, in UTC (the next day's start is where
    ``day`` ends)."""
    return datetime.combine(day, time.min, ZoneInfo(zone_name)).astimezone(UTC)

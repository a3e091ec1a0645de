"""Time helpers: UTC inside, the dealer's time zone at the edge."""

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dealer.types import utcnow

__all__ = ["day_start", "is_valid_zone", "local_time", "utcnow", "zone"]


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

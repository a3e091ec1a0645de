"""Working time: adding hours that count only inside the dealer's working periods.

The periods are per weekday; the calendar (``{"holidays": [...], "workdays": [...]}``, ISO
dates) takes out public holidays and adds make-up working days (调休), which follow the
periods of an ordinary working weekday.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def day_hours(day: date, working_hours: dict, calendar: dict | None = None) -> list:
    """The working periods of ``day``: none on a public holiday; on a make-up working day those
    of the first working weekday (Monday to Friday); else the weekday's own."""
    calendar = calendar or {}
    iso = day.isoformat()
    if iso in calendar.get("holidays", ()):
        return []
    if iso in calendar.get("workdays", ()):
        usual = next((working_hours[d] for d in WEEKDAYS[:5] if working_hours.get(d)), [])
        return sorted(working_hours.get(WEEKDAYS[day.weekday()]) or usual)
    return sorted(working_hours.get(WEEKDAYS[day.weekday()], []))


def is_working_day(day: date, working_hours: dict, calendar: dict | None = None) -> bool:
    """Whether the workshop works on ``day``."""
    return bool(day_hours(day, working_hours, calendar))


def add_working_time(
    start: datetime,
    hours: Decimal,
    working_hours: dict,
    time_zone: str,
    calendar: dict | None = None,
) -> datetime:
    """The moment ``hours`` of working time after ``start``; the answer is in UTC.

    Time outside the working periods of each day does not count. With
    no working period in the week at all, plain hours are added.
    """
    zone = ZoneInfo(time_zone)
    remaining = timedelta(hours=float(hours))
    moment = start.astimezone(zone)
    if not any(working_hours.get(day) for day in WEEKDAYS):
        return (moment + remaining).astimezone(UTC)
    day = moment.date()
    for _ in range(400):
        for begin, end in _periods(day, working_hours, zone, calendar):
            if end <= moment:
                continue
            begin = max(begin, moment)
            if remaining <= end - begin:
                return (begin + remaining).astimezone(UTC)
            remaining -= end - begin
        day += timedelta(days=1)
        moment = datetime.combine(day, time.min, tzinfo=zone)
    raise ValueError("no working time within a year")


def _periods(
    day, working_hours: dict, zone: ZoneInfo, calendar: dict | None = None
) -> list[tuple[datetime, datetime]]:
    return [
        (
            datetime.combine(day, time.fromisoformat(begin), tzinfo=zone),
            datetime.combine(day, time.fromisoformat(end), tzinfo=zone),
        )
        for begin, end in day_hours(day, working_hours, calendar)
    ]


def next_period_start(
    moment: datetime, working_hours: dict, time_zone: str, calendar: dict | None = None
) -> datetime:
    """The start of the first working period that begins after ``moment`` (in UTC).

    A call that went unanswered at 10:00 in a 08:30-17:30 day is tried again
    at 08:30 the next working day; with a lunch break, after the break.
    With no working period in the week, the same time the next day.
    """
    zone = ZoneInfo(time_zone)
    local = moment.astimezone(zone)
    if not any(working_hours.get(day) for day in WEEKDAYS):
        return (local + timedelta(days=1)).astimezone(UTC)
    day = local.date()
    for _ in range(400):
        for begin, _end in _periods(day, working_hours, zone, calendar):
            if begin > local:
                return begin.astimezone(UTC)
        day += timedelta(days=1)
    raise ValueError("no working time within a year")


def half_working_day_after(
    moment: datetime, working_hours: dict, time_zone: str, calendar: dict | None = None
) -> datetime:
    """Half a working day after ``moment``, counted in working time (in UTC).

    Half a day is half the working time of the day the clock starts on: the
    day of ``moment`` if it has working time left, else the next working
    day. At 16:00 on a 08:30-17:30 day that is 4.5 hours: 1.5 today, and
    the rest until 11:30 the next working day.
    """
    zone = ZoneInfo(time_zone)
    local = moment.astimezone(zone)
    if not any(working_hours.get(day) for day in WEEKDAYS):
        return (local + timedelta(hours=12)).astimezone(UTC)
    day = local.date()
    for _ in range(400):
        periods = _periods(day, working_hours, zone, calendar)
        if any(end > local for _begin, end in periods):
            length = sum((end - begin for begin, end in periods), timedelta())
            hours = Decimal(length.total_seconds()) / Decimal(7200)
            return add_working_time(moment, hours, working_hours, time_zone, calendar)
        day += timedelta(days=1)
    raise ValueError("no working time within a year")

"""Working time: adding hours that count only inside the dealer's working periods."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def add_working_time(
    start: datetime, hours: Decimal, working_hours: dict, time_zone: str
) -> datetime:
    """The moment ``hours`` of working time after ``start``; the answer is in UTC.

    Time outside the working periods of each weekday does not count. With
    no working period in the week at all, plain hours are added.
    """
    zone = ZoneInfo(time_zone)
    remaining = timedelta(hours=float(hours))
    moment = start.astimezone(zone)
    if not any(working_hours.get(day) for day in WEEKDAYS):
        return (moment + remaining).astimezone(UTC)
    day = moment.date()
    for _ in range(400):
        for begin_text, end_text in sorted(working_hours.get(WEEKDAYS[day.weekday()], [])):
            begin = datetime.combine(day, time.fromisoformat(begin_text), tzinfo=zone)
            end = datetime.combine(day, time.fromisoformat(end_text), tzinfo=zone)
            if end <= moment:
                continue
            begin = max(begin, moment)
            if remaining <= end - begin:
                return (begin + remaining).astimezone(UTC)
            remaining -= end - begin
        day += timedelta(days=1)
        moment = datetime.combine(day, time.min, tzinfo=zone)
    raise ValueError("no working time within a year")

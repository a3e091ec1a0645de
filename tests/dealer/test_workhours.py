"""Adding working time, worked out by hand against a week of 08:30-12:00 and 13:00-17:30."""

from datetime import UTC, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from dealer.workhours import add_working_time

SH = ZoneInfo("Asia/Shanghai")
WEEK = {
    day: [["08:30", "12:00"], ["13:00", "17:30"]] for day in ("mon", "tue", "wed", "thu", "fri")
}
WEEK["sat"] = [["09:00", "12:00"]]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in the week of Monday 2026-11-23, Shanghai."""
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=SH)


def add(start, hours):
    return add_working_time(start, D(hours), WEEK, "Asia/Shanghai").astimezone(SH)


def test_within_a_period():
    assert add(at(0, 9), "2") == at(0, 11)


def test_over_lunch():
    assert add(at(0, 11), "2") == at(0, 14)


def test_over_the_night():
    assert add(at(0, 16, 30), "2") == at(1, 9, 30)


def test_friday_evening_runs_into_saturday_then_monday():
    assert add(at(4, 17), "4") == at(7, 9)


def test_before_opening_starts_at_opening():
    assert add(at(0, 6), "1") == at(0, 9, 30)
    assert add(at(6, 10), "0") == at(7, 8, 30)


def test_answer_is_utc():
    result = add_working_time(at(0, 9), D("1"), WEEK, "Asia/Shanghai")
    assert result.tzinfo == UTC and result == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_without_working_periods_plain_hours_count():
    assert add_working_time(at(0, 9), D("30"), {}, "Asia/Shanghai").astimezone(SH) == at(1, 15)


CALENDAR_2026 = {
    "holidays": ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"],
    "workdays": ["2026-10-10"],
}


def test_a_holiday_is_skipped_and_a_make_up_saturday_counts():
    from datetime import datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from dealer.workhours import add_working_time, half_working_day_after, next_period_start

    shanghai = ZoneInfo("Asia/Shanghai")
    hours = {d: [["08:30", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    before_holiday = datetime(2026, 9, 30, 16, 0, tzinfo=shanghai)
    assert half_working_day_after(before_holiday, hours, "Asia/Shanghai", CALENDAR_2026).astimezone(
        shanghai
    ) == datetime(2026, 10, 8, 11, 30, tzinfo=shanghai)
    assert next_period_start(
        datetime(2026, 10, 9, 10, 0, tzinfo=shanghai), hours, "Asia/Shanghai", CALENDAR_2026
    ).astimezone(shanghai) == datetime(2026, 10, 10, 8, 30, tzinfo=shanghai)
    friday = datetime(2026, 10, 9, 16, 30, tzinfo=shanghai)
    assert add_working_time(friday, Decimal("3"), hours, "Asia/Shanghai", CALENDAR_2026).astimezone(
        shanghai
    ) == datetime(2026, 10, 10, 10, 30, tzinfo=shanghai)
    without = add_working_time(friday, Decimal("3"), hours, "Asia/Shanghai")
    assert without.astimezone(shanghai) == datetime(2026, 10, 12, 10, 30, tzinfo=shanghai)

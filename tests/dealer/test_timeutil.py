"""The dealer's local days as moments in UTC."""

from datetime import UTC, date, datetime

import pytest

from dealer.timeutil import day_start


@pytest.mark.parametrize(
    ("day", "zone_name", "expected"),
    [
        (date(2026, 12, 7), "Asia/Shanghai", datetime(2026, 12, 6, 16, 0, tzinfo=UTC)),
        (date(2026, 12, 7), "UTC", datetime(2026, 12, 7, 0, 0, tzinfo=UTC)),
        # New York's clocks go forward on 8 March 2026 and back on 1 November 2026.
        (date(2026, 3, 8), "America/New_York", datetime(2026, 3, 8, 5, 0, tzinfo=UTC)),
        (date(2026, 3, 9), "America/New_York", datetime(2026, 3, 9, 4, 0, tzinfo=UTC)),
        (date(2026, 11, 2), "America/New_York", datetime(2026, 11, 2, 5, 0, tzinfo=UTC)),
    ],
)
def test_a_local_day_starts_at_the_zones_midnight(day, zone_name, expected):
    start = day_start(day, zone_name)
    assert start == expected and start.tzinfo is UTC


def test_a_day_the_clocks_go_forward_is_23_hours_long():
    hours = (
        day_start(date(2026, 3, 9), "America/New_York")
        - day_start(date(2026, 3, 8), "America/New_York")
    ).total_seconds() / 3600
    assert hours == 23

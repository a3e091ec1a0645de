"""Money and time column types, through the real database."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from dealer.extensions import db
from dealer.models import DealerSettings
from dealer.money import parse_decimal, round_money
from dealer.services import default_site, settings_for
from dealer.types import FixedDecimal


def test_round_money_is_half_up():
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("2.344")) == Decimal("2.34")
    assert round_money(Decimal("-2.345")) == Decimal("-2.35")
    assert round_money(Decimal("0.005")) == Decimal("0.01")


def test_parse_decimal_refuses_floats_and_junk():
    assert parse_decimal("1,234.50") == Decimal("1234.50")
    assert parse_decimal(7) == Decimal(7)
    for bad in (1.5, "abc", "NaN", "Infinity", True, None):
        with pytest.raises(ValueError):
            parse_decimal(bad)
    with pytest.raises(ValueError):
        parse_decimal("1.234", places=2)


def test_fixed_decimal_binds_integers_and_refuses_float():
    money = FixedDecimal(2)
    assert money.process_bind_param(Decimal("12.345"), None) == 1235
    assert money.process_result_value(1235, None) == Decimal("12.35")
    with pytest.raises(TypeError):
        money.process_bind_param(0.1, None)


def test_amounts_round_trip_exactly_and_sum_without_drift(app):
    site = default_site()
    settings = settings_for(site.id)
    settings.labor_rate = Decimal("0.10")
    settings.tax_rate = Decimal("0.0625")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(select(DealerSettings))
    assert stored.labor_rate == Decimal("0.10")
    assert stored.tax_rate == Decimal("0.0625")
    raw = db.session.execute(db.text("SELECT labor_rate FROM dealer_settings")).scalar()
    assert raw == 10 and isinstance(raw, int)


def test_times_come_back_aware_in_utc(app):
    site = default_site()
    db.session.commit()
    shanghai = timezone(timedelta(hours=8))
    site.created_at = datetime(2026, 3, 1, 9, 30, tzinfo=shanghai)
    db.session.commit()
    db.session.expire_all()
    assert site.created_at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert site.created_at.utcoffset() == timedelta(0)


def test_naive_times_are_refused(app):
    site = default_site()
    site.created_at = datetime(2026, 3, 1, 9, 30)
    with pytest.raises(Exception, match="naive"):
        db.session.flush()
    db.session.rollback()

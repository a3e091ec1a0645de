"""The three-guarantee watch (三包): a family car's repair period from its sale (two years or
50,000 km by default, whichever first), the repairs of the same serious fault and the days
off the road counted within it, a part of a day counting as a day, and the desk warned as a
limit comes close; the limits are settings."""

from datetime import date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_customer, make_order, make_user, make_vehicle
from tests.warranty.work import do_the_work
from warranty import sanbao
from warranty.models import WarrantyClaim
from warranty.terms import TermsInput, save_terms, site_today, terms
from workorders import services as wo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_years_are_added_from_the_sale():
    assert sanbao.add_years(date(2024, 2, 29), 2) == date(2026, 3, 1)
    assert sanbao.add_years(date(2025, 6, 30), 3) == date(2028, 6, 30)


def test_a_period_ends_at_its_date_or_its_distance_whichever_first():
    period = sanbao.Period(date(2027, 5, 10), 50000)
    assert period.holds(date(2027, 5, 9), 49999)
    assert not period.holds(date(2027, 5, 10), 1000), "the anniversary is outside"
    assert not period.holds(date(2026, 1, 1), 50000), "the distance is reached"
    assert period.holds(date(2026, 1, 1), None)


def test_days_off_the_road_count_a_part_of_a_day_as_a_day():
    start = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    assert sanbao.repair_days(start, start + timedelta(hours=3)) == 1
    assert sanbao.repair_days(start, start + timedelta(hours=24)) == 1
    assert sanbao.repair_days(start, start + timedelta(hours=30)) == 2
    assert sanbao.repair_days(start, start) == 1


@pytest.fixture
def family_car(app):
    """A person's car sold a year ago, and an advisor."""
    today = site_today(make_user(roles=["manager"]).site_id)
    vehicle = make_vehicle(customer=make_customer(), odometer_km=10000)
    vehicle.sold_on = today - timedelta(days=365)
    db.session.commit()
    return vehicle, make_user(roles=["advisor"])


def repair(
    vehicle, advisor, *, days_ago: int, hours: int, odometer: int, system: str | None = "engine"
):
    """A warranty repair taken in ``days_ago`` and back ``hours`` later, its claim put on
    ``system``."""
    order = make_order(advisor=advisor, vehicle=vehicle, odometer_km=odometer)
    job = wo.add_job(
        advisor,
        order,
        title="Engine repair",
        labor_hours=D("2"),
        category="minor_repair",
        pay_type="warranty",
    )
    db.session.commit()
    do_the_work(order, advisor, deliver=False)
    taken_in = utcnow() - timedelta(days=days_ago)
    order.created_at = taken_in
    order.delivered_at = taken_in + timedelta(hours=hours)
    claim = db.session.query(WarrantyClaim).filter_by(job_id=job.id).one()
    claim.fault_system = system
    db.session.commit()
    return order


def test_repairs_of_the_same_fault_and_the_days_are_counted(family_car):
    vehicle, advisor = family_car
    repair(vehicle, advisor, days_ago=200, hours=30, odometer=11000)
    watch = sanbao.watch_of(vehicle)
    assert watch.in_period and watch.in_repair_period
    assert (watch.same_fault_repairs, watch.cumulative_repair_days) == (1, 2)
    assert [level for level, _ in watch.warnings] == ["warning"], (
        "one more and the limit is reached"
    )
    repair(vehicle, advisor, days_ago=100, hours=24 * 31, odometer=12000, system="brakes")
    repair(vehicle, advisor, days_ago=20, hours=5, odometer=13000)
    watch = sanbao.watch_of(vehicle)
    assert watch.repairs_by_system == {"engine": 2, "brakes": 1}
    assert watch.cumulative_repair_days == 2 + 31 + 1
    levels = [level for level, _ in watch.warnings]
    assert levels == ["danger", "warning", "warning"]
    assert "2 repairs of the same Engine fault" in watch.warnings[0][1]
    assert "34 days off the road" in watch.warnings[-1][1]
    as_json = watch.as_json()
    assert (
        as_json["in_period"],
        as_json["same_fault_repairs"],
        as_json["cumulative_repair_days"],
    ) == (True, 2, 34)


def test_only_repairs_taken_in_within_the_repair_period_count(family_car):
    vehicle, advisor = family_car
    settings = terms(vehicle.site_id)
    repair(vehicle, advisor, days_ago=40, hours=5, odometer=settings.repair_km - 1)
    repair(vehicle, advisor, days_ago=30, hours=5, odometer=settings.repair_km)
    watch = sanbao.watch_of(vehicle)
    assert watch.repairs_by_system == {"engine": 1}, "the repair at 50,000 km does not count"
    assert not watch.in_repair_period and watch.in_period, "the car is past 50,000 km, not 60,000"
    assert watch.warnings == [], "no warning outside the repair period"


def test_the_repair_period_ends_on_the_anniversary(family_car):
    vehicle, advisor = family_car
    today = site_today(vehicle.site_id)
    vehicle.sold_on = sanbao.add_years(today, -2) + timedelta(days=1)
    db.session.commit()
    repair(vehicle, advisor, days_ago=0, hours=5, odometer=11000)
    assert sanbao.watch_of(vehicle).repairs_by_system == {"engine": 1}, "the last day counts"
    vehicle.sold_on = sanbao.add_years(today, -2)
    db.session.commit()
    watch = sanbao.watch_of(vehicle)
    assert watch.repairs_by_system == {} and not watch.in_repair_period and watch.in_period
    vehicle.sold_on = sanbao.add_years(today, -3)
    db.session.commit()
    assert not sanbao.watch_of(vehicle).in_period


def test_company_cars_motorcycles_and_unknown_sales_are_not_watched(family_car):
    vehicle, advisor = family_car
    repair(vehicle, advisor, days_ago=10, hours=5, odometer=11000)
    assert sanbao.watch_of(vehicle).in_period
    vehicle.vehicle_class = "motorcycle"
    db.session.commit()
    assert not sanbao.watch_of(vehicle).in_period
    vehicle.vehicle_class = "car"
    vehicle.customer.kind = "company"
    db.session.commit()
    assert not sanbao.watch_of(vehicle).in_period
    vehicle.customer.kind = "person"
    vehicle.sold_on = None
    db.session.commit()
    assert not sanbao.watch_of(vehicle).in_period


def test_the_limits_are_settings(family_car):
    vehicle, advisor = family_car
    manager = make_user(roles=["manager"])
    repair(vehicle, advisor, days_ago=10, hours=24 * 6, odometer=11000)
    assert sanbao.watch_of(vehicle).warnings[0][0] == "warning"
    fields = {
        name: getattr(terms(vehicle.site_id), name) for name in TermsInput.__dataclass_fields__
    }
    with pytest.raises(DomainError) as refused:
        save_terms(
            manager,
            vehicle.site_id,
            TermsInput(**{**fields, "repair_years": 5, "same_fault_limit": 0}),
        )
    assert {name for name, _ in refused.value.errors} == {"same_fault_limit"}
    with pytest.raises(DomainError) as longer:
        save_terms(manager, vehicle.site_id, TermsInput(**{**fields, "repair_years": 5}))
    assert longer.value.errors[0][0] == "repair_years"
    save_terms(
        manager,
        vehicle.site_id,
        TermsInput(**{**fields, "repair_days_limit": 5, "same_fault_limit": 3}),
    )
    db.session.commit()
    watch = sanbao.watch_of(vehicle)
    assert [level for level, _ in watch.warnings] == ["danger"], "6 days are over a limit of 5"


def test_the_advisor_is_warned_at_intake_and_on_the_order(client, family_car):
    vehicle, advisor = family_car
    repair(vehicle, advisor, days_ago=60, hours=5, odometer=11000)
    repair(vehicle, advisor, days_ago=30, hours=5, odometer=12000)
    order = make_order(advisor=advisor, vehicle=vehicle, odometer_km=12500)
    sign_in(client, advisor.username)
    warning = "2 repairs of the same Engine fault"
    for path in (
        f"/vehicles/{vehicle.id}/work-orders/new",
        f"/work-orders/{order.id}/intake",
        f"/work-orders/{order.id}",
    ):
        assert warning in client.get(path).get_data(as_text=True), path
    report = client.get("/sanbao").get_data(as_text=True)
    assert vehicle.plate in report and warning in report
    record = client.get(f"/vehicles/{vehicle.id}/sanbao").get_data(as_text=True)
    assert "Engine: 2" in record


def test_the_record_keeps_the_loaner_given(client, family_car):
    vehicle, advisor = family_car
    order = repair(vehicle, advisor, days_ago=10, hours=24 * 6, odometer=11000)
    with pytest.raises(DomainError) as refused:
        sanbao.save_record(
            advisor,
            order,
            loaner_days=-1,
            loaner_plate=None,
            transport_compensation=D("-5"),
            note=None,
        )
    assert {name for name, _ in refused.value.errors} == {"loaner_days", "transport_compensation"}
    sanbao.save_record(
        advisor,
        order,
        loaner_days=5,
        loaner_plate="沪a12345",
        transport_compensation=None,
        note="Loaner from day 2",
    )
    db.session.commit()
    watch = sanbao.watch_of(vehicle)
    assert watch.visits[0]["loaner_days"] == 5
    assert sanbao.record_of(order).loaner_plate == "沪A12345"

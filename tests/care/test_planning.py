"""Planning the callbacks: after a delivery, by date and mileage, by holiday; the rules
and their settings page."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from care import planning
from care.models import Callback, Message
from dealer import care_rules, services
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.types import clock_at
from tests.care.visits import at, delivered, local
from tests.conftest import csrf_token
from tests.factories import make_customer, make_vehicle


def test_delivery_on_a_friday_afternoon_is_followed_by_a_satisfaction_call_three_days_later(app):
    order = delivered(declined=True)
    db.session.query(Callback).delete()
    order.delivered_at = at(2026, 11, 27, 15, 20)
    made = planning.schedule_after_delivery(order)
    kinds = {c.kind: c for c in made}
    assert local(kinds["satisfaction"].due_at) == at(2026, 11, 30, 15, 20)
    assert local(kinds["satisfaction"].due_at).strftime("%A") == "Monday"
    assert local(kinds["declined_work"].due_at) == at(2026, 12, 4, 15, 20)
    assert planning.schedule_after_delivery(order) == []


def test_no_callbacks_for_customers_without_consent(app):
    order = delivered(make_customer(callback_consent=False))
    assert db.session.query(Callback).filter_by(customer_id=order.customer_id).count() == 0


def test_plan_creates_reminders_and_care_calls_once(app):
    settings = services.settings_for(services.default_site().id)
    today = date(2026, 11, 23)
    regular = make_customer()
    car = make_vehicle(customer=regular, odometer_km=20000)
    car.last_service_at = at(2026, 5, 30, 10, 0)
    car.last_service_km = 20000
    friend = make_customer(birthday=date(1980, 11, 24))
    friend.vip_tier = "Gold"
    shy = make_customer(callback_consent=False)
    shy_car = make_vehicle(customer=shy)
    shy_car.last_service_at = at(2026, 1, 1, 10, 0)
    db.session.commit()
    first = planning.plan(settings.site_id, today)
    db.session.commit()
    assert (first.service_reminders, first.vip_care) == (1, 1)
    again = planning.plan(settings.site_id, today)
    db.session.commit()
    assert (again.service_reminders, again.vip_care) == (0, 0)
    reminder = db.session.query(Callback).filter_by(kind="service_reminder").one()
    assert reminder.vehicle_id == car.id and reminder.note == "2026-11-28"
    care_call = db.session.query(Callback).filter_by(kind="vip_care").one()
    assert care_call.customer_id == friend.id and care_call.plan_key == "birthday:2026-11-24"


def test_reminders_and_care_become_messages_where_the_settings_say(app):
    settings = services.settings_for(services.default_site().id)
    settings.care_contact = "message"
    today = date(2026, 11, 23)
    regular = make_customer(name="周先生")
    car = make_vehicle(customer=regular, odometer_km=20000)
    car.last_service_at = at(2026, 5, 30, 10, 0)
    car.last_service_km = 20000
    friend = make_customer(birthday=date(1980, 11, 24), marketing_consent=True)
    friend.vip_tier = "Gold"
    db.session.commit()
    with clock_at(at(2026, 11, 23, 10, 0)):
        first = planning.plan(settings.site_id, today)
        again = planning.plan(settings.site_id, today)
        db.session.commit()
    assert (first.service_reminders, first.vip_care) == (1, 1)
    assert (again.service_reminders, again.vip_care) == (0, 0)
    assert db.session.query(Callback).count() == 0
    reminder = db.session.query(Message).filter_by(event="service_reminder").one()
    assert reminder.customer_id == regular.id and "2026-11-28" in reminder.text
    assert car.plate in reminder.text and reminder.status == "queued"
    greeting = db.session.query(Message).filter_by(event="birthday_greeting").one()
    assert greeting.customer_id == friend.id and "生日快乐" in greeting.text
    assert local(greeting.due_at) == at(2026, 11, 24, 9, 0)
    settings.care_contact = "both"
    db.session.commit()
    with clock_at(at(2026, 11, 23, 10, 0)):
        planning.plan(settings.site_id, today)
    assert db.session.query(Callback).count() == 2
    assert db.session.query(Message).count() == 2


def test_service_due_by_mileage_comes_before_the_date(app):
    car = make_vehicle(odometer_km=10000)
    car.last_service_at = at(2026, 1, 1, 9, 0)
    car.last_service_km = 10000
    due = planning.service_due(
        car,
        months=6,
        kilometres=5000,
        daily_km=D("100"),
        reading_km=12000,
        reading_at=at(2026, 1, 21, 9, 0),
    )
    assert due == date(2026, 2, 20)
    slow = planning.service_due(
        car,
        months=6,
        kilometres=5000,
        daily_km=D("5"),
        reading_km=10100,
        reading_at=at(2026, 1, 21, 9, 0),
    )
    assert slow == date(2026, 7, 1)


def test_plan_command_twice_creates_nothing_new(app):
    car = make_vehicle(odometer_km=20000)
    car.last_service_at = datetime(2025, 1, 1, 2, 0, tzinfo=ZoneInfo("UTC"))
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["callbacks", "plan", "--date", "2026-11-23"])
    assert first.exit_code == 0 and "1 service reminders" in first.output
    second = runner.invoke(args=["callbacks", "plan", "--date", "2026-11-23"])
    assert second.exit_code == 0 and "0 service reminders, 0 VIP care calls" in second.output
    assert db.session.query(Callback).filter_by(kind="service_reminder").count() == 1


def test_callback_rules_are_checked():
    good = care_rules.check_callback_rules(
        {
            "satisfaction": {"enabled": True, "days": "3"},
            "declined_work": {"enabled": False, "days": "7"},
            "service_reminder": {"enabled": True, "months": "6", "km": "5000", "days_ahead": "14"},
            "vip_care": {
                "enabled": True,
                "days_ahead": "1",
                "birthday": True,
                "holidays": {"spring_festival": ["2027-02-06"], "new_year": ["01-01"]},
            },
            "complaint_follow_up": {"enabled": True, "days": "2"},
        }
    )
    assert good["satisfaction"] == {"enabled": True, "days": 3}
    assert good["vip_care"]["holidays"]["spring_festival"] == ["2027-02-06"]
    with pytest.raises(DomainError) as bad:
        care_rules.check_callback_rules(
            {"satisfaction": {"days": "-1"}, "vip_care": {"holidays": {"new_year": ["13-45"]}}}
        )
    fields = {f for f, _ in bad.value.errors}
    assert "satisfaction.days" in fields and "holidays.new_year" in fields
    tiers = care_rules.check_vip_tiers(
        [
            {"name": "Silver", "spend": "100", "visits": 1},
            {"name": "Gold", "spend": "900", "visits": 3},
        ]
    )
    assert [t["name"] for t in tiers] == ["Gold", "Silver"]
    with pytest.raises(DomainError):
        care_rules.check_vip_tiers([{"name": "Gold", "spend": "NaN", "visits": 1}])


def test_settings_page_saves_rules(app, client, login):
    login("manager")

    token = csrf_token(client, "/settings/callbacks")
    refused = client.post(
        "/settings/callbacks", data={"csrf_token": token, "satisfaction-days": "x"}
    )
    assert refused.status_code == 422
    data = {
        "csrf_token": token,
        "satisfaction-enabled": "on",
        "satisfaction-days": "2",
        "declined_work-days": "10",
        "service_reminder-enabled": "on",
        "service_reminder-months": "12",
        "service_reminder-km": "10000",
        "service_reminder-days_ahead": "7",
        "vip_care-enabled": "on",
        "vip_care-days_ahead": "2",
        "vip_care-birthday": "on",
        "holiday-new_year": "01-01",
        "holiday-spring_festival": "2027-02-06 2028-01-26",
        "complaint_follow_up-enabled": "on",
        "complaint_follow_up-days": "3",
        "tier-0-name": "Platinum",
        "tier-0-spend": "50000",
        "tier-0-visits": "6",
    }
    assert client.post("/settings/callbacks", data=data).status_code == 302
    settings = services.settings_for(services.default_site().id)
    db.session.refresh(settings)
    assert settings.callback_rules["satisfaction"]["days"] == 2
    assert settings.callback_rules["declined_work"]["enabled"] is False
    assert settings.vip_tiers == [{"name": "Platinum", "spend": "50000.00", "visits": 6}]

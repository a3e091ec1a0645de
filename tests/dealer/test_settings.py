"""Dealer settings: validation, the manager's page, their effect on formatting."""

import re
from decimal import Decimal

import pytest

from dealer import services
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import DEFAULT_WARRANTY
from dealer.services import SettingsInput, parse_working_hours
from tests.conftest import csrf_token


def valid_input(**overrides) -> SettingsInput:
    fields = dict(
        dealer_name="Pudong Motors",
        address="1 Road",
        phone="021 5080 1234",
        tax_rate=Decimal("0.13"),
        labor_rate=Decimal("260"),
        currency="CNY",
        time_zone="Asia/Shanghai",
        working_hours={"mon": [["08:30", "12:00"], ["13:30", "17:30"]]},
        phone_region="CN",
    )
    fields.update(overrides)
    return SettingsInput(**fields)


def test_working_hours_are_checked():
    hours = parse_working_hours({"mon": [["13:30", "17:30"], ["08:30", "12:00"]]})
    assert hours["mon"] == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert hours["sun"] == []
    for bad in (
        {"mon": [["12:00", "08:30"]]},
        {"mon": [["8:30", "12:00"]]},
        {"mon": [["08:00", "12:00"], ["11:00", "13:00"]]},
        {"funday": []},
    ):
        with pytest.raises(DomainError):
            parse_working_hours(bad)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"tax_rate": Decimal("1.5")}, "tax_rate"),
        ({"tax_rate": Decimal("0.12345")}, "tax_rate"),
        ({"labor_rate": Decimal("-1")}, "labor_rate"),
        ({"currency": "yuan"}, "currency"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"phone_region": "XX"}, "phone_region"),
        ({"dealer_name": " "}, "dealer_name"),
    ],
)
def test_bad_settings_name_the_field(app, override, field):
    settings = services.settings_for(services.default_site().id)
    with pytest.raises(DomainError) as caught:
        services.update_settings(None, settings, valid_input(**override))
    assert field in {f for f, _ in caught.value.errors}


def test_manager_changes_settings_on_the_page(login, client, token_for):
    login("manager")
    token = csrf_token(client, "/settings")
    data = {
        "dealer_name": "Pudong Motors",
        "address": "1 Road",
        "phone": "021",
        "tax_rate": "0.06",
        "labor_rate": "320.50",
        "currency": "cny",
        "time_zone": "Asia/Shanghai",
        "phone_region": "cn",
        "hours_mon": "08:30-12:00, 13:30-17:30",
        "hours_tue": "08:30-17:30",
        "hours_wed": "",
        "hours_thu": "",
        "hours_fri": "",
        "hours_sat": "",
        "hours_sun": "",
        "csrf_token": token,
        "discount_limit_percent": "8",
        "parts_lead_days": "2",
        "estimate_valid_days": "10",
    }
    for category, classes in DEFAULT_WARRANTY.items():
        for vehicle_class, (km, days) in classes.items():
            data[f"warranty-{category}-{vehicle_class}-km"] = str(km)
            data[f"warranty-{category}-{vehicle_class}-days"] = str(days)
    data["warranty-minor_repair-car-days"] = "15"
    assert client.post("/settings", data=data).status_code == 302
    body = client.get("/api/v1/settings", headers=token_for("advisor")).json
    assert (
        body["tax_rate"] == "0.06" and body["labor_rate"] == "320.50" and body["currency"] == "CNY"
    )
    assert body["working_hours"]["mon"] == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert body["warranty_rules"]["minor_repair"]["car"] == [2000, 15]
    assert body["discount_limit_percent"] == "8.00" and body["parts_lead_days"] == 2
    assert services.settings_for(services.default_site().id).quiet_hours == {
        "start": "21:00",
        "end": "08:00",
    }
    page = client.get("/settings").get_data(as_text=True)
    assert 'value="21:00-08:00"' in page and "not set up: messages wait" in page
    data["csrf_token"] = csrf_token(client, "/settings")
    refused = client.post("/settings", data=data | {"quiet_hours": "25:00-07:00"})
    assert refused.status_code == 422
    assert "Quiet hours run from a time to a time" in refused.get_data(as_text=True)
    assert client.post("/settings", data=data | {"quiet_hours": "22:00-07:30"}).status_code == 302
    db.session.expire_all()
    assert services.settings_for(services.default_site().id).quiet_hours == {
        "start": "22:00",
        "end": "07:30",
    }
    current = services.settings_for(services.default_site().id)
    assert (current.care_contact, current.order_messages) == ("call", True)
    assert client.post("/settings", data=data | {"care_contact": "both"}).status_code == 302
    db.session.expire_all()
    current = services.settings_for(services.default_site().id)
    assert (current.care_contact, current.order_messages) == ("both", False)
    messages_on = data | {"care_contact": "message", "order_messages": "y"}
    assert client.post("/settings", data=messages_on).status_code == 302
    db.session.expire_all()
    current = services.settings_for(services.default_site().id)
    assert (current.care_contact, current.order_messages) == ("message", True)
    wrong = client.post("/settings", data=data | {"care_contact": "fax"})
    assert wrong.status_code == 422
    workshop = {"bays": "6", "walk_in_percent": "25", "alignment_rigs": "1", "paint_booths": "0"}
    assert client.post("/settings", data=data | workshop).status_code == 302
    db.session.expire_all()
    current = services.settings_for(services.default_site().id)
    assert (current.bays, current.walk_in_share) == (6, Decimal("0.25"))
    assert current.equipment == {"alignment": 1, "paint_booth": 0}
    shown = client.get("/settings").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="walk_in_percent"[^>]*value="25"', shown)
    too_many = client.post("/settings", data=data | workshop | {"walk_in_percent": "95"})
    assert too_many.status_code == 422
    broken = client.post(
        "/settings",
        data={
            **data,
            "warranty-major_repair-car-km": "lots",
            "csrf_token": csrf_token(client, "/settings"),
        },
    )
    assert broken.status_code == 422 and "kilometres and days" in broken.get_data(as_text=True)
    bad = client.post(
        "/settings",
        data={**data, "hours_tue": "17:30-08:30", "csrf_token": csrf_token(client, "/settings")},
    )
    assert bad.status_code == 422
    assert "each period is a start and a later end" in bad.get_data(as_text=True)


def test_only_managers_see_settings(login, client):
    login("advisor")
    assert client.get("/settings").status_code == 403


def test_the_manager_keeps_the_working_calendar_and_imports_chinas_official_list(
    app, client, login
):
    from care import complaints as care
    from tests.factories import make_customer

    manager = login("manager")
    page = "/settings/calendar"
    assert client.get(page).status_code == 200
    bad = client.post(
        page,
        data={"csrf_token": csrf_token(client, page), "holidays": "2026-13-01", "workdays": ""},
    )
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.get_data(as_text=True)
    both = client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "holidays": "2026-12-24",
            "workdays": "2026-12-24",
        },
    )
    assert both.status_code == 422
    client.post(
        page,
        data={"csrf_token": csrf_token(client, page), "holidays": "2026-12-25", "workdays": ""},
    )
    client.post(page, data={"csrf_token": csrf_token(client, page), "import_year": "2026"})
    settings = services.settings_for(manager.site_id)
    db.session.refresh(settings)
    assert "2026-12-25" in settings.calendar["holidays"]
    assert (
        "2026-10-01" in settings.calendar["holidays"]
        and "2026-02-17" in settings.calendar["holidays"]
    )
    assert "2026-10-10" in settings.calendar["workdays"]
    settings.working_hours = {d: [["08:30", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    settings.time_zone = "Asia/Shanghai"
    db.session.commit()
    from datetime import datetime
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    complaint = care.raise_complaint(
        manager, make_customer(), "Late car", now=datetime(2026, 9, 30, 16, 0, tzinfo=shanghai)
    )
    assert complaint.first_reply_due.astimezone(shanghai) == datetime(
        2026, 10, 8, 11, 30, tzinfo=shanghai
    )

"""A stale edit form never reverts another desk's change: it is refused with a clear message."""

from decimal import Decimal as D

import pytest

from customers import services
from customers.models import Customer
from dealer.errors import RuleBroken
from dealer.extensions import db
from parts import stock
from tests.conftest import csrf_token
from tests.factories import make_customer, make_part, make_user, make_vehicle


def form_fields(page: str) -> dict:
    import re

    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields.update(
        (name, value)
        for value, name in re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="([^"]+)"', page)
    )
    return fields


def test_a_stale_customer_form_does_not_revert_a_new_phone_number(client, login, app):
    customer = make_customer(name="Zhou", phone="13900000001")
    login("advisor")
    stale = client.get(f"/customers/{customer.id}/edit").get_data(as_text=True)
    fields = form_fields(stale)
    assert fields["version"] == str(customer.version)
    other = make_user(roles=["advisor"])
    data = services.customer_input(customer, "CN")
    data.phone = "13900000002"
    services.update_customer(other, customer, data, "CN", version=customer.version)
    db.session.commit()
    response = client.post(
        f"/customers/{customer.id}/edit",
        data={
            "csrf_token": fields["csrf_token"],
            "form_key": fields.get("form_key", ""),
            "version": fields["version"],
            "kind": "person",
            "name": "Zhou Jie",
            "phone": "13900000001",
            "preferred_language": "zh_Hans",
            "preferred_channel": "phone",
        },
    )
    assert response.status_code == 422
    assert "Someone else changed this record" in response.get_data(as_text=True)
    db.session.expire_all()
    kept = db.session.get(Customer, customer.id)
    assert kept.phone == "+8613900000002" and kept.name == "Zhou"


def test_the_api_refuses_a_stale_version_with_409(client, token_for, app):
    customer = make_customer()
    vehicle = make_vehicle(customer=customer)
    headers = token_for("advisor")
    seen = customer.version
    first = client.patch(
        f"/api/v1/customers/{customer.id}",
        json={"name": "New name", "version": seen},
        headers=headers,
    )
    assert first.status_code == 200 and first.json["version"] == seen + 1
    stale = client.patch(
        f"/api/v1/customers/{customer.id}",
        json={"name": "Older name", "version": seen},
        headers=headers,
    )
    assert stale.status_code == 409 and "Someone else changed" in stale.json["detail"]
    moved = client.patch(
        f"/api/v1/vehicles/{vehicle.id}", json={"colour": "Red", "version": 99}, headers=headers
    )
    assert moved.status_code == 409


def test_a_stale_part_edit_is_refused(app):
    part = make_part()
    manager = make_user(roles=["manager"])
    seen = part.version
    stock.update_part(
        manager, part, name="Pads", unit_price=D("70.00"), unit_cost=D("40.00"), genuine=True
    )
    db.session.commit()
    try:
        stock.update_part(
            manager,
            part,
            name="Old pads",
            unit_price=D("60.00"),
            unit_cost=D("40.00"),
            genuine=True,
            version=seen,
        )
    except Exception as exc:
        assert "Someone else changed" in str(exc)
    else:
        raise AssertionError("a stale part edit was applied")


def test_stale_staff_and_settings_pages_are_refused(client, login, app):
    import re

    from dealer import services as dealer_services

    manager = login("manager")
    person = make_user(roles=["advisor"], full_name="Old Name")
    page = client.get(f"/staff/{person.id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = dealer_services.StaffInput(full_name="Newer Name", roles=["advisor"])
    dealer_services.update_user(manager, person, data)
    db.session.commit()
    stale = client.post(
        f"/staff/{person.id}",
        data={
            "csrf_token": csrf_token(client, f"/staff/{person.id}"),
            "version": version,
            "full_name": "Stale Name",
            "roles": ["advisor"],
            "language": "en",
        },
    )
    assert stale.status_code == 422 and "Someone else changed" in stale.get_data(as_text=True)
    db.session.refresh(person)
    assert person.full_name == "Newer Name"

    settings = dealer_services.settings_for(manager.site_id)
    seen = settings.version
    settings.version += 1
    db.session.commit()
    with pytest.raises(RuleBroken, match="Someone else changed"):
        dealer_services.update_settings(
            manager,
            settings,
            dealer_services.SettingsInput(
                dealer_name="Stale",
                address="",
                phone="",
                tax_rate=settings.tax_rate,
                labor_rate=settings.labor_rate,
                currency=settings.currency,
                time_zone=settings.time_zone,
                working_hours=settings.working_hours,
                phone_region=settings.phone_region,
            ),
            version=seen,
        )

"""The front desk's pages: register, find, edit; bad input is refused with the field named."""

import re

import pytest

from customers.models import Customer, Vehicle
from dealer.extensions import db
from dealer.models import AuditEntry
from tests.conftest import csrf_token
from tests.factories import make_customer, make_vehicle, make_vin


def form_post(client, path, data, page=None):
    data = {**data, "csrf_token": csrf_token(client, page or path)}
    return client.post(path, data=data)


def test_advisor_registers_a_customer_and_a_vehicle(login, client):
    user = login("advisor")
    response = form_post(
        client,
        "/customers/new",
        {
            "kind": "person",
            "name": "王伟",
            "phone": "139 1234 5678",
            "preferred_language": "zh_Hans",
            "preferred_channel": "wechat",
            "callback_consent": "y",
        },
    )
    assert response.status_code == 302
    customer = db.session.query(Customer).one()
    assert response.headers["Location"] == f"/customers/{customer.id}/vehicles/new"
    vin = make_vin(1)
    response = form_post(
        client,
        f"/customers/{customer.id}/vehicles/new",
        {
            "vin": vin.lower(),
            "plate": "沪a 12345",
            "make": "Volkswagen",
            "model": "Passat",
            "year": "2021",
            "vehicle_class": "car",
            "odometer_km": "45210",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "王伟" in page and "沪A 12345" in page and vin in page and "139****5678" in page
    assert "139 1234 5678" not in page
    shown = client.post(
        f"/customers/{customer.id}/phone",
        data={"csrf_token": csrf_token(client, f"/customers/{customer.id}")},
    ).get_data(as_text=True)
    assert "139 1234 5678" in shown
    logged = db.session.query(AuditEntry).filter_by(action="view", entity_id=customer.id).one()
    assert logged.user_id == user.id and logged.changes == {"shown": "phone"}
    vehicle = db.session.query(Vehicle).one()
    assert vehicle.odometer_km == 45210


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "phone": "13912345678"}, "name", "Enter the name"),
        ({"name": "x" * 500, "phone": "13912345678"}, "name", "120"),
        ({"name": "Li", "phone": "12345"}, "phone", "not valid"),
        ({"name": "Li", "phone": "13912345678", "email": "nope"}, "email", "e-mail"),
        ({"name": "Li", "phone": "13912345678", "birthday": "not a date"}, "birthday", "date"),
    ],
)
def test_customer_form_refuses_bad_input_naming_the_field(login, client, data, field, message):
    login("advisor")
    base = {"kind": "person", "preferred_language": "zh_Hans", "preferred_channel": "phone"}
    response = form_post(client, "/customers/new", {**base, **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    block = re.search(rf'id="{field}".*?(?=<div class="mb-3|</form>)', page, re.S).group(0)
    assert "invalid-feedback" in block and message.lower() in block.lower()
    assert db.session.query(Customer).count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"vin": "TOO-SHORT"}, "vin"),
        ({"vin": "1M8GDM9A1KP042788"}, "vin"),
        ({"odometer_km": "forty thousand"}, "odometer_km"),
        ({"odometer_km": "-5"}, "odometer_km"),
        ({"year": "20x1"}, "year"),
        ({"plate": "p" * 50}, "plate"),
    ],
)
def test_vehicle_form_refuses_bad_input_naming_the_field(login, client, data, field):
    login("advisor")
    owner = make_customer()
    base = {
        "vin": make_vin(),
        "plate": "沪A 1",
        "make": "VW",
        "model": "Golf",
        "vehicle_class": "car",
    }
    response = form_post(client, f"/customers/{owner.id}/vehicles/new", {**base, **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'id="{field}"[^>]*is-invalid|is-invalid[^>]*id="{field}"', page)
    assert db.session.query(Vehicle).count() == 0


def test_every_mistake_is_reported_at_once(login, client):
    login("advisor")
    base = {"kind": "person", "preferred_language": "zh_Hans", "preferred_channel": "phone"}
    page = form_post(client, "/customers/new", {**base, "name": "", "phone": "12345"}).get_data(
        as_text=True
    )
    assert "Enter the name." in page and "This phone number is not valid." in page


def test_foreign_vin_warning_is_shown(login, client):
    login("advisor")
    owner = make_customer()
    response = form_post(
        client,
        f"/customers/{owner.id}/vehicles/new",
        {
            "vin": "WVWZZZ1JZXW000001",
            "plate": "沪B 1",
            "make": "VW",
            "model": "Golf",
            "vehicle_class": "car",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "does not require it" in page


def test_search_page_finds_by_plate_with_other_spacing(login, client):
    login("callback")
    wang = make_customer(name="王伟")
    make_vehicle(customer=wang, plate="沪A 12345")
    make_customer(name="Someone Else")
    page = client.get("/customers?q=沪a12 345").get_data(as_text=True)
    assert "王伟" in page and "Someone Else" not in page
    empty = client.get("/customers?q=zzzz").get_data(as_text=True)
    assert "No customer matches" in empty


def test_search_results_are_paginated(login, client):
    login("advisor")
    for n in range(30):
        make_customer(name=f"Fleet {n:02d}")
    first = client.get("/customers?q=fleet").get_data(as_text=True)
    second = client.get("/customers?q=fleet&page=2").get_data(as_text=True)
    assert "Fleet 00" in first and "Fleet 29" not in first
    assert "Fleet 29" in second and "Page 2 of 2" in second


def test_technician_sees_vehicles_with_masked_phone_but_no_customer_pages(login, client):
    login("technician")
    owner = make_customer(phone="13812345678")
    vehicle = make_vehicle(customer=owner)
    page = client.get(f"/vehicles/{vehicle.id}").get_data(as_text=True)
    assert "138****5678" in page and "138 1234 5678" not in page
    assert client.get(f"/customers/{owner.id}").status_code == 403
    assert client.get(f"/vehicles/{vehicle.id}/edit").status_code == 403


def test_edit_customer(login, client):
    login("advisor")
    customer = make_customer(name="Old Name", phone="13912345678")
    page = f"/customers/{customer.id}/edit"
    assert "139 1234 5678" in client.get(page).get_data(as_text=True)
    response = form_post(
        client,
        page,
        {
            "kind": "person",
            "name": "New Name",
            "phone": "13912345678",
            "preferred_language": "en",
            "preferred_channel": "phone",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).name == "New Name"


def test_odometer_correction_through_the_page(login, client):
    login("advisor")
    vehicle = make_vehicle(odometer_km=50000)
    page = f"/vehicles/{vehicle.id}"
    refused = form_post(client, f"{page}/odometer", {"reading_km": "40000"}, page)
    assert refused.status_code == 422
    assert "lower than the last one" in refused.get_data(as_text=True)
    done = form_post(
        client,
        f"{page}/odometer",
        {"reading_km": "40000", "correction": "y", "reason": "typo"},
        page,
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Vehicle, vehicle.id).odometer_km == 40000


def test_transfer_through_the_page(login, client):
    login("advisor")
    vehicle = make_vehicle()
    buyer = make_customer(name="Buyer Person")
    page = f"/vehicles/{vehicle.id}/transfer"
    assert "Buyer Person" in client.get(f"{page}?q=buyer").get_data(as_text=True)
    response = form_post(client, page, {"customer_id": buyer.id, "note": "sold"}, f"{page}?q=buyer")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Vehicle, vehicle.id).customer_id == buyer.id


def test_unknown_records_are_404(login, client):
    login("manager")
    assert client.get("/customers/999999").status_code == 404
    assert client.get("/vehicles/999999").status_code == 404


def test_losing_a_race_on_a_page_is_a_409_page(login, client, monkeypatch):
    login("advisor")
    owner = make_customer()
    vin = make_vin(11)
    make_vehicle(customer=owner, vin=vin)
    monkeypatch.setattr("customers.services.vin_taken", lambda vin, vehicle_id=None: False)
    response = form_post(
        client,
        f"/customers/{owner.id}/vehicles/new",
        {"vin": vin, "plate": "沪A 1", "make": "VW", "model": "Golf", "vehicle_class": "car"},
    )
    assert response.status_code == 409
    assert "at the same moment" in response.get_data(as_text=True)

"""The customers and vehicles API: roles, validation with fields named, history."""

import pytest

from customers.models import Customer
from dealer.extensions import db
from dealer.models import AuditEntry
from tests.factories import make_customer, make_vehicle, make_vin


def test_technician_cannot_create_customers_and_no_token_is_401(client, token_for):
    body = {"name": "王伟", "phone": "13912345678"}
    assert client.post("/api/v1/customers", json=body).status_code == 401
    response = client.post("/api/v1/customers", json=body, headers=token_for("technician"))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 403
    assert db.session.query(Customer).count() == 0


def test_create_customer_and_read_it_back(client, token_for):
    headers = token_for("advisor")
    response = client.post(
        "/api/v1/customers",
        headers=headers,
        json={
            "name": "王伟",
            "phone": "139 1234 5678",
            "preferred_language": "zh_Hans",
        },
    )
    assert response.status_code == 201, response.json
    created = response.json
    assert created["phone"] == created["phone_display"] == "139****5678"
    revealed = client.post(f"/api/v1/customers/{created['id']}/reveal-phone", headers=headers)
    assert revealed.json == {"phone": "+8613912345678", "phone_display": "139 1234 5678"}
    assert created["callback_consent"] is True and created["vip_tier"] is None
    assert created["vehicles"] == []
    again = client.get(f"/api/v1/customers/{created['id']}", headers=headers).json
    assert again["name"] == "王伟"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "13912345678"}, "name"),
        ({"name": "x" * 121, "phone": "13912345678"}, "name"),
        ({"name": "Li", "phone": "12"}, "phone"),
        ({"name": "Li", "phone": "13912345678", "email": "no"}, "email"),
        ({"name": "Li", "phone": "13912345678", "preferred_language": "fr"}, "preferred_language"),
        ({"name": "Li", "phone": "13912345678", "shoe_size": 42}, "shoe_size"),
        ({"name": 5, "phone": "13912345678"}, "name"),
    ],
)
def test_bad_customer_bodies_are_422_naming_the_field(client, token_for, body, field):
    response = client.post("/api/v1/customers", json=body, headers=token_for("advisor"))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]


def test_malformed_json_is_400(client, token_for):
    response = client.post(
        "/api/v1/customers",
        data="{not json",
        headers={**token_for("advisor"), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json["title"] == "Bad request"


def test_patch_customer_changes_only_what_is_sent(client, token_for):
    customer = make_customer(name="Old", phone="13912345678", email="old@example.com")
    headers = token_for("advisor")
    response = client.patch(
        f"/api/v1/customers/{customer.id}",
        headers=headers,
        json={"name": "New", "marketing_consent": True},
    )
    assert response.status_code == 200
    assert response.json["name"] == "New"
    assert response.json["email"] == "old@example.com"
    assert response.json["phone"] == "139****5678"
    assert response.json["marketing_consent"] is True
    bad = client.patch(f"/api/v1/customers/{customer.id}", headers=headers, json={"phone": "1"})
    assert bad.status_code == 422 and "phone" in bad.json["errors"]


def test_customer_list_searches_and_paginates(client, token_for):
    for n in range(30):
        make_customer(name=f"Fleet {n:02d}")
    make_customer(name="Other")
    headers = token_for("callback")
    page = client.get("/api/v1/customers?q=fleet&per_page=20&page=2", headers=headers).json
    assert page["total"] == 30 and page["page"] == 2 and page["per_page"] == 20
    assert [c["name"] for c in page["items"]] == [f"Fleet {n:02d}" for n in range(20, 30)]
    too_many = client.get("/api/v1/customers?per_page=101", headers=headers)
    assert too_many.status_code == 422 and "per_page" in too_many.json["errors"]


def test_unknown_customer_is_404_problem(client, token_for):
    response = client.get("/api/v1/customers/424242", headers=token_for("advisor"))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_register_vehicle_with_vin_checks(client, token_for):
    owner = make_customer()
    headers = token_for("advisor")
    bad = client.post(
        "/api/v1/vehicles",
        headers=headers,
        json={
            "customer_id": owner.id,
            "vin": "1M8GDM9A1KP042788",
            "plate": "沪A1",
            "make": "VW",
            "model": "Golf",
        },
    )
    assert bad.status_code == 422
    assert "check digit" in bad.json["errors"]["vin"][0]
    foreign = client.post(
        "/api/v1/vehicles",
        headers=headers,
        json={
            "customer_id": owner.id,
            "vin": "WVWZZZ1JZXW000001",
            "plate": "沪A1",
            "make": "VW",
            "model": "Golf",
        },
    )
    assert foreign.status_code == 201
    assert foreign.json["warnings"]
    good = client.post(
        "/api/v1/vehicles",
        headers=headers,
        json={
            "customer_id": owner.id,
            "vin": make_vin(5),
            "plate": "沪a 2",
            "make": "VW",
            "model": "Golf",
            "odometer_km": 1200,
        },
    )
    assert good.status_code == 201
    assert good.json["plate"] == "沪A 2" and good.json["odometer_km"] == 1200
    assert good.json["odometer_history"][0]["source"] == "registration"
    assert good.json["owners"][0]["customer"]["id"] == owner.id
    duplicate = client.post(
        "/api/v1/vehicles",
        headers=headers,
        json={
            "customer_id": owner.id,
            "vin": make_vin(5),
            "plate": "沪A3",
            "make": "VW",
            "model": "Golf",
        },
    )
    assert duplicate.status_code == 422
    missing_owner = client.post(
        "/api/v1/vehicles",
        headers=headers,
        json={
            "customer_id": 999999,
            "vin": make_vin(6),
            "plate": "沪A3",
            "make": "VW",
            "model": "Golf",
        },
    )
    assert missing_owner.status_code == 422 and "customer_id" in missing_owner.json["errors"]
    text_odometer = client.post(
        "/api/v1/vehicles",
        headers=headers,
        json={
            "customer_id": owner.id,
            "vin": make_vin(7),
            "plate": "沪A4",
            "make": "VW",
            "model": "Golf",
            "odometer_km": "lots",
        },
    )
    assert text_odometer.status_code == 422 and "odometer_km" in text_odometer.json["errors"]


def test_odometer_endpoint_refuses_lower_reading_unless_corrected(client, token_for):
    vehicle = make_vehicle(odometer_km=50000)
    headers = token_for("advisor")
    lower = client.post(
        f"/api/v1/vehicles/{vehicle.id}/odometer", headers=headers, json={"odometer_km": 40000}
    )
    assert lower.status_code == 409
    assert "lower than the last one" in lower.json["detail"]
    fixed = client.post(
        f"/api/v1/vehicles/{vehicle.id}/odometer",
        headers=headers,
        json={"odometer_km": 40000, "correction": True, "reason": "typo"},
    )
    assert fixed.status_code == 201
    assert fixed.json["odometer_km"] == 40000


def test_technician_reads_vehicles_with_plate_search(client, token_for):
    vehicle = make_vehicle(plate="沪A 12345")
    make_vehicle(plate="京B 99999")
    headers = token_for("technician")
    found = client.get("/api/v1/vehicles?q=沪a12345", headers=headers).json
    assert [v["id"] for v in found["items"]] == [vehicle.id]
    assert client.get(f"/api/v1/vehicles/{vehicle.id}", headers=headers).status_code == 200
    assert client.get("/api/v1/customers", headers=headers).status_code == 403


@pytest.mark.parametrize("role", ["advisor", "callback", "manager"])
def test_phones_are_masked_for_every_role_and_revealed_with_an_audit_entry(client, token_for, role):
    customer = make_customer(phone="13812345678", alt_phone="13987654321")
    headers = token_for(role)
    one = client.get(f"/api/v1/customers/{customer.id}", headers=headers).json
    assert one["phone"] == one["phone_display"] == "138****5678"
    assert one["alt_phone"] == "139****4321"
    listed = client.get("/api/v1/customers?q=13812345678", headers=headers).json["items"]
    assert [c["phone"] for c in listed] == ["138****5678"]
    assert "13812345678" not in client.get("/api/v1/customers", headers=headers).get_data(
        as_text=True
    )
    before = db.session.query(AuditEntry).filter_by(action="view").count()
    revealed = client.post(
        f"/api/v1/customers/{customer.id}/reveal-phone",
        json={"field": "alt_phone"},
        headers=headers,
    )
    assert revealed.status_code == 200 and revealed.json["phone"] == "+8613987654321"
    entries = db.session.query(AuditEntry).filter_by(action="view").all()
    assert len(entries) == before + 1 and entries[-1].changes == {"shown": "alt_phone"}


def test_only_phone_roles_reveal_a_number(client, token_for):
    customer = make_customer(phone="13812345678")
    refused = client.post(
        f"/api/v1/customers/{customer.id}/reveal-phone", headers=token_for("technician")
    )
    assert refused.status_code == 403


def test_idempotency_key_returns_the_first_answer(client, token_for):
    headers = {**token_for("advisor"), "Idempotency-Key": "desk-7-abc"}
    body = {"name": "Once Only", "phone": "13912345678"}
    first = client.post("/api/v1/customers", json=body, headers=headers)
    second = client.post("/api/v1/customers", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    assert second.headers["Idempotent-Replayed"] == "true"
    assert db.session.query(Customer).count() == 1
    reused = client.post(
        "/api/v1/vehicles",
        headers=headers,
        json={
            "customer_id": first.json["id"],
            "vin": make_vin(),
            "plate": "沪A1",
            "make": "VW",
            "model": "Golf",
        },
    )
    assert reused.status_code == 422


def test_losing_a_race_for_a_unique_vin_is_a_clear_409(client, token_for, monkeypatch):
    owner = make_customer()
    vin = make_vin(9)
    make_vehicle(customer=owner, vin=vin)
    monkeypatch.setattr("customers.services.vin_taken", lambda vin, vehicle_id=None: False)
    response = client.post(
        "/api/v1/vehicles",
        headers=token_for("advisor"),
        json={"customer_id": owner.id, "vin": vin, "plate": "沪A9", "make": "VW", "model": "Golf"},
    )
    assert response.status_code == 409
    assert "at the same moment" in response.json["detail"]

"""The work-order API end to end with tokens of each role, and 403/409 for the wrong ones."""

import pytest
from sqlalchemy import select

from care.models import Callback
from dealer.extensions import db
from tests.factories import PHOTO, SIGNATURE_URL, make_user, make_vehicle
from workorders.services import QC_CHECKLIST

ALL_CHECKED = dict.fromkeys(QC_CHECKLIST, True)


@pytest.fixture
def tokens(token_for):
    return {
        "advisor": token_for("advisor"),
        "tech": token_for("technician"),
        "tech2": token_for("technician"),
        "inspector": token_for("inspector"),
        "parts": token_for("parts"),
        "manager": token_for("manager"),
    }


def open_order(client, tokens, vehicle, concern: str = "x") -> dict:
    """Open a work order for ``vehicle`` through the API as the advisor."""
    body = {
        "vehicle_id": vehicle.id,
        "odometer_km": vehicle.odometer_km,
        "fuel_level": 1,
        "concern": concern,
    }
    return ok(client.post("/api/v1/work-orders", headers=tokens["advisor"], json=body), 201)


def ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_a_car_through_the_api(client, tokens):
    vehicle = make_vehicle(odometer_km=30000)
    pads = ok(
        client.post(
            "/api/v1/parts",
            headers=tokens["parts"],
            json={
                "part_number": "04465-33450",
                "name": "Brake pads, front",
                "unit_price": "350.00",
                "unit_cost": "210.00",
            },
        ),
        201,
    )
    ok(
        client.post(
            f"/api/v1/parts/{pads['id']}/receipts",
            headers=tokens["parts"],
            json={"quantity": 4, "unit_cost": "210.00"},
        ),
        201,
    )

    assert (
        client.post(
            "/api/v1/work-orders",
            headers=tokens["tech"],
            json={
                "vehicle_id": vehicle.id,
                "odometer_km": 30500,
                "fuel_level": 0.5,
                "concern": "x",
            },
        ).status_code
        == 403
    )
    order = ok(
        client.post(
            "/api/v1/work-orders",
            headers=tokens["advisor"],
            json={
                "vehicle_id": vehicle.id,
                "odometer_km": 30500,
                "fuel_level": 0.5,
                "concern": "Squeal when braking, cold mornings",
            },
        ),
        201,
    )
    assert order["number"].startswith("WO-") and order["status"] == "intake"
    oid = order["id"]
    early = client.post(
        f"/api/v1/work-orders/{oid}/transitions",
        headers=tokens["advisor"],
        json={"to": "estimating"},
    )
    assert early.status_code == 409 and "intake inspection" in early.get_json()["detail"]

    order = ok(
        client.put(
            f"/api/v1/work-orders/{oid}/inspection",
            headers=tokens["advisor"],
            json={
                "panels": [{"panel": "left_front_door", "damage": "scratch", "note": "10 cm"}],
                "belongings": ["spare wheel", "umbrella"],
                "warning_lights": ["tpms"],
                "symptoms": {"engine_temperature": "cold", "speed": "under 30 km/h"},
                "acknowledged_by": "Wang Wei",
            },
        )
    )
    assert order["inspection"]["panels"][0]["panel"] == "left_front_door"
    assert order["status"] == "estimating"
    brakes = ok(
        client.post(
            f"/api/v1/work-orders/{oid}/jobs",
            headers=tokens["advisor"],
            json={
                "title": "Replace front brake pads",
                "labor_hours": 1.2,
                "category": "minor_repair",
            },
        ),
        201,
    )
    wash = ok(
        client.post(
            f"/api/v1/work-orders/{oid}/jobs",
            headers=tokens["advisor"],
            json={"title": "Underbody wash", "labor_hours": "0.5", "category": "minor_repair"},
        ),
        201,
    )
    assert brakes["status"] == "pending" and brakes["labor_hours"] == 1.2
    line = ok(
        client.post(
            f"/api/v1/work-orders/{oid}/parts",
            headers=tokens["advisor"],
            json={"part_number": "04465 33450", "quantity": 1, "job_id": brakes["id"]},
        ),
        201,
    )
    assert line["amount"] == "350.00" and line["condition"] == "new_genuine"
    order = ok(client.get(f"/api/v1/work-orders/{oid}", headers=tokens["advisor"]))
    assert order["totals"] == {
        "labor": "340.00",
        "sublet": "0.00",
        "discount": "0.00",
        "parts": "350.00",
        "tax": "89.70",
        "total": "779.70",
        "warranty": "0.00",
        "internal": "0.00",
    }
    ok(
        client.post(
            f"/api/v1/work-orders/{oid}/transitions",
            headers=tokens["advisor"],
            json={"to": "awaiting_approval", "version": order["version"]},
        )
    )

    auth = ok(
        client.post(
            f"/api/v1/work-orders/{oid}/authorizations",
            headers=tokens["advisor"],
            json={
                "approved_job_ids": [brakes["id"]],
                "declined_job_ids": [wash["id"]],
                "authorized_by": "Wang Wei",
                "method": "in_person",
                "signature": SIGNATURE_URL,
                "amount": "666.70",
                "return_old_parts": True,
            },
        ),
        201,
    )
    assert auth["amount_added"] == "666.70"
    order = ok(client.get(f"/api/v1/work-orders/{oid}", headers=tokens["advisor"]))
    assert order["status"] == "in_progress" and order["authorized_amount"] == "666.70"

    board = ok(client.get("/api/v1/jobs?assignee=unassigned", headers=tokens["tech"]))
    assert [j["id"] for j in board["items"]] == [brakes["id"]]
    on = ok(client.post(f"/api/v1/jobs/{brakes['id']}/clock-on", headers=tokens["tech"], json={}))
    assert on["status"] == "in_progress" and on["technician"] is not None
    taken = client.post(f"/api/v1/jobs/{brakes['id']}/clock-on", headers=tokens["tech2"], json={})
    assert taken.status_code == 404, "another technician's job is out of sight"
    extra = ok(
        client.post(
            f"/api/v1/work-orders/{oid}/jobs",
            headers=tokens["tech"],
            json={
                "title": "Replace brake fluid",
                "labor_hours": 0.8,
                "category": "minor_repair",
                "findings": "Fluid dark",
            },
        ),
        201,
    )
    assert extra["status"] == "proposed"
    blocked = client.post(f"/api/v1/jobs/{extra['id']}/clock-on", headers=tokens["tech"], json={})
    assert blocked.status_code == 409 and "not authorized" in blocked.get_json()["detail"]
    above = client.post(f"/api/v1/jobs/{extra['id']}/approve", headers=tokens["advisor"], json={})
    assert above.status_code == 409
    order = ok(client.get(f"/api/v1/work-orders/{oid}", headers=tokens["advisor"]))
    assert order["proposed_totals"]["total"] == "180.80"
    ok(
        client.post(
            f"/api/v1/work-orders/{oid}/authorizations",
            headers=tokens["advisor"],
            json={
                "approved_job_ids": [extra["id"]],
                "authorized_by": "Wang Wei",
                "method": "phone",
                "phone": "139 1234 5678",
                "amount": "847.50",
            },
        ),
        201,
    )

    tech_view = ok(client.get(f"/api/v1/work-orders/{oid}", headers=tokens["tech"]))
    assert tech_view["number"] == order["number"]
    ok(client.post(f"/api/v1/jobs/{brakes['id']}/clock-off", headers=tokens["tech"], json={}))
    ok(client.post(f"/api/v1/jobs/{brakes['id']}/complete", headers=tokens["tech"], json={}))
    ok(client.post(f"/api/v1/jobs/{extra['id']}/clock-on", headers=tokens["tech"], json={}))
    ok(client.post(f"/api/v1/jobs/{extra['id']}/complete", headers=tokens["tech"], json={}))
    order = ok(client.get(f"/api/v1/work-orders/{oid}", headers=tokens["advisor"]))
    assert order["status"] == "quality_check"

    assert (
        client.post(
            f"/api/v1/work-orders/{oid}/qc",
            headers=tokens["tech"],
            json={"passed": True, "checklist": ALL_CHECKED},
        ).status_code
        == 403
    )
    ok(
        client.post(
            f"/api/v1/work-orders/{oid}/qc",
            headers=tokens["inspector"],
            json={"passed": True, "checklist": ALL_CHECKED},
        ),
        201,
    )
    order = ok(client.get(f"/api/v1/work-orders/{oid}", headers=tokens["advisor"]))
    assert order["status"] == "ready" and order["totals"]["total"] == "847.50"
    short = client.post(
        f"/api/v1/work-orders/{oid}/handover",
        headers=tokens["advisor"],
        json={"payment_method": "card", "amount_paid": "800.00", "received_by": "Wang Wei"},
    )
    assert short.status_code == 409
    done = ok(
        client.post(
            f"/api/v1/work-orders/{oid}/handover",
            headers=tokens["advisor"],
            json={
                "payment_method": "mobile_payment",
                "amount_paid": "847.50",
                "received_by": "Wang Wei",
                "old_parts_returned": True,
            },
        )
    )
    assert done["status"] == "delivered"
    assert all(j["warranty_until"] for j in done["jobs"] if j["status"] == "done")
    assert [h["to_status"] for h in done["history"]][-1] == "delivered"
    kinds = {
        c.kind for c in db.session.scalars(select(Callback).where(Callback.work_order_id == oid))
    }
    assert kinds == {"satisfaction", "declined_work"}
    history = ok(client.get(f"/api/v1/vehicles/{vehicle.id}", headers=tokens["advisor"]))[
        "service_history"
    ]
    assert [(v["number"], v["status"]) for v in history] == [(order["number"], "delivered")]


def test_wrong_roles_and_stale_versions(client, tokens):
    vehicle = make_vehicle()
    order = open_order(client, tokens, vehicle, "Service")
    oid = order["id"]
    cancel = {"to": "cancelled", "reason": "no"}
    assert (
        client.post(
            f"/api/v1/work-orders/{oid}/transitions", headers=tokens["inspector"], json=cancel
        ).status_code
        == 403
    )
    stale = client.post(
        f"/api/v1/work-orders/{oid}/transitions",
        headers=tokens["advisor"],
        json={**cancel, "version": order["version"] + 5},
    )
    assert stale.status_code == 409 and "Reload" in stale.get_json()["detail"]
    assert (
        client.post(
            f"/api/v1/work-orders/{oid}/jobs",
            headers=tokens["parts"],
            json={"title": "x", "labor_hours": 1, "category": "minor_repair"},
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/work-orders/{oid}", headers=tokens["tech"]).status_code == 404
    assert client.get("/api/v1/work-orders", headers=tokens["tech"]).get_json()["total"] == 0
    assert client.get("/api/v1/work-orders", headers=tokens["inspector"]).get_json()["total"] == 1
    ok(
        client.post(
            f"/api/v1/work-orders/{oid}/transitions", headers=tokens["advisor"], json=cancel
        )
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "labor_hours": 201, "category": "minor_repair"}, "labor_hours"),
        ({"title": "x", "labor_hours": -1, "category": "minor_repair"}, "labor_hours"),
        ({"title": "x", "labor_hours": "lots", "category": "minor_repair"}, "labor_hours"),
        ({"title": "x", "labor_hours": 1, "category": "paint"}, "category"),
        (
            {
                "title": "x",
                "labor_hours": 1,
                "category": "minor_repair",
                "labor_rate": "10000000.01",
            },
            "labor_rate",
        ),
        (
            {"title": "x", "labor_hours": 1, "category": "minor_repair", "labor_rate": "200.555"},
            "labor_rate",
        ),
    ],
)
def test_absurd_job_input_is_422_naming_the_field(client, tokens, body, field):
    vehicle = make_vehicle()
    order = open_order(client, tokens, vehicle, "x")
    response = client.post(
        f"/api/v1/work-orders/{order['id']}/jobs", headers=tokens["advisor"], json=body
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_absurd_part_quantities_and_prices(client, tokens):
    vehicle = make_vehicle()
    ok(
        client.post(
            "/api/v1/parts",
            headers=tokens["parts"],
            json={"part_number": "X1", "name": "X", "unit_price": "1.00"},
        ),
        201,
    )
    order = open_order(client, tokens, vehicle, "x")
    job = ok(
        client.post(
            f"/api/v1/work-orders/{order['id']}/jobs",
            headers=tokens["advisor"],
            json={"title": "x", "labor_hours": 1, "category": "minor_repair"},
        ),
        201,
    )
    for body, field in (
        ({"quantity": 1001}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1, "unit_price": "10000001"}, "unit_price"),
        ({"quantity": 1, "part_number": "NOPE"}, "part_number"),
    ):
        payload = {"part_number": "X1", "job_id": job["id"], **body}
        response = client.post(
            f"/api/v1/work-orders/{order['id']}/parts", headers=tokens["advisor"], json=payload
        )
        assert response.status_code == 422 and field in response.get_json()["errors"], payload
    bad_part = client.post(
        "/api/v1/parts",
        headers=tokens["parts"],
        json={"part_number": "X2", "name": "Y", "unit_price": "-1"},
    )
    assert bad_part.status_code == 422 and "unit_price" in bad_part.get_json()["errors"]


def test_orders_only_for_the_vehicle_owners_site(client, tokens):
    response = client.post(
        "/api/v1/work-orders",
        headers=tokens["advisor"],
        json={"vehicle_id": 999999, "odometer_km": 1, "fuel_level": 1, "concern": "x"},
    )
    assert response.status_code == 422 and "vehicle_id" in response.get_json()["errors"]


def test_technician_job_board_lists_own_and_unassigned(client, tokens):
    me = make_user(roles=["technician"])
    assert me.roles == {"technician"}
    board = client.get("/api/v1/jobs?assignee=all", headers=tokens["tech"])
    assert board.status_code == 422


def test_photos_promise_and_common_jobs_through_the_api(client, tokens):
    from io import BytesIO

    vehicle = make_vehicle()
    order = open_order(client, tokens, vehicle, "x")
    png = PHOTO
    photo = ok(
        client.post(
            f"/api/v1/work-orders/{order['id']}/photos",
            headers=tokens["advisor"],
            data={"panel": "hood", "photo": (BytesIO(png), "hood.png")},
            content_type="multipart/form-data",
        ),
        201,
    )
    got = client.get(
        f"/api/v1/work-orders/{order['id']}/photos/{photo['id']}", headers=tokens["inspector"]
    )
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
    assert got.data.startswith(b"\xff\xd8\xff")
    bad = client.post(
        f"/api/v1/work-orders/{order['id']}/photos",
        headers=tokens["advisor"],
        data={"panel": "hood", "photo": (BytesIO(b"GIF89a"), "x.gif")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "photo" in bad.get_json()["errors"]
    promise = ok(
        client.get(
            f"/api/v1/work-orders/{order['id']}/promise-suggestion", headers=tokens["advisor"]
        )
    )
    assert promise["work_hours"] == 0 and "at" in promise
    ok(
        client.post(
            "/api/v1/parts",
            headers=tokens["parts"],
            json={"part_number": "F-1", "name": "Filter", "unit_price": "50.00"},
        ),
        201,
    )
    canned = ok(
        client.post(
            "/api/v1/canned-jobs",
            headers=tokens["manager"],
            json={
                "title": "Oil service",
                "labor_hours": 0.8,
                "category": "level1_maintenance",
                "parts": [{"part_number": "F-1", "quantity": 1}],
            },
        ),
        201,
    )
    assert (
        client.post(
            "/api/v1/canned-jobs",
            headers=tokens["advisor"],
            json={"title": "x", "labor_hours": 1, "category": "minor_repair"},
        ).status_code
        == 403
    )
    job = ok(
        client.post(
            f"/api/v1/work-orders/{order['id']}/canned-jobs",
            headers=tokens["advisor"],
            json={"canned_job_id": canned["id"]},
        ),
        201,
    )
    assert job["title"] == "Oil service" and job["totals"]["parts"] == "50.00"


def test_discounts_and_payments_through_the_api(client, tokens):
    vehicle = make_vehicle()
    order = open_order(client, tokens, vehicle, "x")
    ok(
        client.post(
            f"/api/v1/work-orders/{order['id']}/jobs",
            headers=tokens["advisor"],
            json={
                "title": "Glass",
                "labor_hours": 1,
                "category": "minor_repair",
                "sublet_vendor": "Glass Co.",
                "sublet_price": "300.00",
                "sublet_cost": "200.00",
            },
        ),
        201,
    )
    too_big = client.post(
        f"/api/v1/work-orders/{order['id']}/discounts",
        headers=tokens["advisor"],
        json={"kind": "percent", "value": "20", "reason": "Goodwill"},
    )
    assert too_big.status_code == 409
    detail = ok(
        client.post(
            f"/api/v1/work-orders/{order['id']}/discounts",
            headers=tokens["manager"],
            json={"kind": "percent", "value": "20", "reason": "Goodwill"},
        ),
        201,
    )
    assert detail["totals"]["sublet"] == "300.00" and detail["totals"]["discount"] == "100.00"
    assert detail["totals"]["total"] == "452.00"
    payment = ok(
        client.post(
            f"/api/v1/work-orders/{order['id']}/payments",
            headers=tokens["advisor"],
            json={"payment_method": "cash", "amount": "100.00", "payer": "Owner"},
        ),
        201,
    )
    assert payment["amount"] == "100.00"
    assert (
        ok(client.get(f"/api/v1/work-orders/{order['id']}", headers=tokens["advisor"]))[
            "amount_paid"
        ]
        == "100.00"
    )

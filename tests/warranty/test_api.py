"""The warranty desk over the API (shared/API.md, "Recalls, campaigns, warranty claims,
three-guarantee (三包) watch"): a campaign entered with its cars, its job added to an order,
the claim drafted when the job is done, and its steps with 409 for a step its status does
not allow; the vehicle record carries the open campaigns and the 三包 watch."""

import csv
import io
from datetime import timedelta

import pytest

from dealer.extensions import db
from tests.factories import make_order, make_part, make_user, make_vehicle
from tests.warranty.work import do_the_work
from warranty.terms import site_today


@pytest.fixture
def desk(app, token_for):
    return token_for("warranty"), token_for("advisor")


def test_a_campaign_from_entry_to_paid_claim(client, desk):
    admin, advisor_headers = desk
    make_part(part_number="INF-100", on_hand="3")
    vehicle = make_vehicle(odometer_km=9000)
    refused = client.post(
        "/api/v1/campaigns",
        json={"code": "RC-7", "kind": "promo", "title": "Airbag", "labor_hours": "1.5"},
        headers=admin,
    )
    assert refused.status_code == 422
    made = client.post(
        "/api/v1/campaigns",
        json={
            "code": "RC-7",
            "kind": "recall",
            "title": "Airbag inflator",
            "labor_op": "AB1",
            "labor_hours": "1.5",
            "parts": [{"part_number": "INF-100", "quantity": "1"}],
        },
        headers=admin,
    )
    assert made.status_code == 201, made.get_json()
    campaign = made.get_json()
    assert (
        client.post(
            "/api/v1/campaigns",
            json={"code": "X", "kind": "recall", "title": "t", "labor_hours": "1"},
            headers=advisor_headers,
        ).status_code
        == 403
    )
    added = client.post(
        f"/api/v1/campaigns/{campaign['id']}/vins",
        json={"vins": [vehicle.vin, vehicle.vin, "BAD"]},
        headers=admin,
    )
    assert added.status_code == 201
    assert added.get_json() == {"added": 1, "already": 1, "invalid": ["BAD"]}
    record = client.get(f"/api/v1/vehicles/{vehicle.id}", headers=advisor_headers).get_json()
    assert [c["code"] for c in record["open_campaigns"]] == ["RC-7"]
    assert record["sanbao"]["in_period"] is False
    listed = client.get("/api/v1/campaigns", headers=advisor_headers).get_json()
    assert listed["items"][0]["vins"] == 1 and listed["items"][0]["closed"] == 0

    advisor = make_user(roles=["advisor"])
    order = make_order(advisor=advisor, vehicle=vehicle)
    job = client.post(
        f"/api/v1/work-orders/{order.id}/campaign-jobs",
        json={"campaign_id": campaign["id"]},
        headers=advisor_headers,
    )
    assert job.status_code == 201, job.get_json()
    assert (job.get_json()["pay_type"], job.get_json()["campaign_id"]) == (
        "warranty",
        campaign["id"],
    )
    again = client.post(
        f"/api/v1/work-orders/{order.id}/campaign-jobs",
        json={"campaign_id": campaign["id"]},
        headers=advisor_headers,
    )
    assert again.status_code == 409
    db.session.expire_all()
    do_the_work(order, advisor)
    assert (
        client.get(f"/api/v1/vehicles/{vehicle.id}", headers=advisor_headers).get_json()[
            "open_campaigns"
        ]
        == []
    )

    drafts = client.get("/api/v1/claims?status=draft", headers=admin).get_json()["items"]
    assert len(drafts) == 1
    claim = drafts[0]
    assert (claim["labor_op"], claim["campaign_id"], claim["labor_amount"]) == (
        "AB1",
        campaign["id"],
        "180.00",
    )
    path = f"/api/v1/claims/{claim['id']}"
    assert client.post(f"{path}/accept", json={}, headers=admin).status_code == 409
    submitted = client.post(f"{path}/submit", json={"version": claim["version"]}, headers=admin)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/api/v1/claims/export?status=submitted", headers=admin)
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert [r["claim_id"] for r in rows] == [str(claim["id"])] and rows[0]["campaign"] == "RC-7"
    assert client.post(f"{path}/reject", json={"reason": ""}, headers=admin).status_code == 422
    rejected = client.post(
        f"{path}/reject", json={"reason": "Wrong labor operation"}, headers=admin
    )
    assert rejected.get_json()["status"] == "rejected"
    patched = client.patch(
        path, json={"labor_op": "AB2", "version": rejected.get_json()["version"]}, headers=admin
    )
    assert patched.status_code == 200 and patched.get_json()["labor_op"] == "AB2"
    stale = client.patch(
        path, json={"labor_op": "AB3", "version": rejected.get_json()["version"]}, headers=admin
    )
    assert stale.status_code == 409
    assert client.post(f"{path}/submit", json={}, headers=admin).get_json()["status"] == "submitted"
    today = site_today(order.site_id)
    early = client.post(
        f"{path}/pay",
        json={"amount": "100.00", "paid_on": (today - timedelta(days=3)).isoformat()},
        headers=admin,
    )
    assert early.status_code == 422
    paid = client.post(
        f"{path}/pay", json={"amount": "150.00", "paid_on": today.isoformat()}, headers=admin
    )
    body = paid.get_json()
    assert paid.status_code == 200 and body["status"] == "paid"
    assert (body["total_claimed"], body["paid_amount"], body["short_paid"]) == (
        "226.00",
        "150.00",
        "76.00",
    )
    assert (
        client.post(
            f"{path}/pay", json={"amount": "1.00", "paid_on": today.isoformat()}, headers=admin
        ).status_code
        == 409
    )

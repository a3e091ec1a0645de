"""The care API: callbacks, tries, complaints and the VIP archive over JSON."""

from tests.care.visits import delivered


def test_care_api(app, client, token_for):
    order = delivered(declined=True)
    agent_headers = token_for("callback")
    pool = client.get("/api/v1/callbacks?due=today&assignee=unassigned", headers=agent_headers)
    assert pool.status_code == 200 and pool.json["total"] == 0
    everything = client.get("/api/v1/callbacks?assignee=unassigned", headers=agent_headers).json
    assert {c["kind"] for c in everything["items"]} == {"satisfaction", "declined_work"}
    first = everything["items"][0]
    assert first["customer"]["phone"].count("*") == 0
    answer = client.post(
        f"/api/v1/callbacks/{first['id']}/attempts",
        json={"outcome": "reached", "satisfaction": 2, "complaint": "Noise is back"},
        headers=agent_headers,
    )
    assert answer.status_code == 201 and answer.json["status"] == "done"
    assert answer.json["attempts"][0]["satisfaction"] == 2
    bad = client.post(
        f"/api/v1/callbacks/{first['id']}/attempts",
        json={"outcome": "maybe"},
        headers=agent_headers,
    )
    assert bad.status_code in (409, 422)
    listed = client.get("/api/v1/complaints?open=1", headers=agent_headers).json
    assert listed["total"] == 1
    complaint = listed["items"][0]
    assert complaint["owner"]["username"].startswith("user") and complaint["overdue"] is False
    resolved = client.post(
        f"/api/v1/complaints/{complaint['id']}/resolve",
        json={"root_cause": "workmanship", "resolution": "Refitted the shield"},
        headers=agent_headers,
    )
    assert resolved.status_code == 200 and resolved.json["status"] == "resolved"
    assert client.get("/api/v1/callbacks", headers=token_for("technician")).status_code == 403
    assert client.get("/api/v1/vip", headers=token_for("advisor")).status_code == 200
    dossier = client.get(f"/api/v1/vip/{order.customer_id}", headers=token_for("manager"))
    assert dossier.status_code == 200 and dossier.json["visits"][0]["number"] == order.number

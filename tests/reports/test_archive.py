"""The repair archive: delivered orders of a period as the e-health archive records them."""

import csv
import io
import json
from datetime import date

import pytest

from dealer.errors import DomainError
from dealer.timeutil import local_time
from reports import archive
from tests.conftest import sign_in
from tests.factories import make_user
from tests.workorders.test_documents import visit
from workorders.services import documents


def test_repair_archive_lists_delivered_orders_with_items_and_parts(app, client, token_for):
    order, _ = visit(parts=2)
    visit(deliver=False, prefix="OPEN")
    day = local_time(order.delivered_at, "Asia/Shanghai").date()
    records = archive.archive_records(order.site_id, day, day)
    assert len(records) == 1
    record = records[0]
    settlement = next(d for d in documents.issued_documents(order) if d.kind == "settlement")
    assert record["costlistcode"] == settlement.number
    assert record["vin"] == order.vehicle.vin and record["repairmileage"] == order.odometer_in
    assert {i["repairproject"] for i in record["repairprojectlist"]} == {
        "更换前刹车片",
        "Recall: ECU update",
        "Wiper blades",
    }
    assert [(p["partscode"], p["partsquantity"]) for p in record["partslist"]] == [
        ("PAD-000", "1"),
        ("PAD-001", "1"),
    ]
    rows = list(csv.DictReader(io.StringIO(archive.archive_csv(records).decode("utf-8-sig"))))
    assert len(rows) == 5
    assert {r["costlistcode"] for r in rows} == {settlement.number}
    assert json.loads(archive.archive_json(records)) == records

    headers = token_for("manager")
    api = client.get(f"/api/v1/repair-archive?from={day}&to={day}", headers=headers)
    assert api.status_code == 200 and api.json["items"] == records
    backwards = client.get(f"/api/v1/repair-archive?from={day}&to=2000-01-01", headers=headers)
    assert backwards.status_code == 422 and "to" in backwards.json["errors"]
    assert (
        client.get(
            f"/api/v1/repair-archive?from={day}&to={day}", headers=token_for("technician")
        ).status_code
        == 403
    )

    sign_in(client, make_user(roles=["advisor"]).username)
    page = client.get(f"/repair-archive?start={day}&end={day}")
    assert page.status_code == 200 and settlement.number in page.get_data(as_text=True)
    download = client.get(f"/repair-archive?start={day}&end={day}&format=csv")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data.startswith("\ufeff".encode())
    empty = client.get("/repair-archive?start=2001-01-01&end=2001-01-31")
    assert "No order was delivered" in empty.get_data(as_text=True)
    wrong = client.get(f"/repair-archive?start={day}&end=2000-01-01")
    assert wrong.status_code == 422


def test_archive_period_is_checked():
    with pytest.raises(DomainError) as missing:
        archive.archive_range(None, date(2026, 1, 1))
    assert [f for f, _ in missing.value.errors] == ["from"]
    with pytest.raises(DomainError):
        archive.archive_range(date(2025, 1, 1), date(2026, 6, 1))
    assert archive.archive_range(date(2026, 1, 1), date(2026, 12, 31)) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )

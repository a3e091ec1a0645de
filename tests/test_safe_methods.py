"""No state changes on GET: every page and API read, walked from the URL map with the ids of
real records, leaves every table as it was. Reading personal data may add a ``view`` entry
to the audit log, and the pages open to anyone count their requests for the rate limit
(``public_hits``); nothing else changes."""

import re
from decimal import Decimal

from sqlalchemy import select

from care import complaints as care
from dealer import services
from dealer.extensions import db
from dealer.models import AuditEntry
from tests.conftest import sign_in
from tests.factories import PHOTO, make_authorized_job, make_callback, make_part, make_user
from workorders import services as wo


def snapshot() -> dict[str, list]:
    tables = {}
    for table in db.metadata.sorted_tables:
        if table.name in ("audit_entries", "public_hits"):
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [tuple(row) for row in rows]
    return tables


def test_reading_any_page_or_api_changes_nothing(app, client):
    manager = make_user(roles=["manager"])
    order, job = make_authorized_job(advisor=manager, title="Brakes", amount="5000.00")
    part = make_part()
    wo.add_part_line(manager, order, job, part_number=part.part_number, quantity=Decimal("1"))
    photo = wo.add_photo(manager, order, "hood", PHOTO)
    callback = make_callback(order=order, assignee=manager)
    complaint = care.raise_complaint(manager, order.customer, "Noisy brakes")
    _, token = services.create_token(manager)
    db.session.commit()
    ids = {
        "order_id": order.id,
        "job_id": job.id,
        "part_id": part.id,
        "photo_id": photo.id,
        "callback_id": callback.id,
        "complaint_id": complaint.id,
        "customer_id": order.customer_id,
        "vehicle_id": order.vehicle_id,
        "user_id": manager.id,
    }
    assert sign_in(client, manager.username).status_code == 302
    before = snapshot()
    last_entry = db.session.scalar(select(db.func.max(AuditEntry.id))) or 0

    visited = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "dealer.logout"):
            continue
        path = rule.rule
        for name, value in ids.items():
            path = re.sub(rf"<int:{name}>", str(value), path)
        path = re.sub(r"<any\(([^,)]+)[^>]*\):\w+>", lambda m: m.group(1).strip("'\" "), path)
        path = re.sub(r"<[^>]+>", "x", path)
        api = path.startswith("/api/")
        response = client.get(path, headers={"Authorization": f"Bearer {token}"} if api else {})
        assert response.status_code < 500, path
        visited += 1
    assert visited > 70

    assert snapshot() == before
    added = db.session.scalars(select(AuditEntry).where(AuditEntry.id > last_entry)).all()
    assert {entry.action for entry in added} <= {"view"}

"""The audit log: every change written with who, what, old and new, in the same transaction."""

import pytest
from sqlalchemy import select

from customers import services as customer_services
from dealer.audit import acting_as
from dealer.extensions import db
from dealer.models import AuditEntry
from tests.factories import make_customer, make_user


def entries(entity: str, entity_id: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
    )


def test_create_and_update_are_logged_with_old_and_new_values(app):
    advisor = make_user(roles=["advisor"])
    with acting_as(advisor.id):
        customer = make_customer(name="Old Name", phone="13912345678")
        data = customer_services.customer_input(customer, "CN")
        data.name = "New Name"
        customer_services.update_customer(advisor, customer, data, "CN")
        db.session.commit()
    log = entries("customer", customer.id)
    assert [e.action for e in log] == ["create", "update"]
    assert log[0].user_id == advisor.id
    assert log[0].changes["name"] == [None, "Old Name"]
    assert log[1].changes == {
        "name": ["Old Name", "New Name"],
        "name_key": ["old name", "new name"],
    }


def test_a_rolled_back_change_leaves_no_entry(app):
    customer = make_customer(name="Stays")
    before = len(entries("customer", customer.id))
    customer.name = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert len(entries("customer", customer.id)) == before


def test_password_hashes_never_reach_the_log(app):
    user = make_user(username="desk")
    log = entries("user", user.id)
    assert log[0].changes["password_hash"] == [None, "(changed)"]
    assert "argon2" not in str(log[0].changes)


def test_manager_browses_the_log_per_record(login, client):
    login("manager")
    customer = make_customer(name="Audited Person")
    page = client.get(f"/audit?entity=customer&id={customer.id}").get_data(as_text=True)
    assert "Audited Person" in page and "created" in page


def test_others_cannot_read_the_log(login, client, token_for):
    login("advisor")
    assert client.get("/audit").status_code == 403
    assert client.get("/api/v1/audit", headers=token_for("advisor")).status_code == 403


def test_audit_api_names_the_actor(client, token_for):
    headers = token_for("advisor", username="deskapi")
    created = client.post(
        "/api/v1/customers", json={"name": "Via API", "phone": "13912345678"}, headers=headers
    ).json
    log = client.get(
        f"/api/v1/audit?entity=customer&id={created['id']}", headers=token_for("manager")
    ).json
    assert log["total"] == 1
    assert log["items"][0]["user"]["username"] == "deskapi"
    assert log["items"][0]["changes"]["name"] == [None, "Via API"]


@pytest.mark.parametrize("path", ["/audit", "/api/v1/audit"])
def test_log_cannot_be_changed_through_the_app(app, path):
    rules = [r for r in app.url_map.iter_rules() if r.rule == path]
    assert rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)


LEDGERS = {
    "complaint_events": "user_id",
    "status_changes": "user_id",
    "stock_movements": "user_id",
    "odometer_readings": "recorded_by_id",
    "messages": "queued_by_id",
    "message_opt_outs": "recorded_by_id",
    "message_replies": "from_address",
}
"""Append-only records that name their own author: each is its own log of who did what."""
BOOKKEEPING = {
    "audit_entries",
    "idempotency_keys",
    "number_sequences",
    "login_failures",
    "public_hits",
    "saved_searches",
    "verification_codes",
    "campaign_vins",
}
"""The log itself and the system's own counters (a booking code is a counter of tries,
kept as a hash), and the manufacturer's lists of VINs, loaded by the hundred thousand (the
campaign they belong to is audited, and the delivery that closes a VIN names itself on it)."""


def test_every_table_is_audited_or_a_ledger_naming_its_author(app):
    undecided = []
    for mapper in db.Model.registry.mappers:
        model, table = mapper.class_, mapper.local_table.name
        if getattr(model, "__audit__", False) or table in BOOKKEEPING:
            continue
        if table in LEDGERS:
            assert LEDGERS[table] in mapper.columns, table
            continue
        undecided.append(table)
    assert undecided == []


def test_each_kind_of_change_is_logged_with_who_made_it(app, client, token_for, login):
    from decimal import Decimal

    from dealer import services
    from tests.conftest import csrf_token
    from tests.factories import make_callback, make_order
    from workorders import services as wo

    manager = login("manager")
    _, plain = services.create_token(manager)
    db.session.commit()
    api = {"Authorization": f"Bearer {plain}"}
    order = make_order(advisor=manager)
    job = wo.add_job(
        manager, order, title="Brakes", labor_hours=Decimal("1"), category="minor_repair"
    )
    assert order.status == "estimating"
    callback = make_callback(order=order, assignee=manager)
    db.session.commit()
    start = db.session.scalar(select(db.func.max(AuditEntry.id))) or 0

    calls = [
        (
            "PATCH",
            f"/api/v1/work-orders/{order.id}",
            {"concern": "Grinding", "version": order.version},
        ),
        (
            "POST",
            f"/api/v1/work-orders/{order.id}/authorizations",
            {
                "approved_job_ids": [job.id],
                "authorized_by": "Owner",
                "method": "phone",
                "phone": "13800138000",
                "amount": str(wo.total_if_all_approved(order)),
            },
        ),
        ("POST", "/api/v1/parts", {"part_number": "BP-1", "name": "Pads", "unit_price": "300.00"}),
        (
            "POST",
            f"/api/v1/callbacks/{callback.id}/attempts",
            {"outcome": "reached", "satisfaction": 5},
        ),
        ("POST", "/api/v1/complaints", {"customer_id": order.customer_id, "description": "Noisy"}),
    ]
    for method, path, body in calls:
        response = client.open(path, method=method, json=body, headers=api)
        assert response.status_code in (200, 201), (path, response.json)
    part_id = client.get("/api/v1/parts?q=BP-1", headers=api).json["items"][0]["id"]
    receipt = client.post(
        f"/api/v1/parts/{part_id}/receipts",
        json={"quantity": 4, "unit_cost": "150.00"},
        headers=api,
    )
    assert receipt.status_code == 201
    staff = client.post(
        "/staff/new",
        data={
            "username": "newtech",
            "full_name": "New Tech",
            "password": "a long enough password 1",
            "roles": ["technician"],
            "language": "zh_Hans",
            "csrf_token": csrf_token(client, "/staff/new"),
        },
    )
    assert staff.status_code == 302

    logged = db.session.scalars(select(AuditEntry).where(AuditEntry.id > start)).all()
    by_entity = {}
    for entry in logged:
        by_entity.setdefault(entry.entity, set()).add((entry.action, entry.user_id))
    expected = {
        "work_order": "update",
        "authorization": "create",
        "job": "update",
        "part": "create",
        "callback": "update",
        "call_attempt": "create",
        "complaint": "create",
        "user": "create",
        "user_role": "create",
    }
    for entity, action in expected.items():
        assert (action, manager.id) in by_entity.get(entity, set()), entity
    stock = [e for e in logged if e.entity == "part" and e.action == "update"]
    assert any(e.changes.get("on_hand") == ["0.000", "4.000"] for e in stock)
    assert all(entry.user_id == manager.id for entry in logged)


def test_every_audited_column_and_record_type_has_a_label(app):
    from dealer.audit_labels import ENTITY_LABELS, FIELD_LABELS

    unlabelled = []
    for mapper in db.Model.registry.mappers:
        if not getattr(mapper.class_, "__audit__", False):
            continue
        entity = mapper.class_.__tablename__.removesuffix("s")
        if entity not in ENTITY_LABELS and mapper.class_.__tablename__ not in ENTITY_LABELS:
            unlabelled.append(entity)
        unlabelled += [c.key for c in mapper.column_attrs if c.key not in FIELD_LABELS]
    assert unlabelled == []


def test_the_log_reads_in_the_readers_language_and_the_dealers_time(login, client):
    from datetime import UTC, datetime

    from dealer.audit_labels import describe

    manager = login("manager")
    customer = make_customer(name="王伟")
    with acting_as(manager.id):
        customer.callback_consent = False
        customer.preferred_channel = "wechat"
        customer.last_visit_at = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
        db.session.commit()
    changed = entries("customer", customer.id)[-1]
    rows = {label: after for label, _, after in describe(changed)}
    assert rows["Agrees to callbacks"] == "No"
    assert rows["Preferred channel"] == "WeChat"
    assert "9:30" in rows["Last visit"] and "2026" in rows["Last visit"]
    manager.language = "zh_Hans"
    db.session.commit()
    page = client.get(f"/audit?entity=customer&id={customer.id}").get_data(as_text=True)
    assert "同意回访" in page and "微信" in page and "客户 #" in page
    assert "callback_consent" not in page and "T01:30" not in page

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

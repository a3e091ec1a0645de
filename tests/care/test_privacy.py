"""Erasure reaches what care keeps of a person, and the books stay."""

import json

import pytest

from customers import privacy
from dealer.errors import RuleBroken
from dealer.extensions import db
from dealer.models import AuditEntry
from tests.care.visits import delivered
from tests.factories import make_customer, make_user
from workorders.models import WorkOrder


def test_erasure_anonymizes_the_person_and_keeps_the_books(app):
    manager = make_user(roles=["manager"])
    customer = make_customer(name="Zhang Wei", phone="13912345678", email="zw@example.com")
    order = delivered(customer)
    total = order.final_total
    exported = privacy.export_customer(manager, customer)
    assert exported["customer"]["name"] == "Zhang Wei"
    assert exported["visits"][0]["number"] == order.number
    privacy.erase_customer(manager, customer)
    db.session.commit()
    assert customer.name.startswith("Erased customer") and customer.phone == ""
    assert customer.email is None and not customer.callback_consent
    assert db.session.get(WorkOrder, order.id).final_total == total
    entries = db.session.query(AuditEntry).filter_by(entity="customer", entity_id=customer.id).all()
    text = json.dumps([e.changes for e in entries], ensure_ascii=False)
    assert "Zhang Wei" not in text and "13912345678" not in text and "zw@example.com" not in text
    assert any(e.note == "personal data erased" and e.user_id == manager.id for e in entries)
    with pytest.raises(RuleBroken):
        privacy.erase_customer(manager, customer)

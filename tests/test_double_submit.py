"""A form that makes a record carries a one-time key: sending it twice (a double click, a
reload after the answer, a browser's resend) makes one record, and a submission that failed
leaves the key for the corrected retry."""

import re
from decimal import Decimal

from sqlalchemy import func, select

from care.models import Complaint
from customers.models import Customer
from dealer.extensions import db
from parts.models import Part
from tests.factories import make_customer, make_part

CUSTOMER = {
    "kind": "person",
    "name": "王伟",
    "phone": "139 1234 5678",
    "preferred_language": "zh_Hans",
    "preferred_channel": "wechat",
}


def hidden_fields(client, page: str, action: str) -> dict:
    """The hidden inputs of the form on ``page`` that posts to ``action``."""
    html = client.get(page).get_data(as_text=True)
    forms = re.findall(r"<form([^>]*)>(.*?)</form>", html, re.S)
    posting = [
        body
        for attributes, body in forms
        if f'action="{action}"' in attributes
        or ('method="post"' in attributes and "action=" not in attributes)
    ]
    body = next((b for b in posting if 'name="form_key"' in b), "")
    fields = {}
    for tag in re.findall(r"<input[^>]*>", body):
        if 'type="hidden"' in tag:
            name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_every_form_that_makes_a_record_carries_a_fresh_key(client, login):
    login("manager")
    customer = make_customer()
    part = make_part()
    pages = {
        "/customers/new": "/customers/new",
        f"/parts/{part.id}": f"/parts/{part.id}/receive",
        "/parts/new": "/parts/new",
        "/staff/new": "/staff/new",
        f"/customers/{customer.id}/complaints/new": f"/customers/{customer.id}/complaints/new",
    }
    for page, action in pages.items():
        first = hidden_fields(client, page, action)
        second = hidden_fields(client, page, action)
        assert len(first.get("form_key", "")) >= 20, page
        assert first["form_key"] != second["form_key"], page


def test_a_customer_form_sent_twice_registers_one_customer(client, login):
    login("advisor")
    fields = hidden_fields(client, "/customers/new", "/customers/new")
    first = client.post("/customers/new", data=CUSTOMER | fields)
    assert first.status_code == 302
    again = client.post("/customers/new", data=CUSTOMER | fields)
    assert again.status_code == 422
    assert "This form was sent already" in again.get_data(as_text=True)
    assert count(Customer) == 1
    fresh = hidden_fields(client, "/customers/new", "/customers/new")
    other = CUSTOMER | {"name": "李娜", "phone": "139 8765 4321"}
    assert client.post("/customers/new", data=other | fresh).status_code == 302
    assert count(Customer) == 2


def test_a_refused_form_keeps_its_key_for_the_corrected_retry(client, login):
    login("advisor")
    fields = hidden_fields(client, "/customers/new", "/customers/new")
    wrong = client.post("/customers/new", data=CUSTOMER | fields | {"phone": "12"})
    assert wrong.status_code == 422 and count(Customer) == 0
    fixed = client.post("/customers/new", data=CUSTOMER | fields)
    assert fixed.status_code == 302 and count(Customer) == 1


def test_a_stock_receipt_sent_twice_is_counted_once(client, login):
    login("parts")
    part = make_part(on_hand="10")
    action = f"/parts/{part.id}/receive"
    fields = hidden_fields(client, f"/parts/{part.id}", action)
    receipt = fields | {"quantity": "6", "unit_cost": "40.00", "supplier": "FAW"}
    client.post(action, data=receipt)
    client.post(action, data=receipt)
    db.session.expire_all()
    assert db.session.get(Part, part.id).on_hand == Decimal("16")


def test_a_complaint_sent_twice_is_raised_once(client, login):
    login("advisor")
    customer = make_customer()
    page = f"/customers/{customer.id}/complaints/new"
    fields = hidden_fields(client, page, page)
    complaint = fields | {"description": "Still squeals", "channel": "phone"}
    assert client.post(page, data=complaint).status_code == 302
    assert client.post(page, data=complaint).status_code == 422
    assert count(Complaint) == 1


def test_spent_keys_are_forgotten_after_a_week(client, login):
    from datetime import timedelta

    from dealer.models import IdempotencyKey
    from dealer.types import utcnow

    user = login("advisor")
    old = IdempotencyKey(
        user_id=user.id,
        key="form:old",
        request="POST /customers/new",
        status=303,
        body={},
        created_at=utcnow() - timedelta(days=8),
    )
    api = IdempotencyKey(
        user_id=user.id,
        key="api-key",
        request="POST /api/v1/customers",
        status=201,
        body={},
        created_at=utcnow() - timedelta(days=8),
    )
    db.session.add_all([old, api])
    db.session.commit()
    fields = hidden_fields(client, "/customers/new", "/customers/new")
    assert client.post("/customers/new", data=CUSTOMER | fields).status_code == 302
    keys = db.session.scalars(select(IdempotencyKey.key)).all()
    assert "form:old" not in keys and "api-key" in keys and len(keys) == 2

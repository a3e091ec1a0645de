"""The SMS gateway's receipts and the customers' replies, signed, through the pages."""

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from care import outbox
from care.models import MessageReply, OptOut
from dealer.extensions import db
from dealer.types import clock_at
from tests.care.servers import Gateway
from tests.factories import make_order

SECRET = "gateway-secret"
NOON = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)


@pytest.fixture
def hooks(app, client):
    app.config["SMS_WEBHOOK_SECRET"] = SECRET
    yield client
    del app.config["SMS_WEBHOOK_SECRET"]


def post(client, path: str, body: dict, secret: str = SECRET):
    raw = json.dumps(body, ensure_ascii=False).encode()
    signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(
        path, data=raw, headers={"Content-Type": "application/json", "X-Signature": signature}
    )


def test_a_delivery_receipt_marks_the_message_delivered(hooks):
    order = make_order()
    with Gateway() as gateway, clock_at(NOON):
        message = outbox.queue_message(order.customer, "order_received", order=order)
        db.session.commit()
        outbox.flush({"SMS_GATEWAY_URL": gateway.url})
    answer = post(hooks, "/hooks/sms/status", {"id": str(message.id), "status": "delivered"})
    assert answer.status_code == 200
    db.session.refresh(message)
    assert message.status == "delivered" and message.delivered_at is not None


def test_a_bad_or_missing_signature_is_refused(hooks, app):
    order = make_order()
    with clock_at(NOON):
        message = outbox.queue_message(order.customer, "order_received", order=order)
        db.session.commit()
    body = {"id": str(message.id), "status": "delivered"}
    assert post(hooks, "/hooks/sms/status", body, secret="wrong").status_code == 403
    assert hooks.post("/hooks/sms/status", json=body).status_code == 403
    assert post(hooks, "/hooks/sms/inbound", {"from": "x", "text": "TD"}, "no").status_code == 403
    del app.config["SMS_WEBHOOK_SECRET"]
    assert post(hooks, "/hooks/sms/status", body).status_code == 403
    app.config["SMS_WEBHOOK_SECRET"] = SECRET
    db.session.refresh(message)
    assert message.status == "queued"


def test_a_reply_lands_on_the_customers_page_and_td_opts_the_number_out(hooks, login):
    order = make_order()
    customer = order.customer
    national = customer.phone.removeprefix("+86")
    assert (
        post(hooks, "/hooks/sms/inbound", {"from": national, "text": "几点能取车？"}).status_code
        == 201
    )
    answer = post(hooks, "/hooks/sms/inbound", {"from": customer.phone, "text": "退订"})
    assert answer.status_code == 201 and answer.get_json() == {"opted_out": True}
    replies = db.session.scalars(select(MessageReply).order_by(MessageReply.id)).all()
    assert [(r.customer_id, r.text) for r in replies] == [
        (customer.id, "几点能取车？"),
        (customer.id, "退订"),
    ]
    [stop] = db.session.scalars(select(OptOut)).all()
    assert stop.address == customer.phone and stop.customer_id == customer.id
    customer.callback_consent = True
    with clock_at(NOON):
        survey = outbox.queue_message(customer, "thank_you_survey", order=order)
        ready = outbox.queue_message(customer, "ready_for_pickup", order=order)
    assert survey.status == "suppressed" and ready.status == "queued"
    db.session.commit()
    login("advisor")
    page = hooks.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "几点能取车？" in page and "“退订”" in page

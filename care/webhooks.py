"""What the SMS gateway tells us back (shared/API.md, "Messages"): delivery receipts and
the customers' replies, each signed ``X-Signature: hex(HMAC-SHA256(SMS_WEBHOOK_SECRET,
raw body))``. A body without the right signature is refused, and so is every body when no
secret is set. A reply of ``TD``, ``T``, ``STOP`` or ``退订`` opts the number out of every
message but those about the customer's own car."""

import hashlib
import hmac
import json

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import select

from care.models import Message, MessageReply, OptOut
from customers.models import Customer
from dealer import services
from dealer.auth import public
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.phones import normalize_phone
from dealer.types import utcnow

bp = Blueprint("webhooks", __name__, url_prefix="/hooks")

STOP_WORDS = frozenset({"TD", "T", "STOP", "退订"})
RECEIPTS = {"delivered": "delivered", "failed": "failed", "undelivered": "failed"}
"""The gateway's receipt statuses, as the outbox keeps them."""


def signed_body() -> dict:
    """The request's JSON body, once its signature is checked: 403 when it is wrong."""
    secret = current_app.config.get("SMS_WEBHOOK_SECRET")
    raw = request.get_data(cache=True)
    given = request.headers.get("X-Signature", "")
    if not secret:
        abort(403)
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given.strip().lower()):
        abort(403)
    try:
        body = json.loads(raw)
    except ValueError:
        abort(400)
    if not isinstance(body, dict):
        abort(400)
    return body


@bp.post("/sms/status")
@public
def sms_status():
    body = signed_body()
    status = RECEIPTS.get(str(body.get("status", "")).lower())
    message_id = str(body.get("id", ""))
    if status is None or not message_id.isdigit():
        abort(400)
    message = db.session.get(Message, int(message_id))
    if message is None or message.channel != "sms":
        abort(404)
    if message.status in ("sent", "delivered", "queued"):
        message.status = status
        if status == "delivered":
            message.delivered_at = utcnow()
        else:
            message.failed_at, message.error = utcnow(), "The gateway could not deliver it."
    db.session.commit()
    return jsonify(id=message.id, status=message.status)


def _number(raw: str) -> str:
    try:
        return normalize_phone(raw, "CN", field="from")
    except DomainError:
        return raw.strip()[:200]


@bp.post("/sms/inbound")
@public
def sms_inbound():
    body = signed_body()
    sender, text = str(body.get("from", "")).strip(), str(body.get("text", "")).strip()
    if not sender or not text:
        abort(400)
    number = _number(sender)
    customers = db.session.scalars(select(Customer).where(Customer.phone == number)).all()
    sites = {c.site_id: c for c in customers} or {services.default_site().id: None}
    stop = text.upper() in STOP_WORDS
    for site_id, customer in sites.items():
        db.session.add(
            MessageReply(
                site_id=site_id,
                customer_id=customer.id if customer else None,
                channel="sms",
                from_address=number,
                text=text[:2000],
            )
        )
        if stop and not db.session.scalar(
            select(OptOut).where(
                OptOut.site_id == site_id, OptOut.channel == "sms", OptOut.address == number
            )
        ):
            db.session.add(
                OptOut(
                    site_id=site_id,
                    customer_id=customer.id if customer else None,
                    channel="sms",
                    address=number,
                    said=text[:200],
                )
            )
    db.session.commit()
    return jsonify(opted_out=stop), 201

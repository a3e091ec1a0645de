"""A customer's personal data: who looked at a full phone number, export, erasure.

Phone numbers show masked (138****5678); the callback agent's call list
shows them in full for the call. Anywhere else a full number is shown on
request, and each such showing is written to the audit log. Erasure
anonymizes the person (name, phones, e-mail, address, birthday, notes)
and redacts those values in earlier audit entries; work orders and their
amounts stay for the books. The erasure itself is audited.
"""

import io
import json
import zipfile
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from customers.models import Customer
from dealer.audit import current_actor_id
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.hooks import Hook
from dealer.models import AuditEntry, User
from dealer.roles import MANAGER, PHONE_ROLES
from dealer.services import require_role
from dealer.types import utcnow

PERSONAL = (
    "name",
    "name_key",
    "phone",
    "phone_digits",
    "alt_phone",
    "email",
    "address",
    "contact_name",
    "contact_phone",
    "birthday",
    "notes",
    "preferred_time",
)
REDACTED = "(erased)"
PHONE_FIELDS = ("phone", "alt_phone", "contact_phone")

ERASERS = Hook(
    "customer-erased",
    "Called with ``actor`` and the customer while the customer's data is erased.",
)
"""What departments above this one keep of a person, and erase with the customer: each
registers a function here in the app factory (work orders: names, numbers and signatures
in authorizations, handovers and intake records, and the issued papers; care: what was said
on calls and in complaints)."""
EXPORTERS = Hook(
    "customer-exported",
    "Each receiver returns its part of the customer's data and its files by name.",
)
"""Likewise for the export: each returns its part of the data and its files by name."""


def plain(value):
    """A value as JSON holds it: dates and times in ISO 8601."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def redact_audit(entity: str, ids: Iterable[int], names: Iterable[str]) -> None:
    """Replace the values of ``names`` in the audit entries of these records."""
    ids, names = list(ids), set(names)
    if not ids:
        return
    for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id.in_(ids))
    ):
        changes = dict(entry.changes or {})
        touched = False
        for name in names & set(changes):
            if isinstance(changes[name], list):
                changes[name] = [REDACTED if v not in (None, "") else v for v in changes[name]]
                touched = True
        if touched:
            entry.changes = changes


def reveal_phone(actor: User, customer: Customer, field_name: str = "phone") -> str:
    """The full number, written to the audit log as shown to ``actor``."""
    require_role(actor, *PHONE_ROLES)
    if field_name not in PHONE_FIELDS:
        raise DomainError(_l("Unknown phone field."), "field")
    db.session.add(
        AuditEntry(
            site_id=customer.site_id,
            user_id=actor.id,
            action="view",
            entity="customer",
            entity_id=customer.id,
            changes={"shown": field_name},
            note="phone number shown in full",
        )
    )
    db.session.flush()
    return getattr(customer, field_name) or ""


def export_customer(actor: User, customer: Customer) -> dict:
    """Everything kept about a customer, as JSON-ready data (data subject access)."""
    require_role(actor, MANAGER)
    fields = (
        "id kind name phone alt_phone email address contact_name contact_phone "
        "preferred_language preferred_channel preferred_time callback_consent "
        "marketing_consent birthday notes vip_tier created_at"
    ).split()

    data = {
        "customer": {name: plain(getattr(customer, name)) for name in fields},
        "vehicles": [
            {
                "vin": v.vin,
                "plate": v.plate,
                "make": v.make,
                "model": v.model,
                "year": v.year,
                "odometer_km": v.odometer_km,
            }
            for v in customer.vehicles
        ],
        "visits": [
            {
                "number": o.number,
                "received_at": plain(o.received_at),
                "status": o.status,
                "concern": o.concern,
                "total": str(o.final_total) if o.final_total is not None else None,
            }
            for o in customer.visits
        ],
    }
    db.session.add(
        AuditEntry(
            site_id=customer.site_id,
            user_id=actor.id,
            action="view",
            entity="customer",
            entity_id=customer.id,
            changes={"exported": True},
            note="customer data exported",
        )
    )
    db.session.flush()
    return data


def export_archive(actor: User, customer: Customer) -> bytes:
    """Everything kept about the person in one zip: ``customer.json`` with the data, and the
    signatures, photos and issued papers as files beside it."""
    data = export_customer(actor, customer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for export in EXPORTERS:
            part, files = export(customer)
            data.update(part)
            for name, content in files.items():
                archive.writestr(name, content)
        archive.writestr(
            "customer.json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        )
    return out.getvalue()


def erase_customer(actor: User, customer: Customer) -> Customer:
    """Anonymize the person; orders and amounts stay. Earlier audit entries are redacted."""
    require_role(actor, MANAGER)
    if customer.erased_at is not None:
        raise RuleBroken(_l("This customer's data is already erased."))
    customer.name = str(_l("Erased customer %(id)s", id=customer.id))
    customer.name_key = customer.name.casefold()
    customer.phone = customer.phone_digits = ""
    for name in ("alt_phone", "email", "address", "contact_name", "contact_phone"):
        setattr(customer, name, None)
    customer.birthday = customer.notes = customer.preferred_time = None
    customer.callback_consent = customer.marketing_consent = False
    customer.vip_tier, customer.vip_manual, customer.vip_reason = None, False, None
    customer.erased_at = utcnow()
    ERASERS(actor, customer)
    redact_audit("customer", [customer.id], PERSONAL)
    db.session.add(
        AuditEntry(
            site_id=customer.site_id,
            user_id=actor.id or current_actor_id(),
            action="update",
            entity="customer",
            entity_id=customer.id,
            changes={"erased": [None, True]},
            note="personal data erased",
        )
    )
    db.session.flush()
    return customer

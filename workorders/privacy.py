"""What a work order keeps of a person, reached by the customer's export and erasure.

Authorizations keep who authorized and the number called, with the signature; the handover
keeps who took the car and their signature; the intake record (each version the customer
acknowledged) keeps the name and signature; payments keep the payer; the issued papers
print them. Erasure redacts every one of these, deletes the signature images, and lays the
issued papers out again from the redacted records, with their numbers and amounts. The
export gives them back as data and files.
"""

import hashlib
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from customers.models import Customer
from customers.privacy import REDACTED, redact_audit
from dealer.database import redacting
from dealer.extensions import db
from dealer.models import User
from workorders.models import (
    Authorization,
    Inspection,
    InspectionPhoto,
    InspectionVersion,
    Payment,
    WorkOrder,
)
from workorders.services import documents

LAYOUTS = {"settlement": "invoice", "certificate": "certificate"}


def _orders(customer: Customer) -> list[WorkOrder]:
    return list(
        db.session.scalars(
            select(WorkOrder)
            .where(WorkOrder.customer_id == customer.id)
            .order_by(WorkOrder.id)
            .options(
                selectinload(WorkOrder.authorizations),
                selectinload(WorkOrder.payments),
                selectinload(WorkOrder.photos),
                selectinload(WorkOrder.inspection).selectinload(Inspection.versions),
            )
        )
    )


def _storage() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def _delete(relative: str | None) -> None:
    if relative:
        (_storage() / relative).unlink(missing_ok=True)


def erase_work_order_data(actor: User | None, customer: Customer) -> None:
    """Redact the person from the customer's orders, their signatures and issued papers."""
    orders = _orders(customer)
    authorizations = [a for o in orders for a in o.authorizations]
    payments = [p for o in orders for p in o.payments]
    inspections = [o.inspection for o in orders if o.inspection is not None]
    versions = [v for i in inspections for v in i.versions]
    with redacting(db.session):
        for authorization in authorizations:
            _delete(authorization.signature_file)
            authorization.authorized_by = REDACTED
            authorization.phone = None
            authorization.signature_file = None
        for record in (*inspections, *versions):
            _delete(record.signature_file)
            if record.acknowledged_by:
                record.acknowledged_by = REDACTED
            record.signature_file = None
        for order in orders:
            _delete(order.handover_signature)
            order.handover_signature = None
            if order.received_by:
                order.received_by = REDACTED
        for payment in payments:
            if payment.payer:
                payment.payer = REDACTED
        db.session.flush()
    redact_audit("authorization", [a.id for a in authorizations], ("authorized_by", "phone"))
    redact_audit("inspection", [i.id for i in inspections], ("acknowledged_by",))
    redact_audit("inspection_version", [v.id for v in versions], ("acknowledged_by",))
    redact_audit("work_order", [o.id for o in orders], ("received_by",))
    redact_audit("payment", [p.id for p in payments], ("payer",))
    for order in orders:
        _reissue(order)


def _reissue(order: WorkOrder) -> None:
    """Lay the order's issued papers out again from its redacted records: same numbers,
    same amounts, without the person."""
    for issued in documents.issued_documents(order):
        data = documents.render(order, LAYOUTS[issued.kind])
        _delete(issued.path)
        relative = Path(issued.path or f"documents/{order.id}/{issued.kind}.pdf")
        relative = relative.with_name(f"{relative.stem}-redacted.pdf")
        target = _storage() / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        issued.path, issued.size = str(relative), len(data)
        issued.sha256 = hashlib.sha256(data).hexdigest()
    db.session.flush()


def export_work_order_data(customer: Customer) -> tuple[dict, dict[str, bytes]]:
    """The customer's authorizations, payments, intake acknowledgements and handovers, with
    the signatures, photos and issued papers as files."""
    files: dict[str, bytes] = {}

    def keep(folder: str, relative: str | None) -> str | None:
        if not relative:
            return None
        path = _storage() / relative
        if not path.is_file():
            return None
        name = f"{folder}/{Path(relative).name}"
        files[name] = path.read_bytes()
        return name

    orders = []
    for order in _orders(customer):
        inspection = order.inspection
        intake = []
        if inspection is not None:
            for record in (*inspection.versions, inspection):
                if isinstance(record, InspectionVersion) or record.acknowledged:
                    intake.append(
                        {
                            "version": record.version,
                            "acknowledged_by": record.acknowledged_by,
                            "acknowledged_at": _iso(record.acknowledged_at),
                            "signature": keep("signatures", record.signature_file),
                        }
                    )
        orders.append(
            {
                "number": order.number,
                "authorizations": [_authorization(a, keep) for a in order.authorizations],
                "payments": [_payment(p) for p in order.payments],
                "intake_acknowledgements": intake,
                "handover": {
                    "received_by": order.received_by,
                    "delivered_at": _iso(order.delivered_at),
                    "signature": keep("signatures", order.handover_signature),
                },
                "photos": [_photo(p, keep) for p in order.photos],
                "papers": [
                    {"kind": d.kind, "number": d.number, "file": keep("papers", d.path)}
                    for d in documents.issued_documents(order)
                ],
            }
        )
    return {"work_orders": orders}, files


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _authorization(a: Authorization, keep) -> dict:
    return {
        "at": _iso(a.at),
        "authorized_by": a.authorized_by,
        "method": a.method,
        "phone": a.phone,
        "amount": str(a.amount),
        "approved_job_ids": a.approved_job_ids,
        "declined_job_ids": a.declined_job_ids,
        "signature": keep("signatures", a.signature_file),
    }


def _payment(p: Payment) -> dict:
    return {
        "at": _iso(p.at),
        "method": p.method,
        "amount": str(p.amount),
        "change_given": str(p.change_given) if p.change_given is not None else None,
        "payer": p.payer,
    }


def _photo(photo: InspectionPhoto, keep) -> dict:
    return {"panel": photo.panel, "taken_at": _iso(photo.at), "file": keep("photos", photo.path)}

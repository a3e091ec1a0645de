"""What after-sales care keeps of a person, reached by the customer's export and erasure:
the callbacks with what was said on each try, and the complaints with their events. Erasure
cancels the open calls and redacts the notes and the complaints' text; the export gives them
back as data."""

from sqlalchemy import select

from care.models import CallAttempt, Callback, Complaint, ComplaintEvent
from customers.models import Customer
from customers.privacy import REDACTED, plain, redact_audit
from dealer.extensions import db
from dealer.models import User
from dealer.types import utcnow


def export_care_data(customer: Customer) -> tuple[dict, dict[str, bytes]]:
    """The customer's callbacks and complaints, as JSON-ready data (no files)."""
    callbacks = db.session.scalars(
        select(Callback).where(Callback.customer_id == customer.id).order_by(Callback.id)
    ).all()
    complaints = db.session.scalars(
        select(Complaint).where(Complaint.customer_id == customer.id).order_by(Complaint.id)
    ).all()
    data = {
        "callbacks": [
            {
                "kind": c.kind,
                "due_at": plain(c.due_at),
                "status": c.status,
                "attempts": [
                    {
                        "at": plain(a.at),
                        "outcome": a.outcome,
                        "satisfaction": a.satisfaction,
                        "answers": a.answers,
                        "notes": a.notes,
                    }
                    for a in c.history
                ],
            }
            for c in callbacks
        ],
        "complaints": [
            {
                "received_at": plain(c.received_at),
                "description": c.description,
                "status": c.status,
                "resolution": c.resolution,
            }
            for c in complaints
        ],
    }
    return data, {}


def erase_care_data(actor: User | None, customer: Customer) -> None:
    """Cancel the customer's open calls; redact call notes and complaints, with their audit."""
    for callback in db.session.scalars(
        select(Callback).where(Callback.customer_id == customer.id, Callback.status == "open")
    ):
        callback.status, callback.closed_at = "cancelled", utcnow()
    db.session.flush()
    attempts = select(CallAttempt.id).join(Callback).where(Callback.customer_id == customer.id)
    for attempt in db.session.scalars(select(CallAttempt).where(CallAttempt.id.in_(attempts))):
        attempt.notes = None
    complaints = db.session.scalars(
        select(Complaint).where(Complaint.customer_id == customer.id)
    ).all()
    for complaint in complaints:
        complaint.description = REDACTED
        if complaint.resolution:
            complaint.resolution = REDACTED
    events = db.session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id.in_([c.id for c in complaints]))
    ).all()
    for event in events:
        event.text = REDACTED
    db.session.flush()
    redact_audit("complaint", [c.id for c in complaints], ("description", "resolution"))
    redact_audit("complaint_event", [e.id for e in events], ("text",))
    redact_audit("call_attempt", list(db.session.scalars(attempts)), ("notes",))

"""Complaints (投诉): whoever receives one owns it (首问负责制) until it is resolved or
handed over with a reason. The first reply is due within half a working day,
counted in the dealer's working hours; past that, an open complaint is overdue."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, select
from sqlalchemy.orm import joinedload, selectinload

from care.models import ROOT_CAUSES, Callback, Complaint, ComplaintEvent
from care.planning import follow_up_complaint
from customers.models import Customer
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.models import User
from dealer.roles import ADVISOR, CALLBACK, MANAGER
from dealer.services import require_role, settings_for
from dealer.types import utcnow
from dealer.workhours import half_working_day_after

HANDLERS = (ADVISOR, CALLBACK, MANAGER)
CHANNELS = ("call", "desk", "phone", "online")
MAX_TEXT = 4000


def _text(value: str | None, field_name: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field_name)
    if len(value) > MAX_TEXT:
        raise DomainError(_l("At most %(n)s characters.", n=MAX_TEXT), field_name)
    return value


def raise_complaint(
    actor: User,
    customer: Customer,
    description: str,
    *,
    channel: str = "desk",
    vehicle_id: int | None = None,
    work_order_id: int | None = None,
    callback: Callback | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Take a complaint: the receiver owns it; the first reply falls due half a working day on."""
    require_role(actor, *HANDLERS)
    description = _text(description, "description", _l("Say what the customer complains about."))
    if channel not in CHANNELS:
        raise DomainError(_l("Choose how the complaint came in."), "channel")
    if customer.site_id != actor.site_id:
        raise DomainError(_l("Unknown customer."), "customer_id")
    now = now or utcnow()
    settings = settings_for(customer.site_id)
    complaint = Complaint(
        site_id=customer.site_id,
        customer_id=customer.id,
        vehicle_id=vehicle_id,
        work_order_id=work_order_id,
        raised_from_callback_id=callback.id if callback else None,
        channel=channel,
        description=description,
        received_at=now,
        received_by_id=actor.id,
        owner_id=actor.id,
        first_reply_due=half_working_day_after(
            now, settings.working_hours, settings.time_zone, settings.calendar
        ),
    )
    db.session.add(complaint)
    db.session.flush()
    return complaint


def _may_act(actor: User, complaint: Complaint) -> None:
    require_role(actor, *HANDLERS)
    if complaint.status != "open":
        raise RuleBroken(_l("This complaint is resolved."))
    if complaint.owner_id != actor.id and not actor.has_role(MANAGER):
        raise Forbidden(_l("Only its owner or a manager acts on this complaint."))


def reply(actor: User, complaint: Complaint, text: str, *, now: datetime | None = None):
    """Record a reply given to the customer; the first one meets the half-day promise."""
    _may_act(actor, complaint)
    text = _text(text, "text", _l("Write what the customer was told."))
    now = now or utcnow()
    event = ComplaintEvent(kind="reply", user_id=actor.id, text=text, at=now)
    complaint.events.append(event)
    if complaint.first_reply_at is None:
        complaint.first_reply_at = now
    db.session.flush()
    return event


def hand_over(actor: User, complaint: Complaint, to: User | None, reason: str):
    """Give the complaint to another member of staff, explicitly, with the reason."""
    _may_act(actor, complaint)
    reason = _text(reason, "reason", _l("Say why the complaint changes hands."))
    if (
        to is None
        or to.site_id != complaint.site_id
        or not to.active
        or not to.has_role(*HANDLERS)
        or to.id == complaint.owner_id
    ):
        raise DomainError(_l("Choose who takes the complaint over."), "owner_id")
    event = ComplaintEvent(kind="handover", user_id=actor.id, to_user_id=to.id, text=reason)
    complaint.events.append(event)
    complaint.owner_id = to.id
    db.session.flush()
    return event


def resolve(
    actor: User,
    complaint: Complaint,
    *,
    root_cause: str,
    resolution: str,
    now: datetime | None = None,
) -> Complaint:
    """Close the complaint with its root cause and resolution; a follow-up call is planned."""
    _may_act(actor, complaint)
    errors = []
    if root_cause not in ROOT_CAUSES:
        errors.append(("root_cause", _l("Choose the root cause.")))
    try:
        resolution = _text(resolution, "resolution", _l("Say how it was resolved."))
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    now = now or utcnow()
    complaint.status = "resolved"
    complaint.root_cause = root_cause
    complaint.resolution = resolution
    complaint.resolved_at = now
    complaint.resolved_by_id = actor.id
    complaint.events.append(
        ComplaintEvent(kind="resolve", user_id=actor.id, text=resolution, at=now)
    )
    if complaint.first_reply_at is None:
        complaint.first_reply_at = now
    db.session.flush()
    follow_up_complaint(complaint, now)
    return complaint


def overdue_clause(now: datetime):
    """Open complaints past their first-reply time without a reply."""
    return and_(
        Complaint.status == "open",
        Complaint.first_reply_at.is_(None),
        Complaint.first_reply_due < now,
    )


def is_overdue(complaint: Complaint, now: datetime) -> bool:
    return (
        complaint.status == "open"
        and complaint.first_reply_at is None
        and complaint.first_reply_due < now
    )


def complaint_list(
    site_id: int,
    *,
    open_only: bool = True,
    owner_id: int | None = None,
    now: datetime | None = None,
) -> Select:
    """Complaints, overdue first, then by first-reply time."""
    now = now or utcnow()
    stmt = select(Complaint).where(Complaint.site_id == site_id)
    if open_only:
        stmt = stmt.where(Complaint.status == "open")
    if owner_id is not None:
        stmt = stmt.where(Complaint.owner_id == owner_id)
    return stmt.order_by(
        case((overdue_clause(now), 0), else_=1),
        case((Complaint.status == "open", 0), else_=1),
        Complaint.first_reply_due,
        Complaint.id,
    ).options(
        selectinload(Complaint.customer),
        joinedload(Complaint.owner),
    )

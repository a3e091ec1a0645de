"""The customer's link (shared/API.md, "Messages, the worker and the customer's link"): a
short random token that opens one order on the customer's phone, where they follow the car,
see the estimate with its photos, and approve or decline the work that waits for them.

Only a keyed hash of the token is kept, so the database alone opens nothing. A link works
until it expires or the desk revokes the order's links; an unknown, expired or revoked token
gets the same answer. A decision goes through the desk's own authorization operation with
method ``link``, so the ceiling and the supplementary rules apply exactly as at the desk.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app, has_request_context, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from care.models import CustomerLink
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import User
from dealer.roles import ADVISOR, MANAGER
from dealer.services import require_role
from dealer.types import utcnow
from workorders import services as wo
from workorders.lifecycle import ACTIONS, STEPS, Action, JobStatus, Status
from workorders.models import WorkOrder
from workorders.totals import totals

TOKEN_BYTES = 12
"""Random bytes in a token: 16 characters in the URL, 96 bits to guess."""
DEFAULT_HOURS = 72
SURVEY_HOURS = 14 * 24
"""A link sent with the thank-you message stays open two weeks, for the survey."""
MAX_HOURS = 30 * 24
UNDECIDED = (JobStatus.PENDING.value, JobStatus.PROPOSED.value)


def token_hash(token: str) -> str:
    """The token as kept: an HMAC under the app's secret key."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def public_url(path: str) -> str:
    """A public page's absolute address: ``PUBLIC_URL`` when set, else the address the desk
    reached the app by."""
    base = current_app.config.get("PUBLIC_URL")
    if not base and has_request_context():
        base = request.host_url
    return (base or "http://127.0.0.1:5000/").rstrip("/") + path


def link_url(token: str) -> str:
    """The link's absolute address."""
    return public_url(f"/l/{token}")


def photo_path(token: str, photo_id: int) -> str:
    return url_for("links.photo", token=token, photo_id=photo_id)


def issue_link(
    actor: User | None, order: WorkOrder, *, hours: int = DEFAULT_HOURS, now: datetime | None = None
) -> tuple[CustomerLink, str]:
    """A new link to ``order`` and its token (shown once: only its hash is kept)."""
    if actor is not None:
        require_role(actor, ADVISOR, MANAGER)
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
        raise DomainError(
            _l("A link lasts from 1 hour to %(n)s hours.", n=MAX_HOURS), "expires_in_hours"
        )
    if order.status == Status.CANCELLED:
        raise RuleBroken(_l("A cancelled order has no link for the customer."))
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = CustomerLink(
        site_id=order.site_id,
        work_order_id=order.id,
        token_hash=token_hash(token),
        created_by_id=actor.id if actor is not None else None,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def find_link(token: str, now: datetime | None = None) -> CustomerLink | None:
    """The live link the token opens, or None (unknown, expired and revoked alike)."""
    if not token or len(token) > 64:
        return None
    now = now or utcnow()
    return db.session.scalar(
        select(CustomerLink).where(
            CustomerLink.token_hash == token_hash(token),
            CustomerLink.revoked_at.is_(None),
            CustomerLink.expires_at > now,
        )
    )


def revoke_links(actor: User, order: WorkOrder, now: datetime | None = None) -> int:
    """Stop every link of the order; answers how many were live."""
    require_role(actor, ADVISOR, MANAGER)
    now = now or utcnow()
    done = db.session.execute(
        update(CustomerLink)
        .where(CustomerLink.work_order_id == order.id, CustomerLink.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.session.flush()
    return done.rowcount


def live_links(order_id: int, now: datetime | None = None) -> list[CustomerLink]:
    """The order's links that still work, newest first, for the desk."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(CustomerLink)
            .where(
                CustomerLink.work_order_id == order_id,
                CustomerLink.revoked_at.is_(None),
                CustomerLink.expires_at > now,
            )
            .order_by(CustomerLink.id.desc())
        )
    )


@dataclass(frozen=True)
class Step:
    status: str
    at: datetime | None
    done: bool
    current: bool


@dataclass(frozen=True)
class JobLine:
    """A job as the customer sees it: its price with tax, and whether it waits for them."""

    id: int
    title: str
    title_zh: str | None
    status: str
    pay_type: str
    labor: Decimal
    parts: Decimal
    tax: Decimal
    total: Decimal
    decision_needed: bool
    findings: str | None


@dataclass(frozen=True)
class CustomerView:
    order: WorkOrder
    steps: list[Step]
    jobs: list[JobLine]
    totals: object
    can_decide: bool
    delivered: bool


def can_decide(order: WorkOrder) -> bool:
    return Status(order.status) in ACTIONS[Action.AUTHORIZE].states


def job_line(order: WorkOrder, job, deciding: bool) -> JobLine:
    amount = replace(wo.job_amount(job), status="approved")
    own = totals([amount], order.tax_rate, labor_tax_rate=order.labor_tax_rate)
    paid_by_customer = job.pay_type == "customer"
    return JobLine(
        id=job.id,
        title=job.title,
        title_zh=job.title_zh,
        status=job.status,
        pay_type=job.pay_type,
        labor=own.labor,
        parts=own.parts + own.sublet,
        tax=own.tax if paid_by_customer else Decimal("0.00"),
        total=own.total if paid_by_customer else Decimal("0.00"),
        decision_needed=deciding and job.status in UNDECIDED,
        findings=job.findings,
    )


def timeline(order: WorkOrder) -> list[Step]:
    """The car's way through the workshop: when each step was reached, and where it is."""
    reached = {Status.INTAKE.value: order.received_at}
    for change in order.history:
        reached.setdefault(change.to_status, change.at)
    state = Status(order.status)
    current = STEPS.index(state) if state in STEPS else -1
    return [
        Step(
            status=status.value,
            at=reached.get(status.value),
            done=position < current or order.status == Status.DELIVERED,
            current=position == current,
        )
        for position, status in enumerate(STEPS)
    ]


def customer_view(order: WorkOrder) -> CustomerView:
    """What the link shows of the order, and nothing more."""
    deciding = can_decide(order)
    jobs = [job_line(order, job, deciding) for job in order.jobs]
    return CustomerView(
        order=order,
        steps=timeline(order),
        jobs=jobs,
        totals=wo.order_totals(order),
        can_decide=deciding and any(line.decision_needed for line in jobs),
        delivered=order.status == Status.DELIVERED,
    )


def decide(
    link: CustomerLink,
    *,
    approve: list[int],
    decline: list[int],
    name: str,
    signature: str | None,
    address: str | None,
    user_agent: str | None,
):
    """The customer's decision on the link, recorded as an authorization by ``link`` (not
    committed). Only jobs that wait for a decision may be named."""
    order = link.work_order
    waiting = {job.id for job in order.jobs if job.status in UNDECIDED}
    named = set(approve) | set(decline)
    if named - waiting:
        raise DomainError(
            _l("Only the work that waits for your decision can be decided."), "approve"
        )
    raw = wo.decode_signature(signature)
    authorization = wo.authorize_jobs(
        None,
        order,
        approved_job_ids=sorted(set(approve)),
        declined_job_ids=sorted(set(decline)),
        authorized_by=name,
        method="link",
        amount=None,
        signature=raw,
        address=address,
        user_agent=user_agent,
    )
    link.opened_at = link.opened_at or utcnow()
    return authorization

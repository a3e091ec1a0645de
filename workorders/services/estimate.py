"""The estimate: jobs, common jobs, discounts, and the promised time."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import User, UserRole
from dealer.roles import ADVISOR, MANAGER, TECHNICIAN
from dealer.types import utcnow
from dealer.vocabulary import Equipment, Skill
from dealer.workhours import add_working_time
from parts import stock
from workorders.lifecycle import OPEN_STATUSES, Action, JobStatus, Status
from workorders.models import (
    CATEGORIES,
    PAY_TYPES,
    CannedJob,
    Discount,
    Job,
    WorkOrder,
)
from workorders.services.base import (
    MAX_HOURS,
    allow,
    money_input,
    order_settings,
    require,
)
from workorders.services.part_lines import add_part_line, find_part
from workorders.services.reading import comeback_in_warranty, order_totals
from workorders.vocabulary import DiscountKind


def _hours(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise DomainError(_l("Enter the hours as a number."), "labor_hours")
    if value <= 0 or value > MAX_HOURS:
        raise DomainError(_l("Labor hours are more than 0 and at most 200."), "labor_hours")
    if value.as_tuple().exponent < -2:
        raise DomainError(_l("At most 2 decimal places."), "labor_hours")
    return value


def add_job(
    actor: User,
    order: WorkOrder,
    *,
    title: str,
    labor_hours: Decimal,
    category: str,
    pay_type: str = "customer",
    labor_rate: Decimal | None = None,
    requires_road_test: bool = False,
    is_diagnosis: bool = False,
    warranty_claim_number: str | None = None,
    findings: str | None = None,
    sublet_vendor: str | None = None,
    sublet_cost: Decimal | None = None,
    sublet_price: Decimal | None = None,
    version: int | None = None,
) -> Job:
    """Add a job: the desk writes it into the estimate, a technician proposes it from a finding."""
    allow(actor, order, Action.ADD_JOB, version=version)
    errors = []
    title = (title or "").strip()
    if not title:
        errors.append(("title", _l("Name the job.")))
    elif len(title) > 200:
        errors.append(("title", _l("At most %(n)s characters.", n=200)))
    for check in (lambda: _hours(labor_hours), lambda: money_input(labor_rate, "labor_rate")):
        try:
            check()
        except DomainError as exc:
            errors.extend(exc.errors)
    if category not in CATEGORIES:
        errors.append(("category", _l("Choose a repair category.")))
    for name, value in (("sublet_cost", sublet_cost), ("sublet_price", sublet_price)):
        try:
            money_input(value, name)
        except DomainError as exc:
            errors.extend(exc.errors)
    sublet_vendor = (sublet_vendor or "").strip()[:120] or None
    if (sublet_cost is not None or sublet_price is not None) and not sublet_vendor:
        errors.append(("sublet_vendor", _l("Name the workshop the job is sublet to.")))
    if pay_type not in PAY_TYPES:
        errors.append(("pay_type", _l("Choose customer, warranty or internal.")))
    if errors:
        raise DomainError(errors)
    desk = actor.has_role(ADVISOR, MANAGER)
    proposing = not desk or order.status == Status.IN_PROGRESS
    if order.comeback_of_id and pay_type == "customer" and comeback_in_warranty(order):
        pay_type = "internal"
    job = Job(
        work_order=order,
        title=title,
        labor_hours=labor_hours,
        labor_rate=labor_rate if labor_rate is not None else order.labor_rate,
        category=category,
        pay_type=pay_type,
        requires_road_test=bool(requires_road_test),
        is_diagnosis=bool(is_diagnosis),
        warranty_claim_number=(warranty_claim_number or "").strip()[:60] or None,
        findings=(findings or "").strip()[:4000] or None,
        sublet_vendor=sublet_vendor,
        sublet_cost=sublet_cost,
        sublet_price=sublet_price,
        status=(JobStatus.PROPOSED if proposing else JobStatus.PENDING).value,
        proposed_by_id=actor.id if proposing else None,
    )
    db.session.add(job)
    db.session.flush()
    return job


@dataclass(frozen=True)
class PromiseSuggestion:
    """A suggested promised time and what went into it."""

    at: datetime
    work_hours: Decimal
    queue_hours: Decimal
    technicians: int
    parts_missing: tuple[str, ...]
    parts_lead_days: int


OPEN_WORK = (JobStatus.PENDING, JobStatus.PROPOSED, JobStatus.APPROVED, JobStatus.IN_PROGRESS)


def suggest_promise(order: WorkOrder, now: datetime | None = None) -> PromiseSuggestion:
    """When the car could be ready: its hours after the queue, later if parts must come."""
    now = now or utcnow()
    settings = order_settings(order)
    work = sum((j.labor_hours for j in order.jobs if j.status in OPEN_WORK), Decimal("0"))
    technicians = (
        db.session.scalar(
            select(func.count(User.id))
            .join(UserRole)
            .where(
                UserRole.role == TECHNICIAN, User.active.is_(True), User.site_id == order.site_id
            )
        )
        or 1
    )
    queued = db.session.scalar(
        select(func.coalesce(func.sum(Job.labor_hours), 0))
        .join(WorkOrder)
        .where(
            WorkOrder.site_id == order.site_id,
            WorkOrder.id != order.id,
            WorkOrder.status.in_(OPEN_STATUSES),
            Job.status.in_([JobStatus.APPROVED.value, JobStatus.IN_PROGRESS.value]),
        )
    )
    queue = (Decimal(queued) / technicians).quantize(Decimal("0.1"))
    missing = tuple(
        line.part_number
        for line in order.parts
        if line.job.status in OPEN_WORK
        and line.part.available < line.quantity - line.reserved_quantity - line.issued_quantity
    )
    start = now
    if missing:
        start = add_working_time(
            now, Decimal("0"), settings.working_hours, settings.time_zone, settings.calendar
        )
        start = start + timedelta(days=settings.parts_lead_days)
    ready = add_working_time(
        start, queue + work, settings.working_hours, settings.time_zone, settings.calendar
    )
    quarter = timedelta(minutes=15)
    ready = ready + (datetime.min.replace(tzinfo=ready.tzinfo) - ready) % quarter
    return PromiseSuggestion(
        at=ready,
        work_hours=work,
        queue_hours=queue,
        technicians=technicians,
        parts_missing=missing,
        parts_lead_days=settings.parts_lead_days,
    )


def save_canned_job(
    actor: User,
    site_id: int,
    *,
    title: str,
    labor_hours: Decimal,
    category: str,
    parts: list[dict],
    title_zh: str | None = None,
    canned=None,
    skill: str | None = None,
    equipment: str | None = None,
):
    """Keep (or change) a common job with its parts for the desk to add in one click; its
    Chinese title prints on Chinese papers. Its skill and equipment (unchanged when not
    given) are what a booking of it asks of the workshop."""
    require(actor, MANAGER)
    errors = []
    title = (title or "").strip()
    if not title or len(title) > 200:
        errors.append(("title", _l("Name the job (at most 200 characters).")))
    title_zh = (title_zh or "").strip() or None
    if title_zh and len(title_zh) > 200:
        errors.append(("title_zh", _l("At most %(n)s characters.", n=200)))
    try:
        _hours(labor_hours)
    except DomainError as exc:
        errors.extend(exc.errors)
    if category not in CATEGORIES:
        errors.append(("category", _l("Choose a repair category.")))
    if skill is not None and skill not in Skill.values():
        errors.append(("skill", _l("Choose the skill the work needs.")))
    if equipment is not None and equipment not in Equipment.values():
        errors.append(("equipment", _l("Unknown equipment.")))
    cleaned = []
    for index, item in enumerate(parts):
        where = f"parts.{index}"
        if find_part(site_id, str(item.get("part_number", ""))) is None:
            errors.append((where, _l("No such part in the catalogue.")))
            continue
        try:
            quantity = stock.check_quantity(Decimal(str(item.get("quantity", ""))), where)
        except ArithmeticError:
            errors.append((where, _l("Enter a number.")))
            continue
        except DomainError as exc:
            errors.extend(exc.errors)
            continue
        cleaned.append({"part_number": str(item["part_number"]).strip(), "quantity": str(quantity)})
    if errors:
        raise DomainError(errors)
    canned = canned or CannedJob(site_id=site_id)
    canned.title, canned.labor_hours, canned.category, canned.parts = (
        title,
        labor_hours,
        category,
        cleaned,
    )
    canned.title_zh = title_zh
    if skill is not None:
        canned.skill = skill
    if equipment is not None or skill is not None:
        canned.equipment = equipment
    db.session.add(canned)
    db.session.flush()
    return canned


def add_canned_job(actor: User, order: WorkOrder, canned, *, version: int | None = None) -> Job:
    """Add a common job and its parts to the estimate in one go."""
    if not canned.active or canned.site_id != order.site_id:
        raise DomainError(_l("This common job is not available."), "canned_job_id")
    job = add_job(
        actor,
        order,
        title=canned.title,
        labor_hours=canned.labor_hours,
        category=canned.category,
        version=version,
    )
    job.title_zh = canned.title_zh
    for item in canned.parts:
        add_part_line(
            actor, order, job, part_number=item["part_number"], quantity=Decimal(item["quantity"])
        )
    return job


def add_discount(
    actor: User,
    order: WorkOrder,
    *,
    kind: str,
    value: Decimal,
    reason: str,
    version: int | None = None,
) -> Discount:
    """Take an amount or a percentage off the work; above the limit only a manager may."""
    allow(actor, order, Action.ADD_DISCOUNT, version=version)
    errors = []
    if kind not in DiscountKind.values():
        errors.append(("kind", _l("Choose an amount or a percentage.")))
    try:
        money_input(value, "value", allow_none=False)
    except DomainError as exc:
        errors.extend(exc.errors)
    if kind == "percent" and isinstance(value, Decimal) and not 0 < value <= 100:
        errors.append(("value", _l("A percentage is more than 0 and at most 100.")))
    elif kind == "amount" and isinstance(value, Decimal) and value.is_finite() and value <= 0:
        errors.append(("value", _l("A discount is more than 0.")))
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        errors.append(("reason", _l("Give the reason for the discount (at most 300 characters).")))
    if errors:
        raise DomainError(errors)
    discount = Discount(kind=kind, value=value, reason=reason, created_by_id=actor.id)
    order.discounts.append(discount)
    db.session.flush()
    before = order_totals(order)
    base = before.labor + before.parts + before.sublet
    share = (before.discount / base * 100) if base else Decimal("100")
    if share > order_settings(order).discount_limit_percent and not actor.has_role(MANAGER):
        raise RuleBroken(
            _l(
                "Discounts above %(limit)s%% need a service manager.",
                limit=order_settings(order).discount_limit_percent.normalize(),
            ),
            "value",
        )
    if actor.has_role(MANAGER):
        discount.approved_by_id = actor.id
    db.session.flush()
    return discount

"""Operations on work orders: open, inspect, estimate, authorize, work, inspect, hand over.

Each operation takes the acting member of staff, checks the role, the
order's state and the rule in question, changes the records, writes the
status history (the audit log follows by itself) and flushes. The caller
commits once. A broken rule raises ``RuleBroken`` (409), bad input
``DomainError`` (422) naming the field.
"""

import base64
import binascii
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from blinker import Namespace
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, case, func, literal, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from care import vip
from care.vip import Figures
from customers.models import Customer, Vehicle
from customers.services import record_odometer, schedule_callbacks_after_delivery
from dealer import images
from dealer.database import lock, seconds_between
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.models import DealerSettings, User, UserRole
from dealer.numbers import format_number, next_number
from dealer.phones import normalize_phone
from dealer.roles import ADVISOR, CALLBACK, INSPECTOR, MANAGER, TECHNICIAN
from dealer.services import check_version, require_role, settings_for
from dealer.timeutil import check_promised_time, local_time
from dealer.types import UTCDateTime, utcnow
from dealer.workhours import add_working_time
from parts import stock
from parts.models import Part
from workorders import lifecycle
from workorders.lifecycle import OPEN_STATUSES, JobStatus, OrderFacts, Status
from workorders.models import (
    CATEGORIES,
    COMEBACK_CAUSES,
    CONDITIONS,
    PAY_TYPES,
    PAYMENT_METHODS,
    Authorization,
    BookedWork,
    CannedJob,
    Discount,
    Inspection,
    InspectionPhoto,
    InspectionVersion,
    Job,
    PartLine,
    Payment,
    QualityCheck,
    StatusChange,
    TimeClock,
    WorkOrder,
)
from workorders.totals import (
    DiscountAmount,
    JobAmount,
    PartAmount,
    Totals,
    proposed_totals,
    totals,
)

DESK = (ADVISOR, MANAGER)
FUEL_LEVELS = (Decimal("0"), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal("1"))
MAX_HOURS = Decimal("200")
MAX_PRICE = Decimal("10000000")
PANELS = (
    "front_bumper",
    "hood",
    "roof",
    "left_front_fender",
    "right_front_fender",
    "left_front_door",
    "right_front_door",
    "left_rear_door",
    "right_rear_door",
    "left_quarter_panel",
    "right_quarter_panel",
    "trunk",
    "rear_bumper",
    "windscreen",
    "left_mirror",
    "right_mirror",
    "wheels",
)
DAMAGE = ("scratch", "dent", "crack", "chip", "other")
WARNING_LIGHTS = (
    "check_engine",
    "abs",
    "airbag",
    "oil_pressure",
    "battery",
    "brake",
    "tpms",
    "coolant_temperature",
    "other",
)
SYMPTOM_KEYS = (
    "engine_temperature",
    "speed",
    "load",
    "road",
    "since",
    "frequency",
    "accessories",
    "last_service",
    "earlier_repairs",
    "road_test_with_customer",
    "description",
)
QC_CHECKLIST = (
    "jobs_completed",
    "fasteners_secure",
    "brakes_checked",
    "steering_checked",
    "belongings_intact",
    "no_new_damage",
    "fluids_checked",
    "vehicle_clean",
)
NOTIFY_CHANNELS = ("phone", "sms", "wechat", "email", "in_person")
MAX_SIGNATURE_BYTES = 512 * 1024

_signals = Namespace()
delivered = _signals.signal("order-delivered")
"""Sent inside the handover's transaction with the delivered order and ``actor``."""


def require(actor: User, *roles: str) -> None:
    """Refuse an actor holding none of ``roles``."""
    require_role(actor, *roles)


def _settings(order: WorkOrder) -> DealerSettings:
    return settings_for(order.site_id)


def _history(order: WorkOrder, actor: User | None, source: str | None, reason: str | None = None):
    db.session.add(
        StatusChange(
            work_order_id=order.id,
            from_status=source,
            to_status=order.status,
            user_id=actor.id if actor else None,
            reason=reason,
        )
    )


# --- reading an order ---------------------------------------------------------------


def job_amount(job: Job) -> JobAmount:
    """A job with its parts, as the totals arithmetic sees it."""
    return JobAmount(
        status=job.status,
        pay_type=job.pay_type,
        labor_hours=job.labor_hours,
        labor_rate=job.labor_rate,
        parts=tuple(PartAmount(p.charged_quantity, p.unit_price) for p in job.parts),
        sublet=job.sublet_price or Decimal("0.00"),
    )


def discount_amounts(order: WorkOrder) -> list[DiscountAmount]:
    """The order's discount lines, as the totals arithmetic sees them."""
    return [DiscountAmount(d.value, percent=d.kind == "percent") for d in order.discounts]


def line_amount(line: PartLine) -> Decimal:
    """What a parts line comes to."""
    return PartAmount(line.charged_quantity, line.unit_price).amount


def _totals(order: WorkOrder, amounts: list[JobAmount] | None = None, **options) -> Totals:
    """``totals`` of the order's jobs (or of ``amounts``) at its rates, less its discounts."""
    return totals(
        [job_amount(j) for j in order.jobs] if amounts is None else amounts,
        order.tax_rate,
        discount_amounts(order),
        labor_tax_rate=order.labor_tax_rate,
        **options,
    )


def order_totals(order: WorkOrder) -> Totals:
    """What the order comes to now (declined and unauthorized proposed work left out)."""
    return _totals(order)


def order_proposed_totals(order: WorkOrder) -> Totals:
    """What the proposed work awaiting the customer's decision would add."""
    return proposed_totals(
        [job_amount(j) for j in order.jobs], order.tax_rate, order.labor_tax_rate
    )


def total_if_all_approved(order: WorkOrder) -> Decimal:
    """The order's total if the customer approved every pending and proposed job."""
    undecided = (JobStatus.PENDING, JobStatus.PROPOSED)
    amounts = [
        replace(job_amount(j), status="approved") if j.status in undecided else job_amount(j)
        for j in order.jobs
    ]
    return _totals(order, amounts).total


def amount_paid(order: WorkOrder) -> Decimal:
    """Everything paid towards the order (change given back is not kept)."""
    return sum((p.kept for p in order.payments), Decimal("0.00"))


def amount_due(order: WorkOrder) -> Decimal:
    """What the customer still owes: the order's total, or the estimate's if every job it
    proposes were approved (a deposit may cover that), less what was paid."""
    owed = max(order_totals(order).total, total_if_all_approved(order))
    return max(owed - amount_paid(order), Decimal("0.00"))


def order_facts(order: WorkOrder, *, reason: str | None = None) -> OrderFacts:
    """What the lifecycle's guards need to know about the order."""
    counts = {state.value: 0 for state in JobStatus}
    for job in order.jobs:
        counts[job.status] += 1
    latest_qc = order.quality_checks[-1] if order.quality_checks else None
    return OrderFacts(
        inspection_recorded=order.inspection is not None,
        inspection_acknowledged=order.inspection is not None
        and bool(order.inspection.acknowledged_by or order.inspection.signature_file),
        jobs=len(order.jobs),
        qc_passed=bool(latest_qc and latest_qc.passed),
        reason_given=bool((reason or "").strip()),
        amount_due_paid=amount_paid(order) >= order_totals(order).total,
        **counts,
    )


def technician_clocked_on(order: WorkOrder, user: User) -> bool:
    """Whether ``user`` has clocked any time on the order."""
    return (
        db.session.scalar(
            select(func.count(TimeClock.id)).where(
                TimeClock.work_order_id == order.id, TimeClock.technician_id == user.id
            )
        )
        > 0
    )


def worked_on(order: WorkOrder, user: User) -> bool:
    """Whether ``user`` worked on the order: assigned to a job, clocked time, completed a job
    or recorded findings (such a person may not pass it at the final inspection)."""
    if any(
        user.id in (job.technician_id, job.completed_by_id, job.findings_by_id)
        for job in order.jobs
    ):
        return True
    return technician_clocked_on(order, user)


def ceiling(order: WorkOrder) -> Decimal:
    """What the order may come to without asking the customer again: the authorized total, or
    the not-to-exceed ceiling the customer set for diagnosis if that is higher."""
    return max(order.authorized_amount, order.not_to_exceed or Decimal("0"))


AUTHORIZED_WORK = frozenset({"approved", "in_progress", "done"})


def authorized_total(order: WorkOrder) -> Decimal:
    """What the work the customer authorized comes to (jobs still to be decided left out)."""
    return _totals(order, statuses=AUTHORIZED_WORK).total


def headroom(order: WorkOrder) -> Decimal:
    """How much more work the order can take before the customer must authorize it."""
    return ceiling(order) - authorized_total(order)


def open_to_take(job: Job) -> bool:
    """Whether any technician may take the job from the board: approved and unassigned, or a
    diagnosis that the order's not-to-exceed ceiling authorizes in advance."""
    if job.technician_id is not None:
        return False
    return job.status == JobStatus.APPROVED or (
        job.is_diagnosis
        and job.status == JobStatus.PENDING
        and job.work_order.not_to_exceed is not None
    )


def open_to_take_clause():
    """``open_to_take`` as a condition on jobs joined to their work orders."""
    return Job.technician_id.is_(None) & (
        (Job.status == JobStatus.APPROVED.value)
        | (
            Job.is_diagnosis.is_(True)
            & (Job.status == JobStatus.PENDING.value)
            & WorkOrder.not_to_exceed.is_not(None)
        )
    )


def headroom_of(order_ids: set[int]) -> dict[int, Decimal]:
    """The headroom of each of these orders, read in a fixed number of statements."""
    if not order_ids:
        return {}
    orders = db.session.scalars(
        select(WorkOrder)
        .where(WorkOrder.id.in_(sorted(order_ids)))
        .options(
            selectinload(WorkOrder.jobs).selectinload(Job.parts),
            selectinload(WorkOrder.discounts),
        )
    ).all()
    return {order.id: headroom(order) for order in orders}


def visible_to(user: User, order: WorkOrder) -> bool:
    """Whether ``user`` may see the order: technicians only orders with their jobs or open ones."""
    if order.site_id != user.site_id:
        return False
    if user.has_role(ADVISOR, MANAGER, INSPECTOR, "parts", "callback"):
        return True
    return any(job.technician_id == user.id or open_to_take(job) for job in order.jobs)


# --- the lifecycle -------------------------------------------------------------------


def move_order(
    actor: User | None,
    order: WorkOrder,
    target: Status | str,
    *,
    reason: str | None = None,
    version: int | None = None,
) -> WorkOrder:
    """Move an order to ``target`` if the lifecycle table allows it for this actor now."""
    check_version(order, version)
    try:
        target = Status(target)
    except ValueError:
        raise DomainError(_l("Unknown status."), "to") from None
    roles = actor.roles if actor is not None else frozenset({MANAGER})
    transition = lifecycle.TRANSITIONS.get((Status(order.status), target))
    if transition is not None and transition.roles.isdisjoint(roles):
        raise Forbidden(_l("Your roles do not allow this."))
    ok, why = lifecycle.check_move(
        Status(order.status), target, roles, order_facts(order, reason=reason)
    )
    if not ok:
        raise RuleBroken(_l(why), "to")
    source = order.status
    order.status = target.value
    if target is Status.CANCELLED:
        order.cancel_reason = reason.strip()[:500]
        _release_all(actor, order)
    _history(order, actor, source, (reason or "").strip()[:500] or None)
    db.session.flush()
    return order


def lock_line(line: PartLine) -> None:
    """Read a parts line and its part afresh under their row locks, the part's first (every
    ledger operation takes them in this order, so two never wait for each other)."""
    lock(line.part, key_share=True)
    lock(line)


def _release_all(actor: User | None, order: WorkOrder) -> None:
    for line in sorted(order.parts, key=lambda line: (line.part_id, line.id)):
        lock_line(line)
        if line.reserved_quantity:
            stock.release(
                actor,
                line.part,
                line.reserved_quantity,
                work_order_id=order.id,
                part_line_id=line.id,
            )
            line.reserved_quantity = Decimal("0")


# --- opening an order ----------------------------------------------------------------


def _money(value: Decimal | None, field_name: str, *, allow_none: bool = True) -> Decimal | None:
    if value is None:
        if allow_none:
            return None
        raise DomainError(_l("Enter an amount."), field_name)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise DomainError(_l("Enter an amount."), field_name)
    if value < 0 or value > MAX_PRICE:
        raise DomainError(_l("An amount is between 0 and 10,000,000."), field_name)
    if value.as_tuple().exponent < -2:
        raise DomainError(_l("At most 2 decimal places."), field_name)
    return value


def _concern(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write down the customer's concern."), "concern")
    if len(text) > 4000:
        raise DomainError(_l("At most %(n)s characters.", n=4000), "concern")
    return text


def open_work_order(
    actor: User,
    vehicle: Vehicle,
    *,
    odometer_km: int,
    fuel_level: Decimal,
    concern: str,
    promised_at: datetime | None = None,
    not_to_exceed: Decimal | None = None,
    comeback_of: WorkOrder | None = None,
    comeback_cause: str | None = None,
) -> WorkOrder:
    """Receive a car: a new order in ``intake`` with the next number of the year."""
    require(actor, *DESK)
    errors = []
    if fuel_level not in FUEL_LEVELS:
        errors.append(("fuel_level", _l("The fuel level is 0, 0.25, 0.5, 0.75 or 1.")))
    try:
        concern = _concern(concern)
    except DomainError as exc:
        errors.extend(exc.errors)
    try:
        _money(not_to_exceed, "not_to_exceed")
    except DomainError as exc:
        errors.extend(exc.errors)
    if promised_at is not None:
        try:
            promised_at = check_promised_time(promised_at)
        except DomainError as exc:
            errors.extend(exc.errors)
    if comeback_cause is not None and comeback_cause not in COMEBACK_CAUSES:
        errors.append(
            ("comeback_cause", _l("Choose workmanship, part, customer use or unrelated."))
        )
    if errors:
        raise DomainError(errors)
    settings = settings_for(vehicle.site_id)
    if odometer_km != vehicle.odometer_km or not vehicle.readings:
        record_odometer(actor, vehicle, odometer_km, source="work_order")
    now = utcnow()
    year = local_time(now, settings.time_zone).year
    order = WorkOrder(
        site_id=vehicle.site_id,
        number=format_number("WO", year, next_number(vehicle.site_id, "WO", year)),
        customer_id=vehicle.customer_id,
        vehicle_id=vehicle.id,
        advisor_id=actor.id,
        status=Status.INTAKE.value,
        received_at=now,
        odometer_in=odometer_km,
        fuel_level=fuel_level,
        concern=concern,
        promised_at=promised_at,
        not_to_exceed=not_to_exceed,
        tax_rate=settings.tax_rate,
        labor_tax_rate=settings.labor_tax_rate,
        labor_rate=settings.labor_rate,
        comeback_of_id=comeback_of.id if comeback_of else None,
        comeback_cause=comeback_cause,
    )
    db.session.add(order)
    db.session.flush()
    _history(order, actor, None)
    db.session.flush()
    return order


def update_order(
    actor: User,
    order: WorkOrder,
    *,
    concern: str | None = None,
    promised_at: datetime | None = None,
    not_to_exceed: Decimal | None = None,
    version: int | None = None,
    clear_not_to_exceed: bool = False,
) -> WorkOrder:
    """Change the concern, promised time or not-to-exceed ceiling of an open order."""
    require(actor, *DESK)
    check_version(order, version)
    if not Status(order.status).is_open:
        raise RuleBroken(_l("A closed order cannot be changed."))
    if concern is not None:
        order.concern = _concern(concern)
    if promised_at is not None:
        order.promised_at = check_promised_time(promised_at)
    if not_to_exceed is not None or clear_not_to_exceed:
        order.not_to_exceed = _money(not_to_exceed, "not_to_exceed")
    db.session.flush()
    return order


# --- intake inspection ---------------------------------------------------------------


@dataclass
class InspectionInput:
    """The walk-around as the advisor records it next to the car."""

    panels: list[dict] = field(default_factory=list)
    warning_lights: list[str] = field(default_factory=list)
    belongings: list[str] = field(default_factory=list)
    keys_count: int = 1
    underbody: dict = field(default_factory=dict)
    symptoms: dict = field(default_factory=dict)
    acknowledged_by: str | None = None
    signature: bytes | None = None


def _clean_panels(panels: list[dict]) -> list[dict]:
    cleaned = []
    for index, item in enumerate(panels):
        where = f"panels.{index}"
        if not isinstance(item, dict):
            raise DomainError(_l("Each panel is an object with panel, damage and note."), where)
        if item.get("panel") not in PANELS:
            raise DomainError(_l("Unknown body panel."), f"{where}.panel")
        if item.get("damage") not in DAMAGE:
            raise DomainError(
                _l("Damage is scratch, dent, crack, chip or other."), f"{where}.damage"
            )
        note = str(item.get("note") or "").strip()
        if len(note) > 300:
            raise DomainError(_l("At most %(n)s characters.", n=300), f"{where}.note")
        cleaned.append({"panel": item["panel"], "damage": item["damage"], "note": note})
    return cleaned


def decode_signature(data: str | None, field_name: str = "signature") -> bytes | None:
    """A drawn signature sent as a PNG data URL (signature_pad's ``toDataURL``)."""
    if not data:
        return None
    prefix = "data:image/png;base64,"
    if not data.startswith(prefix):
        raise DomainError(_l("The signature must be a PNG image."), field_name)
    try:
        raw = base64.b64decode(data[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(_l("The signature image is damaged."), field_name) from None
    return raw


def store_image(raw: bytes, folder: str, field_name: str) -> str:
    """Keep a signature (a PNG, written again from its pixels) under the storage folder;
    returns its path relative to that folder."""
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise DomainError(_l("The signature image is too large."), field_name)
    data = images.clean_signature(raw, field_name)
    relative = Path(folder) / f"{uuid.uuid4().hex}.png"
    target = Path(current_app.config["STORAGE_DIR"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return str(relative)


def intake_record(inspection: Inspection | InspectionVersion) -> dict:
    """What a version of the intake record says, as one value."""
    if isinstance(inspection, InspectionVersion):
        return dict(inspection.record)
    return {
        "panels": inspection.panels,
        "warning_lights": inspection.warning_lights,
        "belongings": inspection.belongings,
        "keys_count": inspection.keys_count,
        "underbody": inspection.underbody,
        "symptoms": inspection.symptoms,
    }


def _keep_acknowledged_version(inspection: Inspection) -> None:
    """Keep the acknowledged intake record as it was, and start the next version, which the
    customer acknowledges again."""
    db.session.add(
        InspectionVersion(
            inspection=inspection,
            version=inspection.version,
            record=intake_record(inspection),
            acknowledged_by=inspection.acknowledged_by,
            acknowledged_at=inspection.acknowledged_at,
            signature_file=inspection.signature_file,
            recorded_by_id=inspection.recorded_by_id,
            recorded_at=inspection.recorded_at,
        )
    )
    inspection.version += 1
    inspection.acknowledged_by = None
    inspection.acknowledged_at = None
    inspection.signature_file = None


def signed_intake(inspection: Inspection | None) -> Inspection | InspectionVersion | None:
    """The version of the intake record the customer acknowledged last (what the papers
    print), or None."""
    if inspection is None:
        return None
    if inspection.acknowledged:
        return inspection
    return inspection.versions[-1] if inspection.versions else None


def record_inspection(
    actor: User, order: WorkOrder, data: InspectionInput, *, version: int | None = None
) -> Inspection:
    """Record (or correct) the intake walk-around, and the customer's acknowledgement.

    Once the customer acknowledged it, a change makes a new version (acknowledged again);
    the acknowledged one is kept as it was, and is what the papers print until then."""
    require(actor, *DESK)
    check_version(order, version)
    if order.status not in (Status.INTAKE, Status.ESTIMATING):
        raise RuleBroken(_l("The intake record is closed once the estimate goes to the customer."))
    panels = _clean_panels(data.panels)
    unknown = [w for w in data.warning_lights if w not in WARNING_LIGHTS]
    if unknown:
        raise DomainError(
            _l("Unknown warning light: %(name)s.", name=", ".join(map(str, unknown))),
            "warning_lights",
        )
    belongings = [str(b).strip()[:120] for b in data.belongings if str(b).strip()]
    if len(belongings) > 50:
        raise DomainError(_l("At most 50 belongings."), "belongings")
    if not isinstance(data.keys_count, int) or not 0 <= data.keys_count <= 20:
        raise DomainError(_l("Between 0 and 20 keys."), "keys_count")
    unknown = sorted(set(data.symptoms) - set(SYMPTOM_KEYS))
    if unknown:
        raise DomainError(
            _l("Unknown symptom question: %(name)s.", name=", ".join(unknown)), "symptoms"
        )
    symptoms = {
        k: (v if isinstance(v, bool) else str(v).strip()[:500]) for k, v in data.symptoms.items()
    }
    underbody = {
        str(k)[:40]: (v if isinstance(v, bool) else str(v).strip()[:300])
        for k, v in data.underbody.items()
    }
    acknowledged_by = (data.acknowledged_by or "").strip()[:120] or None
    record = {
        "panels": panels,
        "warning_lights": sorted(set(data.warning_lights)),
        "belongings": belongings,
        "keys_count": data.keys_count,
        "underbody": underbody,
        "symptoms": symptoms,
    }
    inspection = order.inspection
    if inspection is not None and inspection.acknowledged:
        same_name = acknowledged_by in (None, inspection.acknowledged_by)
        if record == intake_record(inspection) and same_name and not data.signature:
            return inspection
        _keep_acknowledged_version(inspection)
    inspection = inspection or Inspection(work_order_id=order.id)
    for name, value in record.items():
        setattr(inspection, name, value)
    inspection.recorded_by_id = actor.id
    inspection.recorded_at = utcnow()
    if acknowledged_by:
        inspection.acknowledged_by = acknowledged_by
        inspection.acknowledged_at = utcnow()
    if data.signature:
        inspection.signature_file = store_image(
            data.signature, f"signatures/{order.id}", "signature"
        )
    db.session.add(inspection)
    order.inspection = inspection
    db.session.flush()
    return inspection


# --- the estimate ---------------------------------------------------------------------


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
    require(actor, ADVISOR, MANAGER, TECHNICIAN)
    check_version(order, version)
    if order.status not in (
        Status.INTAKE,
        Status.ESTIMATING,
        Status.AWAITING_APPROVAL,
        Status.IN_PROGRESS,
    ):
        raise RuleBroken(_l("Jobs are added only before the final inspection."))
    errors = []
    title = (title or "").strip()
    if not title:
        errors.append(("title", _l("Name the job.")))
    elif len(title) > 200:
        errors.append(("title", _l("At most %(n)s characters.", n=200)))
    for check in (lambda: _hours(labor_hours), lambda: _money(labor_rate, "labor_rate")):
        try:
            check()
        except DomainError as exc:
            errors.extend(exc.errors)
    if category not in CATEGORIES:
        errors.append(("category", _l("Choose a repair category.")))
    for name, value in (("sublet_cost", sublet_cost), ("sublet_price", sublet_price)):
        try:
            _money(value, name)
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


def find_part(site_id: int, part_number: str) -> Part | None:
    """The active catalogue part with this number (any case or spacing)."""
    key = stock.part_number_key(part_number)
    return db.session.scalar(
        select(Part).where(Part.site_id == site_id, Part.number_key == key, Part.active.is_(True))
    )


def add_part_line(
    actor: User,
    order: WorkOrder,
    job: Job,
    *,
    part_number: str,
    quantity: Decimal,
    unit_price: Decimal | None = None,
    condition: str | None = None,
    version: int | None = None,
) -> PartLine:
    """Put a catalogue part on a job; on authorized work only within the authorized amount.

    A technician may request parts for a job of their own.
    """
    require(actor, ADVISOR, "parts", MANAGER, TECHNICIAN)
    if not actor.has_role(ADVISOR, "parts", MANAGER) and job.technician_id != actor.id:
        raise Forbidden(_l("Request parts only for your own jobs."))
    check_version(order, version)
    if job.work_order_id != order.id:
        raise DomainError(_l("This job belongs to another order."), "job_id")
    if job.status in (JobStatus.DECLINED, JobStatus.DONE):
        raise RuleBroken(
            _l("Parts cannot be added to a job that is %(status)s.", status=job.status), "job_id"
        )
    part = find_part(order.site_id, part_number)
    errors = []
    if part is None:
        errors.append(("part_number", _l("No such part in the catalogue.")))
    try:
        stock.check_quantity(quantity)
    except DomainError as exc:
        errors.extend(exc.errors)
    try:
        _money(unit_price, "unit_price")
    except DomainError as exc:
        errors.extend(exc.errors)
    if condition is not None and condition not in CONDITIONS:
        errors.append(
            ("condition", _l("Choose new genuine, new aftermarket, used or reconditioned."))
        )
    if errors:
        raise DomainError(errors)
    requested = not actor.has_role(ADVISOR, "parts", MANAGER) and job.status in (
        JobStatus.APPROVED,
        JobStatus.IN_PROGRESS,
    )
    line = PartLine(
        work_order=order,
        job=job,
        request_status="requested" if requested else None,
        requested_by_id=actor.id if requested else None,
        part_id=part.id,
        part_number=part.part_number,
        name=part.name,
        name_zh=part.name_zh,
        quantity=quantity,
        unit=part.unit,
        unit_price=unit_price if unit_price is not None else part.unit_price,
        unit_cost=part.unit_cost,
        condition=condition or ("new_genuine" if part.genuine else "new_aftermarket"),
    )
    db.session.add(line)
    db.session.flush()
    if not requested and job.status in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        if authorized_total(order) > ceiling(order):
            raise RuleBroken(
                _l(
                    "This part takes the order above the amount the customer authorized. "
                    "Propose it as a new job for the customer's approval."
                ),
                "part_number",
            )
        _reserve(actor, order, line)
    return line


def decide_part_request(
    actor: User, line: PartLine, *, approve: bool, version: int | None = None
) -> PartLine:
    """The desk approves a technician's parts request within the authorization (it goes on
    the bill and is reserved), or declines it. Beyond the authorization the customer decides,
    with the job or in a new authorization."""
    require(actor, *DESK)
    order = line.work_order
    check_version(order, version)
    if line.request_status != "requested":
        raise RuleBroken(_l("This parts line is not a request waiting for a decision."))
    if order.status in (Status.DELIVERED, Status.CANCELLED):
        raise RuleBroken(_l("A closed order cannot be changed."))
    if not approve:
        line.request_status = "declined"
        db.session.flush()
        return line
    line.request_status = None
    if line.job.status in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        if authorized_total(order) > ceiling(order):
            raise RuleBroken(
                _l(
                    "This part takes the order above the amount the customer authorized: "
                    "the customer must authorize it."
                ),
                "line_id",
            )
        _reserve(actor, order, line)
    db.session.flush()
    return line


def _missing(line: PartLine) -> Decimal:
    return line.quantity - line.returned_quantity - line.reserved_quantity - line.issued_quantity


def _reserve(actor: User | None, order: WorkOrder, line: PartLine) -> None:
    if not line.on_the_bill:
        return
    lock_line(line)
    missing = _missing(line)
    if missing > 0:
        if stock.reserve(actor, line.part, missing, work_order_id=order.id, part_line_id=line.id):
            line.reserved_quantity += missing
        else:
            line.job.waiting_for_parts = True
            return
    line.job.waiting_for_parts = any(
        _missing(other) > 0 for other in line.job.parts if other.on_the_bill
    )


def reserve_for_waiting_jobs(part: Part, actor: User | None = None) -> None:
    """When a part arrives, the oldest jobs waiting for it take it first."""
    lines = db.session.scalars(
        select(PartLine)
        .join(Job)
        .where(
            PartLine.part_id == part.id,
            PartLine.request_status.is_(None),
            Job.waiting_for_parts.is_(True),
            Job.status.in_([JobStatus.APPROVED.value, JobStatus.IN_PROGRESS.value]),
        )
        .order_by(Job.id, PartLine.id)
    ).all()
    for line in lines:
        if _missing(line) > 0:
            _reserve(actor, line.work_order, line)
    db.session.flush()


# --- authorization ------------------------------------------------------------------


def authorize_jobs(
    actor: User,
    order: WorkOrder,
    *,
    approved_job_ids: list[int],
    declined_job_ids: list[int],
    authorized_by: str,
    method: str,
    amount: Decimal | None,
    phone: str | None = None,
    signature: bytes | None = None,
    return_old_parts: bool | None = None,
    approved_part_line_ids: list[int] | None = None,
    version: int | None = None,
) -> Authorization:
    """Record the customer's decision on pending and proposed jobs, and the new authorized total.

    The total counts the approved work (``None``: exactly that), and may reach up to the
    order's not-to-exceed ceiling; declined work never raises it. In person the customer
    signs; by phone the number called is kept."""
    require(actor, *DESK)
    check_version(order, version)
    if order.status not in (Status.ESTIMATING, Status.AWAITING_APPROVAL, Status.IN_PROGRESS):
        raise RuleBroken(
            _l("The customer authorizes work only while the order is being estimated or worked on.")
        )
    errors = []
    jobs = {job.id: job for job in order.jobs}
    approved, declined = set(approved_job_ids), set(declined_job_ids)
    requests = {line.id: line for line in order.parts if line.request_status == "requested"}
    approved_parts = set(approved_part_line_ids or ())
    if not approved and not declined and not approved_parts:
        errors.append(("approved_job_ids", _l("Approve or decline at least one job.")))
    if approved_parts - set(requests):
        errors.append(
            (
                "approved_part_line_ids",
                _l("Only parts requests waiting for a decision can be approved."),
            )
        )
    if approved & declined:
        errors.append(("declined_job_ids", _l("A job cannot be both approved and declined.")))
    for job_id in sorted(approved | declined):
        job = jobs.get(job_id)
        if job is None:
            errors.append(("approved_job_ids", _l("Job %(id)s is not on this order.", id=job_id)))
        elif job.status not in (JobStatus.PENDING, JobStatus.PROPOSED):
            errors.append(("approved_job_ids", _l("Job %(id)s was decided already.", id=job_id)))
    authorized_by = (authorized_by or "").strip()
    if not authorized_by:
        errors.append(
            (
                "authorized_by",
                _l("Who authorized? Name the customer or the person they designated."),
            )
        )
    elif len(authorized_by) > 120:
        errors.append(("authorized_by", _l("At most %(n)s characters.", n=120)))
    if method not in ("in_person", "phone"):
        errors.append(("method", _l("Choose in person or by phone.")))
    if method == "in_person" and not signature:
        errors.append(
            ("signature", _l("An authorization in person needs the customer's signature."))
        )
    normalized_phone = None
    if method == "phone":
        try:
            normalized_phone = normalize_phone(
                phone or "", _settings(order).phone_region, field="phone"
            )
        except DomainError as exc:
            errors.extend(exc.errors)
    try:
        _money(amount, "amount")
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    for job_id in approved:
        jobs[job_id].status = JobStatus.APPROVED.value
    for job_id in declined:
        jobs[job_id].status = JobStatus.DECLINED.value
    for line_id in approved_parts:
        requests[line_id].request_status = None
    needed = authorized_total(order)
    if amount is None:
        amount = needed
    if amount < needed:
        raise DomainError(
            _l(
                "The authorized amount must cover the approved work: at least %(total)s.",
                total=needed,
            ),
            "amount",
        )
    most = max(needed, order.not_to_exceed or needed)
    if amount > most:
        raise DomainError(
            _l(
                "The authorized amount counts approved work only (and the not-to-exceed "
                "ceiling): at most %(total)s.",
                total=most,
            ),
            "amount",
        )
    authorization = Authorization(
        authorized_by=authorized_by,
        method=method,
        phone=normalized_phone,
        amount=amount,
        amount_added=amount - order.authorized_amount,
        approved_job_ids=sorted(approved),
        declined_job_ids=sorted(declined),
        return_old_parts=return_old_parts,
        supplementary=order.authorized_amount > 0,
        recorded_by_id=actor.id,
    )
    if signature:
        authorization.signature_file = store_image(signature, f"signatures/{order.id}", "signature")
    order.authorizations.append(authorization)
    db.session.flush()
    for job_id in approved | declined:
        jobs[job_id].decided_by_authorization_id = authorization.id
    order.authorized_amount = amount
    if return_old_parts is not None:
        order.return_old_parts = return_old_parts
    for job_id in sorted(approved):
        for line in jobs[job_id].parts:
            _reserve(actor, order, line)
    for line_id in sorted(approved_parts):
        if requests[line_id].job.status in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
            _reserve(actor, order, requests[line_id])
    if approved and order.status in (Status.ESTIMATING, Status.AWAITING_APPROVAL):
        move_order(actor, order, Status.IN_PROGRESS)
    db.session.flush()
    return authorization


def approve_within_authorization(
    actor: User, order: WorkOrder, job: Job, *, version: int | None = None
) -> Job:
    """Approve a proposed job without asking again, if the total stays within the authorization."""
    require(actor, *DESK)
    check_version(job, version)
    if job.status != JobStatus.PROPOSED:
        raise RuleBroken(_l("Only a proposed job can be approved this way."))
    limit = ceiling(order) if job.is_diagnosis else order.authorized_amount
    if _total_with(order, job) > limit:
        raise RuleBroken(
            _l(
                "This job takes the order above the authorized amount: "
                "the customer must authorize it."
            ),
            "job_id",
        )
    job.status = JobStatus.APPROVED.value
    for line in job.parts:
        _reserve(actor, order, line)
    db.session.flush()
    return job


# --- the workshop ---------------------------------------------------------------------


def assign_job(
    actor: User, job: Job, technician: User | None, *, version: int | None = None
) -> Job:
    """Give a job to a technician (or take it back to the board)."""
    require(actor, *DESK)
    check_version(job, version)
    _editable(actor, job)
    if technician is not None and (
        not technician.active
        or not technician.has_role(TECHNICIAN)
        or technician.site_id != job.work_order.site_id
    ):
        raise DomainError(_l("Choose an active technician."), "technician_id")
    if job.status in (JobStatus.DONE, JobStatus.DECLINED):
        raise RuleBroken(_l("A job that is %(status)s cannot be assigned.", status=job.status))
    if technician is None and _open_clock(job) is not None:
        raise RuleBroken(_l("Someone is clocked on this job."))
    job.technician_id = technician.id if technician else None
    db.session.flush()
    return job


def _open_clock(job: Job, technician_id: int | None = None) -> TimeClock | None:
    stmt = select(TimeClock).where(TimeClock.job_id == job.id, TimeClock.ended_at.is_(None))
    if technician_id is not None:
        stmt = stmt.where(TimeClock.technician_id == technician_id)
    return db.session.scalar(stmt)


def open_clock_of(technician: User) -> TimeClock | None:
    """The technician's open clock, if any."""
    return db.session.scalar(
        select(TimeClock).where(
            TimeClock.technician_id == technician.id, TimeClock.ended_at.is_(None)
        )
    )


def clock_on(actor: User, job: Job, *, version: int | None = None) -> TimeClock:
    """Start the clock on a job; an unassigned job is taken by the technician who clocks on."""
    require(actor, TECHNICIAN, MANAGER)
    lock(job)
    check_version(job, version)
    order = job.work_order
    if job.is_diagnosis and job.status in (JobStatus.PENDING, JobStatus.PROPOSED):
        _preauthorize_diagnosis(order, job)
    ok, why = lifecycle.job_can_start(JobStatus(job.status), Status(order.status))
    if not ok:
        raise RuleBroken(_l(why))
    if job.technician_id not in (None, actor.id) and not actor.has_role(MANAGER):
        raise RuleBroken(_l("This job is assigned to someone else."))
    if open_clock_of(actor) is not None:
        raise RuleBroken(_l("You are clocked on another job: clock off there first."))
    if job.technician_id is None:
        job.technician_id = actor.id
    job.status = JobStatus.IN_PROGRESS.value
    clock = TimeClock(job_id=job.id, work_order_id=order.id, technician_id=actor.id)
    db.session.add(clock)
    if order.status in (Status.ESTIMATING, Status.AWAITING_APPROVAL):
        move_order(None, order, Status.IN_PROGRESS)
    db.session.flush()
    return clock


def _total_with(order: WorkOrder, job: Job) -> Decimal:
    """What the authorized work would come to with ``job`` approved too."""
    amounts = [
        replace(job_amount(j), status="approved") if j.id == job.id else job_amount(j)
        for j in order.jobs
    ]
    return _totals(order, amounts, statuses=AUTHORIZED_WORK).total


def _preauthorize_diagnosis(order: WorkOrder, job: Job) -> None:
    """Approve a diagnosis job the not-to-exceed ceiling covers, as the customer agreed at
    intake; beyond the ceiling the customer must authorize it."""
    if order.not_to_exceed is None:
        raise RuleBroken(
            _l("This diagnosis is not authorized: set a not-to-exceed ceiling or ask the customer.")
        )
    if order.status not in (Status.ESTIMATING, Status.AWAITING_APPROVAL, Status.IN_PROGRESS):
        raise RuleBroken(_l("Diagnosis starts once the order is being estimated."))
    if _total_with(order, job) > ceiling(order):
        raise RuleBroken(
            _l(
                "This diagnosis takes the order past its not-to-exceed ceiling of %(ceiling)s: "
                "the customer must authorize it.",
                ceiling=ceiling(order),
            )
        )
    job.status = JobStatus.APPROVED.value
    for line in job.parts:
        _reserve(None, order, line)


def clock_off(actor: User, job: Job, *, version: int | None = None) -> TimeClock:
    """Stop the actor's clock on a job; the job stays in progress."""
    require(actor, TECHNICIAN, MANAGER)
    lock(job)
    check_version(job, version)
    clock = _open_clock(job, actor.id)
    if clock is None:
        raise RuleBroken(_l("You are not clocked on this job."))
    clock.ended_at = utcnow()
    db.session.flush()
    return clock


def _editable(actor: User, job: Job) -> None:
    """Refuse a change to a job of a closed order, or by a technician not on the job."""
    if job.work_order.status in (Status.DELIVERED, Status.CANCELLED):
        raise RuleBroken(_l("The order is closed: its jobs and findings are kept as they were."))
    if not actor.has_role(ADVISOR, MANAGER) and job.technician_id != actor.id:
        raise Forbidden(_l("Only the job's technician, an advisor or a manager may change it."))


def record_findings(actor: User, job: Job, findings: str, *, version: int | None = None) -> Job:
    """Write down what the technician found."""
    require(actor, TECHNICIAN, ADVISOR, MANAGER)
    check_version(job, version)
    _editable(actor, job)
    job.findings = (findings or "").strip()[:4000] or None
    job.findings_by_id = actor.id
    db.session.flush()
    return job


def excuse_no_clock(actor: User, job: Job, reason: str, *, version: int | None = None) -> Job:
    """Record why a job may be completed with no time clocked (sublet work, a check that took
    no time): only an advisor or a manager may."""
    require(actor, *DESK)
    check_version(job, version)
    _editable(actor, job)
    if job.status not in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        raise RuleBroken(_l("Only authorized work that is not done yet needs this."))
    reason = " ".join((reason or "").split())
    if len(reason) < 3 or len(reason) > 300:
        raise DomainError(_l("Say why no time is clocked (3 to 300 characters)."), "reason")
    job.no_clock_reason = reason
    db.session.flush()
    return job


def clocked_jobs(order: WorkOrder) -> set[int]:
    """The ids of the order's jobs that someone clocked time on."""
    return set(
        db.session.scalars(
            select(TimeClock.job_id).where(TimeClock.work_order_id == order.id).distinct()
        )
    )


def clocked_on_job(job: Job) -> bool:
    """Whether anyone clocked time on the job."""
    return db.session.scalar(select(func.count(TimeClock.id)).where(TimeClock.job_id == job.id)) > 0


def complete_job(actor: User, job: Job, *, version: int | None = None) -> Job:
    """Mark a job done: its clock stops, its parts are issued; the last sends the order to QC."""
    require(actor, TECHNICIAN, MANAGER)
    lock(job)
    check_version(job, version)
    if job.status not in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        raise RuleBroken(_l("Only authorized work can be completed."))
    if job.technician_id not in (None, actor.id) and not actor.has_role(MANAGER):
        raise RuleBroken(_l("This job is assigned to someone else."))
    if job.waiting_for_parts:
        raise RuleBroken(_l("The job is waiting for parts."))
    if not job.no_clock_reason and not clocked_on_job(job):
        raise RuleBroken(
            _l(
                "No time is clocked on this job. Clock on first, or an advisor or manager "
                "records why it needs none (sublet work, a check that took no time)."
            )
        )
    now = utcnow()
    for clock in db.session.scalars(
        select(TimeClock).where(TimeClock.job_id == job.id, TimeClock.ended_at.is_(None))
    ):
        clock.ended_at = now
    order = job.work_order
    for line in sorted(job.parts, key=lambda line: (line.part_id, line.id)):
        lock_line(line)
        if line.reserved_quantity:
            stock.issue(
                actor,
                line.part,
                line.reserved_quantity,
                work_order_id=order.id,
                part_line_id=line.id,
            )
            line.issued_quantity += line.reserved_quantity
            line.reserved_quantity = Decimal("0")
    job.technician_id = job.technician_id or actor.id
    job.completed_by_id = actor.id
    job.status = JobStatus.DONE.value
    job.completed_at = now
    db.session.flush()
    ok, _why = lifecycle.all_work_done(order_facts(order))
    if ok and order.status == Status.IN_PROGRESS:
        move_order(None, order, Status.QUALITY_CHECK)
    return job


# --- final inspection ---------------------------------------------------------------


def record_quality_check(
    actor: User,
    order: WorkOrder,
    *,
    passed: bool,
    checklist: dict,
    road_test_done: bool = False,
    failed_job_ids: list[int] | None = None,
    notes: str | None = None,
    version: int | None = None,
) -> QualityCheck:
    """The final inspection: pass makes the order ready, fail sends named jobs back."""
    require(actor, INSPECTOR, MANAGER)
    check_version(order, version)
    if order.status != Status.QUALITY_CHECK:
        raise RuleBroken(_l("The order is not waiting for its final inspection."))
    if worked_on(order, actor):
        raise RuleBroken(_l("You worked on this car: another inspector must check it."))
    unknown = sorted(set(checklist) - set(QC_CHECKLIST))
    if unknown:
        raise DomainError(
            _l("Unknown checklist item: %(name)s.", name=", ".join(unknown)), "checklist"
        )
    done_jobs = {j.id: j for j in order.jobs if j.status == JobStatus.DONE}
    failed_job_ids = sorted(set(failed_job_ids or []))
    notes = (notes or "").strip()[:4000] or None
    if passed:
        missing = [key for key in QC_CHECKLIST if checklist.get(key) is not True]
        if missing:
            raise DomainError(
                _l("Every item must be checked to pass: %(items)s.", items=", ".join(missing)),
                "checklist",
            )
        if any(j.requires_road_test for j in done_jobs.values()) and not road_test_done:
            raise DomainError(_l("A job on this order needs a road test."), "road_test_done")
        if failed_job_ids:
            raise DomainError(_l("A passed inspection names no failed jobs."), "failed_job_ids")
    else:
        if not failed_job_ids:
            raise DomainError(_l("Name the jobs that must be done again."), "failed_job_ids")
        strangers = [i for i in failed_job_ids if i not in done_jobs]
        if strangers:
            raise DomainError(_l("Only done jobs of this order can fail."), "failed_job_ids")
        if not notes:
            raise DomainError(_l("Say what is wrong."), "notes")
    check = QualityCheck(
        inspector_id=actor.id,
        passed=passed,
        checklist={key: checklist.get(key) is True for key in QC_CHECKLIST},
        road_test_done=bool(road_test_done),
        failed_job_ids=failed_job_ids,
        notes=notes,
    )
    order.quality_checks.append(check)
    db.session.flush()
    if passed:
        move_order(actor, order, Status.READY)
    else:
        for job_id in failed_job_ids:
            done_jobs[job_id].status = JobStatus.APPROVED.value
            done_jobs[job_id].completed_at = None
        move_order(actor, order, Status.IN_PROGRESS, reason=notes)
    return check


# --- ready and handover ---------------------------------------------------------------


def record_notification(
    actor: User, order: WorkOrder, how: str, *, version: int | None = None
) -> WorkOrder:
    """Record that the customer was told the car is ready: how, when, by whom."""
    require(actor, *DESK)
    check_version(order, version)
    if order.status != Status.READY:
        raise RuleBroken(_l("The car is not ready yet."))
    if how not in NOTIFY_CHANNELS:
        raise DomainError(_l("Choose how the customer was told."), "how")
    order.notified_at, order.notified_by_id, order.notified_how = utcnow(), actor.id, how
    db.session.flush()
    return order


def warranty_end(
    settings: DealerSettings, category: str, vehicle_class: str, delivered: date, odometer: int
) -> tuple[date, int]:
    """Until when and until which odometer reading a job's warranty runs, whichever comes first."""
    kilometres, days = settings.warranty_rules[category][vehicle_class]
    return delivered + timedelta(days=days), odometer + kilometres


def hand_over(
    actor: User,
    order: WorkOrder,
    *,
    payment_method: str,
    amount_paid: Decimal,
    received_by: str,
    payer: str | None = None,
    change_given: Decimal | None = None,
    old_parts_returned: bool | None = None,
    signature: bytes | None = None,
    odometer_out: int | None = None,
    version: int | None = None,
) -> WorkOrder:
    """Give the car back: payment, signature, warranty per job, and the callbacks that follow."""
    require(actor, *DESK)
    check_version(order, version)
    if order.status != Status.READY:
        raise RuleBroken(_l("The car can be handed over only when it is ready."))
    errors = []
    if payment_method not in PAYMENT_METHODS:
        errors.append(("payment_method", _l("Choose how the customer paid.")))
    try:
        _money(amount_paid, "amount_paid", allow_none=False)
    except DomainError as exc:
        errors.extend(exc.errors)
    received_by = (received_by or "").strip()
    if not received_by:
        errors.append(("received_by", _l("Who takes the car? Enter the name.")))
    if odometer_out is not None and odometer_out < order.odometer_in:
        errors.append(("odometer_out", _l("The odometer cannot read less than at intake.")))
    if errors:
        raise DomainError(errors)
    if amount_paid:
        record_payment(
            actor,
            order,
            method=payment_method,
            amount=amount_paid,
            payer=payer or received_by,
            change_given=change_given,
            field_name="amount_paid",
        )
    settings = _settings(order)
    now = utcnow()
    order.received_by = received_by[:120]
    order.old_parts_returned = old_parts_returned
    order.odometer_out = odometer_out or order.odometer_in
    order.delivered_at = now
    if signature:
        order.handover_signature = store_image(signature, f"signatures/{order.id}", "signature")
    delivered_on = local_time(now, settings.time_zone).date()
    for job in order.jobs:
        if job.status == JobStatus.DONE:
            job.warranty_until, job.warranty_until_km = warranty_end(
                settings,
                job.category,
                order.vehicle.vehicle_class,
                delivered_on,
                order.odometer_out,
            )
    order.final_total = order_totals(order).total
    settle_figures(order)
    move_order(actor, order, Status.DELIVERED)
    if order.odometer_out > order.vehicle.odometer_km:
        record_odometer(actor, order.vehicle, order.odometer_out, source="work_order")
    if any(job.status == JobStatus.DONE and job.pay_type != "internal" for job in order.jobs):
        order.vehicle.last_service_at = now
        order.vehicle.last_service_km = order.odometer_out
    db.session.flush()
    refresh_customer(order.customer, now)
    schedule_callbacks_after_delivery(order)
    db.session.flush()
    delivered.send(order, actor=actor)
    return order


# --- what customers are worth -------------------------------------------------------


def settle_figures(order: WorkOrder) -> WorkOrder:
    """Keep the delivered order's figures on it, so a period's reports are one aggregate
    over work orders: hours sold and clocked, parts sales and cost (rounded per line, as
    invoiced), the value of declined work, the first approved amount, extra work decided."""
    done = [j for j in order.jobs if j.status == JobStatus.DONE]
    declined = [j for j in order.jobs if j.status == JobStatus.DECLINED]
    order.hours_sold = sum((j.labor_hours for j in done), Decimal("0"))
    clocks = db.session.scalars(
        select(TimeClock).where(
            TimeClock.work_order_id == order.id, TimeClock.ended_at.is_not(None)
        )
    ).all()
    order.clocked_seconds = int(sum((c.ended_at - c.started_at).total_seconds() for c in clocks))
    lines = [line for j in done for line in j.parts]
    order.parts_sales = sum((line_amount(line) for line in lines), Decimal("0.00"))
    order.parts_cost = sum(
        (PartAmount(line.charged_quantity, line.unit_cost).amount for line in lines),
        Decimal("0.00"),
    )
    order.declined_value = sum((job_amount(j).amount for j in declined), Decimal("0.00"))
    order.first_approved = order.authorizations[0].amount if order.authorizations else None
    proposed = [j for j in order.jobs if j.proposed_by_id is not None]
    order.proposed_approved = sum(
        j.status in (JobStatus.APPROVED, JobStatus.IN_PROGRESS, JobStatus.DONE) for j in proposed
    )
    order.proposed_decided = order.proposed_approved + sum(
        j.status == JobStatus.DECLINED for j in proposed
    )
    return order


def customer_figures(
    site_id: int, now: datetime | None = None, customer_ids: list[int] | None = None
) -> dict[int, Figures]:
    """Spend and visits per customer from the delivered orders: over the last 12 months and
    ever, and the last visit; one aggregate query."""
    now = now or utcnow()
    year_ago = now - timedelta(days=365)
    recent = WorkOrder.delivered_at >= year_ago
    stmt = (
        select(
            WorkOrder.customer_id,
            func.coalesce(func.sum(case((recent, WorkOrder.final_total))), Decimal("0")),
            func.sum(case((recent, 1), else_=0)),
            func.coalesce(func.sum(WorkOrder.final_total), Decimal("0")),
            func.max(WorkOrder.delivered_at),
        )
        .where(WorkOrder.site_id == site_id, WorkOrder.status == Status.DELIVERED)
        .group_by(WorkOrder.customer_id)
    )
    if customer_ids is not None:
        stmt = stmt.where(WorkOrder.customer_id.in_(customer_ids))
    return {
        customer_id: Figures(
            spend_12m=Decimal(spend or 0),
            visits_12m=int(visits or 0),
            lifetime=Decimal(total or 0),
            last_visit=last,
        )
        for customer_id, spend, visits, total, last in db.session.execute(stmt)
    }


def refresh_customer(customer, now: datetime | None = None) -> bool:
    """Recompute one customer's figures and VIP tier (at delivery)."""
    figures = customer_figures(customer.site_id, now, [customer.id]).get(customer.id, Figures())
    return vip.apply_figures(customer, figures, vip.tiers(settings_for(customer.site_id)))


def refresh_customers(site_id: int, now: datetime | None = None) -> int:
    """Recompute every customer's figures and VIP tier (nightly); returns how many changed tier."""
    figures = customer_figures(site_id, now)
    rules = vip.tiers(settings_for(site_id))
    stale = select(Customer).where(
        Customer.site_id == site_id,
        or_(
            Customer.id.in_(list(figures) or [0]),
            Customer.vip_tier.is_not(None),
            Customer.spend_12m > 0,
            Customer.visits_12m > 0,
        ),
    )
    changed = 0
    for customer in db.session.scalars(stale.execution_options(yield_per=1000)):
        changed += vip.apply_figures(customer, figures.get(customer.id, Figures()), rules)
    db.session.flush()
    return changed


def book_declined_work(actor: User, callback, *, wanted_on: date | None = None) -> list[BookedWork]:
    """From a declined-work callback: keep the declined jobs as work booked for the car's next
    visit, with the day the customer wants. No order is opened (the car is not here); booking
    again changes nothing but the wanted day."""
    require(actor, CALLBACK, *DESK)
    source = callback.work_order
    if callback.kind != "declined_work" or source is None:
        raise RuleBroken(_l("Only a declined-work callback books declined work."))
    declined = [job for job in source.jobs if job.status == JobStatus.DECLINED]
    if not declined:
        raise RuleBroken(_l("The order has no declined work."))
    if callback.status != "open":
        raise RuleBroken(_l("This callback is closed."))
    if wanted_on is not None:
        today = local_time(utcnow(), _settings(source).time_zone).date()
        if not today <= wanted_on <= today + timedelta(days=366):
            raise DomainError(_l("Choose a day within the coming year."), "wanted_on")
    existing = {
        booking.source_job_id: booking
        for booking in db.session.scalars(
            select(BookedWork).where(BookedWork.source_job_id.in_([j.id for j in declined]))
        )
    }
    bookings = []
    for job in declined:
        booking = existing.get(job.id)
        if booking is None:
            booking = BookedWork(
                site_id=source.site_id,
                customer_id=source.customer_id,
                vehicle_id=source.vehicle_id,
                source_job_id=job.id,
                callback_id=callback.id,
                booked_by_id=actor.id,
            )
            db.session.add(booking)
        if wanted_on is not None and booking.work_order_id is None:
            booking.wanted_on = wanted_on
        bookings.append(booking)
    db.session.flush()
    return bookings


def booked_work_for(vehicle_id: int) -> list[BookedWork]:
    """Work booked for the car and not yet on an order, oldest first."""
    return list(
        db.session.scalars(
            select(BookedWork)
            .where(BookedWork.vehicle_id == vehicle_id, BookedWork.work_order_id.is_(None))
            .order_by(BookedWork.id)
        )
    )


def pull_booked_work(
    actor: User, order: WorkOrder, booking: BookedWork, *, version: int | None = None
) -> Job:
    """Put booked work on the car's order, as a job (with its parts) for the estimate."""
    require(actor, *DESK)
    check_version(order, version)
    if booking.vehicle_id != order.vehicle_id or booking.site_id != order.site_id:
        raise DomainError(_l("This work is booked for another car."), "booking_id")
    if booking.work_order_id is not None:
        raise RuleBroken(_l("This booked work is on an order already."))
    source = booking.source_job
    job = add_job(
        actor,
        order,
        title=source.title,
        labor_hours=source.labor_hours,
        category=source.category,
        labor_rate=source.labor_rate,
    )
    job.rebooked_from_id = source.id
    job.title_zh = source.title_zh
    for line in source.parts:
        if line.request_status is None:
            add_part_line(actor, order, job, part_number=line.part_number, quantity=line.quantity)
    booking.work_order_id = order.id
    booking.job_id = job.id
    booking.pulled_at = utcnow()
    db.session.flush()
    return job


# --- comebacks ---------------------------------------------------------------------


def comeback_in_warranty(order: WorkOrder) -> bool:
    """Whether a comeback order arrives within the warranty of a job on the earlier order."""
    earlier = order.comeback_of
    if earlier is None:
        return False
    today = local_time(order.received_at, _settings(order).time_zone).date()
    return any(
        job.warranty_until
        and today <= job.warranty_until
        and order.odometer_in <= (job.warranty_until_km or 0)
        for job in earlier.jobs
    )


def open_comeback(
    actor: User,
    earlier: WorkOrder,
    *,
    odometer_km: int,
    fuel_level: Decimal,
    concern: str,
    cause: str,
) -> WorkOrder:
    """Open a new order for a car that came back after a delivered one (返修)."""
    if earlier.status != Status.DELIVERED:
        raise RuleBroken(_l("Only a delivered order can have a comeback."))
    return open_work_order(
        actor,
        earlier.vehicle,
        odometer_km=odometer_km,
        fuel_level=fuel_level,
        concern=concern,
        comeback_of=earlier,
        comeback_cause=cause,
    )


# --- the promised time ---------------------------------------------------------------


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
    settings = _settings(order)
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


# --- photos and canned jobs ---------------------------------------------------------

PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png")}
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 60


def photo_type(data: bytes) -> tuple[str, str] | None:
    """The content type and extension of a JPEG, PNG or WebP photo, read from its first bytes."""
    for magic, kind in PHOTO_TYPES.items():
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ("image/webp", "webp")
    return None


def add_photo(actor: User, order: WorkOrder, panel: str, data: bytes):
    """Keep a photo of a body panel taken at intake."""
    require(actor, *DESK)
    if not Status(order.status).is_open:
        raise RuleBroken(_l("A closed order cannot be changed."))
    if panel not in PANELS:
        raise DomainError(_l("Unknown body panel."), "panel")
    if not data:
        raise DomainError(_l("Choose a photo."), "photo")
    if len(data) > MAX_PHOTO_BYTES:
        raise DomainError(_l("A photo is at most 8 MB."), "photo")
    if photo_type(data) is None:
        raise DomainError(_l("A photo must be a JPEG, PNG or WebP image."), "photo")
    if len(order.photos) >= MAX_PHOTOS:
        raise DomainError(_l("At most 60 photos per order."), "photo")
    kept = images.clean_photo(data)
    relative = Path("photos") / str(order.id) / f"{uuid.uuid4().hex}.{kept.extension}"
    target = Path(current_app.config["STORAGE_DIR"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(kept.data)
    photo = InspectionPhoto(
        work_order_id=order.id,
        panel=panel,
        path=str(relative),
        content_type=kept.content_type,
        size=len(kept.data),
        uploaded_by_id=actor.id,
    )
    order.photos.append(photo)
    db.session.flush()
    return photo


def photo_file(photo) -> Path:
    """Where a photo's file is kept."""
    return Path(current_app.config["STORAGE_DIR"]) / photo.path


def photo_name(order: WorkOrder, photo) -> str:
    """The name a photo is saved under: the order, the panel and the photo, never the
    name it was uploaded with."""
    return f"{order.number}-{photo.panel}-{photo.id}{Path(photo.path).suffix}"


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
):
    """Keep (or change) a common job with its parts for the desk to add in one click; its
    Chinese title prints on Chinese papers."""
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


# --- discounts and payments ---------------------------------------------------------


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
    require(actor, *DESK)
    check_version(order, version)
    if order.status in (Status.DELIVERED, Status.CANCELLED):
        raise RuleBroken(_l("A closed order cannot be changed."))
    errors = []
    if kind not in ("amount", "percent"):
        errors.append(("kind", _l("Choose an amount or a percentage.")))
    try:
        _money(value, "value", allow_none=False)
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
    if share > _settings(order).discount_limit_percent and not actor.has_role(MANAGER):
        raise RuleBroken(
            _l(
                "Discounts above %(limit)s%% need a service manager.",
                limit=_settings(order).discount_limit_percent.normalize(),
            ),
            "value",
        )
    if actor.has_role(MANAGER):
        discount.approved_by_id = actor.id
    db.session.flush()
    return discount


def record_payment(
    actor: User,
    order: WorkOrder,
    *,
    method: str,
    amount: Decimal,
    payer: str | None = None,
    change_given: Decimal | None = None,
    field_name: str = "amount",
) -> Payment:
    """Record a payment towards an order (a deposit, or one of several payers).

    More than is due is taken only with the change (or refund) given back recorded, so that
    what the dealer keeps never passes what the customer owes."""
    require(actor, *DESK)
    if order.status == Status.CANCELLED:
        raise RuleBroken(_l("A closed order cannot be changed."))
    errors = []
    if method not in PAYMENT_METHODS:
        errors.append(("payment_method", _l("Choose how the customer paid.")))
    for name, value, allow_none in (
        (field_name, amount, False),
        ("change_given", change_given, True),
    ):
        try:
            _money(value, name, allow_none=allow_none)
        except DomainError as exc:
            errors.extend(exc.errors)
    if isinstance(amount, Decimal) and amount <= 0:
        errors.append((field_name, _l("Enter an amount.")))
    if errors:
        raise DomainError(errors)
    change = change_given or Decimal("0.00")
    due = amount_due(order)
    if change > amount:
        raise DomainError(_l("The change cannot be more than the amount paid."), "change_given")
    if amount - change > due:
        if change_given is None:
            raise DomainError(
                _l(
                    "This is %(over)s more than the %(due)s due. Take the amount due, or "
                    "record the change or refund given back.",
                    over=amount - due,
                    due=due,
                ),
                field_name,
            )
        raise DomainError(
            _l(
                "After the change given back, %(kept)s would be kept, more than the %(due)s due.",
                kept=amount - change,
                due=due,
            ),
            "change_given",
        )
    payment = Payment(
        method=method,
        amount=amount,
        change_given=change_given if change else None,
        payer=(payer or "").strip()[:120] or None,
        recorded_by_id=actor.id,
    )
    order.payments.append(payment)
    db.session.flush()
    return payment


@dataclass(frozen=True)
class TechnicianNow:
    """What one technician is doing now and has clocked today (``technician``: their ``id``
    and ``full_name``)."""

    technician: Row
    clock: TimeClock | None
    job: Job | None
    hours_today: Decimal


def workshop_now(site_id: int, now: datetime | None = None) -> list[TechnicianNow]:
    """Every active technician with their open clock and the hours clocked today (dealer time)."""
    now = now or utcnow()
    settings = settings_for(site_id)
    local = local_time(now, settings.time_zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    technicians = db.session.execute(
        select(User.id, User.full_name)
        .join(UserRole)
        .where(UserRole.role == TECHNICIAN, User.active.is_(True), User.site_id == site_id)
        .order_by(User.full_name, User.id)
    ).all()
    # The ids themselves, not the subquery: PostgreSQL then reads each technician's clocks
    # through the (technician_id, ended_at) index instead of the whole table.
    ids = [t.id for t in technicians]
    # Today's closed clocks per technician, summed in the database (a busy workshop clocks
    # on and off hundreds of times a day) from the index range of clocks ended since
    # midnight; the open clock of each is added below.
    since = case(
        (TimeClock.started_at < midnight, literal(midnight, UTCDateTime())),
        else_=TimeClock.started_at,
    )
    seconds_today = dict(
        db.session.execute(
            select(TimeClock.technician_id, func.sum(seconds_between(since, TimeClock.ended_at)))
            .where(TimeClock.technician_id.in_(ids), TimeClock.ended_at >= midnight)
            .group_by(TimeClock.technician_id)
        ).all()
    )
    # The open clocks are few (one per technician at most, kept in a small index of their
    # own): all of the site's, rather than a list of every technician's id.
    open_clocks = {
        clock.technician_id: (clock, job)
        for clock, job in db.session.execute(
            select(TimeClock, Job)
            .join(Job, Job.id == TimeClock.job_id)
            .join(WorkOrder, WorkOrder.id == Job.work_order_id)
            .where(TimeClock.ended_at.is_(None), WorkOrder.site_id == site_id)
            .options(contains_eager(Job.work_order))
        )
    }
    result = []
    for technician in technicians:
        open_clock, job = open_clocks.get(technician.id, (None, None))
        seconds = float(seconds_today.get(technician.id) or 0)
        if open_clock is not None:
            seconds += (now - max(open_clock.started_at, midnight)).total_seconds()
        seconds = round(seconds)
        result.append(
            TechnicianNow(
                technician=technician,
                clock=open_clock,
                job=job,
                hours_today=(Decimal(seconds) / 3600).quantize(Decimal("0.1")),
            )
        )
    return result


def issue_parts(actor: User, line: PartLine) -> PartLine:
    """Hand a job's reserved parts over to the workshop before the job is done."""
    require(actor, "parts", MANAGER, TECHNICIAN)
    job = line.job
    if not actor.has_role("parts", MANAGER) and job.technician_id != actor.id:
        raise Forbidden(_l("Request parts only for your own jobs."))
    if job.status not in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        raise RuleBroken(_l("Parts are issued only to authorized work."))
    lock_line(line)
    if not line.reserved_quantity:
        raise RuleBroken(_l("Nothing is reserved on this line to issue."))
    stock.issue(
        actor,
        line.part,
        line.reserved_quantity,
        work_order_id=line.work_order_id,
        part_line_id=line.id,
    )
    line.issued_quantity += line.reserved_quantity
    line.reserved_quantity = Decimal("0")
    db.session.flush()
    return line


def return_parts(actor: User, line: PartLine, quantity: Decimal) -> PartLine:
    """Take back issued parts the job did not use; the customer is not charged for them."""
    require(actor, "parts", MANAGER)
    stock.check_quantity(quantity)
    lock_line(line)
    if quantity > line.issued_quantity:
        raise DomainError(_l("At most the issued quantity can come back."), "quantity")
    if line.work_order.status in (Status.DELIVERED, Status.CANCELLED):
        raise RuleBroken(_l("A closed order cannot be changed."))
    stock.return_to_stock(
        actor, line.part, quantity, work_order_id=line.work_order_id, part_line_id=line.id
    )
    line.issued_quantity -= quantity
    line.returned_quantity += quantity
    db.session.flush()
    return line

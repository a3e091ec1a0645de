"""The printed papers of a work order.

The services here build a snapshot of what a paper shows, in the
customer's language, and hand it to ``workorders.pdf`` to lay out. The
settlement list and the completion certificate get their own numbers at
handover and are kept as issued: a reprint returns the stored copy.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload, selectinload

from dealer import pdf as blocks
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import LANGUAGES, User
from dealer.numbers import format_number, next_number
from dealer.phones import display_phone
from dealer.services import settings_for
from dealer.timeutil import local_time
from dealer.types import utcnow
from workorders import pdf as layouts
from workorders.lifecycle import JobStatus, Status
from workorders.models import (
    Authorization,
    IssuedDocument,
    Job,
    PartLine,
    QualityCheck,
    WorkOrder,
)
from workorders.services.inspection import QC_CHECKLIST
from workorders.services.intake import SYMPTOM_KEYS, intake_record, signed_intake
from workorders.services.reading import (
    amount_paid,
    discount_amounts,
    job_amount,
    line_amount,
    order_totals,
    repair_category,
)
from workorders.totals import DiscountAmount, Totals, totals

KINDS = ("work-order", "estimate", "invoice", "certificate", "qc")
ISSUED = {"invoice": "settlement", "certificate": "certificate"}
SERIES = {"settlement": "ST", "certificate": "CC"}
ESTIMATED = frozenset(JobStatus.values()) - {JobStatus.DECLINED.value}


# --- snapshots ------------------------------------------------------------------------


@dataclass(frozen=True)
class Dealer:
    name: str
    address: str
    phone: str
    registration: str = ""


@dataclass(frozen=True)
class PartRow:
    part_number: str
    name: str
    quantity: Decimal
    returned: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal
    condition: str
    bin_location: str


@dataclass(frozen=True)
class JobRow:
    id: int
    title: str
    category: str
    pay_type: str
    status: str
    labor_hours: Decimal
    labor_rate: Decimal
    labor: Decimal
    parts: tuple[PartRow, ...]
    sublet_vendor: str
    sublet_price: Decimal
    amount: Decimal
    technician: str
    findings: str
    claim_number: str
    warranty_until: date | None
    warranty_until_km: int | None

    @property
    def charged(self) -> bool:
        return self.pay_type == "customer"


@dataclass(frozen=True)
class IntakeRow:
    panels: tuple[tuple[str, str, str], ...]
    belongings: tuple[str, ...]
    warning_lights: tuple[str, ...]
    keys_count: int
    acknowledged_by: str
    acknowledged_at: datetime | None
    signature: Path | None
    version: int = 1
    amended: bool = False
    symptoms: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class AuthorizationRow:
    at: datetime
    authorized_by: str
    method: str
    phone: str
    amount: Decimal
    amount_added: Decimal
    supplementary: bool
    approved: tuple[str, ...]
    declined: tuple[str, ...]
    recorded_by: str
    signature: Path | None


@dataclass(frozen=True)
class CheckRow:
    at: datetime
    inspector: str
    passed: bool
    checklist: tuple[tuple[str, bool], ...]
    road_test_done: bool
    failed: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class PaymentRow:
    at: datetime
    method: str
    amount: Decimal
    payer: str


@dataclass(frozen=True)
class DiscountRow:
    reason: str
    percent: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class Difference:
    """How the final total came to differ from the first approved one."""

    first_approved: Decimal
    final: Decimal
    supplements: tuple[tuple[datetime, str, Decimal, tuple[str, ...]], ...]
    other: Decimal

    @property
    def change(self) -> Decimal:
        return self.final - self.first_approved


@dataclass(frozen=True)
class OrderSnapshot:
    """Everything a paper of one work order may show, read once."""

    number: str
    status: str
    language: str
    dealer: Dealer
    customer_name: str
    customer_phone: str
    customer_address: str
    contact_name: str
    vin: str
    frame_number: bool
    plate: str
    vehicle: str
    engine_number: str
    colour: str
    odometer_in: int
    odometer_out: int | None
    fuel_level: Decimal
    received_at: datetime
    promised_at: datetime | None
    delivered_at: datetime | None
    advisor: str
    concern: str
    comeback_of: str
    intake: IntakeRow | None
    jobs: tuple[JobRow, ...]
    totals: Totals
    estimate: Totals
    tax_rate: Decimal
    labor_tax_rate: Decimal | None
    not_to_exceed: Decimal | None
    authorized_amount: Decimal
    authorizations: tuple[AuthorizationRow, ...]
    checks: tuple[CheckRow, ...]
    payments: tuple[PaymentRow, ...]
    paid: Decimal
    discounts: tuple[DiscountRow, ...]
    estimate_at: datetime
    estimate_valid_until: date
    received_by: str
    handover_signature: Path | None
    return_old_parts: bool | None
    old_parts_returned: bool | None
    repair_category: str
    difference: Difference | None
    settlement_number: str = ""
    certificate_number: str = ""
    printed_at: datetime | None = None

    @property
    def delivered(self) -> bool:
        return self.status == Status.DELIVERED

    @property
    def passed_check(self) -> CheckRow | None:
        passed = [c for c in self.checks if c.passed]
        return passed[-1] if passed else None

    def job_title(self, job_id: int) -> str:
        return next((j.title for j in self.jobs if j.id == job_id), str(job_id))


def _file(relative: str | None) -> Path | None:
    return blocks.stored_file(current_app.config["STORAGE_DIR"], relative)


def _name(user: User | None) -> str:
    return user.full_name if user is not None else ""


def _job_row(job: Job, chinese: bool = False) -> JobRow:
    amount = job_amount(job)
    return JobRow(
        id=job.id,
        title=((job.title_zh if chinese else None) or job.title)
        + (f" ({_l('Safety')})" if job.safety else ""),
        category=job.category,
        pay_type=job.pay_type,
        status=job.status,
        labor_hours=job.labor_hours,
        labor_rate=job.labor_rate,
        labor=amount.labor,
        parts=tuple(
            PartRow(
                part_number=line.part_number,
                name=(line.name_zh if chinese else None) or line.name,
                quantity=line.charged_quantity,
                returned=line.returned_quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                amount=line_amount(line),
                condition=line.condition,
                bin_location=(line.part.bin_location or "") if line.part else "",
            )
            for line in job.parts
            if line.on_the_bill
        ),
        sublet_vendor=job.sublet_vendor or "",
        sublet_price=job.sublet_price or Decimal("0.00"),
        amount=amount.amount,
        technician=_name(job.technician),
        findings=job.findings or "",
        claim_number=job.warranty_claim_number or "",
        warranty_until=job.warranty_until,
        warranty_until_km=job.warranty_until_km,
    )


def job_titles(order: WorkOrder) -> dict[int, str]:
    """Each job's title in the language the order's papers print in."""
    chinese = language_of(order) == "zh_Hans"
    return {j.id: (j.title_zh if chinese else None) or j.title for j in order.jobs}


def _difference(order: WorkOrder, final: Decimal) -> Difference | None:
    """The first approved amount, each supplementary authorization, and what else moved."""
    if not order.authorizations:
        return None
    first = order.authorizations[0]
    titles = job_titles(order)
    supplements = tuple(
        (
            a.at,
            a.authorized_by,
            a.amount_added,
            tuple(titles.get(i, "") for i in a.approved_job_ids),
        )
        for a in order.authorizations[1:]
        if a.amount_added or a.approved_job_ids
    )
    added = sum((s[2] for s in supplements), Decimal("0.00"))
    return Difference(
        first_approved=first.amount,
        final=final,
        supplements=supplements,
        other=final - first.amount - added,
    )


def _estimate_at(order: WorkOrder) -> datetime:
    put = [h.at for h in order.history if h.to_status == Status.AWAITING_APPROVAL]
    return put[-1] if put else order.received_at


def snapshot(order: WorkOrder) -> OrderSnapshot:
    """What the papers of ``order`` show, as of now."""
    settings = settings_for(order.site_id)
    customer, vehicle = order.customer, order.vehicle
    chinese = language_of(order) == "zh_Hans"
    jobs = tuple(_job_row(j, chinese) for j in order.jobs)
    amounts = [job_amount(j) for j in order.jobs]
    current = order_totals(order)
    estimate = totals(
        amounts,
        order.tax_rate,
        discount_amounts(order),
        statuses=ESTIMATED,
        labor_tax_rate=order.labor_tax_rate,
    )
    signed = signed_intake(order.inspection)
    shown = signed or order.inspection
    intake = None
    if shown is not None:
        record = intake_record(shown)
        intake = IntakeRow(
            panels=tuple(
                (p.get("panel", ""), p.get("damage", ""), p.get("note", ""))
                for p in record["panels"]
            ),
            belongings=tuple(str(b) for b in record["belongings"]),
            warning_lights=tuple(str(w) for w in record["warning_lights"]),
            keys_count=record["keys_count"],
            acknowledged_by=shown.acknowledged_by or "",
            acknowledged_at=shown.acknowledged_at,
            signature=_file(shown.signature_file),
            version=shown.version,
            amended=signed is not None and signed is not order.inspection,
            symptoms=tuple(
                (key, record["symptoms"][key])
                for key in SYMPTOM_KEYS
                if record["symptoms"].get(key) not in (None, "", False)
            ),
        )
    titles = job_titles(order)
    base = current.labor + current.parts + current.sublet
    issued = {d.kind: d.number for d in issued_documents(order)}
    estimate_at = _estimate_at(order)
    return OrderSnapshot(
        number=order.number,
        status=order.status,
        language=customer.preferred_language,
        dealer=Dealer(
            settings.dealer_name,
            settings.address,
            settings.phone,
            settings.repair_dealer_number or "",
        ),
        customer_name=customer.name,
        customer_phone=display_phone(customer.phone, settings.phone_region),
        customer_address=customer.address or "",
        contact_name=customer.contact_name or "",
        vin=vehicle.vin,
        frame_number=vehicle.frame_number,
        plate=vehicle.plate,
        vehicle=" ".join(str(v) for v in (vehicle.make, vehicle.model, vehicle.year) if v),
        engine_number=vehicle.engine_number or "",
        colour=vehicle.colour or "",
        odometer_in=order.odometer_in,
        odometer_out=order.odometer_out,
        fuel_level=order.fuel_level,
        received_at=order.received_at,
        promised_at=order.promised_at,
        delivered_at=order.delivered_at,
        advisor=_name(order.advisor),
        concern=order.concern,
        comeback_of=order.comeback_of.number if order.comeback_of else "",
        intake=intake,
        jobs=jobs,
        totals=current,
        estimate=estimate,
        tax_rate=order.tax_rate,
        labor_tax_rate=order.labor_tax_rate,
        not_to_exceed=order.not_to_exceed,
        authorized_amount=order.authorized_amount,
        authorizations=tuple(
            AuthorizationRow(
                at=a.at,
                authorized_by=a.authorized_by,
                method=a.method,
                phone=display_phone(a.phone, settings.phone_region) if a.phone else "",
                amount=a.amount,
                amount_added=a.amount_added,
                supplementary=a.supplementary,
                approved=tuple(titles.get(i, "") for i in a.approved_job_ids),
                declined=tuple(titles.get(i, "") for i in a.declined_job_ids),
                recorded_by=_name(a.recorded_by),
                signature=_file(a.signature_file),
            )
            for a in order.authorizations
        ),
        checks=tuple(
            CheckRow(
                at=c.at,
                inspector=_name(c.inspector),
                passed=c.passed,
                checklist=tuple((key, bool(c.checklist.get(key))) for key in QC_CHECKLIST),
                road_test_done=c.road_test_done,
                failed=tuple(titles.get(i, "") for i in c.failed_job_ids),
                notes=c.notes or "",
            )
            for c in order.quality_checks
        ),
        payments=tuple(
            PaymentRow(at=p.at, method=p.method, amount=p.kept, payer=p.payer or "")
            for p in order.payments
        ),
        paid=amount_paid(order),
        discounts=tuple(
            DiscountRow(
                reason=d.reason,
                percent=d.value if d.kind == "percent" else None,
                amount=DiscountAmount(d.value, percent=d.kind == "percent").amount(base),
            )
            for d in order.discounts
        ),
        estimate_at=estimate_at,
        estimate_valid_until=local_time(estimate_at, settings.time_zone).date()
        + timedelta(days=settings.estimate_valid_days),
        received_by=order.received_by or "",
        handover_signature=_file(order.handover_signature),
        return_old_parts=order.return_old_parts,
        old_parts_returned=order.old_parts_returned,
        repair_category=repair_category(order.jobs),
        difference=_difference(order, current.total),
        settlement_number=issued.get("settlement", ""),
        certificate_number=issued.get("certificate", ""),
        printed_at=utcnow(),
    )


# --- rendering ------------------------------------------------------------------------


def language_of(order: WorkOrder) -> str:
    """The language the customer reads: their preference, else Chinese."""
    chosen = order.customer.preferred_language
    return chosen if chosen in LANGUAGES else "zh_Hans"


SNAPSHOT_LOADS = (
    selectinload(WorkOrder.jobs).selectinload(Job.parts).joinedload(PartLine.part),
    selectinload(WorkOrder.jobs).joinedload(Job.technician),
    selectinload(WorkOrder.authorizations).joinedload(Authorization.recorded_by),
    selectinload(WorkOrder.quality_checks).joinedload(QualityCheck.inspector),
    selectinload(WorkOrder.payments),
    selectinload(WorkOrder.discounts),
    selectinload(WorkOrder.history),
    joinedload(WorkOrder.customer),
    joinedload(WorkOrder.vehicle),
    joinedload(WorkOrder.inspection),
    joinedload(WorkOrder.advisor),
)
"""What a snapshot reads of an order, loaded together rather than one attribute at a time:
each list in a statement of its own, each single record joined to the row it belongs to."""


SNAPSHOT_RELATIONS = frozenset(
    {"jobs", "authorizations", "quality_checks", "payments", "discounts", "history"}
    | {"customer", "vehicle", "inspection", "advisor"}
)
"""The order's own relationships that ``SNAPSHOT_LOADS`` loads: an order read with those
loads is not read again."""


def render(order: WorkOrder, kind: str, *, copy: str | None = None) -> bytes:
    """Lay out a paper of the order afresh, in the customer's language."""
    if inspect(order).unloaded & SNAPSHOT_RELATIONS:
        db.session.scalars(
            select(WorkOrder).where(WorkOrder.id == order.id).options(*SNAPSHOT_LOADS)
        ).all()
    with force_locale(language_of(order)):
        snap = snapshot(order)
        if kind == "work-order":
            return layouts.work_order(snap, copies=(copy,) if copy else ("customer", "shop"))
        return layouts.LAYOUTS[kind](snap)


def issued_documents(order: WorkOrder) -> list[IssuedDocument]:
    return list(
        db.session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.work_order_id == order.id)
            .order_by(IssuedDocument.id)
        )
    )


def _issued(order: WorkOrder, kind: str) -> IssuedDocument | None:
    return db.session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.work_order_id == order.id, IssuedDocument.kind == kind
        )
    )


def document(order: WorkOrder, kind: str, *, copy: str | None = None) -> bytes:
    """The PDF of ``kind`` for the order: the copy kept when it was issued, else a fresh one.

    The settlement list before handover prints as a draft without a number;
    the completion certificate exists only once the car is handed over.
    """
    if kind not in KINDS:
        raise DomainError(_l("Unknown document."), "kind")
    if copy not in (None, "customer", "shop"):
        raise DomainError(_l("Choose the customer or the shop copy."), "copy")
    if kind in ISSUED:
        kept = _issued(order, ISSUED[kind])
        if kept is not None:
            path = _file(kept.path)
            if path is not None and path.is_file():
                return path.read_bytes()
            current_app.logger.error("issued %s %s: file missing", kept.kind, kept.number)
        if kind == "certificate" and order.status != Status.DELIVERED:
            raise RuleBroken(
                _l("The completion certificate is issued when the car is handed over.")
            )
    if order.status == Status.CANCELLED and kind in ("invoice", "certificate"):
        raise RuleBroken(_l("A cancelled order has no settlement."))
    return render(order, kind, copy=copy)


def issue_documents(order: WorkOrder, actor: User | None = None) -> list[IssuedDocument]:
    """Number and keep the settlement list and the completion certificate of a delivered order."""
    if order.status != Status.DELIVERED:
        raise RuleBroken(_l("Papers are issued when the car is handed over."))
    year = local_time(order.delivered_at or utcnow(), settings_for(order.site_id).time_zone).year
    made = []
    for kind in ("settlement", "certificate"):
        if _issued(order, kind) is not None:
            continue
        number = format_number(SERIES[kind], year, next_number(order.site_id, SERIES[kind], year))
        made.append(
            IssuedDocument(
                site_id=order.site_id,
                work_order_id=order.id,
                kind=kind,
                number=number,
                language=language_of(order),
                path="",
                size=0,
                sha256="",
                issued_by_id=actor.id if actor else None,
            )
        )
    if not made:
        return []
    db.session.add_all(made)
    db.session.flush()
    layout = {"settlement": "invoice", "certificate": "certificate"}
    for issued in made:
        data = render(order, layout[issued.kind])
        relative = Path("documents") / str(order.id) / f"{uuid.uuid4().hex}.pdf"
        target = Path(current_app.config["STORAGE_DIR"]) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        issued.path, issued.size = str(relative), len(data)
        issued.sha256 = hashlib.sha256(data).hexdigest()
    db.session.flush()
    return made


def filename(order: WorkOrder, kind: str) -> str:
    return f"{order.number}-{kind}.pdf"

"""Warranty claims: a draft made by itself when a warranty-paid job is done, filled from the
job's findings and priced at the manufacturer's rate; corrected and submitted by the warranty
administrator; accepted, rejected (with the reason, then corrected and submitted again) or
paid by the manufacturer. Old parts kept for the manufacturer are tagged against the claim.

The claim's steps and the statuses they start from are in ``STEPS``: a step from any other
status is refused with 409 naming the status."""

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dealer.database import lock
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import User
from dealer.numbers import format_number, next_number
from dealer.services import check_version, require_role
from dealer.spreadsheet import SafeWriter
from mpi.models import FindingPhoto
from warranty.models import Campaign, OldPartTag, WarrantyClaim
from warranty.terms import in_range, site_today, terms
from warranty.vocabulary import ClaimStatus, FaultSystem, TagFate
from workorders.models import InspectionPhoto, Job

WRITE = ("warranty", "manager")
CENT = Decimal("0.01")
TEXT_LIMITS = {
    "labor_op": 20,
    "causal_part_number": 40,
    "failure_code": 20,
    "complaint": 2000,
    "cause": 2000,
    "correction": 2000,
    "manufacturer_number": 60,
}
STEPS = {
    "submit": (ClaimStatus.DRAFT, ClaimStatus.REJECTED),
    "accept": (ClaimStatus.SUBMITTED,),
    "reject": (ClaimStatus.SUBMITTED,),
    "pay": (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED),
    "edit": (ClaimStatus.DRAFT, ClaimStatus.REJECTED),
}
NEEDED = ("labor_op", "causal_part_number", "failure_code", "complaint", "cause", "correction")
"""What the manufacturer needs before a claim goes in (a campaign's claim needs only the
labor operation and the correction: the campaign is the cause)."""


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def price_claim(claim: WarrantyClaim, job: Job) -> None:
    """Price the claim from its job: the hours at the manufacturer's labor rate, each part
    at dealer cost plus the manufacturer's handling, sublet at its cost."""
    site_terms = terms(claim.site_id)
    claim.labor_hours = job.labor_hours
    claim.labor_rate = site_terms.labor_rate
    claim.labor_amount = _money(job.labor_hours * site_terms.labor_rate)
    parts = []
    for line in job.parts:
        quantity = line.charged_quantity
        if quantity <= 0:
            continue
        unit_price = _money(line.unit_cost * (1 + site_terms.parts_handling))
        parts.append(
            {
                "part_number": line.part_number,
                "name": line.name,
                "name_zh": line.name_zh,
                "quantity": str(quantity.normalize()),
                "unit_price": str(unit_price),
                "amount": str(_money(unit_price * quantity)),
            }
        )
    claim.parts = parts
    claim.parts_amount = sum((Decimal(p["amount"]) for p in parts), Decimal("0.00"))
    claim.sublet_amount = _money(job.sublet_cost or Decimal("0"))
    claim.total_claimed = claim.labor_amount + claim.parts_amount + claim.sublet_amount


def draft_for(job: Job, actor: User | None = None) -> WarrantyClaim | None:
    """The draft claim of a warranty-paid job that is done (connected to ``job_done``): made
    the first time, priced again when the job is done again while the claim is a draft."""
    if job.pay_type != "warranty":
        return None
    claim = db.session.scalar(select(WarrantyClaim).where(WarrantyClaim.job_id == job.id))
    order = job.work_order
    if claim is not None:
        if claim.status == ClaimStatus.DRAFT:
            price_claim(claim, job)
            claim.repaired_on = (job.completed_at or datetime.now()).date()
        return claim
    campaign = db.session.get(Campaign, job.campaign_id) if job.campaign_id else None
    first_part = next((line for line in job.parts if line.on_the_bill), None)
    claim = WarrantyClaim(
        site_id=order.site_id,
        work_order=order,
        job=job,
        campaign_id=job.campaign_id,
        status=ClaimStatus.DRAFT.value,
        manufacturer=order.vehicle.make[:60],
        vin=order.vehicle.vin[:17],
        labor_op=campaign.labor_op if campaign else None,
        causal_part_number=first_part.part_number if first_part and not campaign else None,
        complaint=order.concern,
        cause=job.findings,
        correction=job.title,
        repaired_on=(job.completed_at or datetime.now()).date(),
    )
    price_claim(claim, job)
    db.session.add(claim)
    db.session.flush()
    return claim


def _allowed(claim: WarrantyClaim, step: str) -> None:
    if claim.status not in STEPS[step]:
        raise RuleBroken(
            _l(
                "A claim that is %(status)s cannot take this step.",
                status=ClaimStatus.labels()[claim.status],
            ),
            "status",
        )


@dataclass
class ClaimChanges:
    """What the warranty administrator corrects on a claim; ``None`` leaves a field as it is."""

    labor_op: str | None = None
    causal_part_number: str | None = None
    failure_code: str | None = None
    complaint: str | None = None
    cause: str | None = None
    correction: str | None = None
    fault_system: str | None = None
    manufacturer_number: str | None = None


def update_claim(
    actor: User, claim: WarrantyClaim, changes: ClaimChanges, *, version: int | None = None
) -> WarrantyClaim:
    """Correct a draft or rejected claim; each text held to its length, codes in capitals."""
    require_role(actor, *WRITE)
    lock(claim)
    check_version(claim, version)
    _allowed(claim, "edit")
    errors = []
    for name, limit in TEXT_LIMITS.items():
        value = getattr(changes, name)
        if value is not None and len(value.strip()) > limit:
            errors.append((name, _l("At most %(n)s characters.", n=limit)))
    if changes.fault_system not in (None, "", *FaultSystem.values()):
        errors.append(("fault_system", _l("Choose the system of the fault.")))
    if errors:
        raise DomainError(errors)
    for name in TEXT_LIMITS:
        value = getattr(changes, name)
        if value is None:
            continue
        value = value.strip() or None
        if value and name in ("labor_op", "causal_part_number", "failure_code"):
            value = value.upper()
        setattr(claim, name, value)
    if changes.fault_system is not None:
        claim.fault_system = changes.fault_system or None
    claim.updated_by_id = actor.id
    db.session.flush()
    return claim


def missing(claim: WarrantyClaim) -> list[str]:
    """The fields the claim still lacks before it can be submitted."""
    needed = ("labor_op", "correction") if claim.campaign_id else NEEDED
    return [name for name in needed if not getattr(claim, name)]


def submit(actor: User, claim: WarrantyClaim, *, version: int | None = None) -> WarrantyClaim:
    """Send the claim to the manufacturer (again, after a rejection and its correction)."""
    require_role(actor, *WRITE)
    lock(claim)
    check_version(claim, version)
    _allowed(claim, "submit")
    lacking = missing(claim)
    if lacking:
        raise DomainError([(name, _l("Fill this in before submitting.")) for name in lacking])
    today = site_today(claim.site_id)
    claim.status = ClaimStatus.SUBMITTED.value
    claim.submitted_on = today
    claim.first_submitted_on = claim.first_submitted_on or today
    claim.decided_on = None
    claim.updated_by_id = actor.id
    db.session.flush()
    return claim


def accept(
    actor: User,
    claim: WarrantyClaim,
    *,
    manufacturer_number: str | None = None,
    version: int | None = None,
) -> WarrantyClaim:
    """Record that the manufacturer accepted the claim, with its number for the claim."""
    require_role(actor, *WRITE)
    lock(claim)
    check_version(claim, version)
    _allowed(claim, "accept")
    number = (manufacturer_number or "").strip()
    if len(number) > 60:
        raise DomainError(_l("At most %(n)s characters.", n=60), "manufacturer_number")
    claim.manufacturer_number = number or claim.manufacturer_number
    claim.status = ClaimStatus.ACCEPTED.value
    claim.decided_on = site_today(claim.site_id)
    claim.updated_by_id = actor.id
    db.session.flush()
    return claim


def reject(
    actor: User, claim: WarrantyClaim, reason: str, *, version: int | None = None
) -> WarrantyClaim:
    """Record the manufacturer's rejection and its reason; the claim can be corrected and
    submitted again."""
    require_role(actor, *WRITE)
    lock(claim)
    check_version(claim, version)
    _allowed(claim, "reject")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the manufacturer's reason."), "reason")
    if len(reason) > 500:
        raise DomainError(_l("At most %(n)s characters.", n=500), "reason")
    claim.status = ClaimStatus.REJECTED.value
    claim.rejection_reason = reason
    claim.rejections += 1
    claim.decided_on = site_today(claim.site_id)
    claim.updated_by_id = actor.id
    db.session.flush()
    return claim


def pay(
    actor: User,
    claim: WarrantyClaim,
    amount: Decimal | None,
    paid_on: date | None,
    *,
    version: int | None = None,
) -> WarrantyClaim:
    """Record the manufacturer's payment: a short payment is kept and shown as such."""
    require_role(actor, *WRITE)
    lock(claim)
    check_version(claim, version)
    _allowed(claim, "pay")
    errors = []
    if not in_range(amount, Decimal("0"), None, 2):
        errors.append(("amount", _l("Enter the amount paid, with at most 2 decimal places.")))
    elif amount > claim.total_claimed:
        errors.append(
            ("amount", _l("More than was claimed (%(total)s).", total=claim.total_claimed))
        )
    today = site_today(claim.site_id)
    if paid_on is None:
        errors.append(("paid_on", _l("Enter the date of the payment.")))
    elif paid_on > today or paid_on < claim.repaired_on:
        errors.append(("paid_on", _l("A date between the repair and today.")))
    if errors:
        raise DomainError(errors)
    claim.status = ClaimStatus.PAID.value
    claim.paid_amount = _money(amount)
    claim.paid_on = paid_on
    claim.decided_on = claim.decided_on or paid_on
    claim.updated_by_id = actor.id
    db.session.flush()
    return claim


EXPORT_COLUMNS = (
    "claim_id",
    "manufacturer_number",
    "status",
    "manufacturer",
    "vin",
    "work_order",
    "repaired_on",
    "submitted_on",
    "campaign",
    "labor_op",
    "causal_part_number",
    "failure_code",
    "complaint",
    "cause",
    "correction",
    "labor_hours",
    "labor_rate",
    "labor_amount",
    "parts",
    "parts_amount",
    "sublet_amount",
    "total_claimed",
    "old_part_tags",
)


def export_csv(site_id: int, status: str | None) -> str:
    """The claims of one status (all when ``None``) as CSV, one row per claim, for the
    manufacturer's portal (UTF-8 with a BOM)."""
    stmt = select(WarrantyClaim).where(WarrantyClaim.site_id == site_id)
    if status:
        stmt = stmt.where(WarrantyClaim.status == status)
    out = io.StringIO()
    out.write("\ufeff")
    writer = SafeWriter(out)
    writer.writerow(EXPORT_COLUMNS)
    for claim in db.session.scalars(stmt.order_by(WarrantyClaim.id)):
        writer.writerow(
            [
                claim.id,
                claim.manufacturer_number or "",
                claim.status,
                claim.manufacturer,
                claim.vin,
                claim.work_order.number,
                claim.repaired_on.isoformat(),
                claim.submitted_on.isoformat() if claim.submitted_on else "",
                claim.campaign.code if claim.campaign else "",
                claim.labor_op or "",
                claim.causal_part_number or "",
                claim.failure_code or "",
                claim.complaint or "",
                claim.cause or "",
                claim.correction or "",
                str(claim.labor_hours),
                str(claim.labor_rate),
                str(claim.labor_amount),
                "; ".join(f"{p['part_number']} x {p['quantity']}" for p in claim.parts),
                str(claim.parts_amount),
                str(claim.sublet_amount),
                str(claim.total_claimed),
                "; ".join(tag.tag_number for tag in claim.tags),
            ]
        )
    return out.getvalue()


def tag_old_part(
    actor: User,
    claim: WarrantyClaim,
    *,
    part_number: str,
    shelf: str,
    quantity: Decimal = Decimal("1"),
    keep_until: date | None = None,
) -> OldPartTag:
    """Tag an old part kept for the manufacturer: a numbered tag, its shelf, and the date it is
    kept until (the site's keeping days after the repair unless given)."""
    require_role(actor, "warranty", "parts", "manager")
    errors = []
    part_number = (part_number or "").strip().upper()
    if not part_number or len(part_number) > 40:
        errors.append(("part_number", _l("Enter a part number of at most 40 characters.")))
    shelf = (shelf or "").strip()
    if not shelf or len(shelf) > 40:
        errors.append(("shelf", _l("Name the shelf (at most 40 characters).")))
    if not in_range(quantity, Decimal("0"), Decimal("1000"), 3, above=True):
        errors.append(("quantity", _l("A quantity above 0.")))
    today = site_today(claim.site_id)
    if keep_until is not None and keep_until < today:
        errors.append(("keep_until", _l("A date from today on.")))
    if errors:
        raise DomainError(errors)
    year = today.year
    tag = OldPartTag(
        site_id=claim.site_id,
        claim=claim,
        tag_number=format_number("OP", year, next_number(claim.site_id, "OP", year)),
        part_number=part_number,
        quantity=quantity,
        shelf=shelf,
        keep_until=keep_until or claim.repaired_on + timedelta(days=terms(claim.site_id).keep_days),
    )
    db.session.add(tag)
    db.session.flush()
    return tag


def settle_tag(actor: User, tag: OldPartTag, fate: str) -> OldPartTag:
    """Record that a kept part went back to the manufacturer or was scrapped."""
    require_role(actor, "warranty", "parts", "manager")
    if fate not in (TagFate.RETURNED, TagFate.SCRAPPED):
        raise DomainError(_l("Choose returned or scrapped."), "fate")
    if tag.fate != TagFate.KEPT:
        raise RuleBroken(_l("This part is not on the shelf any more."), "fate")
    tag.fate = fate
    tag.fate_on = site_today(tag.site_id)
    tag.fate_by_id = actor.id
    db.session.flush()
    return tag


def tags_on_shelf(site_id: int, due_within: int | None = None) -> list[OldPartTag]:
    """The old parts still kept, soonest due first; ``due_within`` days keeps those due by
    then (0: due today or overdue)."""
    stmt = select(OldPartTag).where(OldPartTag.site_id == site_id, OldPartTag.fate == TagFate.KEPT)
    if due_within is not None:
        stmt = stmt.where(OldPartTag.keep_until <= site_today(site_id) + timedelta(days=due_within))
    return list(db.session.scalars(stmt.order_by(OldPartTag.keep_until, OldPartTag.id)))


def attachments(claim: WarrantyClaim) -> list[dict]:
    """What goes with the claim: the photos of the job's finding and of the car at intake,
    and the tags of the old parts kept."""
    found = []
    job = claim.job
    if job.mpi_item_id:
        for photo in db.session.scalars(
            select(FindingPhoto).where(FindingPhoto.item_id == job.mpi_item_id)
        ):
            found.append({"kind": "finding_photo", "id": photo.id})
    for photo in db.session.scalars(
        select(InspectionPhoto).where(InspectionPhoto.work_order_id == claim.work_order_id)
    ):
        found.append({"kind": "intake_photo", "id": photo.id})
    for tag in claim.tags:
        found.append({"kind": "old_part_tag", "id": tag.id, "tag_number": tag.tag_number})
    return found


def old_parts_due(site_id: int) -> int:
    """How many kept parts are due today or overdue: the parts counter's reminder."""
    return (
        db.session.scalar(
            select(func.count()).where(
                OldPartTag.site_id == site_id,
                OldPartTag.fate == TagFate.KEPT,
                OldPartTag.keep_until <= site_today(site_id),
            )
        )
        or 0
    )

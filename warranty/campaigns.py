"""Recalls and service campaigns: entered or imported by the warranty administrator, flagged
on every page where the desk meets a car they name, added to an order in one click as a
warranty job, and closed for the car by the delivery that did the work."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, insert, select

from customers.models import Vehicle
from customers.notices import VehicleNotice
from customers.vin import check_vin
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.i18n import in_language
from dealer.models import User
from dealer.services import require_role
from dealer.types import utcnow
from parts.models import Part
from parts.stock import part_number_key
from warranty.models import Campaign, CampaignPart, CampaignVin
from warranty.terms import in_range, site_today
from warranty.vocabulary import CampaignKind
from workorders import services as workorders
from workorders.lifecycle import JobStatus
from workorders.models import Job, WorkOrder

WRITE = ("warranty", "manager")
MAX_HOURS = Decimal("200")
MAX_PARTS = 20
CHUNK = 5000


@dataclass
class CampaignInput:
    """A campaign as entered or read from the manufacturer's file."""

    code: str
    kind: str
    title: str
    labor_hours: Decimal | None
    title_zh: str | None = None
    labor_op: str | None = None
    ends_on: date | None = None
    parts: list[tuple[str, Decimal]] = field(default_factory=list)


def check_campaign(site_id: int, data: CampaignInput) -> list[tuple[str, str]]:
    """Every problem with ``data``, by field (the parts must be in the site's catalogue)."""
    errors = []
    code = (data.code or "").strip()
    if not code or len(code) > 40:
        errors.append(("code", _l("Enter the campaign's code (at most 40 characters).")))
    if data.kind not in CampaignKind.values():
        errors.append(("kind", _l("Choose recall or service campaign.")))
    if not (data.title or "").strip() or len(data.title) > 200:
        errors.append(("title", _l("Enter the title (at most 200 characters).")))
    if data.title_zh and len(data.title_zh) > 200:
        errors.append(("title_zh", _l("At most %(n)s characters.", n=200)))
    if data.labor_op and len(data.labor_op) > 20:
        errors.append(("labor_op", _l("At most %(n)s characters.", n=20)))
    hours = data.labor_hours
    if not in_range(hours, Decimal("0"), MAX_HOURS, 2, above=True):
        errors.append(("labor_hours", _l("Labor hours are more than 0 and at most 200.")))
    if len(data.parts) > MAX_PARTS:
        errors.append(("parts", _l("At most %(n)s parts.", n=MAX_PARTS)))
    keys = [part_number_key(number) for number, _qty in data.parts]
    known = (
        set(
            db.session.scalars(
                select(Part.number_key).where(Part.site_id == site_id, Part.number_key.in_(keys))
            )
        )
        if keys
        else set()
    )
    for (number, quantity), key in zip(data.parts, keys, strict=True):
        if key not in known:
            errors.append(("parts", _l("No such part in the catalogue: %(n)s.", n=number)))
        if not in_range(quantity, Decimal("0"), Decimal("1000"), 3, above=True):
            errors.append(("parts", _l("A quantity above 0 for %(n)s.", n=number)))
    return errors


def create_campaign(actor: User | None, site_id: int, data: CampaignInput) -> Campaign:
    """Enter a campaign; its code is the manufacturer's and once per site."""
    require_role(actor, *WRITE)
    errors = check_campaign(site_id, data)
    code = (data.code or "").strip().upper()
    if not errors and db.session.scalar(
        select(Campaign.id).where(Campaign.site_id == site_id, Campaign.code == code)
    ):
        errors.append(("code", _l("A campaign with this code is entered already.")))
    if errors:
        raise DomainError(errors)
    campaign = Campaign(
        site_id=site_id,
        code=code,
        kind=data.kind,
        title=data.title.strip(),
        title_zh=(data.title_zh or "").strip() or None,
        labor_op=(data.labor_op or "").strip().upper() or None,
        labor_hours=data.labor_hours,
        ends_on=data.ends_on,
        created_by_id=actor.id if actor else None,
        parts=[CampaignPart(part_number=n.strip().upper(), quantity=q) for n, q in data.parts],
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


@dataclass
class VinsAdded:
    """What adding VINs did: ``added`` new, ``already`` named before, ``invalid`` refused."""

    added: int = 0
    already: int = 0
    invalid: list[str] = field(default_factory=list)


def add_vins(
    actor: User | None, campaign: Campaign, vins: Iterable[str], *, checked: bool = False
) -> VinsAdded:
    """Name cars in a campaign, in bulk: each VIN checked (unless the caller has checked and
    cleaned them: a checked import), the ones named before counted, the rest written at once
    (a manufacturer's file has 100,000)."""
    require_role(actor, *WRITE)
    result = VinsAdded()
    wanted: list[str] = []
    seen: set[str] = set()
    for text in vins:
        vin = text
        if not checked:
            verdict = check_vin(text or "")
            if verdict.error:
                result.invalid.append((text or "")[:40])
                continue
            vin = verdict.vin
        if vin in seen:
            result.already += 1
            continue
        seen.add(vin)
        wanted.append(vin)
    existing = set(
        db.session.scalars(select(CampaignVin.vin).where(CampaignVin.campaign_id == campaign.id))
    )
    new = [vin for vin in wanted if vin not in existing]
    result.already += len(wanted) - len(new)
    _insert_vins(campaign.id, new)
    result.added = len(new)
    return result


def _insert_vins(campaign_id: int, vins: list[str]) -> None:
    """Write the VINs in the session's transaction: through ``COPY`` on PostgreSQL (a
    hundred thousand rows in about a second), in chunks of one multi-row insert elsewhere."""
    if not vins:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy("COPY campaign_vins (campaign_id, vin) FROM STDIN") as copy:
            for start in range(0, len(vins), CHUNK):
                copy.write(
                    "".join(f"{campaign_id}\t{vin}\n" for vin in vins[start : start + CHUNK])
                )
        return
    table = CampaignVin.__table__
    for start in range(0, len(vins), CHUNK):
        connection.execute(
            insert(table),
            [{"campaign_id": campaign_id, "vin": v} for v in vins[start : start + CHUNK]],
        )


def open_by_vin(site_id: int, vins: Iterable[str]) -> dict[str, list]:
    """The site's campaigns still open for each VIN (rows of id, code, kind, title, title_zh,
    labor_hours), in one query."""
    vins = sorted(set(vins))
    found: dict[str, list] = {}
    if not vins:
        return found
    today = site_today(site_id)
    rows = db.session.execute(
        select(
            CampaignVin.vin,
            Campaign.id,
            Campaign.code,
            Campaign.kind,
            Campaign.title,
            Campaign.title_zh,
        )
        .join(Campaign, Campaign.id == CampaignVin.campaign_id)
        .where(
            CampaignVin.vin.in_(vins),
            CampaignVin.closed_at.is_(None),
            Campaign.site_id == site_id,
            (Campaign.ends_on.is_(None)) | (Campaign.ends_on >= today),
        )
        .order_by(Campaign.kind, Campaign.code)
    )
    for row in rows:
        found.setdefault(row.vin, []).append(row)
    return found


def shown_title(row) -> str:
    """The campaign's title in the reader's language."""
    return in_language(row, "title")


def vehicle_notices(site_id: int, vehicles: list[Vehicle]) -> dict[int, list[VehicleNotice]]:
    """The open campaigns of each car, as notices (connected to ``vehicle_notices``)."""
    by_vin = open_by_vin(site_id, [v.vin for v in vehicles])
    notices: dict[int, list[VehicleNotice]] = {}
    labels = CampaignKind.labels()
    for vehicle in vehicles:
        for row in by_vin.get(vehicle.vin, ()):
            notices.setdefault(vehicle.id, []).append(
                VehicleNotice(
                    kind="campaign",
                    level="danger" if row.kind == CampaignKind.RECALL else "warning",
                    text=f"{labels[row.kind]} {row.code}: {shown_title(row)}",
                    campaign_id=row.id,
                )
            )
    return notices


def vehicle_facts(vehicle: Vehicle) -> dict:
    """A car's open campaigns for its API record (connected to ``vehicle_facts``)."""
    rows = open_by_vin(vehicle.site_id, [vehicle.vin]).get(vehicle.vin, [])
    return {
        "open_campaigns": [
            {"id": r.id, "code": r.code, "kind": r.kind, "title": r.title} for r in rows
        ]
    }


def add_campaign_job(
    actor: User, order: WorkOrder, campaign: Campaign, *, version: int | None = None
) -> Job:
    """Add the campaign's job to an order, paid by warranty, with its labor operation, hours
    and parts. On an order the customer has authorized already, the job is approved at once:
    it costs the customer nothing, so it stays within what they authorized."""
    if campaign.site_id != order.site_id:
        raise DomainError(_l("No such campaign."), "campaign_id")
    is_open = db.session.scalar(
        select(CampaignVin.id).where(
            CampaignVin.campaign_id == campaign.id,
            CampaignVin.vin == order.vehicle.vin,
            CampaignVin.closed_at.is_(None),
        )
    )
    if not is_open:
        raise RuleBroken(_l("This campaign is not open for this car."), "campaign_id")
    if any(
        job.campaign_id == campaign.id and job.status != JobStatus.DECLINED for job in order.jobs
    ):
        raise RuleBroken(_l("The campaign's job is on this order already."), "campaign_id")
    title = campaign.title if not campaign.labor_op else f"{campaign.title} ({campaign.labor_op})"
    job = workorders.add_job(
        actor,
        order,
        title=title[:200],
        labor_hours=campaign.labor_hours,
        category="minor_repair",
        pay_type="warranty",
        warranty_claim_number=campaign.code,
        version=version,
    )
    job.title_zh = campaign.title_zh
    job.campaign_id = campaign.id
    for part in campaign.parts:
        workorders.add_part_line(
            actor, order, job, part_number=part.part_number, quantity=part.quantity
        )
    if job.status == JobStatus.PROPOSED:
        workorders.approve_within_authorization(actor, order, job)
    db.session.flush()
    return job


def after_delivery(order: WorkOrder, actor: User | None = None, now: datetime | None = None):
    """Close, for the delivered car, each campaign whose job the order did (connected to
    ``order_delivered``)."""
    done = {job.campaign_id for job in order.jobs if job.campaign_id and job.status == "done"}
    if not done:
        return
    db.session.execute(
        CampaignVin.__table__.update()
        .where(
            CampaignVin.campaign_id.in_(done),
            CampaignVin.vin == order.vehicle.vin,
            CampaignVin.closed_at.is_(None),
        )
        .values(closed_at=now or utcnow(), closed_work_order_id=order.id)
    )


@dataclass(frozen=True)
class CampaignProgress:
    """How far a campaign has come: the cars it names and the cars done."""

    campaign: Campaign
    vins: int
    closed: int

    @property
    def rate(self) -> Decimal:
        if not self.vins:
            return Decimal("0")
        return (Decimal(self.closed) / self.vins).quantize(Decimal("0.0001"))


def progress(site_id: int) -> list[CampaignProgress]:
    """Each of the site's campaigns with its completion, newest first."""
    counts = {
        row.campaign_id: (row.vins, row.closed)
        for row in db.session.execute(
            select(
                CampaignVin.campaign_id,
                func.count().label("vins"),
                func.count(CampaignVin.closed_at).label("closed"),
            )
            .join(Campaign, Campaign.id == CampaignVin.campaign_id)
            .where(Campaign.site_id == site_id)
            .group_by(CampaignVin.campaign_id)
        )
    }
    campaigns = db.session.scalars(
        select(Campaign).where(Campaign.site_id == site_id).order_by(Campaign.id.desc())
    )
    return [CampaignProgress(c, *counts.get(c.id, (0, 0))) for c in campaigns]


def open_among_visitors(site_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    """Of the cars that visited between ``start`` and ``end``: how many still have an open
    campaign, and how many visited."""
    visited = (
        select(Vehicle.vin)
        .join(WorkOrder, WorkOrder.vehicle_id == Vehicle.id)
        .where(
            WorkOrder.site_id == site_id, WorkOrder.created_at >= start, WorkOrder.created_at < end
        )
        .distinct()
        .subquery()
    )
    total = db.session.scalar(select(func.count()).select_from(visited)) or 0
    still_open = (
        db.session.scalar(
            select(func.count(func.distinct(visited.c.vin)))
            .select_from(visited)
            .join(
                CampaignVin, and_(CampaignVin.vin == visited.c.vin, CampaignVin.closed_at.is_(None))
            )
            .join(
                Campaign, and_(Campaign.id == CampaignVin.campaign_id, Campaign.site_id == site_id)
            )
        )
        or 0
    )
    return still_open, total


def parse_hours(text: str) -> Decimal | None:
    """Hours as typed, or None when they are not a number."""
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        return None

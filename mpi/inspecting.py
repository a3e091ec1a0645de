"""Inspecting an order: started from a template (its items copied, so a later change to the
template leaves it as it was), item by item with a colour, a measurement that suggests its
colour, a note, photos and the work recommended for a yellow or red item; completed, each
recommendation becomes a job proposed on the order for the advisor to review.

Who may: the desk, and a technician with a job on the order, while jobs may still be added
to it (before the final inspection)."""

import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dealer import images
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.hooks import Hook
from dealer.models import User
from dealer.roles import ADVISOR, MANAGER
from dealer.services import check_version
from dealer.types import utcnow
from mpi import templates
from mpi.models import FindingPhoto, InspectionTemplate, MpiInspection, MpiItem
from mpi.vocabulary import Condition, InspectionStatus
from workorders import services as wo
from workorders.lifecycle import Action
from workorders.models import CannedJob, WorkOrder

inspection_released = Hook(
    "inspection-released",
    "Called with the inspection and ``actor`` when the advisor releases it to the customer, "
    "inside the release's transaction: after-sales care connects here to send the link.",
)
MAX_PHOTOS_PER_ITEM = 6
MAX_PHOTO_BYTES = 8 * 1024 * 1024
ATTENTION = (Condition.YELLOW.value, Condition.RED.value)


def _may_inspect(actor: User, order: WorkOrder) -> None:
    wo.allow(actor, order, Action.ADD_JOB)
    if not actor.has_role(ADVISOR, MANAGER) and not any(
        job.technician_id == actor.id for job in order.jobs
    ):
        raise Forbidden(_l("Inspect only a car you have a job on."))


def inspection_of(order: WorkOrder) -> MpiInspection | None:
    """The order's inspection, if it has one."""
    return db.session.scalar(
        select(MpiInspection).where(MpiInspection.work_order_id == order.id).limit(1)
    )


def start(
    actor: User, order: WorkOrder, template: InspectionTemplate | None = None
) -> MpiInspection:
    """Begin the order's inspection from ``template`` (the site's default when None), not
    committed; an order has one inspection."""
    _may_inspect(actor, order)
    if inspection_of(order) is not None:
        raise RuleBroken(_l("The car is inspected already: open its inspection."))
    template = template or templates.default_template(order.site_id)
    if template is None or template.site_id != order.site_id or not template.active:
        raise DomainError(_l("Choose an inspection template."), "template_id")
    inspection = MpiInspection(
        site_id=order.site_id,
        work_order_id=order.id,
        template_id=template.id,
        started_by_id=actor.id,
        items=[MpiItem(**item.facts()) for item in template.items],
    )
    db.session.add(inspection)
    db.session.flush()
    return inspection


def _open(actor: User, inspection: MpiInspection) -> None:
    _may_inspect(actor, inspection.work_order)
    if inspection.status != InspectionStatus.OPEN.value:
        raise RuleBroken(_l("The inspection is completed: it no longer changes."))


def _recommendation(site_id: int, given: dict | None) -> dict | None:
    if not given:
        return None
    errors = []
    title = str(given.get("title") or "").strip()
    if not title or len(title) > 200:
        errors.append(("recommendation.title", _l("Name the work (at most 200 characters).")))
    try:
        hours = Decimal(str(given.get("labor_hours")))
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or not 0 < hours <= 100:
        errors.append(("recommendation.labor_hours", _l("Between 0 and 100 hours.")))
    canned_id = given.get("canned_job_id")
    if canned_id is not None:
        canned = db.session.get(CannedJob, canned_id) if isinstance(canned_id, int) else None
        if canned is None or canned.site_id != site_id or not canned.active:
            errors.append(("recommendation.canned_job_id", _l("No such common job.")))
    numbers = given.get("part_numbers") or []
    if not isinstance(numbers, list) or len(numbers) > 20:
        errors.append(("recommendation.part_numbers", _l("At most 20 part numbers.")))
        numbers = []
    for number in numbers:
        if wo.find_part(site_id, str(number)) is None:
            errors.append(("recommendation.part_numbers", _l("No such part in the catalogue.")))
            break
    if errors:
        raise DomainError(errors)
    return {
        "title": title,
        "labor_hours": str(hours),
        "canned_job_id": canned_id,
        "part_numbers": [str(n) for n in numbers],
    }


def record(
    actor: User,
    item: MpiItem,
    *,
    condition: str | None = None,
    measurement: Decimal | None = None,
    note: str | None = None,
    recommendation: dict | None = None,
) -> MpiItem:
    """What the technician found of an item (not committed): a measured item left without a
    colour takes the one its thresholds suggest; a recommendation only for yellow or red."""
    inspection = item.inspection
    _open(actor, inspection)
    errors = []
    if measurement is not None:
        if not isinstance(measurement, Decimal) or not measurement.is_finite():
            errors.append(("measurement", _l("Enter a number.")))
        elif not 0 <= measurement <= templates.MAX_MEASURE:
            errors.append(("measurement", _l("A measurement is between 0 and 100,000.")))
        elif measurement.as_tuple().exponent < -2:
            errors.append(("measurement", _l("At most 2 decimal places.")))
    if condition is not None and condition not in Condition.values():
        errors.append(("condition", _l("Choose green, yellow, red or not checked.")))
    note = (note or "").strip()
    if len(note) > 2000:
        errors.append(("note", _l("At most %(n)s characters.", n=2000)))
    if errors:
        raise DomainError(errors)
    if measurement is not None and condition in (None, Condition.NOT_CHECKED.value):
        condition = templates.suggest(item, measurement) or condition
    condition = condition or item.condition
    if recommendation and condition not in ATTENTION:
        raise DomainError(_l("Recommend work only for a yellow or red item."), "recommendation")
    item.recommendation = (
        _recommendation(inspection.site_id, recommendation) if condition in ATTENTION else None
    )
    item.condition = condition
    item.measurement = measurement
    item.note = note or None
    item.checked_by_id = actor.id
    item.checked_at = utcnow()
    db.session.flush()
    return item


VIDEOS = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}
MAX_VIDEO_BYTES = 15 * 1024 * 1024


def video_type(data: bytes) -> str | None:
    """The kind of a short video by its first bytes (MP4 or QuickTime, WebM), or None."""
    if data[4:8] == b"ftyp":
        return "video/quicktime" if data[8:12] == b"qt  " else "video/mp4"
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


def add_photo(actor: User, item: MpiItem, data: bytes) -> FindingPhoto:
    """Keep a photo (scaled and cleaned as intake photos are) or a short video of what was
    found on an item, as the tablet's camera took it."""
    _open(actor, item.inspection)
    if not data:
        raise DomainError(_l("Choose a photo."), "file")
    if len(item.photos) >= MAX_PHOTOS_PER_ITEM:
        raise DomainError(_l("At most %(n)s photos per item.", n=MAX_PHOTOS_PER_ITEM), "file")
    video = video_type(data)
    if video is not None:
        if len(data) > MAX_VIDEO_BYTES:
            raise DomainError(_l("A video is at most 15 MB: keep it short."), "file")
        kept, content_type, extension = data, video, VIDEOS[video]
    else:
        if len(data) > MAX_PHOTO_BYTES:
            raise DomainError(_l("A photo is at most 8 MB."), "file")
        if wo.photo_type(data) is None:
            raise DomainError(
                _l("A photo must be a JPEG, PNG or WebP image; a video MP4 or WebM."), "file"
            )
        photo = images.clean_photo(data, "file")
        kept, content_type, extension = photo.data, photo.content_type, photo.extension
    order_id = item.inspection.work_order_id
    relative = Path("mpi") / str(order_id) / f"{uuid.uuid4().hex}.{extension}"
    target = Path(current_app.config["STORAGE_DIR"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(kept)
    found = FindingPhoto(
        path=str(relative), content_type=content_type, size=len(kept), uploaded_by_id=actor.id
    )
    item.photos.append(found)
    db.session.flush()
    return found


def photo_file(photo: FindingPhoto) -> Path:
    """Where a finding's photo is kept."""
    return Path(current_app.config["STORAGE_DIR"]) / photo.path


def photo_name(order: WorkOrder, photo: FindingPhoto) -> str:
    """The name a photo is saved under: the order, the item and the photo."""
    return f"{order.number}-{photo.item.code}-{photo.id}{Path(photo.path).suffix}"


def _proposed_job(actor: User, order: WorkOrder, item: MpiItem):
    """The job an item's recommendation becomes: a common job's title and parts, or the
    title and parts written; a technician's finding stays theirs to do."""
    wanted = item.recommendation
    canned_id = wanted.get("canned_job_id")
    canned = db.session.get(CannedJob, canned_id) if canned_id else None
    if canned is not None and canned.active:
        title, title_zh, category = canned.title, canned.title_zh, canned.category
        parts = [(p["part_number"], Decimal(str(p["quantity"]))) for p in canned.parts or ()]
    else:
        title, title_zh, category = wanted["title"], None, "minor_repair"
        parts = [(number, Decimal("1")) for number in wanted.get("part_numbers") or ()]
    job = wo.add_job(
        actor,
        order,
        title=title,
        labor_hours=Decimal(wanted["labor_hours"]),
        category=category,
        findings=item.note,
    )
    job.title_zh = title_zh
    job.mpi_item_id = item.id
    job.safety = item.condition == Condition.RED.value
    if not actor.has_role(ADVISOR, MANAGER):
        job.technician_id = actor.id
    for number, quantity in parts:
        wo.add_part_line(actor, order, job, part_number=number, quantity=quantity)
    return job


def complete(actor: User, inspection: MpiInspection, *, version: int | None = None):
    """Close the inspection (not committed): each yellow or red item with a recommendation
    becomes a job on the order, from its common job (hours and parts) or as written, for the
    advisor to review and the customer to decide."""
    check_version(inspection, version)
    _open(actor, inspection)
    order = inspection.work_order
    for item in inspection.items:
        if item.condition in ATTENTION and item.recommendation and item.job is None:
            _proposed_job(actor, order, item)
            db.session.expire(item, ["job"])
    inspection.status = InspectionStatus.COMPLETED.value
    inspection.completed_by_id = actor.id
    inspection.completed_at = utcnow()
    db.session.flush()
    return inspection


def release(actor: User, inspection: MpiInspection, *, version: int | None = None):
    """The advisor sends the completed inspection to the customer (not committed): it shows
    on the customer's link, and the customer gets the "inspection ready" message."""
    wo.require(actor, ADVISOR, MANAGER)
    check_version(inspection, version)
    if inspection.status != InspectionStatus.COMPLETED.value:
        raise RuleBroken(_l("Complete the inspection first; it is released once."))
    inspection.status = InspectionStatus.RELEASED.value
    db.session.flush()
    inspection_released(inspection, actor=actor)
    return inspection


def released_inspection(order: WorkOrder) -> MpiInspection | None:
    """The order's inspection as the customer may see it: once the advisor released it."""
    found = inspection_of(order)
    if found is None or found.status != InspectionStatus.RELEASED.value:
        return None
    return found


def by_system(inspection: MpiInspection | None) -> dict[str, list[MpiItem]]:
    """The checked items by system, in the order the technician walks them (empty: none)."""
    groups: dict[str, list[MpiItem]] = {}
    for item in inspection.items if inspection is not None else ():
        if item.condition != Condition.NOT_CHECKED.value:
            groups.setdefault(item.item_group, []).append(item)
    return groups

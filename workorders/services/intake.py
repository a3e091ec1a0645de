"""Opening an order and the intake walk-around: the customer's concern, the car's state,
damage marks and photos, the signed intake record."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from customers.models import Vehicle
from customers.services import record_odometer
from dealer import images
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import User
from dealer.numbers import format_number, next_number
from dealer.services import settings_for
from dealer.timeutil import check_promised_time, local_time
from dealer.types import utcnow
from workorders.lifecycle import Action, Status
from workorders.models import (
    COMEBACK_CAUSES,
    Inspection,
    InspectionPhoto,
    InspectionVersion,
    WorkOrder,
)
from workorders.services.base import (
    DESK,
    allow,
    money_input,
    move_order,
    record_history,
    require,
    store_image,
)
from workorders.vocabulary import Damage, Panel, Symptom, WarningLight

FUEL_LEVELS = (Decimal("0"), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal("1"))


PANELS = Panel.values()


DAMAGE = Damage.values()


WARNING_LIGHTS = WarningLight.values()


SYMPTOM_KEYS = Symptom.values()


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
        money_input(not_to_exceed, "not_to_exceed")
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
    record_history(order, actor, None)
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
    allow(actor, order, Action.EDIT, version=version)
    if concern is not None:
        order.concern = _concern(concern)
    if promised_at is not None:
        order.promised_at = check_promised_time(promised_at)
    if not_to_exceed is not None or clear_not_to_exceed:
        order.not_to_exceed = money_input(not_to_exceed, "not_to_exceed")
    db.session.flush()
    return order


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
    fuel_level: Decimal | None = None
    """The fuel gauge read at the walk-around, when it corrects the one read at opening."""


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
    the acknowledged one is kept as it was, and is what the papers print until then. An
    order at intake moves on to its estimate as soon as the customer acknowledges the record;
    until then the record is a draft and the order stays at intake."""
    allow(actor, order, Action.RECORD_INTAKE, version=version)
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
    if data.fuel_level is not None:
        if data.fuel_level not in FUEL_LEVELS:
            raise DomainError(_l("The fuel level is 0, 0.25, 0.5, 0.75 or 1."), "fuel_level")
        order.fuel_level = data.fuel_level
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
    if order.status == Status.INTAKE and inspection.acknowledged:
        move_order(actor, order, Status.ESTIMATING)
    return inspection


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
    allow(actor, order, Action.ADD_PHOTO)
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

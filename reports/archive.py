"""The repair archive: delivered orders of a period as the vehicle-repair e-health archive
(汽车维修电子健康档案) records them, for upload by the dealer."""

import io
import json
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.services import settings_for
from dealer.spreadsheet import SafeWriter
from dealer.timeutil import check_day, day_start, local_time
from workorders.lifecycle import JobStatus, Status
from workorders.models import IssuedDocument, Job, WorkOrder

ARCHIVE_FIELDS = (
    "companyname",
    "vin",
    "vehicleplatenumber",
    "repairdate",
    "repairmileage",
    "settledate",
    "costlistcode",
    "faultdescription",
)
ITEM_FIELDS = ("repairproject", "workinghours")
PART_FIELDS = ("partsname", "partscode", "partsquantity")
MAX_ARCHIVE_DAYS = 366


def archive_range(start: date | None, end: date | None) -> tuple[date, date]:
    """Check a period for the archive export: both dates, in order, at most a year."""
    errors = []
    if start is None:
        errors.append(("from", _l("Enter the first day.")))
    if end is None:
        errors.append(("to", _l("Enter the last day.")))
    if errors:
        raise DomainError(errors)
    check_day(start, "from")
    check_day(end, "to")
    if end < start:
        raise DomainError(_l("The last day comes before the first."), "to")
    if (end - start).days >= MAX_ARCHIVE_DAYS:
        raise DomainError(_l("Export at most a year at a time."), "to")
    return start, end


def archive_records(site_id: int, start: date, end: date) -> list[dict]:
    """Every order delivered from ``start`` to ``end`` (local days, both included), as the
    vehicle-repair e-health archive records it: the order, its repair items and parts."""
    settings = settings_for(site_id)
    since = day_start(start, settings.time_zone)
    until = day_start(end + timedelta(days=1), settings.time_zone)
    orders = db.session.scalars(
        select(WorkOrder)
        .where(
            WorkOrder.site_id == site_id,
            WorkOrder.status == Status.DELIVERED,
            WorkOrder.delivered_at >= since,
            WorkOrder.delivered_at < until,
        )
        .order_by(WorkOrder.delivered_at, WorkOrder.id)
        .options(
            selectinload(WorkOrder.vehicle),
            selectinload(WorkOrder.jobs).selectinload(Job.parts),
        )
    ).all()
    numbers = dict(
        db.session.execute(
            select(IssuedDocument.work_order_id, IssuedDocument.number).where(
                IssuedDocument.work_order_id.in_([o.id for o in orders] or [0]),
                IssuedDocument.kind == "settlement",
            )
        ).all()
    )
    records = []
    for order in orders:
        done = [j for j in order.jobs if j.status == JobStatus.DONE]
        records.append(
            {
                "companyname": settings.dealer_name,
                "vin": order.vehicle.vin,
                "vehicleplatenumber": order.vehicle.plate,
                "repairdate": local_time(order.received_at, settings.time_zone).date().isoformat(),
                "repairmileage": order.odometer_in,
                "settledate": local_time(order.delivered_at, settings.time_zone).date().isoformat(),
                "costlistcode": numbers.get(order.id, ""),
                "faultdescription": order.concern,
                "repairprojectlist": [
                    {"repairproject": j.title_zh or j.title, "workinghours": str(j.labor_hours)}
                    for j in done
                ],
                "partslist": [
                    {
                        "partsname": line.name_zh or line.name,
                        "partscode": line.part_number,
                        "partsquantity": str(line.charged_quantity.normalize()),
                    }
                    for j in done
                    for line in j.parts
                    if line.charged_quantity > 0
                ],
            }
        )
    return records


def archive_json(records: list[dict]) -> bytes:
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def archive_csv(records: list[dict]) -> bytes:
    """One row per repair item and per part, each with its order's fields (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerow([*ARCHIVE_FIELDS, *ITEM_FIELDS, *PART_FIELDS])
    for record in records:
        head = [record[f] for f in ARCHIVE_FIELDS]
        items = record["repairprojectlist"]
        parts = record["partslist"]
        if not items and not parts:
            writer.writerow([*head, "", "", "", "", ""])
        for item in items:
            writer.writerow([*head, item["repairproject"], item["workinghours"], "", "", ""])
        for part in parts:
            writer.writerow([*head, "", "", *(part[f] for f in PART_FIELDS)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")

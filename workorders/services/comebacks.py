"""After delivery: comebacks within warranty, and declined work booked for the next visit."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import User
from dealer.types import utcnow
from workorders.lifecycle import Action
from workorders.models import (
    BookedWork,
    Job,
    WorkOrder,
)
from workorders.services.base import allow
from workorders.services.estimate import add_job
from workorders.services.intake import open_work_order
from workorders.services.part_lines import add_part_line


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
    allow(actor, order, Action.PULL_BOOKED_WORK, version=version)
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
    allow(actor, earlier, Action.OPEN_COMEBACK)
    return open_work_order(
        actor,
        earlier.vehicle,
        odometer_km=odometer_km,
        fuel_level=fuel_level,
        concern=concern,
        comeback_of=earlier,
        comeback_cause=cause,
    )

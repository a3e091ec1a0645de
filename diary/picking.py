"""The parts counter's pick list for booked cars.

The evening before (at the time in Settings, or when the counter asks), each booking of the
day gets the parts its common jobs carry reserved in stock, and what the stock cannot cover
is flagged so it can be ordered in time. A booking that ends or moves gives its parts back;
a car that arrives passes them to its work order's lines.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dealer.database import lock
from dealer.extensions import db
from dealer.models import User
from dealer.roles import ADVISOR, MANAGER
from dealer.services import require_role, settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from diary.models import Appointment, AppointmentJob, AppointmentPart
from diary.vocabulary import HOLDING
from parts import stock
from parts.models import Part
from workorders import services as wo
from workorders.models import CannedJob, WorkOrder

PICKERS = (ADVISOR, "parts", MANAGER)


def _day_bounds(site_id: int, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, zone(settings_for(site_id).time_zone))
    return start, start + timedelta(days=1)


def bookings_of(site_id: int, day: date) -> list[Appointment]:
    """The bookings still holding room that start on ``day``, with their jobs and parts."""
    start, end = _day_bounds(site_id, day)
    return list(
        db.session.scalars(
            select(Appointment)
            .where(
                Appointment.site_id == site_id,
                Appointment.status.in_(HOLDING),
                Appointment.start_at >= start,
                Appointment.start_at < end,
            )
            .options(
                selectinload(Appointment.jobs),
                selectinload(Appointment.parts).selectinload(AppointmentPart.part),
            )
            .order_by(Appointment.start_at, Appointment.id)
        )
    )


def _needed(appointment: Appointment) -> list[tuple[int, Part, Decimal]]:
    """(common job, part, quantity) for every part the booked common jobs carry."""
    found = []
    for job in appointment.jobs:
        canned = db.session.get(CannedJob, job.canned_job_id) if job.canned_job_id else None
        if canned is None:
            continue
        for item in canned.parts or ():
            part = wo.find_part(appointment.site_id, item["part_number"])
            if part is not None:
                found.append((canned.id, part, Decimal(str(item["quantity"]))))
    return found


def pick(actor: User | None, appointment: Appointment) -> Appointment:
    """Reserve what the booking's jobs need and what stock allows (not committed); the
    rest stays flagged as missing, and a later pick tries again."""
    if actor is not None:
        require_role(actor, *PICKERS)
    if not appointment.parts:
        for canned_id, part, quantity in _needed(appointment):
            appointment.parts.append(
                AppointmentPart(part_id=part.id, canned_job_id=canned_id, quantity=quantity)
            )
        db.session.flush()
    for line in sorted(appointment.parts, key=lambda line: (line.part_id, line.id)):
        if line.missing <= 0:
            continue
        lock(line.part, key_share=True)
        if stock.reserve(actor, line.part, line.missing, appointment_id=appointment.id):
            line.reserved = line.quantity
    appointment.picked_at = utcnow()
    db.session.flush()
    return appointment


def give_back(actor: User | None, appointment: Appointment) -> None:
    """Return to stock what the booking holds (it ended, or moved to another day)."""
    for line in sorted(appointment.parts, key=lambda line: (line.part_id, line.id)):
        if line.reserved > 0:
            lock(line.part, key_share=True)
            stock.release(actor, line.part, line.reserved, appointment_id=appointment.id)
            line.reserved = Decimal("0")
    appointment.picked_at = None
    db.session.flush()


def pick_day(actor: User | None, site_id: int, day: date) -> list[Appointment]:
    """The pick list's run for ``day``: every booking of the day reserves its parts."""
    bookings = bookings_of(site_id, day)
    for appointment in bookings:
        pick(actor, appointment)
    return bookings


def hand_over(actor: User, appointment: Appointment, order: WorkOrder) -> None:
    """Pass what the booking holds to the lines of its order's jobs for the same parts: the
    booking's reservation is given back and the line takes it at once."""
    held: dict[int, Decimal] = {}
    for line in appointment.parts:
        held[line.part_id] = held.get(line.part_id, Decimal("0")) + line.reserved
    give_back(actor, appointment)
    for line in sorted(order.parts, key=lambda line: (line.part_id, line.id)):
        left = held.get(line.part_id, Decimal("0"))
        if left > 0:
            held[line.part_id] = left - wo.hold_booked_parts(actor, order, line, left)
    db.session.flush()


@dataclass(frozen=True)
class PickLine:
    """A part to take off the shelf for a booking, or to order when stock falls short."""

    appointment: Appointment
    part: Part
    job: AppointmentJob | None
    quantity: Decimal
    reserved: Decimal

    @property
    def missing(self) -> Decimal:
        return self.quantity - self.reserved


def pick_list(site_id: int, day: date) -> list[PickLine]:
    """The day's pick list by booking time, then bin: what is held and what is missing."""
    lines = []
    for appointment in bookings_of(site_id, day):
        jobs = {job.canned_job_id: job for job in appointment.jobs}
        lines += [
            PickLine(
                appointment, line.part, jobs.get(line.canned_job_id), line.quantity, line.reserved
            )
            for line in appointment.parts
        ]
    return lines

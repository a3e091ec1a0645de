"""The figures of booking (预约): the share of the period's orders that came booked, the
no-show rate and on-time arrival of the bookings whose time fell in the period, booked hours
against the hours the workshop could be booked for, day by day, and the lead time from now
to the first free time for an hour of maintenance."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from dealer.extensions import db
from dealer.services import settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from diary import booking
from diary.capacity import bookable_hours
from diary.models import LATE_AFTER, Appointment, AppointmentJob
from diary.vocabulary import HOLDING, AppointmentStatus
from workorders.models import WorkOrder

RATE = Decimal("0.0001")
HOUR = Decimal("0.1")
LEAD_JOB = (Decimal("1"), "maintenance")
"""The work the lead time is measured for: an hour of maintenance, dropped off."""
LEAD_DAYS = 60


@dataclass(frozen=True)
class BookedDay:
    day: date
    booked_hours: Decimal
    bookable_hours: Decimal

    @property
    def load(self) -> Decimal | None:
        return _rate(self.booked_hours, self.bookable_hours)


@dataclass
class BookingFigures:
    orders_opened: int = 0
    orders_booked: int = 0
    appointment_share: Decimal | None = None
    appointments: int = 0
    no_shows: int = 0
    no_show_rate: Decimal | None = None
    arrived: int = 0
    on_time_arrival_rate: Decimal | None = None
    booked_hours: Decimal = Decimal("0")
    bookable_hours: Decimal = Decimal("0")
    lead_time_hours: Decimal | None = None
    days: list[BookedDay] = field(default_factory=list)


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


def lead_time(site_id: int, now: datetime | None = None) -> Decimal | None:
    """Hours from ``now`` to the first time an hour of maintenance can start (None: no room
    in the next ``LEAD_DAYS`` days)."""
    now = now or utcnow()
    local = zone(settings_for(site_id).time_zone)
    today = now.astimezone(local).date()
    hours, skill = LEAD_JOB
    for _day, slots in booking.availability(site_id, today, LEAD_DAYS, hours, skill):
        if slots:
            waited = (slots[0][0] - now).total_seconds() / 3600
            return Decimal(str(max(waited, 0))).quantize(HOUR, rounding=ROUND_HALF_UP)
    return None


def booking_figures(site_id: int, period, *, with_lead_time: bool = True) -> BookingFigures:
    """The period's booking figures (``period`` a ``reports.figures.Period``)."""
    found = BookingFigures()
    opened, booked = db.session.execute(
        select(func.count(WorkOrder.id), func.count(Appointment.id))
        .outerjoin(Appointment, Appointment.work_order_id == WorkOrder.id)
        .where(WorkOrder.site_id == site_id, period.contains(WorkOrder.created_at))
    ).one()
    found.orders_opened, found.orders_booked = int(opened), int(booked)
    found.appointment_share = _rate(booked, opened)
    rows = db.session.execute(
        select(Appointment.status, Appointment.start_at, Appointment.arrived_at).where(
            Appointment.site_id == site_id, period.contains(Appointment.start_at)
        )
    ).all()
    found.appointments = len(rows)
    found.no_shows = sum(1 for status, _, _ in rows if status == AppointmentStatus.NO_SHOW.value)
    came = [(start, arrived) for status, start, arrived in rows if arrived is not None]
    found.arrived = len(came)
    found.no_show_rate = _rate(found.no_shows, found.no_shows + found.arrived)
    on_time = sum(1 for start, arrived in came if arrived <= start + LATE_AFTER)
    found.on_time_arrival_rate = _rate(on_time, found.arrived)
    found.days = booked_days(site_id, period)
    found.booked_hours = sum((d.booked_hours for d in found.days), Decimal("0"))
    found.bookable_hours = sum((d.bookable_hours for d in found.days), Decimal("0"))
    if with_lead_time:
        found.lead_time_hours = lead_time(site_id)
    return found


def booked_days(site_id: int, period) -> list[BookedDay]:
    """Each day of the period: the hours booked (bookings still holding room, or arrived)
    against the hours the workshop could be booked for that day."""
    local = zone(settings_for(site_id).time_zone)
    days = (period.end - period.start).days + 1
    booked: dict[date, Decimal] = {}
    for start, hours in db.session.execute(
        select(Appointment.start_at, AppointmentJob.labor_hours)
        .join(AppointmentJob, AppointmentJob.appointment_id == Appointment.id)
        .where(
            Appointment.site_id == site_id,
            Appointment.status.in_([*HOLDING, AppointmentStatus.ARRIVED.value]),
            period.contains(Appointment.start_at),
        )
    ):
        day = start.astimezone(local).date()
        booked[day] = booked.get(day, Decimal("0")) + hours
    workshop = booking.workshop_for(site_id, period.start, period.end, taken={})
    return [
        BookedDay(day, booked.get(day, Decimal("0")), bookable_hours(workshop, day))
        for day in (period.start + timedelta(days=n) for n in range(days))
    ]

"""The desk's diary read for a day or a week: the bookings by start time, each skill's
booked hours against the hours bookable for it, the bays at their busiest, and what needs
the desk's eye (a car too many, parts missing, a booking not yet confirmed)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from dealer.extensions import db
from dealer.services import settings_for
from dealer.timeutil import zone
from dealer.vocabulary import Skill
from diary.booking import diary_for, workshop_for
from diary.capacity import bookable_hours
from diary.models import Appointment
from diary.vocabulary import HOLDING, AppointmentStatus


def day_list(site_id: int, day_start: datetime, day_end: datetime) -> list[Appointment]:
    """The bookings starting in [day_start, day_end), by start time."""
    return list(
        db.session.scalars(
            select(Appointment)
            .where(
                and_(
                    Appointment.site_id == site_id,
                    Appointment.start_at >= day_start,
                    Appointment.start_at < day_end,
                )
            )
            .order_by(Appointment.start_at, Appointment.id)
            .options(
                selectinload(Appointment.jobs),
                selectinload(Appointment.parts),
                selectinload(Appointment.customer),
                selectinload(Appointment.vehicle),
            )
        )
    )


@dataclass(frozen=True)
class SkillLoad:
    skill: str
    booked: Decimal
    room: Decimal

    @property
    def over(self) -> bool:
        return self.booked > self.room


@dataclass(frozen=True)
class DayView:
    """The diary of one day: its bookings by start time, each skill's booked hours against
    the hours bookable for it, the bays at their busiest, and what needs the desk's eye."""

    day: date
    appointments: list[Appointment]
    skills: list[SkillLoad]
    bays_used: int
    bays: int
    open: bool


def day_view(site_id: int, day: date) -> DayView:
    settings = settings_for(site_id)
    local = zone(settings.time_zone)
    start = datetime.combine(day, time.min, local)
    listed = day_list(site_id, start, start + timedelta(days=1))
    diary = diary_for(site_id, day, 1)
    room = diary.room(day)
    holding = [a for a in listed if a.status in HOLDING]
    booked: dict[str, Decimal] = {}
    for appointment in holding:
        for job in appointment.jobs:
            booked[job.skill] = booked.get(job.skill, Decimal("0")) + job.labor_hours
    skills = [
        SkillLoad(skill, booked.get(skill, Decimal("0")), room[frozenset({skill})])
        for skill in Skill.values()
        if booked.get(skill) or room[frozenset({skill})]
    ]
    spans = [(a.start_at, a.end_at) for a in holding]
    used = max((sum(1 for s, e in spans if s <= moment < e) for moment, _ in spans), default=0)
    return DayView(
        day=day,
        appointments=listed,
        skills=skills,
        bays_used=used,
        bays=settings.bays,
        open=bool(diary.room(day)[frozenset(Skill.values())]) or bool(holding),
    )


@dataclass(frozen=True)
class DaySummary:
    """One day of the week view: its bookings, booked hours against the bookable hours,
    and the warnings that need the desk's eye."""

    day: date
    appointments: list[Appointment]
    booked: Decimal
    room: Decimal
    open: bool

    @property
    def over(self) -> bool:
        return self.booked > self.room

    @property
    def unconfirmed(self) -> int:
        return sum(1 for a in self.appointments if a.status == AppointmentStatus.BOOKED.value)

    @property
    def parts_missing(self) -> int:
        return sum(1 for a in self.appointments if a.parts_missing)


def week_view(site_id: int, first: date) -> list[DaySummary]:
    """Seven days from ``first``, read in one pass over the bookings and the workshop."""
    local = zone(settings_for(site_id).time_zone)
    start = datetime.combine(first, time.min, local)
    listed = day_list(site_id, start, start + timedelta(days=7))
    workshop = workshop_for(site_id, first, first + timedelta(days=6))
    days = []
    for offset in range(7):
        day = first + timedelta(days=offset)
        those = [
            a for a in listed if a.start_at.astimezone(local).date() == day and a.status in HOLDING
        ]
        room = bookable_hours(workshop, day)
        days.append(
            DaySummary(
                day=day,
                appointments=those,
                booked=sum((a.hours for a in those), Decimal("0")),
                room=room,
                open=bool(room) or bool(those),
            )
        )
    return days

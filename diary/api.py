"""JSON API of the diary (shared/API.md, "Appointments"): the free slots, and bookings."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from flask import Blueprint, g
from pydantic import ConfigDict, Field
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from customers.models import Customer, Vehicle
from dealer.apikit import API_PREFIX, Input, NumberOut, Output, endpoint, site_record
from dealer.extensions import db
from dealer.roles import ADVISOR, MANAGER
from dealer.services import settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from dealer.vocabulary import Equipment, Skill
from diary import booking, days
from diary.models import Appointment
from diary.vocabulary import AppointmentKind, AppointmentSource, AppointmentStatus
from workorders.schemas import OrderDetail, order_out

bp = Blueprint("diary_api", __name__, url_prefix=API_PREFIX)

SkillCode = Literal[Skill.values()]
EquipmentCode = Literal[Equipment.values()]
KindCode = Literal[AppointmentKind.values()]


class AvailabilityQuery(Input):
    model_config = ConfigDict(populate_by_name=True)

    first: date | None = Field(default=None, alias="from")
    days: int = Field(default=7, ge=1, le=booking.MAX_DAYS)
    hours: Decimal = Field(default=Decimal("1"), gt=0, le=booking.MAX_JOB_HOURS, decimal_places=2)
    skill: SkillCode = "maintenance"
    kind: KindCode = "drop_off"
    equipment: EquipmentCode | None = None


class SlotOut(Output):
    start: datetime
    end: datetime


class DayOut(Output):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    day: date = Field(alias="date")
    slots: list[SlotOut]


class AvailabilityOut(Output):
    days: list[DayOut]


class AppointmentJobIn(Input):
    title: str = Field(default="", max_length=200)
    labor_hours: Decimal | None = Field(
        default=None, gt=0, le=booking.MAX_JOB_HOURS, decimal_places=2
    )
    skill: SkillCode | None = None
    equipment: EquipmentCode | None = None
    canned_job_id: int | None = None


class AppointmentIn(Input):
    customer_id: int
    vehicle_id: int
    start: datetime
    kind: KindCode = "drop_off"
    jobs: list[AppointmentJobIn] = Field(min_length=1, max_length=20)
    concern: str | None = Field(default=None, max_length=4000)
    source: Literal[AppointmentSource.values()] = "desk"


class AppointmentPatch(Input):
    start: datetime | None = None
    status: Literal["confirmed", "cancelled", "no_show"] | None = None
    reason: str | None = Field(default=None, max_length=500)
    version: int | None = None


class AppointmentJobOut(Output):
    id: int
    title: str
    labor_hours: NumberOut
    skill: str
    equipment: str | None
    canned_job_id: int | None


class AppointmentOut(Output):
    id: int
    version: int
    status: str
    kind: str
    source: str
    start: datetime
    end: datetime
    customer_id: int
    vehicle_id: int | None
    plate: str
    concern: str | None
    cancel_reason: str | None
    work_order_id: int | None
    arrived_at: datetime | None
    late: bool
    parts_missing: bool
    jobs: list[AppointmentJobOut]


class AppointmentQuery(Input):
    model_config = ConfigDict(populate_by_name=True)

    day: date | None = Field(default=None, alias="date")
    status: Literal[AppointmentStatus.values()] | None = None


class AppointmentList(Output):
    items: list[AppointmentOut]


def appointment_out(appointment: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=appointment.id,
        version=appointment.version,
        status=appointment.status,
        kind=appointment.kind,
        source=appointment.source,
        start=appointment.start_at,
        end=appointment.end_at,
        customer_id=appointment.customer_id,
        vehicle_id=appointment.vehicle_id,
        plate=appointment.shown_plate,
        concern=appointment.concern,
        cancel_reason=appointment.cancel_reason,
        work_order_id=appointment.work_order_id,
        arrived_at=appointment.arrived_at,
        late=appointment.late,
        parts_missing=appointment.parts_missing,
        jobs=[AppointmentJobOut.model_validate(job) for job in appointment.jobs],
    )


def _today() -> date:
    return utcnow().astimezone(zone(settings_for(g.actor.site_id).time_zone)).date()


@endpoint(
    bp,
    "/availability",
    roles=booking.BOOKERS,
    summary="Where work of a skill can start, day by day",
    query=AvailabilityQuery,
    response=AvailabilityOut,
)
def get_availability(query: AvailabilityQuery):
    found = booking.availability(
        g.actor.site_id,
        query.first or _today(),
        query.days,
        query.hours,
        query.skill,
        kind=query.kind,
        equipment=query.equipment,
    )
    return AvailabilityOut(
        days=[
            DayOut(day=day, slots=[SlotOut(start=a, end=b) for a, b in slots])
            for day, slots in found
        ]
    )


@endpoint(
    bp,
    "/appointments",
    roles=booking.BOOKERS,
    method="POST",
    status=201,
    summary="Book a car in against the workshop's capacity (409 naming the reason if full)",
    body=AppointmentIn,
    response=AppointmentOut,
    idempotent=True,
)
def post_appointment(body: AppointmentIn):
    customer = site_record(Customer, body.customer_id, "customer")
    vehicle = db.session.get(Vehicle, body.vehicle_id)
    if vehicle is None or vehicle.site_id != g.actor.site_id:
        raise NotFound("No such vehicle.")
    made = booking.book(
        g.actor,
        customer,
        vehicle,
        start=body.start,
        kind=body.kind,
        jobs=[booking.JobInput(**job.model_dump()) for job in body.jobs],
        concern=body.concern,
        source=body.source,
    )
    return appointment_out(made)


@endpoint(
    bp,
    "/appointments",
    roles=booking.BOOKERS,
    summary="The bookings of a day (today by default), by start time",
    query=AppointmentQuery,
    response=AppointmentList,
)
def list_appointments(query: AppointmentQuery):
    day = query.day or _today()
    local = zone(settings_for(g.actor.site_id).time_zone)
    start = datetime.combine(day, time.min, local)
    found = days.day_list(g.actor.site_id, start, start + timedelta(days=1))
    if query.status is not None:
        found = [a for a in found if a.status == query.status]
    return AppointmentList(items=[appointment_out(a) for a in found])


def load_appointment(appointment_id: int) -> Appointment:
    found = db.session.scalar(select(Appointment).where(Appointment.id == appointment_id))
    if found is None or found.site_id != g.actor.site_id:
        raise NotFound("No such appointment.")
    return found


@endpoint(
    bp,
    "/appointments/<int:appointment_id>",
    roles=booking.BOOKERS,
    summary="One booking",
    response=AppointmentOut,
)
def get_appointment(appointment_id: int):
    return appointment_out(load_appointment(appointment_id))


@endpoint(
    bp,
    "/appointments/<int:appointment_id>",
    roles=booking.BOOKERS,
    method="PATCH",
    summary="Move a booking (start), or confirm, cancel (with reason) or mark a no-show",
    body=AppointmentPatch,
    response=AppointmentOut,
)
def patch_appointment(appointment_id: int, body: AppointmentPatch):
    found = load_appointment(appointment_id)
    if body.start is not None:
        booking.reschedule(g.actor, found, body.start, version=body.version)
    if body.status is not None:
        booking.set_status(
            g.actor,
            found,
            body.status,
            reason=body.reason,
            version=None if body.start is not None else body.version,
        )
    return appointment_out(found)


class ArrivalIn(Input):
    odometer_km: int = Field(ge=0, le=9_999_999)
    fuel_level: Decimal = Field(ge=0, le=1, decimal_places=2)
    version: int | None = None


class ArrivedOrderOut(OrderDetail):
    appointment_id: int


@endpoint(
    bp,
    "/appointments/<int:appointment_id>/arrive",
    roles=(ADVISOR, MANAGER),
    method="POST",
    status=201,
    summary="The booked car is here: its work order opens at intake with the booked jobs",
    body=ArrivalIn,
    response=ArrivedOrderOut,
)
def post_arrival(appointment_id: int, body: ArrivalIn):
    found = load_appointment(appointment_id)
    order = booking.arrive(
        g.actor,
        found,
        odometer_km=body.odometer_km,
        fuel_level=body.fuel_level,
        version=body.version,
    )
    db.session.flush()
    return {**order_out(order, OrderDetail).model_dump(mode="json"), "appointment_id": found.id}

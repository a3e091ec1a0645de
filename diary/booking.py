"""Booking against the workshop's room: the diary read from the database, and the
operations on an appointment (book, reschedule, confirm, cancel, mark a no-show).

Booking reads the room and writes the appointment under one lock per site (the site's
settings row, ``FOR UPDATE`` on PostgreSQL; SQLite's write transaction holds the whole
database), so two desks booking the last slot at once cannot both have it: the second
reads the first's booking and is refused with the reason.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from customers import services as customer_services
from customers.models import Customer, Vehicle
from dealer.database import get_locked
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.hooks import Hook
from dealer.models import Absence, DealerSettings, User, UserRole
from dealer.roles import ADVISOR, CALLBACK, MANAGER, TECHNICIAN
from dealer.services import check_version, require_role, settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from dealer.vocabulary import Equipment, Skill
from diary import picking
from diary.capacity import ANY, Diary, Refusal, Technician, Work, Workshop
from diary.models import Appointment, AppointmentJob
from diary.vocabulary import HOLDING, AppointmentKind, AppointmentSource, AppointmentStatus
from workorders import services as wo
from workorders.lifecycle import OPEN_STATUSES
from workorders.models import CannedJob, Job, WorkOrder

BOOKERS = (ADVISOR, CALLBACK, MANAGER)
MAX_JOB_HOURS = Decimal("40")
MAX_DAYS = 60
"""How far ahead availability is asked at once."""
REFUSALS = {
    "skill": _l("Choose the skill the work needs."),
    "closed": _l("The workshop is closed then."),
    "waiter": _l("A customer who waits must have the work done the same day."),
    "technician": _l("No technician with the skill is at work then."),
    "hours": _l("The technicians with the skill are fully booked that day."),
    "bays": _l("Every bay is taken then."),
    "equipment": _l("The equipment the job needs is taken then."),
}
"""The words for each reason the workshop has no room."""

appointment_changed = Hook(
    "appointment-changed",
    "Called with the appointment, the ``event`` (``booked``, ``moved``, ``confirmed``, "
    "``cancelled``, ``no_show``) and ``actor`` (None: the customer online) inside the "
    "change's transaction: after-sales care connects here to tell the customer.",
)


class NoRoom(RuleBroken):
    """The workshop has no room for the booking then (HTTP 409, naming the reason)."""

    def __init__(self, refusal: Refusal):
        super().__init__(REFUSALS[refusal.code], "start")
        self.code = refusal.code


@dataclass(frozen=True)
class JobInput:
    title: str
    labor_hours: Decimal
    skill: str | None = None
    equipment: str | None = None
    canned_job_id: int | None = None
    rebooked_from_id: int | None = None


def workshop_for(
    site_id: int, first: date, last: date, taken: dict[int | None, Decimal] | None = None
) -> Workshop:
    """The site's workshop for the days ``first`` to ``last``: its settings, its active
    technicians with their skills and absences, and the hours that work already in the
    workshop (``taken``, read here unless given) takes of them today."""
    settings = settings_for(site_id)
    people = db.session.execute(
        select(User.id, User.skills)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.site_id == site_id, User.active.is_(True), UserRole.role == TECHNICIAN)
    ).all()
    local = zone(settings.time_zone)
    since = datetime.combine(first - timedelta(days=1), time.min, local)
    until = datetime.combine(last + timedelta(days=2), time.min, local)
    away: dict[int, list] = {}
    for user_id, starts, ends in db.session.execute(
        select(Absence.user_id, Absence.starts_at, Absence.ends_at).where(
            Absence.site_id == site_id, Absence.ends_at > since, Absence.starts_at < until
        )
    ):
        away.setdefault(user_id, []).append((starts, ends))
    today = utcnow().astimezone(local).date()
    if taken is None:
        taken = _workshop_load(site_id) if first <= today <= last else {}
    return Workshop(
        working_hours=settings.working_hours,
        time_zone=settings.time_zone,
        calendar=settings.calendar or {},
        technicians=tuple(
            Technician(
                user_id,
                frozenset(skills or ()),
                tuple(away.get(user_id, ())),
                {today: taken[user_id]} if user_id in taken else {},
            )
            for user_id, skills in people
        ),
        bays=settings.bays,
        equipment=dict(settings.equipment or {}),
        walk_in_share=settings.walk_in_share,
    )


def _workshop_load(site_id: int) -> dict[int | None, Decimal]:
    """The hours of work not yet done in the workshop, by the technician it is assigned to
    (None: nobody yet)."""
    load: dict[int | None, Decimal] = {}
    for technician_id, hours in db.session.execute(
        select(Job.technician_id, Job.labor_hours)
        .join(WorkOrder, WorkOrder.id == Job.work_order_id)
        .where(
            WorkOrder.site_id == site_id,
            WorkOrder.status.in_(OPEN_STATUSES),
            Job.status.in_(["approved", "in_progress"]),
        )
    ):
        load[technician_id] = load.get(technician_id, Decimal("0")) + hours
    return load


def diary_for(site_id: int, first: date, days: int, *, leave_out: int | None = None) -> Diary:
    """The diary of ``days`` from ``first``: the workshop and the bookings holding its room
    (but ``leave_out``, a booking being moved)."""
    last = first + timedelta(days=days)
    local = zone(settings_for(site_id).time_zone)
    today = utcnow().astimezone(local).date()
    taken = _workshop_load(site_id) if first <= today <= last else {}
    workshop = workshop_for(site_id, first, last, taken)
    since = datetime.combine(first - timedelta(days=3), time.min, local)
    until = datetime.combine(last + timedelta(days=1), time.min, local)
    rows = db.session.execute(
        select(Appointment.id, Appointment.start_at, AppointmentJob.labor_hours)
        .add_columns(AppointmentJob.skill, AppointmentJob.equipment)
        .join(AppointmentJob, AppointmentJob.appointment_id == Appointment.id)
        .where(
            Appointment.site_id == site_id,
            Appointment.status.in_(HOLDING),
            Appointment.start_at >= since,
            Appointment.start_at < until,
            Appointment.id != (leave_out or 0),
        )
    ).all()
    work, cars = [], {}
    for appointment_id, start, hours, skill, equipment in rows:
        work.append(Work(start, hours, skill, equipment, car=False))
        begun, total = cars.get(appointment_id, (start, Decimal("0")))
        cars[appointment_id] = (begun, total + hours)
    work += [Work(start, total, None) for start, total in cars.values()]
    unassigned = taken.get(None)
    if unassigned:
        work.append(Work(utcnow(), unassigned, ANY, car=False))
    return Diary(workshop, work)


def availability(
    site_id: int,
    first: date,
    days: int,
    hours: Decimal,
    skill: str,
    *,
    kind: str = AppointmentKind.DROP_OFF.value,
    equipment: str | None = None,
) -> list[tuple[date, list[tuple[datetime, datetime]]]]:
    """Where that much work of ``skill`` can start, day by day, from now on."""
    if skill not in Skill.values():
        raise DomainError(_l("Choose the skill the work needs."), "skill")
    if kind not in AppointmentKind.values():
        raise DomainError(_l("Choose drop-off or waiting."), "kind")
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_l("Between 1 and %(n)s days.", n=MAX_DAYS), "days")
    _hours(hours, "hours")
    return diary_for(site_id, first, days).free_slots(
        first,
        days,
        hours,
        skill,
        equipment=equipment,
        waiter=kind == AppointmentKind.WAITER.value,
        after=utcnow(),
    )


def _hours(value, field_name: str) -> Decimal:
    try:
        hours = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_l("Enter the hours as a number."), field_name) from None
    if not hours.is_finite() or not Decimal("0") < hours <= MAX_JOB_HOURS:
        raise DomainError(_l("Between 0 and %(n)s hours.", n=MAX_JOB_HOURS), field_name)
    return hours


def _jobs(site_id: int, jobs: list[JobInput]) -> list[AppointmentJob]:
    if not jobs:
        raise DomainError(_l("Book at least one job."), "jobs")
    if len(jobs) > 20:
        raise DomainError(_l("At most %(n)s jobs.", n=20), "jobs")
    made, errors = [], []
    for index, job in enumerate(jobs):
        where = f"jobs.{index}"
        canned = None
        if job.canned_job_id is not None:
            canned = db.session.get(CannedJob, job.canned_job_id)
            if canned is None or canned.site_id != site_id or not canned.active:
                errors.append((f"{where}.canned_job_id", _l("No such common job.")))
                continue
        earlier = None
        if job.rebooked_from_id is not None:
            earlier = db.session.get(Job, job.rebooked_from_id)
            if (
                earlier is None
                or earlier.status != "declined"
                or earlier.work_order.site_id != site_id
            ):
                errors.append((f"{where}.rebooked_from_id", _l("No such declined job.")))
                continue
        title = (job.title or (canned.title if canned else "")).strip()
        skill = job.skill or (canned.skill if canned else None)
        equipment = job.equipment or (canned.equipment if canned else None)
        given = job.labor_hours if job.labor_hours is not None else None
        if given is None and canned is not None:
            given = canned.labor_hours
        try:
            hours = _hours(given, f"{where}.labor_hours")
        except DomainError as exc:
            errors.extend(exc.errors)
            continue
        if not title or len(title) > 200:
            errors.append((f"{where}.title", _l("Name the job (at most 200 characters).")))
        if skill not in Skill.values():
            errors.append((f"{where}.skill", _l("Choose the skill the work needs.")))
        if equipment is not None and equipment not in Equipment.values():
            errors.append((f"{where}.equipment", _l("Unknown equipment.")))
        made.append(
            AppointmentJob(
                title=title[:200],
                title_zh=earlier.title_zh
                if earlier is not None
                else canned.title_zh
                if canned is not None and not job.title
                else None,
                labor_hours=hours,
                skill=skill,
                equipment=equipment,
                canned_job_id=canned.id if canned else None,
                rebooked_from_id=earlier.id if earlier is not None else None,
            )
        )
    if errors:
        raise DomainError(errors)
    return made


def _lock_site(site_id: int) -> None:
    """Take the site's booking lock (its settings row) for the rest of the transaction."""
    settings_id = db.session.scalar(
        select(DealerSettings.id).where(DealerSettings.site_id == site_id)
    )
    get_locked(DealerSettings, settings_id)


def _check_room(appointment: Appointment, *, leave_out: int | None = None) -> None:
    settings = settings_for(appointment.site_id)
    day = appointment.start_at.astimezone(zone(settings.time_zone)).date()
    diary = diary_for(appointment.site_id, day, 1, leave_out=leave_out)
    parts = [(j.labor_hours, j.skill, j.equipment) for j in appointment.jobs]
    refused = diary.booking_refusal(
        appointment.start_at, parts, waiter=appointment.kind == AppointmentKind.WAITER.value
    )
    if refused is not None:
        raise NoRoom(refused)
    appointment.end_at = diary.ends(Work(appointment.start_at, appointment.hours, None)).astimezone(
        appointment.start_at.tzinfo
    )


def book(
    actor: User | None,
    customer: Customer,
    vehicle: Vehicle | None,
    *,
    start: datetime,
    kind: str = AppointmentKind.DROP_OFF.value,
    jobs: list[JobInput],
    concern: str | None = None,
    source: str = AppointmentSource.DESK.value,
    callback_id: int | None = None,
    plate: str | None = None,
    vin: str | None = None,
) -> Appointment:
    """Book the car in at ``start`` for ``jobs``, if the workshop has room then (not
    committed); refused with the reason (``NoRoom``) when it has not. Without an actor the
    customer books online, and a car the dealer does not know yet comes as its ``plate``."""
    if actor is not None:
        require_role(actor, *BOOKERS)
    site_id = customer.site_id
    errors = []
    if actor is not None and customer.site_id != actor.site_id:
        errors.append(("customer_id", _l("No such customer.")))
    if vehicle is not None and vehicle.customer_id != customer.id:
        errors.append(("vehicle_id", _l("The car is not this customer's.")))
    if vehicle is None and not (plate or "").strip():
        errors.append(("vehicle_id", _l("Choose the car.")))
    if kind not in AppointmentKind.values():
        errors.append(("kind", _l("Choose drop-off or waiting.")))
    if source not in AppointmentSource.values():
        errors.append(("source", _l("Unknown source.")))
    if start.tzinfo is None:
        errors.append(("start", _l("Give the time with its time zone.")))
    elif start <= utcnow():
        errors.append(("start", _l("A booking starts in the future.")))
    concern = (concern or "").strip()
    if len(concern) > 4000:
        errors.append(("concern", _l("At most %(n)s characters.", n=4000)))
    try:
        made = _jobs(site_id, jobs)
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    _lock_site(site_id)
    appointment = Appointment(
        site_id=site_id,
        customer_id=customer.id,
        vehicle_id=vehicle.id if vehicle is not None else None,
        plate=None if vehicle is not None else plate.strip()[:20],
        vin=None if vehicle is not None else (vin or "").strip().upper()[:17] or None,
        start_at=start,
        end_at=start,
        kind=kind,
        source=source,
        concern=concern or None,
        callback_id=callback_id,
        booked_by_id=actor.id if actor is not None else None,
        jobs=made,
    )
    _check_room(appointment)
    db.session.add(appointment)
    db.session.flush()
    appointment_changed(appointment, event="booked", actor=actor)
    return appointment


def _open(appointment: Appointment) -> None:
    if appointment.status not in HOLDING:
        raise RuleBroken(_l("This booking is over: it can no longer change."), "status")


def reschedule(
    actor: User | None, appointment: Appointment, start: datetime, *, version: int | None = None
) -> Appointment:
    """Move the booking to ``start``, if the workshop has room then (without an actor, the
    customer moves it from their link)."""
    if actor is not None:
        require_role(actor, *BOOKERS)
    check_version(appointment, version)
    _open(appointment)
    if start.tzinfo is None or start <= utcnow():
        raise DomainError(_l("A booking starts in the future."), "start")
    _lock_site(appointment.site_id)
    local = zone(settings_for(appointment.site_id).time_zone)
    other_day = start.astimezone(local).date() != appointment.start_at.astimezone(local).date()
    with db.session.no_autoflush:
        appointment.start_at = start
        _check_room(appointment, leave_out=appointment.id)
    if other_day:
        picking.give_back(actor, appointment)
    appointment.reminded_at = None
    db.session.flush()
    appointment_changed(appointment, event="moved", actor=actor)
    return appointment


def set_status(
    actor: User,
    appointment: Appointment,
    status: str,
    *,
    reason: str | None = None,
    version: int | None = None,
) -> Appointment:
    """Confirm, cancel (with the reason) or mark a no-show; without an actor the customer
    cancels from their link."""
    if actor is not None:
        require_role(actor, *BOOKERS)
    check_version(appointment, version)
    _open(appointment)
    if status not in ("confirmed", "cancelled", "no_show"):
        raise DomainError(_l("Confirm, cancel or mark a no-show."), "status")
    if status == "cancelled":
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_l("Say why the booking is cancelled."), "reason")
        appointment.cancel_reason = reason[:500]
    if status == "no_show" and appointment.start_at > utcnow():
        raise RuleBroken(_l("A car is late only once its time has come."), "status")
    if status == "confirmed":
        if appointment.vehicle is None:
            raise RuleBroken(
                _l("Register the customer's car first: the booking names only its plate."),
                "vehicle_id",
            )
        appointment.customer.prospect = False
    else:
        picking.give_back(actor, appointment)
    appointment.status = AppointmentStatus(status).value
    db.session.flush()
    appointment_changed(appointment, event=status, actor=actor)
    return appointment


SKILL_CATEGORY = {"maintenance": "level1_maintenance"}
"""The repair category a booked job without a common job is filed under, by its skill (the
rest are minor repairs until the advisor says otherwise)."""
CATEGORY_SKILL = {"level1_maintenance": "maintenance", "level2_maintenance": "maintenance"}
"""The skill an earlier job's repair category asks for (the rest: chassis, the advisor may
say otherwise)."""


def arrive(
    actor: User,
    appointment: Appointment,
    *,
    odometer_km: int,
    fuel_level: Decimal,
    version: int | None = None,
) -> WorkOrder:
    """The booked car is here: its work order opens at intake with the booked jobs, the
    concern and the parts the booking holds (reserved now if no pick list ran), and the
    booking is marked arrived (not committed)."""
    require_role(actor, ADVISOR, MANAGER)
    check_version(appointment, version)
    _open(appointment)
    if appointment.vehicle is None:
        raise RuleBroken(
            _l("Register the customer's car first: the booking names only its plate."),
            "vehicle_id",
        )
    appointment.customer.prospect = False
    concern = appointment.concern or "; ".join(job.title for job in appointment.jobs)
    order = wo.open_work_order(
        actor,
        appointment.vehicle,
        odometer_km=odometer_km,
        fuel_level=fuel_level,
        concern=concern,
    )
    for job in appointment.jobs:
        canned = db.session.get(CannedJob, job.canned_job_id) if job.canned_job_id else None
        if canned is not None and canned.active:
            added = wo.add_canned_job(actor, order, canned)
            added.labor_hours = job.labor_hours
        else:
            added = wo.add_job(
                actor,
                order,
                title=job.title,
                labor_hours=job.labor_hours,
                category=SKILL_CATEGORY.get(job.skill, "minor_repair"),
            )
            added.title_zh = job.title_zh
        added.rebooked_from_id = job.rebooked_from_id
    db.session.flush()
    if appointment.picked_at is None:
        picking.pick(actor, appointment)
    picking.hand_over(actor, appointment, order)
    appointment.status = AppointmentStatus.ARRIVED.value
    appointment.arrived_at = utcnow()
    appointment.work_order_id = order.id
    db.session.flush()
    return order


def register_car(
    actor: User, appointment: Appointment, data, *, version: int | None = None
) -> Appointment:
    """Register the car a customer booked online by its plate (``data`` a
    ``customers.services.VehicleInput``), and confirm the booking with it (not committed)."""
    require_role(actor, *BOOKERS)
    check_version(appointment, version)
    _open(appointment)
    if appointment.vehicle is not None:
        raise RuleBroken(_l("The booking's car is registered already."), "vehicle_id")
    appointment.vehicle = customer_services.register_vehicle(actor, appointment.customer, data)
    appointment.plate = appointment.vin = None
    db.session.flush()
    return set_status(actor, appointment, AppointmentStatus.CONFIRMED.value)


def free_starts(
    site_id: int, first: date, days: int, jobs: list[JobInput], *, kind: str
) -> list[tuple[date, list[tuple[datetime, datetime]]]]:
    """Where a car with ``jobs`` can come, day by day from ``first``, from now on."""
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_l("Between 1 and %(n)s days.", n=MAX_DAYS), "days")
    parts = [(job.labor_hours, job.skill, job.equipment) for job in _jobs(site_id, jobs)]
    return diary_for(site_id, first, days).free_starts(
        first, days, parts, waiter=kind == AppointmentKind.WAITER.value, after=utcnow()
    )

"""The workshop: assigning jobs, the technicians' clocks, findings, completing a job, and
who is on what now."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, case, func, literal, select
from sqlalchemy.orm import contains_eager

from dealer.database import lock, seconds_between
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.hooks import Hook
from dealer.models import User, UserRole
from dealer.roles import ADVISOR, MANAGER, TECHNICIAN
from dealer.services import check_version, settings_for
from dealer.timeutil import local_time
from dealer.types import UTCDateTime, utcnow
from parts import stock
from workorders import lifecycle
from workorders.lifecycle import Action, JobStatus, Status
from workorders.models import (
    Job,
    TimeClock,
    WorkOrder,
)
from workorders.services.base import DESK, allow, lock_line, move_job, move_order, require
from workorders.services.part_lines import reserve_line
from workorders.services.reading import ceiling, clocked_on_job, order_facts, total_with

job_done = Hook(
    "job-done",
    "Called with a job the technician has just completed and ``actor``, inside the "
    "completion's transaction: the warranty desk connects here to draft the claim of a "
    "warranty-paid job.",
)


def assign_job(
    actor: User, job: Job, technician: User | None, *, version: int | None = None
) -> Job:
    """Give a job to a technician (or take it back to the board)."""
    require(actor, *DESK)
    check_version(job, version)
    _editable(actor, job)
    if technician is not None and (
        not technician.active
        or not technician.has_role(TECHNICIAN)
        or technician.site_id != job.work_order.site_id
    ):
        raise DomainError(_l("Choose an active technician."), "technician_id")
    if job.status in (JobStatus.DONE, JobStatus.DECLINED):
        raise RuleBroken(_l("A job that is %(status)s cannot be assigned.", status=job.status))
    if technician is None and _open_clock(job) is not None:
        raise RuleBroken(_l("Someone is clocked on this job."))
    job.technician_id = technician.id if technician else None
    db.session.flush()
    return job


def _open_clock(job: Job, technician_id: int | None = None) -> TimeClock | None:
    stmt = select(TimeClock).where(TimeClock.job_id == job.id, TimeClock.ended_at.is_(None))
    if technician_id is not None:
        stmt = stmt.where(TimeClock.technician_id == technician_id)
    return db.session.scalar(stmt)


def open_clock_of(technician: User) -> TimeClock | None:
    """The technician's open clock, if any."""
    return db.session.scalar(
        select(TimeClock).where(
            TimeClock.technician_id == technician.id, TimeClock.ended_at.is_(None)
        )
    )


def clock_on(actor: User, job: Job, *, version: int | None = None) -> TimeClock:
    """Start the clock on a job; an unassigned job is taken by the technician who clocks on."""
    require(actor, TECHNICIAN, MANAGER)
    lock(job)
    check_version(job, version)
    order = job.work_order
    if job.is_diagnosis and job.status in (JobStatus.PENDING, JobStatus.PROPOSED):
        _preauthorize_diagnosis(order, job)
    ok, why = lifecycle.job_can_start(JobStatus(job.status), Status(order.status))
    if not ok:
        raise RuleBroken(_l(why))
    if job.technician_id not in (None, actor.id) and not actor.has_role(MANAGER):
        raise RuleBroken(_l("This job is assigned to someone else."))
    if open_clock_of(actor) is not None:
        raise RuleBroken(_l("You are clocked on another job: clock off there first."))
    if job.technician_id is None:
        job.technician_id = actor.id
    move_job(job, JobStatus.IN_PROGRESS)
    clock = TimeClock(job_id=job.id, work_order_id=order.id, technician_id=actor.id)
    db.session.add(clock)
    if order.status in (Status.ESTIMATING, Status.AWAITING_APPROVAL):
        move_order(None, order, Status.IN_PROGRESS)
    db.session.flush()
    return clock


def _preauthorize_diagnosis(order: WorkOrder, job: Job) -> None:
    """Approve a diagnosis job the not-to-exceed ceiling covers, as the customer agreed at
    intake; beyond the ceiling the customer must authorize it."""
    if order.not_to_exceed is None:
        raise RuleBroken(
            _l("This diagnosis is not authorized: set a not-to-exceed ceiling or ask the customer.")
        )
    allow(None, order, Action.START_DIAGNOSIS)
    if total_with(order, job) > ceiling(order):
        raise RuleBroken(
            _l(
                "This diagnosis takes the order past its not-to-exceed ceiling of %(ceiling)s: "
                "the customer must authorize it.",
                ceiling=ceiling(order),
            )
        )
    move_job(job, JobStatus.APPROVED)
    for line in job.parts:
        reserve_line(None, order, line)


def clock_off(actor: User, job: Job, *, version: int | None = None) -> TimeClock:
    """Stop the actor's clock on a job; the job stays in progress."""
    require(actor, TECHNICIAN, MANAGER)
    lock(job)
    check_version(job, version)
    clock = _open_clock(job, actor.id)
    if clock is None:
        raise RuleBroken(_l("You are not clocked on this job."))
    clock.ended_at = utcnow()
    db.session.flush()
    return clock


def _editable(actor: User, job: Job) -> None:
    """Refuse a change to a job of a closed order, or by a technician not on the job."""
    allow(None, job.work_order, Action.CHANGE_JOB)
    if not actor.has_role(ADVISOR, MANAGER) and job.technician_id != actor.id:
        raise Forbidden(_l("Only the job's technician, an advisor or a manager may change it."))


def record_findings(actor: User, job: Job, findings: str, *, version: int | None = None) -> Job:
    """Write down what the technician found."""
    require(actor, TECHNICIAN, ADVISOR, MANAGER)
    check_version(job, version)
    _editable(actor, job)
    job.findings = (findings or "").strip()[:4000] or None
    job.findings_by_id = actor.id
    db.session.flush()
    return job


def excuse_no_clock(actor: User, job: Job, reason: str, *, version: int | None = None) -> Job:
    """Record why a job may be completed with no time clocked (sublet work, a check that took
    no time): only an advisor or a manager may."""
    require(actor, *DESK)
    check_version(job, version)
    _editable(actor, job)
    if job.status not in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        raise RuleBroken(_l("Only authorized work that is not done yet needs this."))
    reason = " ".join((reason or "").split())
    if len(reason) < 3 or len(reason) > 300:
        raise DomainError(_l("Say why no time is clocked (3 to 300 characters)."), "reason")
    job.no_clock_reason = reason
    db.session.flush()
    return job


def complete_job(actor: User, job: Job, *, version: int | None = None) -> Job:
    """Mark a job done: its clock stops, its parts are issued; the last sends the order to QC."""
    require(actor, TECHNICIAN, MANAGER)
    lock(job)
    check_version(job, version)
    if job.status not in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        raise RuleBroken(_l("Only authorized work can be completed."))
    if job.technician_id not in (None, actor.id) and not actor.has_role(MANAGER):
        raise RuleBroken(_l("This job is assigned to someone else."))
    if job.waiting_for_parts:
        raise RuleBroken(_l("The job is waiting for parts."))
    if not job.no_clock_reason and not clocked_on_job(job):
        raise RuleBroken(
            _l(
                "No time is clocked on this job. Clock on first, or an advisor or manager "
                "records why it needs none (sublet work, a check that took no time)."
            )
        )
    now = utcnow()
    for clock in db.session.scalars(
        select(TimeClock).where(TimeClock.job_id == job.id, TimeClock.ended_at.is_(None))
    ):
        clock.ended_at = now
    order = job.work_order
    for line in sorted(job.parts, key=lambda line: (line.part_id, line.id)):
        lock_line(line)
        if line.reserved_quantity:
            stock.issue(
                actor,
                line.part,
                line.reserved_quantity,
                work_order_id=order.id,
                part_line_id=line.id,
            )
            line.issued_quantity += line.reserved_quantity
            line.reserved_quantity = Decimal("0")
    job.technician_id = job.technician_id or actor.id
    job.completed_by_id = actor.id
    move_job(job, JobStatus.DONE)
    job.completed_at = now
    db.session.flush()
    job_done(job, actor=actor)
    ok, _why = lifecycle.all_work_done(order_facts(order))
    if ok and order.status == Status.IN_PROGRESS:
        move_order(None, order, Status.QUALITY_CHECK)
    return job


@dataclass(frozen=True)
class TechnicianNow:
    """What one technician is doing now and has clocked today (``technician``: their ``id``
    and ``full_name``)."""

    technician: Row
    clock: TimeClock | None
    job: Job | None
    hours_today: Decimal


def workshop_now(site_id: int, now: datetime | None = None) -> list[TechnicianNow]:
    """Every active technician with their open clock and the hours clocked today (dealer time)."""
    now = now or utcnow()
    settings = settings_for(site_id)
    local = local_time(now, settings.time_zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    technicians = db.session.execute(
        select(User.id, User.full_name)
        .join(UserRole)
        .where(UserRole.role == TECHNICIAN, User.active.is_(True), User.site_id == site_id)
        .order_by(User.full_name, User.id)
    ).all()
    # The ids themselves, not the subquery: PostgreSQL then reads each technician's clocks
    # through the (technician_id, ended_at) index instead of the whole table.
    ids = [t.id for t in technicians]
    # Today's closed clocks per technician, summed in the database (a busy workshop clocks
    # on and off hundreds of times a day) from the index range of clocks ended since
    # midnight; the open clock of each is added below.
    since = case(
        (TimeClock.started_at < midnight, literal(midnight, UTCDateTime())),
        else_=TimeClock.started_at,
    )
    seconds_today = dict(
        db.session.execute(
            select(TimeClock.technician_id, func.sum(seconds_between(since, TimeClock.ended_at)))
            .where(TimeClock.technician_id.in_(ids), TimeClock.ended_at >= midnight)
            .group_by(TimeClock.technician_id)
        ).all()
    )
    # The open clocks are few (one per technician at most, kept in a small index of their
    # own): all of the site's, rather than a list of every technician's id.
    open_clocks = {
        clock.technician_id: (clock, job)
        for clock, job in db.session.execute(
            select(TimeClock, Job)
            .join(Job, Job.id == TimeClock.job_id)
            .join(WorkOrder, WorkOrder.id == Job.work_order_id)
            .where(TimeClock.ended_at.is_(None), WorkOrder.site_id == site_id)
            .options(contains_eager(Job.work_order))
        )
    }
    result = []
    for technician in technicians:
        open_clock, job = open_clocks.get(technician.id, (None, None))
        seconds = float(seconds_today.get(technician.id) or 0)
        if open_clock is not None:
            seconds += (now - max(open_clock.started_at, midnight)).total_seconds()
        seconds = round(seconds)
        result.append(
            TechnicianNow(
                technician=technician,
                clock=open_clock,
                job=job,
                hours_today=(Decimal(seconds) / 3600).quantize(Decimal("0.1")),
            )
        )
    return result

"""Reads shared by the pages and the API: which orders a member of staff may see, what a
technician may take, the job board, and the jobs waiting for parts. Each rule is written
here once, as a condition for lists and as a test for one record."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from dealer.extensions import db
from dealer.models import User
from dealer.roles import ADVISOR, CALLBACK, INSPECTOR, MANAGER, PARTS
from workorders.lifecycle import OPEN_STATUSES, JobStatus
from workorders.models import (
    Job,
    WorkOrder,
)
from workorders.services.reading import headroom


def open_to_take(job: Job) -> bool:
    """Whether any technician may take the job from the board: approved and unassigned, or a
    diagnosis that the order's not-to-exceed ceiling authorizes in advance."""
    if job.technician_id is not None:
        return False
    return job.status == JobStatus.APPROVED or (
        job.is_diagnosis
        and job.status == JobStatus.PENDING
        and job.work_order.not_to_exceed is not None
    )


def open_to_take_clause():
    """``open_to_take`` as a condition on jobs joined to their work orders."""
    return Job.technician_id.is_(None) & (
        (Job.status == JobStatus.APPROVED.value)
        | (
            Job.is_diagnosis.is_(True)
            & (Job.status == JobStatus.PENDING.value)
            & WorkOrder.not_to_exceed.is_not(None)
        )
    )


def headroom_of(order_ids: set[int]) -> dict[int, Decimal]:
    """The headroom of each of these orders, read in a fixed number of statements."""
    if not order_ids:
        return {}
    orders = db.session.scalars(
        select(WorkOrder)
        .where(WorkOrder.id.in_(sorted(order_ids)))
        .options(
            selectinload(WorkOrder.jobs).selectinload(Job.parts),
            selectinload(WorkOrder.discounts),
        )
    ).all()
    return {order.id: headroom(order) for order in orders}


SEES_EVERY_ORDER = (ADVISOR, MANAGER, INSPECTOR, PARTS, CALLBACK)
"""Who sees every order of the site; a technician sees the orders with a job of theirs or a
job open to take."""


def visible_to(user: User, order: WorkOrder) -> bool:
    """Whether ``user`` may see the order (see ``SEES_EVERY_ORDER``)."""
    if order.site_id != user.site_id:
        return False
    if user.has_role(*SEES_EVERY_ORDER):
        return True
    return any(job.technician_id == user.id or open_to_take(job) for job in order.jobs)


def orders_visible_to(user: User) -> Select:
    """``visible_to`` as a query of the orders ``user`` may list."""
    stmt = select(WorkOrder).where(WorkOrder.site_id == user.site_id)
    if not user.has_role(*SEES_EVERY_ORDER):
        theirs = (
            select(Job.work_order_id)
            .join(WorkOrder)
            .where(or_(Job.technician_id == user.id, open_to_take_clause()))
        )
        stmt = stmt.where(WorkOrder.id.in_(theirs))
    return stmt


def _jobs_in_the_workshop(site_id: int) -> Select:
    """Jobs of the site's open orders, the soonest promised first, each with its car."""
    return (
        select(Job)
        .join(WorkOrder)
        .where(WorkOrder.site_id == site_id, WorkOrder.status.in_(OPEN_STATUSES))
        .order_by(WorkOrder.promised_at.is_(None), WorkOrder.promised_at, Job.id)
        .options(selectinload(Job.work_order).selectinload(WorkOrder.vehicle))
    )


@dataclass(frozen=True)
class Board:
    """The job board as one member of staff sees it."""

    mine: list[Job]
    unassigned: list[Job]
    everyone: list[Job]


def job_board(user: User) -> Board:
    """The user's own jobs, the jobs open to take, and (for the desk) everyone's jobs in work."""
    base = _jobs_in_the_workshop(user.site_id)
    mine = db.session.scalars(
        base.where(
            Job.technician_id == user.id,
            Job.status.in_(
                [
                    JobStatus.APPROVED.value,
                    JobStatus.IN_PROGRESS.value,
                    JobStatus.PROPOSED.value,
                    JobStatus.PENDING.value,
                ]
            ),
        )
    ).all()
    unassigned = db.session.scalars(base.where(open_to_take_clause())).all()
    everyone = []
    if user.has_role(MANAGER, ADVISOR):
        everyone = db.session.scalars(
            base.where(
                Job.technician_id.is_not(None),
                Job.status.in_([JobStatus.APPROVED.value, JobStatus.IN_PROGRESS.value]),
            ).options(selectinload(Job.technician))
        ).all()
    return Board(list(mine), list(unassigned), list(everyone))


def waiting_for_parts(site_id: int) -> list[Job]:
    """The jobs of open orders waiting for parts, the soonest promised first."""
    stmt = _jobs_in_the_workshop(site_id).where(Job.waiting_for_parts.is_(True))
    return list(db.session.scalars(stmt))

"""Each person's work queue: what the start page lists for the roles they hold.

An advisor sees the orders the customer decided on their link lately, today's arrivals,
the orders waiting on the desk (an estimate to put to the customer, work the customer has
not yet decided, cars ready to hand over, promises at risk) and the customers' replies of
the last two days; a technician their jobs, the jobs to take and the parts that arrived for
their jobs; an inspector the cars waiting for the final inspection, oldest first; the parts
counter the lines to pick, the jobs waiting for parts and the old parts kept for the
manufacturer that are due; callback staff today's calls; the warranty administrator the
draft claims to submit and the rejected ones to correct.
Each list is bounded and counted whole, as on the Today dashboard.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from care.callbacks import call_list
from care.models import MessageReply
from dealer.extensions import db
from dealer.models import DealerSettings, User
from dealer.roles import ADVISOR, CALLBACK, INSPECTOR, MANAGER, PARTS, TECHNICIAN, WARRANTY
from dealer.timeutil import day_start, local_time
from parts.models import StockMovement
from parts.vocabulary import MovementKind
from reports.dashboard import DASHBOARD_ROWS, Shortlist, decided_on_link, listed_orders
from warranty.claims import tags_on_shelf
from warranty.models import WarrantyClaim
from workorders import attention, queries
from workorders.lifecycle import OPEN_STATUSES, Status
from workorders.models import Job, PartLine, StatusChange, WorkOrder
from workorders.vocabulary import JobStatus


@dataclass(frozen=True)
class Queue:
    """One list of a person's work: its name, its rows, and what ``kind`` of rows they are
    (``orders``, ``jobs``, ``lines`` or ``calls``), with where the whole list is."""

    key: str
    kind: str
    rows: Shortlist
    link: str | None = None


@dataclass
class WorkQueues:
    queues: list[Queue] = field(default_factory=list)

    def __iter__(self):
        return iter(self.queues)

    @property
    def empty(self) -> bool:
        return all(q.rows.total == 0 for q in self.queues)


def _bounded(rows: list) -> Shortlist:
    return Shortlist(rows[:DASHBOARD_ROWS], len(rows))


def desk_queues(site_id: int, settings: DealerSettings, now: datetime) -> list[Queue]:
    """The advisor's lists: arrivals today, and the orders waiting on the desk."""
    at_site = WorkOrder.site_id == site_id
    today = day_start(local_time(now, settings.time_zone).date(), settings.time_zone)
    undecided = (
        select(Job.work_order_id)
        .where(Job.status.in_([JobStatus.PENDING.value, JobStatus.PROPOSED.value]))
        .scalar_subquery()
    )
    return [
        Queue("decided_on_link", "orders", decided_on_link(site_id, now), "decision"),
        Queue(
            "arrivals",
            "orders",
            listed_orders(at_site, WorkOrder.received_at >= today, by=WorkOrder.received_at),
        ),
        Queue(
            "estimate_to_send",
            "orders",
            listed_orders(at_site, WorkOrder.status == Status.ESTIMATING.value, by=WorkOrder.id),
            "estimating",
        ),
        Queue(
            "awaiting_decision",
            "orders",
            listed_orders(
                at_site,
                WorkOrder.status.in_(OPEN_STATUSES),
                WorkOrder.status != Status.ESTIMATING.value,
                WorkOrder.id.in_(undecided),
                by=WorkOrder.id,
            ),
            "decision",
        ),
        Queue(
            "ready_to_hand_over",
            "orders",
            listed_orders(
                at_site, WorkOrder.status == Status.READY.value, by=WorkOrder.promised_at
            ),
            "ready",
        ),
        Queue(
            "at_risk",
            "orders",
            listed_orders(
                at_site,
                WorkOrder.status.in_(OPEN_STATUSES),
                or_(attention.late(now), attention.at_risk(now)),
                by=WorkOrder.promised_at,
            ),
            "at_risk",
        ),
    ]


def technician_queues(user: User, now: datetime) -> list[Queue]:
    """The technician's jobs, the jobs open to take, and their jobs whose parts arrived in
    the last day (reserved for them when the parts came in)."""
    board = queries.job_board(user)
    arrived = db.session.scalars(
        select(Job)
        .join(PartLine, PartLine.job_id == Job.id)
        .join(StockMovement, StockMovement.part_line_id == PartLine.id)
        .where(
            Job.technician_id == user.id,
            Job.status.in_([JobStatus.APPROVED.value, JobStatus.IN_PROGRESS.value]),
            Job.waiting_for_parts.is_(False),
            StockMovement.kind == MovementKind.RESERVATION.value,
            StockMovement.at >= now - timedelta(days=1),
        )
        .distinct()
        .order_by(Job.id)
    ).all()
    return [
        Queue("my_jobs", "jobs", _bounded(board.mine)),
        Queue("jobs_to_take", "jobs", _bounded(board.unassigned)),
        Queue("parts_arrived", "jobs", _bounded(list(arrived))),
    ]


REPLIES_FOR = timedelta(days=2)
"""How long a customer's reply stays on the desk's queue."""


def replies_queue(site_id: int, now: datetime) -> Queue:
    """The customers' replies to messages, newest first."""
    replies = db.session.scalars(
        select(MessageReply)
        .where(MessageReply.site_id == site_id, MessageReply.at >= now - REPLIES_FOR)
        .order_by(MessageReply.at.desc(), MessageReply.id.desc())
        .options(joinedload(MessageReply.customer))
        .limit(DASHBOARD_ROWS + 1)
    ).all()
    return Queue("replies", "replies", Shortlist(list(replies[:DASHBOARD_ROWS]), len(replies)))


def inspector_queues(site_id: int) -> list[Queue]:
    """Cars waiting for the final inspection, the longest waiting first."""
    entered = (
        select(StatusChange.work_order_id, func.max(StatusChange.at).label("at"))
        .where(StatusChange.to_status == Status.QUALITY_CHECK.value)
        .group_by(StatusChange.work_order_id)
        .subquery()
    )
    waiting = listed_orders(
        WorkOrder.site_id == site_id,
        WorkOrder.status == Status.QUALITY_CHECK.value,
        WorkOrder.id.in_(select(entered.c.work_order_id)),
        by=select(entered.c.at).where(entered.c.work_order_id == WorkOrder.id).scalar_subquery(),
    )
    return [Queue("final_inspection", "orders", waiting, "quality_check")]


def parts_queues(site_id: int) -> list[Queue]:
    """Lines reserved on the shelf and not yet issued to the job, and jobs waiting for
    parts."""
    to_pick = db.session.scalars(
        select(PartLine)
        .join(Job, PartLine.job_id == Job.id)
        .join(WorkOrder, PartLine.work_order_id == WorkOrder.id)
        .where(
            WorkOrder.site_id == site_id,
            WorkOrder.status.in_(OPEN_STATUSES),
            PartLine.reserved_quantity > 0,
            Job.status.in_([JobStatus.APPROVED.value, JobStatus.IN_PROGRESS.value]),
        )
        .order_by(WorkOrder.promised_at.is_(None), WorkOrder.promised_at, PartLine.id)
        .limit(DASHBOARD_ROWS + 1)
    ).all()
    waiting = queries.waiting_for_parts(site_id)
    return [
        Queue("to_pick", "lines", Shortlist(list(to_pick[:DASHBOARD_ROWS]), len(to_pick))),
        Queue("waiting_for_parts", "jobs", _bounded(waiting)),
        Queue("old_parts_due", "tags", _bounded(tags_on_shelf(site_id, due_within=7))),
    ]


def warranty_queues(site_id: int) -> list[Queue]:
    """Draft claims to submit, the oldest repair first, and rejected claims to correct."""

    def claims(status: str) -> Shortlist:
        found = db.session.scalars(
            select(WarrantyClaim)
            .where(WarrantyClaim.site_id == site_id, WarrantyClaim.status == status)
            .order_by(WarrantyClaim.repaired_on, WarrantyClaim.id)
            .limit(DASHBOARD_ROWS + 1)
        ).all()
        total = len(found)
        if total > DASHBOARD_ROWS:
            total = db.session.scalar(
                select(func.count()).where(
                    WarrantyClaim.site_id == site_id, WarrantyClaim.status == status
                )
            )
        return Shortlist(list(found[:DASHBOARD_ROWS]), total)

    return [
        Queue("claims_to_submit", "claims", claims("draft"), "draft"),
        Queue("claims_rejected", "claims", claims("rejected"), "rejected"),
    ]


def calls_queue(user: User, settings: DealerSettings, now: datetime) -> list[Queue]:
    """Today's calls: the agent's own and the shared pool's, overdue first."""
    calls = db.session.scalars(
        call_list(user.site_id, user, scope="both", now=now, time_zone=settings.time_zone).limit(
            DASHBOARD_ROWS + 1
        )
    ).all()
    return [Queue("calls_today", "calls", Shortlist(list(calls[:DASHBOARD_ROWS]), len(calls)))]


def work_queues(user: User, settings: DealerSettings, now: datetime) -> WorkQueues:
    """The lists for every role ``user`` holds, desk first (a manager reads the Today
    dashboard instead)."""
    found = WorkQueues()
    if user.has_role(ADVISOR):
        found.queues += desk_queues(user.site_id, settings, now)
        found.queues.append(replies_queue(user.site_id, now))
    if user.has_role(TECHNICIAN):
        found.queues += technician_queues(user, now)
    if user.has_role(INSPECTOR):
        found.queues += inspector_queues(user.site_id)
    if user.has_role(PARTS):
        found.queues += parts_queues(user.site_id)
    if user.has_role(CALLBACK):
        found.queues += calls_queue(user, settings, now)
    if user.has_role(WARRANTY):
        found.queues += warranty_queues(user.site_id)
    return found


def reads_the_dashboard(user: User) -> bool:
    """Whether the start page is the Today dashboard: a manager holding no other queue."""
    return user.has_role(MANAGER) and not user.has_role(
        ADVISOR, TECHNICIAN, INSPECTOR, PARTS, CALLBACK, WARRANTY
    )

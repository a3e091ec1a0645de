"""The orders in the workshop that need the desk now: past the promised time, at risk of
it, and due for delivery today.

Each is a SQL condition on work orders, so the manager's dashboard counts and lists them
and the work-order list shows all of them by the same rule.
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, exists

from dealer.timeutil import day_start, local_time
from workorders.lifecycle import OPEN_STATUSES, JobStatus, Status
from workorders.models import Job, WorkOrder

WORKING = (
    Status.INTAKE.value,
    Status.ESTIMATING.value,
    Status.AWAITING_APPROVAL.value,
    Status.IN_PROGRESS.value,
    Status.QUALITY_CHECK.value,
)
"""The states in which the car is still being worked on (not ready, not handed over)."""
AT_RISK_WITHIN = timedelta(hours=2)
DUE_LOOKBACK = timedelta(days=30)
"""How far back a promise missed still counts as a delivery due today."""
FILTERS = ("late", "at_risk", "due_today")
"""The work-order list's names for these conditions."""


def late(now: datetime):
    """Still being worked on after the promised time."""
    return and_(WorkOrder.status.in_(WORKING), WorkOrder.promised_at < now)


def at_risk(now: datetime):
    """Promised within the next two hours with a job not yet done."""
    unfinished = exists().where(
        Job.work_order_id == WorkOrder.id,
        Job.status.in_(
            [JobStatus.PENDING.value, JobStatus.APPROVED.value, JobStatus.IN_PROGRESS.value]
        ),
    )
    return and_(
        WorkOrder.status.in_(WORKING),
        WorkOrder.promised_at >= now,
        WorkOrder.promised_at < now + AT_RISK_WITHIN,
        unfinished,
    )


def due_today(now: datetime, time_zone: str):
    """In the workshop and promised by the end of today (missed promises of the last 30
    days included)."""
    tomorrow = local_time(now, time_zone).date() + timedelta(days=1)
    return and_(
        WorkOrder.status.in_(OPEN_STATUSES),
        WorkOrder.promised_at < day_start(tomorrow, time_zone),
        WorkOrder.promised_at >= now - DUE_LOOKBACK,
    )


def condition(name: str, now: datetime, time_zone: str):
    """The condition the work-order list calls ``name`` (one of ``FILTERS``)."""
    if name == "late":
        return late(now)
    if name == "at_risk":
        return at_risk(now)
    if name == "due_today":
        return due_today(now, time_zone)
    raise ValueError(name)

"""The Today dashboard: the workshop now, each list bounded and counted whole."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select

from care.callbacks import open_callbacks_by_agent
from care.complaints import complaint_list, is_overdue, overdue_clause
from care.models import Complaint
from customers.models import Vehicle
from dealer.extensions import db
from dealer.models import DealerSettings
from workorders import attention
from workorders.lifecycle import OPEN_STATUSES, Status
from workorders.models import Authorization, Job, WorkOrder

DASHBOARD_ROWS = 10
"""How many orders each of the dashboard's lists shows; the rest are a link away."""


@dataclass(frozen=True)
class Shortlist:
    """The first rows of a list and how many rows the whole list has."""

    rows: list
    total: int

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Today:
    by_status: dict
    late: Shortlist
    at_risk: Shortlist
    awaiting_approval: Shortlist
    waiting_for_parts: Shortlist
    deliveries_due: Shortlist
    callbacks_by_agent: list
    complaints_open: int
    complaints_overdue: int
    complaints: list
    decided_on_link: Shortlist | None = None


LINK_DECISIONS_FOR = timedelta(days=2)
"""How long an order the customer decided on their link stays listed for the desk."""


def decided_on_link(site_id: int, now: datetime) -> Shortlist:
    """Orders whose customer approved or declined work on their link lately, newest order
    first."""
    return listed_orders(
        WorkOrder.site_id == site_id,
        WorkOrder.id.in_(
            select(Authorization.work_order_id).where(
                Authorization.method == "link", Authorization.at >= now - LINK_DECISIONS_FOR
            )
        ),
        by=-WorkOrder.id,
    )


def _shortlist(rows) -> Shortlist:
    """Rows whose column ``total`` is the count of the whole list (a window over it)."""
    rows = list(rows)
    return Shortlist(rows, int(rows[0].total) if rows else 0)


def listed_orders(*conditions, by) -> Shortlist:
    """The first orders meeting ``conditions`` in the order of ``by``, each with its car's
    plate, and how many meet them: the few are picked first, so only their cars are looked
    up."""
    picked = (
        select(
            WorkOrder.id,
            WorkOrder.number,
            WorkOrder.status,
            WorkOrder.promised_at,
            WorkOrder.vehicle_id,
            by.label("rank"),
            func.count().over().label("total"),
        )
        .where(*conditions)
        .order_by(by, WorkOrder.id)
        .limit(DASHBOARD_ROWS)
        .subquery()
    )
    return _shortlist(
        db.session.execute(
            select(
                picked.c.id,
                picked.c.number,
                picked.c.status,
                picked.c.promised_at,
                Vehicle.plate,
                picked.c.total,
            )
            .join(Vehicle, Vehicle.id == picked.c.vehicle_id)
            .order_by(picked.c.rank, picked.c.id)
        )
    )


def today(site_id: int, settings: DealerSettings, now: datetime) -> Today:
    """The workshop now: each list bounded and counted whole, each count one grouped query."""
    in_shop = and_(WorkOrder.site_id == site_id, WorkOrder.status.in_(OPEN_STATUSES))
    by_status = dict(
        db.session.execute(
            select(WorkOrder.status, func.count()).where(in_shop).group_by(WorkOrder.status)
        ).all()
    )
    late = listed_orders(in_shop, attention.late(now), by=WorkOrder.promised_at)
    at_risk = listed_orders(in_shop, attention.at_risk(now), by=WorkOrder.promised_at)
    awaiting = listed_orders(
        WorkOrder.site_id == site_id,
        WorkOrder.status == Status.AWAITING_APPROVAL.value,
        by=WorkOrder.received_at,
    )
    waiting_parts = _shortlist(
        db.session.execute(
            select(
                Job.id,
                Job.title,
                Job.title_zh,
                Job.work_order_id,
                WorkOrder.number,
                func.count().over().label("total"),
            )
            .join(WorkOrder)
            .where(in_shop, Job.waiting_for_parts.is_(True))
            .order_by(Job.id)
            .limit(DASHBOARD_ROWS)
        )
    )
    due = listed_orders(
        in_shop, attention.due_today(now, settings.time_zone), by=WorkOrder.promised_at
    )
    agents = open_callbacks_by_agent(site_id, now, settings.time_zone)
    complaints_open, overdue_count = db.session.execute(
        select(func.count(Complaint.id), func.sum(case((overdue_clause(now), 1), else_=0))).where(
            Complaint.site_id == site_id, Complaint.status == "open"
        )
    ).one()
    open_complaints = db.session.scalars(
        complaint_list(site_id, open_only=True, now=now).limit(20)
    ).all()
    return Today(
        by_status=by_status,
        late=late,
        at_risk=at_risk,
        awaiting_approval=awaiting,
        waiting_for_parts=waiting_parts,
        deliveries_due=due,
        callbacks_by_agent=[
            {"agent": name, "due": int(n), "overdue": int(o or 0)} for name, n, o in agents
        ],
        complaints_open=int(complaints_open or 0),
        complaints_overdue=int(overdue_count or 0),
        complaints=[(c, is_overdue(c, now)) for c in open_complaints],
        decided_on_link=decided_on_link(site_id, now),
    )

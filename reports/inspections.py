"""The figures of the multi-point inspection for the orders delivered in a period: the share
of orders inspected, the value of the work the inspections recommended and the share of it
sold (approved and done), per technician who inspected and per advisor of the order."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from dealer.extensions import db
from dealer.models import User
from mpi.models import MpiInspection
from workorders.lifecycle import Status
from workorders.models import Job, WorkOrder
from workorders.services import job_amount

RATE = Decimal("0.0001")
SOLD = ("approved", "in_progress", "done")


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


@dataclass
class Row:
    name: str
    inspections: int = 0
    recommended: int = 0
    recommended_value: Decimal = Decimal("0.00")
    sold: int = 0
    sold_value: Decimal = Decimal("0.00")

    @property
    def sold_share(self) -> Decimal | None:
        return _rate(self.sold_value, self.recommended_value)


@dataclass
class InspectionFigures:
    orders: int = 0
    inspected: int = 0
    inspected_share: Decimal | None = None
    total: Row = field(default_factory=lambda: Row(""))
    technicians: list[Row] = field(default_factory=list)
    advisors: list[Row] = field(default_factory=list)


def inspection_figures(site_id: int, period) -> InspectionFigures:
    """The period's inspection figures (``period`` a ``reports.figures.Period``)."""
    delivered = and_(
        WorkOrder.site_id == site_id,
        WorkOrder.status == Status.DELIVERED.value,
        period.contains(WorkOrder.delivered_at),
    )
    found = InspectionFigures()
    orders, inspected = db.session.execute(
        select(func.count(WorkOrder.id), func.count(MpiInspection.id))
        .outerjoin(MpiInspection, MpiInspection.work_order_id == WorkOrder.id)
        .where(delivered)
    ).one()
    found.orders, found.inspected = int(orders), int(inspected)
    found.inspected_share = _rate(inspected, orders)
    people = dict(db.session.execute(select(User.id, User.full_name)).all())
    inspections = db.session.execute(
        select(MpiInspection.id, MpiInspection.completed_by_id, MpiInspection.started_by_id)
        .add_columns(WorkOrder.advisor_id)
        .join(WorkOrder, WorkOrder.id == MpiInspection.work_order_id)
        .where(delivered)
    ).all()
    technicians: dict[int | None, Row] = {}
    advisors: dict[int | None, Row] = {}
    by_order: dict[int, tuple[Row, Row]] = {}
    for inspection_id, completed_by, started_by, advisor_id in inspections:
        who = completed_by or started_by
        tech = technicians.setdefault(who, Row(people.get(who, "—")))
        desk = advisors.setdefault(advisor_id, Row(people.get(advisor_id, "—")))
        tech.inspections += 1
        desk.inspections += 1
        found.total.inspections += 1
        by_order[inspection_id] = (tech, desk)
    jobs = db.session.execute(
        select(Job, MpiInspection.id)
        .join(WorkOrder, WorkOrder.id == Job.work_order_id)
        .join(MpiInspection, MpiInspection.work_order_id == WorkOrder.id)
        .where(delivered, Job.mpi_item_id.is_not(None))
        .options(selectinload(Job.parts))
    ).all()
    for job, inspection_id in jobs:
        value = job_amount(job).amount
        sold = job.status in SOLD
        for row in (*by_order[inspection_id], found.total):
            row.recommended += 1
            row.recommended_value += value
            if sold:
                row.sold += 1
                row.sold_value += value
    found.technicians = sorted(technicians.values(), key=lambda r: r.name)
    found.advisors = sorted(advisors.values(), key=lambda r: r.name)
    return found

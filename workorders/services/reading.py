"""What an order comes to, read from its lines: totals, amounts paid and due, the authorized
amount and the headroom under it."""

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func, select

from dealer.extensions import db
from dealer.models import User
from dealer.services import settings_for
from dealer.timeutil import local_time
from workorders.lifecycle import JobStatus, OrderFacts
from workorders.models import (
    Job,
    PartLine,
    TimeClock,
    WorkOrder,
)
from workorders.totals import (
    DiscountAmount,
    JobAmount,
    PartAmount,
    Totals,
    proposed_totals,
    totals,
)
from workorders.vocabulary import Category


def job_amount(job: Job) -> JobAmount:
    """A job with its parts, as the totals arithmetic sees it."""
    return JobAmount(
        status=job.status,
        pay_type=job.pay_type,
        labor_hours=job.labor_hours,
        labor_rate=job.labor_rate,
        parts=tuple(PartAmount(p.charged_quantity, p.unit_price) for p in job.parts),
        sublet=job.sublet_price or Decimal("0.00"),
    )


def discount_amounts(order: WorkOrder) -> list[DiscountAmount]:
    """The order's discount lines, as the totals arithmetic sees them."""
    return [DiscountAmount(d.value, percent=d.kind == "percent") for d in order.discounts]


def line_amount(line: PartLine) -> Decimal:
    """What a parts line comes to."""
    return PartAmount(line.charged_quantity, line.unit_price).amount


def totals_at_rates(order: WorkOrder, amounts: list[JobAmount] | None = None, **options) -> Totals:
    """``totals`` of the order's jobs (or of ``amounts``) at its rates, less its discounts."""
    return totals(
        [job_amount(j) for j in order.jobs] if amounts is None else amounts,
        order.tax_rate,
        discount_amounts(order),
        labor_tax_rate=order.labor_tax_rate,
        **options,
    )


def order_totals(order: WorkOrder) -> Totals:
    """What the order comes to now (declined and unauthorized proposed work left out)."""
    return totals_at_rates(order)


def order_proposed_totals(order: WorkOrder) -> Totals:
    """What the proposed work awaiting the customer's decision would add."""
    return proposed_totals(
        [job_amount(j) for j in order.jobs], order.tax_rate, order.labor_tax_rate
    )


def total_if_all_approved(order: WorkOrder) -> Decimal:
    """The order's total if the customer approved every pending and proposed job."""
    undecided = (JobStatus.PENDING, JobStatus.PROPOSED)
    amounts = [
        replace(job_amount(j), status="approved") if j.status in undecided else job_amount(j)
        for j in order.jobs
    ]
    return totals_at_rates(order, amounts).total


def amount_paid(order: WorkOrder) -> Decimal:
    """Everything paid towards the order (change given back is not kept)."""
    return sum((p.kept for p in order.payments), Decimal("0.00"))


def amount_due(order: WorkOrder) -> Decimal:
    """What the customer still owes: the order's total, or the estimate's if every job it
    proposes were approved (a deposit may cover that), less what was paid."""
    owed = max(order_totals(order).total, total_if_all_approved(order))
    return max(owed - amount_paid(order), Decimal("0.00"))


def order_facts(order: WorkOrder, *, reason: str | None = None) -> OrderFacts:
    """What the lifecycle's guards need to know about the order."""
    counts = {state.value: 0 for state in JobStatus}
    for job in order.jobs:
        counts[job.status] += 1
    latest_qc = order.quality_checks[-1] if order.quality_checks else None
    return OrderFacts(
        inspection_recorded=order.inspection is not None,
        inspection_acknowledged=order.inspection is not None
        and bool(order.inspection.acknowledged_by or order.inspection.signature_file),
        jobs=len(order.jobs),
        qc_passed=bool(latest_qc and latest_qc.passed),
        reason_given=bool((reason or "").strip()),
        amount_due_paid=amount_paid(order) >= order_totals(order).total,
        **counts,
    )


def ceiling(order: WorkOrder) -> Decimal:
    """What the order may come to without asking the customer again: the authorized total, or
    the not-to-exceed ceiling the customer set for diagnosis if that is higher."""
    return max(order.authorized_amount, order.not_to_exceed or Decimal("0"))


AUTHORIZED_WORK = frozenset({"approved", "in_progress", "done"})


def authorized_total(order: WorkOrder) -> Decimal:
    """What the work the customer authorized comes to (jobs still to be decided left out)."""
    return totals_at_rates(order, statuses=AUTHORIZED_WORK).total


def headroom(order: WorkOrder) -> Decimal:
    """How much more work the order can take before the customer must authorize it."""
    return ceiling(order) - authorized_total(order)


def clocked_jobs(order: WorkOrder) -> set[int]:
    """The ids of the order's jobs that someone clocked time on."""
    return set(
        db.session.scalars(
            select(TimeClock.job_id).where(TimeClock.work_order_id == order.id).distinct()
        )
    )


def clocked_on_job(job: Job) -> bool:
    """Whether anyone clocked time on the job."""
    return db.session.scalar(select(func.count(TimeClock.id)).where(TimeClock.job_id == job.id)) > 0


def comeback_in_warranty(order: WorkOrder) -> bool:
    """Whether a comeback order arrives within the warranty of a job on the earlier order."""
    earlier = order.comeback_of
    if earlier is None:
        return False
    today = local_time(order.received_at, settings_for(order.site_id).time_zone).date()
    return any(
        job.warranty_until
        and today <= job.warranty_until
        and order.odometer_in <= (job.warranty_until_km or 0)
        for job in earlier.jobs
    )


def total_with(order: WorkOrder, job: Job) -> Decimal:
    """What the authorized work would come to with ``job`` approved too."""
    amounts = [
        replace(job_amount(j), status="approved") if j.id == job.id else job_amount(j)
        for j in order.jobs
    ]
    return totals_at_rates(order, amounts, statuses=AUTHORIZED_WORK).total


def technician_clocked_on(order: WorkOrder, user: User) -> bool:
    """Whether ``user`` has clocked any time on the order."""
    return (
        db.session.scalar(
            select(func.count(TimeClock.id)).where(
                TimeClock.work_order_id == order.id, TimeClock.technician_id == user.id
            )
        )
        > 0
    )


def worked_on(order: WorkOrder, user: User) -> bool:
    """Whether ``user`` worked on the order: assigned to a job, clocked time, completed a job
    or recorded findings (such a person may not pass it at the final inspection)."""
    if any(
        user.id in (job.technician_id, job.completed_by_id, job.findings_by_id)
        for job in order.jobs
    ):
        return True
    return technician_clocked_on(order, user)


def repair_category(jobs) -> str:
    """The order's repair category: the heaviest category among its work done or approved
    (the vocabulary lists them lightest first)."""
    worked = [j.category for j in jobs if j.status != JobStatus.DECLINED] or [
        j.category for j in jobs
    ]
    for category in reversed(Category.values()):
        if category in worked:
            return category
    return ""

"""Helpers of the warranty tests: an order's work done through the real operations."""

from dealer.extensions import db
from tests.factories import make_user
from tests.workorders.test_services import ALL_CHECKED
from workorders import services as wo


def do_the_work(order, advisor, *, deliver: bool = True, tech=None):
    """Authorize what is pending, do every approved job, pass QC and, unless told not to,
    hand the car over; committed. Returns the technician."""
    if order.status == "intake":
        wo.move_order(advisor, order, "estimating")
    pending = [job.id for job in order.jobs if job.status == "pending"]
    if pending:
        wo.authorize_jobs(
            advisor,
            order,
            approved_job_ids=pending,
            declined_job_ids=[],
            authorized_by="Owner",
            method="phone",
            phone="13912345678",
            amount=None,
        )
    tech = tech or make_user(roles=["technician"])
    for job in order.jobs:
        if job.status == "approved":
            wo.clock_on(tech, job)
            wo.complete_job(tech, job)
    if deliver:
        inspector = make_user(roles=["inspector"])
        wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
        wo.hand_over(
            advisor,
            order,
            payment_method="cash",
            amount_paid=wo.order_totals(order).total,
            received_by="Owner",
        )
    db.session.commit()
    return tech

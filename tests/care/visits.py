"""Helpers of the care tests: the clock in Shanghai, weekday hours, and a delivered visit."""

from datetime import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from dealer import services
from dealer.extensions import db
from tests.factories import make_customer, make_order, make_user, make_vehicle
from tests.workorders.test_services import ALL_CHECKED
from workorders import services as wo
from workorders.models import WorkOrder

SHANGHAI = ZoneInfo("Asia/Shanghai")


HOURS = {day: [["08:30", "17:30"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def local(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def weekday_hours():
    settings = services.settings_for(services.default_site().id)
    settings.working_hours = {**HOURS, "sat": [], "sun": []}
    db.session.commit()
    return settings


def delivered(customer=None, *, declined: bool = False, amount: str = "1") -> WorkOrder:
    """An order handed over through the real operations."""
    advisor = make_user(roles=["advisor"])
    tech = make_user(roles=["technician"])
    inspector = make_user(roles=["inspector"])
    vehicle = make_vehicle(customer=customer or make_customer(), odometer_km=30000)
    order = make_order(advisor=advisor, vehicle=vehicle)
    job = wo.add_job(
        advisor, order, title="Oil service", labor_hours=D(amount), category="level1_maintenance"
    )
    jobs = [job.id]
    refused = []
    if declined:
        refused.append(
            wo.add_job(
                advisor,
                order,
                title="Front brake pads",
                labor_hours=D("1.5"),
                category="minor_repair",
            ).id
        )
    assert order.status == "estimating"
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=jobs,
        declined_job_ids=refused,
        authorized_by="Owner",
        method="phone",
        phone="13912345678",
        amount=None,
    )
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    wo.hand_over(
        advisor,
        order,
        payment_method="cash",
        amount_paid=wo.order_totals(order).total,
        received_by="Owner",
    )
    db.session.commit()
    return order

"""Deposits towards the handover, the workshop now, and a comeback through the page."""

from datetime import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_authorized_job, make_order, make_user
from workorders import services as wo
from workorders.models import WorkOrder


def test_comeback_through_the_page(app, client, login):
    from tests.workorders.test_services import ALL_CHECKED

    user = login("advisor")
    tech, inspector = make_user(roles=["technician"]), make_user(roles=["inspector"])
    order, job = make_authorized_job(advisor=user, title="Pads")
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    wo.hand_over(user, order, payment_method="cash", amount_paid=D("226.00"), received_by="O")
    db.session.commit()
    page = f"/work-orders/{order.id}"
    response = client.post(
        f"{page}/comeback",
        data={
            "odometer_km": order.odometer_out + 10,
            "fuel_level": "0.5",
            "concern": "Squeal is back",
            "cause": "workmanship",
            "csrf_token": csrf_token(client, page),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    comeback = db.session.scalar(db.select(WorkOrder).where(WorkOrder.comeback_of_id == order.id))
    assert comeback.comeback_cause == "workmanship" and comeback.status == "intake"


def test_deposits_count_towards_the_handover(advisor):
    from tests.workorders.test_services import ALL_CHECKED

    tech, inspector = make_user(roles=["technician"]), make_user(roles=["inspector"])
    order = make_order(advisor=advisor)
    job = wo.add_job(
        advisor,
        order,
        title="Sublet glass",
        labor_hours=D("0.5"),
        category="minor_repair",
        sublet_vendor="Glass Co.",
        sublet_cost=D("600"),
        sublet_price=D("800"),
    )
    assert wo.job_amount(job).amount == D("900.00")
    with pytest.raises(DomainError) as caught:
        wo.add_job(
            advisor,
            order,
            title="x",
            labor_hours=D("1"),
            category="minor_repair",
            sublet_price=D("1"),
        )
    assert caught.value.errors[0][0] == "sublet_vendor"
    assert order.status == "estimating"
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[],
        authorized_by="O",
        method="phone",
        phone="13912345678",
        amount=D("1017.00"),
    )
    wo.record_payment(advisor, order, method="cash", amount=D("500.00"), payer="Owner")
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    db.session.commit()
    with pytest.raises(RuleBroken, match="payment"):
        wo.hand_over(
            advisor, order, payment_method="card", amount_paid=D("500.00"), received_by="O"
        )
    db.session.rollback()
    order = db.session.get(WorkOrder, order.id)
    wo.hand_over(
        advisor,
        order,
        payment_method="card",
        amount_paid=D("517.00"),
        received_by="O",
        payer="Fleet Co.",
    )
    assert order.status == "delivered"
    assert [(p.method, p.amount, p.payer) for p in order.payments] == [
        ("cash", D("500.00"), "Owner"),
        ("card", D("517.00"), "Fleet Co."),
    ]


def test_the_workshop_now_shows_open_clocks_and_hours_today(advisor):
    from datetime import timedelta

    from workorders.models import TimeClock

    tech = make_user(roles=["technician"], full_name="Zhang")
    idle = make_user(roles=["technician"], full_name="Liu")
    order, job = make_authorized_job(advisor=advisor, hours="2")
    now = datetime(2026, 11, 24, 6, 0, tzinfo=ZoneInfo("UTC"))
    db.session.add(
        TimeClock(
            job_id=job.id,
            work_order_id=order.id,
            technician_id=tech.id,
            started_at=now - timedelta(hours=3),
            ended_at=now - timedelta(hours=2),
        )
    )
    db.session.add(
        TimeClock(
            job_id=job.id,
            work_order_id=order.id,
            technician_id=tech.id,
            started_at=now - timedelta(minutes=30),
        )
    )
    db.session.commit()
    rows = {row.technician.full_name: row for row in wo.workshop_now(advisor.site_id, now=now)}
    assert rows["Zhang"].hours_today == D("1.5") and rows["Zhang"].job.id == job.id
    assert rows["Liu"].clock is None and rows["Liu"].hours_today == D("0")
    assert idle.id == rows["Liu"].technician.id

"""The estimate's helpers: common jobs, the promised-time suggestion, discounts."""

from datetime import datetime
from decimal import Decimal as D

import pytest

from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_authorized_job, make_order, make_part, make_user
from tests.workorders.photos import SH
from workorders import services as wo
from workorders.models import CannedJob, WorkOrder


def test_common_jobs_add_hours_and_parts_in_one_go(advisor):
    manager = make_user(roles=["manager"])
    filter_ = make_part(part_number="04152-YZZA1", unit_price=D("80.00"))
    with pytest.raises(DomainError) as caught:
        wo.save_canned_job(
            manager,
            advisor.site_id,
            title="Oil service",
            labor_hours=D("0.8"),
            category="level1_maintenance",
            parts=[
                {"part_number": "NOPE", "quantity": "1"},
                {"part_number": "04152-YZZA1", "quantity": "x"},
            ],
        )
    assert [field for field, _ in caught.value.errors] == ["parts.0", "parts.1"]
    with pytest.raises(Forbidden):
        wo.save_canned_job(
            advisor,
            advisor.site_id,
            title="x",
            labor_hours=D("1"),
            category="minor_repair",
            parts=[],
        )
    canned = wo.save_canned_job(
        manager,
        advisor.site_id,
        title="Oil service",
        labor_hours=D("0.8"),
        category="level1_maintenance",
        parts=[{"part_number": "04152 YZZA1", "quantity": "1"}],
    )
    order = make_order(advisor=advisor)
    job = wo.add_canned_job(advisor, order, canned)
    assert job.title == "Oil service" and job.labor_hours == D("0.80")
    assert [(p.part_id, p.quantity) for p in job.parts] == [(filter_.id, D("1.000"))]


def test_common_jobs_pages(app, client, login):
    login("manager", "advisor")
    make_part(part_number="04152-YZZA1")
    response = client.post(
        "/canned-jobs",
        data={
            "title": "Oil service",
            "labor_hours": "0.8",
            "category": "level1_maintenance",
            "parts": "04152-YZZA1 1\n",
            "csrf_token": csrf_token(client, "/canned-jobs"),
        },
    )
    assert response.status_code == 302
    refused = client.post(
        "/canned-jobs",
        data={
            "title": "Bad",
            "labor_hours": "1",
            "category": "minor_repair",
            "parts": "NOPE 1",
            "csrf_token": csrf_token(client, "/canned-jobs"),
        },
    )
    assert refused.status_code == 422 and "No such part" in refused.get_data(as_text=True)
    canned = db.session.scalar(db.select(CannedJob))
    order = make_order()
    page = f"/work-orders/{order.id}"
    client.post(
        f"{page}/canned", data={"canned_job_id": canned.id, "csrf_token": csrf_token(client, page)}
    )
    db.session.expire_all()
    assert [j.title for j in db.session.get(WorkOrder, order.id).jobs] == ["Oil service"]


def test_promise_suggestion_counts_work_queue_and_missing_parts(advisor):
    make_user(roles=["technician"])
    make_user(roles=["technician"])
    make_authorized_job(advisor=advisor, title="Engine work", hours="6", category="major_repair")
    order = make_order(advisor=advisor)
    wo.add_job(advisor, order, title="Brakes", labor_hours=D("2"), category="minor_repair")
    monday_nine = datetime(2026, 11, 23, 9, 0, tzinfo=SH)
    plain = wo.suggest_promise(order, now=monday_nine)
    assert plain.work_hours == D("2") and plain.queue_hours == D("3.0") and plain.technicians == 2
    assert plain.parts_missing == ()
    assert plain.at.astimezone(SH) == datetime(2026, 11, 23, 14, 0, tzinfo=SH)
    none_left = make_part(part_number="X-1", on_hand="0")
    wo.add_part_line(advisor, order, order.jobs[0], part_number="X-1", quantity=D("1"))
    late = wo.suggest_promise(order, now=monday_nine)
    assert late.parts_missing == (none_left.part_number,)
    assert late.at.astimezone(SH) == datetime(2026, 11, 24, 14, 0, tzinfo=SH)


def test_discounts_above_the_limit_need_a_manager(advisor):
    manager = make_user(roles=["manager"])
    order = make_order(advisor=advisor)
    wo.add_job(advisor, order, title="Service", labor_hours=D("1"), category="level1_maintenance")
    db.session.commit()
    wo.add_discount(advisor, order, kind="percent", value=D("5"), reason="Loyal customer")
    assert wo.order_totals(order).discount == D("10.00")
    db.session.commit()
    with pytest.raises(RuleBroken, match="need a service manager"):
        wo.add_discount(advisor, order, kind="amount", value=D("30"), reason="Waited long")
    db.session.rollback()
    discount = wo.add_discount(manager, order, kind="amount", value=D("30"), reason="Waited long")
    assert discount.approved_by_id == manager.id
    result = wo.order_totals(order)
    assert (result.discount, result.tax, result.total) == (D("40.00"), D("20.80"), D("180.80"))
    for kwargs, field in (
        ({"kind": "percent", "value": D("101")}, "value"),
        ({"kind": "gift", "value": D("1")}, "kind"),
        ({"kind": "amount", "value": D("1"), "reason": ""}, "reason"),
    ):
        with pytest.raises(DomainError) as caught:
            wo.add_discount(manager, order, **{"reason": "x", **kwargs})
        assert field in {f for f, _ in caught.value.errors}

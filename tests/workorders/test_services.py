"""Work-order operations with a database: one car's whole path and the rules on the way."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from care.models import Callback
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from parts.models import Part, StockMovement
from tests.factories import SIGNATURE, make_order, make_part, make_user, make_vehicle
from workorders import services as wo
from workorders.models import StatusChange, WorkOrder

ALL_CHECKED = dict.fromkeys(wo.QC_CHECKLIST, True)


def estimate(order, advisor, part=None):
    brakes = wo.add_job(
        advisor, order, title="Front brake pads", labor_hours=D("1.5"), category="minor_repair"
    )
    if part is not None:
        wo.add_part_line(advisor, order, brakes, part_number=part.part_number, quantity=D("1"))
    wash = wo.add_job(
        advisor, order, title="Engine bay wash", labor_hours=D("0.5"), category="minor_repair"
    )
    assert order.status == "estimating"
    wo.move_order(advisor, order, "awaiting_approval")
    return brakes, wash


def test_numbers_are_per_year_and_increase(staff):
    first = make_order(advisor=staff["advisor"])
    second = make_order(advisor=staff["advisor"])
    year = first.received_at.year
    assert first.number.startswith("WO-") and first.number.endswith("000001")
    assert second.number.endswith("000002")
    assert str(year) in first.number or str(year + 1) in first.number


def test_opening_records_the_odometer_and_refuses_a_lower_reading(staff):
    vehicle = make_vehicle(odometer_km=50000)
    order = make_order(
        advisor=staff["advisor"], vehicle=vehicle, odometer_km=50500, inspected=False
    )
    assert order.vehicle.odometer_km == 50500 and order.status == "intake"
    with pytest.raises(RuleBroken):
        make_order(advisor=staff["advisor"], vehicle=vehicle, odometer_km=40000)
    db.session.rollback()
    with pytest.raises(DomainError) as caught:
        wo.open_work_order(
            staff["advisor"], vehicle, odometer_km=50600, fuel_level=D("0.3"), concern=""
        )
    assert {f for f, _ in caught.value.errors} == {"fuel_level", "concern"}
    with pytest.raises(Forbidden):
        wo.open_work_order(
            staff["tech"], vehicle, odometer_km=50600, fuel_level=D("1"), concern="x"
        )


def test_a_whole_visit(staff):
    advisor, tech, inspector = staff["advisor"], staff["tech"], staff["inspector"]
    pads = make_part(on_hand="4")
    order = make_order(advisor=advisor)
    brakes, wash = estimate(order, advisor, pads)
    first = wo.order_totals(order)
    assert (first.labor, first.parts, first.tax, first.total) == (
        D("400.00"),
        D("68.00"),
        D("60.84"),
        D("528.84"),
    )
    db.session.commit()
    with pytest.raises(DomainError, match="cover the approved work"):
        wo.authorize_jobs(
            advisor,
            order,
            approved_job_ids=[brakes.id],
            declined_job_ids=[wash.id],
            authorized_by="Owner",
            method="in_person",
            signature=SIGNATURE,
            amount=D("100"),
        )
    db.session.rollback()
    order = db.session.get(WorkOrder, order.id)
    brakes, wash = order.jobs
    auth = wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[brakes.id],
        declined_job_ids=[wash.id],
        authorized_by="Owner",
        method="in_person",
        signature=SIGNATURE,
        amount=D("415.84"),
    )
    db.session.commit()
    assert order.status == "in_progress" and order.authorized_amount == D("415.84")
    assert brakes.status == "approved" and wash.status == "declined"
    assert auth.amount_added == D("415.84") and not auth.supplementary
    assert db.session.get(Part, pads.id).reserved == D("1")

    wo.clock_on(tech, brakes)
    extra = wo.add_job(
        tech,
        order,
        title="Replace brake fluid",
        labor_hours=D("0.8"),
        category="minor_repair",
        findings="Fluid dark, 4% water",
    )
    assert extra.status == "proposed" and extra.proposed_by_id == tech.id
    with pytest.raises(RuleBroken, match="authorized"):
        wo.clock_on(staff["tech2"], extra)
    with pytest.raises(RuleBroken, match="authorize"):
        wo.approve_within_authorization(advisor, order, extra)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[extra.id],
        declined_job_ids=[],
        authorized_by="Owner",
        method="phone",
        phone="139 1234 5678",
        amount=D("596.64"),
    )
    db.session.commit()
    assert (
        order.authorizations[-1].supplementary
        and order.authorizations[-1].phone == "+8613912345678"
    )
    with pytest.raises(RuleBroken, match="another job"):
        wo.clock_on(tech, extra)
    wo.clock_off(tech, brakes)
    wo.complete_job(tech, brakes)
    assert order.status == "in_progress"
    wo.clock_on(staff["tech2"], extra)
    wo.complete_job(staff["tech2"], extra)
    db.session.commit()
    assert order.status == "quality_check"
    assert db.session.get(Part, pads.id).on_hand == D("3")
    assert db.session.get(Part, pads.id).reserved == D("0")

    with pytest.raises(Forbidden):
        wo.record_quality_check(tech, order, passed=True, checklist=ALL_CHECKED)
    with pytest.raises(DomainError, match="Every item"):
        wo.record_quality_check(
            inspector, order, passed=True, checklist={**ALL_CHECKED, "vehicle_clean": False}
        )
    wo.record_quality_check(
        inspector,
        order,
        passed=False,
        checklist=ALL_CHECKED,
        failed_job_ids=[extra.id],
        notes="Bleed screw weeping",
    )
    assert order.status == "in_progress" and extra.status == "approved"
    wo.clock_on(staff["tech2"], extra)
    wo.complete_job(staff["tech2"], extra)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    assert order.status == "ready"
    db.session.commit()

    due = wo.order_totals(order).total
    with pytest.raises(RuleBroken, match="payment"):
        wo.hand_over(
            advisor, order, payment_method="card", amount_paid=due - D("1"), received_by="Owner"
        )
    db.session.rollback()
    order = db.session.get(WorkOrder, order.id)
    wo.record_notification(advisor, order, "phone")
    wo.hand_over(
        advisor,
        order,
        payment_method="card",
        amount_paid=due,
        received_by="Owner",
        old_parts_returned=True,
    )
    db.session.commit()
    assert order.status == "delivered" and order.delivered_at is not None
    done = [j for j in order.jobs if j.status == "done"]
    assert all(
        j.warranty_until == (order.delivered_at + timedelta(hours=8)).date() + timedelta(days=10)
        for j in done
    )
    assert all(j.warranty_until_km == order.odometer_out + 2000 for j in done)
    kinds = sorted(
        c.kind
        for c in db.session.scalars(select(Callback).where(Callback.work_order_id == order.id))
    )
    assert kinds == ["declined_work", "satisfaction"]
    history = [
        h.to_status
        for h in db.session.scalars(
            select(StatusChange)
            .where(StatusChange.work_order_id == order.id)
            .order_by(StatusChange.id)
        )
    ]
    assert history == [
        "intake",
        "estimating",
        "awaiting_approval",
        "in_progress",
        "quality_check",
        "in_progress",
        "quality_check",
        "ready",
        "delivered",
    ]


def test_inspector_who_clocked_time_cannot_pass_the_car(staff):
    both = make_user(roles=["technician", "inspector"])
    advisor = staff["advisor"]
    order = make_order(advisor=advisor)
    job, other = estimate(order, advisor)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[other.id],
        authorized_by="Owner",
        method="in_person",
        signature=SIGNATURE,
        amount=D("339.00"),
    )
    wo.clock_on(both, job)
    wo.complete_job(both, job)
    with pytest.raises(RuleBroken, match="another inspector"):
        wo.record_quality_check(both, order, passed=True, checklist=ALL_CHECKED)


def test_road_test_is_required_when_a_job_needs_it(staff):
    advisor = staff["advisor"]
    order = make_order(advisor=advisor)
    job = wo.add_job(
        advisor,
        order,
        title="Wheel alignment",
        labor_hours=D("1"),
        category="minor_repair",
        requires_road_test=True,
    )
    assert order.status == "estimating"
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[],
        authorized_by="Owner",
        method="in_person",
        signature=SIGNATURE,
        amount=D("226.00"),
    )
    wo.clock_on(staff["tech"], job)
    wo.complete_job(staff["tech"], job)
    with pytest.raises(DomainError, match="road test"):
        wo.record_quality_check(staff["inspector"], order, passed=True, checklist=ALL_CHECKED)
    wo.record_quality_check(
        staff["inspector"], order, passed=True, checklist=ALL_CHECKED, road_test_done=True
    )
    assert order.status == "ready"


def test_part_above_the_authorized_amount_is_refused_on_authorized_work(staff):
    advisor = staff["advisor"]
    pads = make_part()
    order = make_order(advisor=advisor)
    job, other = estimate(order, advisor)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[other.id],
        authorized_by="Owner",
        method="in_person",
        signature=SIGNATURE,
        amount=D("339.00"),
    )
    with pytest.raises(RuleBroken, match="above the amount"):
        wo.add_part_line(advisor, order, job, part_number=pads.part_number, quantity=D("1"))


def test_missing_stock_flags_the_job_waiting_for_parts(staff):
    advisor = staff["advisor"]
    pads = make_part(on_hand="0")
    order = make_order(advisor=advisor)
    job, other = estimate(order, advisor, pads)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[other.id],
        authorized_by="Owner",
        method="in_person",
        signature=SIGNATURE,
        amount=None,
    )
    assert job.waiting_for_parts is True
    with pytest.raises(RuleBroken, match="waiting for parts"):
        wo.complete_job(staff["tech"], job)


def test_cancel_releases_reservations(staff):
    advisor = staff["advisor"]
    pads = make_part(on_hand="2")
    order = make_order(advisor=advisor)
    job, other = estimate(order, advisor, pads)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[other.id],
        authorized_by="Owner",
        method="in_person",
        signature=SIGNATURE,
        amount=None,
    )
    assert db.session.get(Part, pads.id).reserved == D("1")
    with pytest.raises(RuleBroken, match="reason"):
        wo.move_order(advisor, order, "cancelled")
    wo.move_order(advisor, order, "cancelled", reason="Customer took the car elsewhere")
    db.session.commit()
    assert order.status == "cancelled" and order.cancel_reason
    assert db.session.get(Part, pads.id).reserved == D("0")
    kinds = [m.kind for m in db.session.scalars(select(StockMovement).order_by(StockMovement.id))]
    assert kinds == ["reservation", "release"]


def test_everything_declined_goes_back_without_work(staff):
    advisor = staff["advisor"]
    order = make_order(advisor=advisor)
    job, other = estimate(order, advisor)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[],
        declined_job_ids=[job.id, other.id],
        authorized_by="Owner",
        method="in_person",
        signature=SIGNATURE,
        amount=D("0"),
    )
    assert order.status == "awaiting_approval"
    wo.move_order(advisor, order, "ready")
    wo.hand_over(advisor, order, payment_method="cash", amount_paid=D("0"), received_by="Owner")
    assert order.status == "delivered"


def test_stale_version_is_refused(staff):
    order = make_order(advisor=staff["advisor"])
    with pytest.raises(RuleBroken, match="Reload"):
        wo.move_order(staff["advisor"], order, "estimating", version=order.version - 1)


def test_bad_job_input_names_the_field(staff):
    order = make_order(advisor=staff["advisor"])
    for kwargs, field in (
        ({"labor_hours": D("201")}, "labor_hours"),
        ({"labor_hours": D("-1")}, "labor_hours"),
        ({"labor_rate": D("10000001")}, "labor_rate"),
        ({"category": "paint"}, "category"),
        ({"title": ""}, "title"),
    ):
        args = {"title": "Job", "labor_hours": D("1"), "category": "minor_repair", **kwargs}
        with pytest.raises(DomainError) as caught:
            wo.add_job(staff["advisor"], order, **args)
        assert caught.value.errors[0][0] == field


def test_comeback_within_warranty_defaults_to_internal_pay(staff):
    advisor = staff["advisor"]
    order = make_order(advisor=advisor)
    job, other = estimate(order, advisor)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[other.id],
        authorized_by="Owner",
        method="in_person",
        signature=SIGNATURE,
        amount=D("339.00"),
    )
    wo.clock_on(staff["tech"], job)
    wo.complete_job(staff["tech"], job)
    wo.record_quality_check(staff["inspector"], order, passed=True, checklist=ALL_CHECKED)
    wo.hand_over(
        advisor, order, payment_method="cash", amount_paid=D("339.00"), received_by="Owner"
    )
    db.session.commit()
    again = wo.open_comeback(
        advisor,
        order,
        odometer_km=order.odometer_out + 50,
        fuel_level=D("0.5"),
        concern="Squeal is back",
        cause="workmanship",
    )
    redo = wo.add_job(
        advisor, again, title="Redo brake pads", labor_hours=D("1.5"), category="minor_repair"
    )
    assert again.comeback_of_id == order.id and again.comeback_cause == "workmanship"
    assert redo.pay_type == "internal"


def test_the_services_package_hands_on_every_operation_of_its_stages():
    import importlib
    import inspect
    import pkgutil

    import workorders.services as face

    missing = []
    for info in pkgutil.iter_modules(face.__path__):
        if info.name == "documents":
            continue
        module = importlib.import_module(f"workorders.services.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ == module.__name__ and getattr(face, name, None) is not value:
                missing.append(f"{info.name}.{name}")
    assert missing == []

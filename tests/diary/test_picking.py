"""The parts counter's pick list: a booking's parts reserved the evening before, what stock
cannot cover flagged, given back when the booking ends or moves to another day, and passed
to the work order's lines when the car arrives (and released if the customer declines)."""

from datetime import timedelta
from decimal import Decimal as D

from dealer.extensions import db
from diary import booking, picking
from parts.models import StockMovement
from tests.diary.test_booking import at, car, next_monday, workshop  # noqa: F401
from tests.factories import make_part, make_user
from workorders import services as wo


def oil_service(part_number="OIL-5W30", on_hand="20", quantity="4"):
    manager = make_user(roles=["manager"])
    part = make_part(part_number=part_number, on_hand=on_hand)
    filter_part = make_part(part_number="FLT-01", on_hand="0")
    canned = wo.save_canned_job(
        manager,
        manager.site_id,
        title="Oil service",
        labor_hours=D("1"),
        category="level1_maintenance",
        parts=[
            {"part_number": part.part_number, "quantity": quantity},
            {"part_number": filter_part.part_number, "quantity": "1"},
        ],
        skill="maintenance",
    )
    db.session.commit()
    return canned, part, filter_part


def booked(canned, day_offset=0, hour=9):
    advisor = make_user(roles=["advisor"])
    customer, vehicle = car()
    made = booking.book(
        advisor,
        customer,
        vehicle,
        start=at(next_monday() + timedelta(days=day_offset), hour),
        jobs=[booking.JobInput(title="", labor_hours=None, canned_job_id=canned.id)],
    )
    db.session.commit()
    return advisor, made


def test_the_pick_list_reserves_what_stock_has_and_flags_the_rest(workshop):  # noqa: F811
    canned, oil, filter_part = oil_service()
    advisor, made = booked(canned)
    assert made.parts == [] and made.picked_at is None
    [picked] = picking.pick_day(advisor, made.site_id, next_monday())
    db.session.commit()
    by_part = {line.part_id: line for line in made.parts}
    assert by_part[oil.id].reserved == D("4") and by_part[oil.id].missing == 0
    assert by_part[filter_part.id].reserved == 0 and by_part[filter_part.id].missing == D("1")
    assert picked.parts_missing and picked.picked_at is not None
    db.session.refresh(oil)
    assert oil.reserved == D("4") and oil.available == D("16")
    lines = picking.pick_list(made.site_id, next_monday())
    assert [(line.part.part_number, line.missing) for line in lines] == [
        ("OIL-5W30", 0),
        ("FLT-01", D("1")),
    ]
    again = picking.pick_day(advisor, made.site_id, next_monday())
    db.session.commit()
    db.session.refresh(oil)
    assert again == [made] and oil.reserved == D("4"), "a second run reserves nothing twice"
    movement = db.session.query(StockMovement).filter_by(kind="reservation").one()
    assert movement.appointment_id == made.id and movement.work_order_id is None


def test_a_cancelled_booking_or_one_moved_to_another_day_gives_its_parts_back(
    workshop,  # noqa: F811
):
    canned, oil, _ = oil_service()
    advisor, first = booked(canned)
    _, second = booked(canned, hour=11)
    picking.pick_day(advisor, first.site_id, next_monday())
    db.session.commit()
    db.session.refresh(oil)
    assert oil.reserved == D("8")
    booking.set_status(advisor, first, "cancelled", reason="Customer sold the car")
    booking.reschedule(advisor, second, at(next_monday() + timedelta(days=1), 9))
    db.session.commit()
    db.session.refresh(oil)
    assert oil.reserved == 0
    assert all(line.reserved == 0 for line in first.parts + second.parts)
    assert second.picked_at is None


def test_the_car_arrives_with_its_parts_reserved_on_the_order(workshop):  # noqa: F811
    canned, oil, _filter_part = oil_service()
    advisor, made = booked(canned)
    picking.pick_day(advisor, made.site_id, next_monday())
    db.session.commit()
    order = booking.arrive(
        advisor, made, odometer_km=made.vehicle.odometer_km + 5, fuel_level=D("0.5")
    )
    db.session.commit()
    [job] = order.jobs
    lines = {line.part_number: line for line in job.parts}
    assert job.status == "pending"
    assert lines["OIL-5W30"].reserved_quantity == D("4")
    assert lines["FLT-01"].reserved_quantity == 0
    db.session.refresh(oil)
    assert oil.reserved == D("4"), "the reservation moved to the order, not doubled"
    assert all(line.reserved == 0 for line in made.parts)
    assert made.arrived_at is not None and not made.late


def test_declining_the_booked_job_releases_its_parts(workshop):  # noqa: F811
    canned, oil, _ = oil_service()
    advisor, made = booked(canned)
    picking.pick_day(advisor, made.site_id, next_monday())
    order = booking.arrive(
        advisor, made, odometer_km=made.vehicle.odometer_km + 5, fuel_level=D("0.5")
    )
    wo.record_inspection(advisor, order, wo.InspectionInput(belongings=[], acknowledged_by="Owner"))
    db.session.commit()
    [job] = order.jobs
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[],
        declined_job_ids=[job.id],
        authorized_by="Owner",
        method="phone",
        phone="+8613800000000",
        amount=None,
    )
    db.session.commit()
    db.session.refresh(oil)
    assert oil.reserved == 0 and job.parts[0].reserved_quantity == 0


def test_a_car_booked_today_takes_its_parts_at_check_in(workshop):  # noqa: F811
    canned, oil, _ = oil_service()
    advisor, made = booked(canned)
    assert made.picked_at is None
    order = booking.arrive(
        advisor, made, odometer_km=made.vehicle.odometer_km + 5, fuel_level=D("0.5")
    )
    db.session.commit()
    [job] = order.jobs
    assert {line.part_number: line.reserved_quantity for line in job.parts} == {
        "OIL-5W30": D("4"),
        "FLT-01": 0,
    }
    db.session.refresh(oil)
    assert oil.reserved == D("4")

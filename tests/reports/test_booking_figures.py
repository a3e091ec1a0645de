"""The booking figures: appointment share of the orders opened, no-show rate, on-time
arrival, booked hours against bookable hours per day, and the lead time to the first free
hour, in the reports page and the API summary; and the diary's week and pick-list pages."""

from datetime import timedelta
from decimal import Decimal as D

from dealer.extensions import db
from dealer.types import clock_at
from diary import booking
from reports import bookings
from reports.figures import Period
from tests.diary.test_booking import at, car, next_monday, workshop  # noqa: F401
from tests.factories import make_user

OIL = [booking.JobInput(title="Oil", labor_hours=D("2"), skill="maintenance")]


def _week(monday) -> Period:
    return Period(monday, monday + timedelta(days=6), "Asia/Shanghai")


def _three_bookings(advisor, monday):
    made = []
    with clock_at(at(monday - timedelta(days=3), 9)):
        for hour in (9, 11, 14):
            customer, vehicle = car()
            made.append(booking.book(advisor, customer, vehicle, start=at(monday, hour), jobs=OIL))
    db.session.commit()
    on_time, late, missed = made
    with clock_at(at(monday, 9, 5)):
        booking.arrive(advisor, on_time, odometer_km=10, fuel_level=D("0.5"))
    with clock_at(at(monday, 11, 40)):
        booking.arrive(advisor, late, odometer_km=10, fuel_level=D("0.5"))
    with clock_at(at(monday, 17)):
        booking.set_status(advisor, missed, "no_show")
    db.session.commit()
    return made


def test_the_weeks_booking_figures(workshop):  # noqa: F811
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    on_time, late, _ = _three_bookings(advisor, monday)
    assert late.late and not on_time.late
    from tests.factories import make_order

    with clock_at(at(monday, 10)):
        make_order(advisor=advisor)
    found = bookings.booking_figures(advisor.site_id, _week(monday), with_lead_time=False)
    assert (found.orders_opened, found.orders_booked) == (3, 2)
    assert found.appointment_share == D("0.6667")
    assert (found.appointments, found.no_shows, found.arrived) == (3, 1, 2)
    assert found.no_show_rate == D("0.3333") and found.on_time_arrival_rate == D("0.5")
    first = found.days[0]
    assert first.day == monday and first.booked_hours == D("4")
    assert first.bookable_hours == D("8"), "one technician, eight working hours"
    assert [d.bookable_hours for d in found.days[5:]] == [0, 0], "closed at the weekend"
    assert found.bookable_hours == D("40") and found.booked_hours == D("4")


def test_the_lead_time_is_the_wait_for_the_first_free_hour(workshop):  # noqa: F811
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    with clock_at(at(monday, 8)):
        assert bookings.lead_time(advisor.site_id, at(monday, 8)) == D("0.5")
        customer, vehicle = car()
        booking.book(
            advisor,
            customer,
            vehicle,
            start=at(monday, 8, 30),
            jobs=[booking.JobInput(title="Big", labor_hours=D("8"), skill="maintenance")],
        )
        db.session.commit()
        assert bookings.lead_time(advisor.site_id, at(monday, 8)) == D("24.5")


def test_the_figures_on_the_reports_page_and_in_the_api(workshop, client, login, token_for):  # noqa: F811
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    _three_bookings(advisor, monday)
    login("manager")
    sunday = monday + timedelta(days=6)
    page = client.get(f"/reports?from={monday}&to={sunday}").get_data(as_text=True)
    assert 'id="booking-figures"' in page and 'id="booked-days"' in page
    assert "100.0%" in page and "33.3%" in page and "50.0%" in page
    answer = client.get(
        f"/api/v1/reports/summary?from={monday}&to={sunday}", headers=token_for("manager")
    ).json
    assert answer["no_show_rate"] == "0.3333" and answer["on_time_arrival_rate"] == "0.5"
    assert answer["appointment_share"] == "1" and answer["booked_hours"] == "4"
    assert answer["booked_days"][0] == {
        "day": monday.isoformat(),
        "booked_hours": "4",
        "bookable_hours": "8",
    }
    assert "lead_time_to_first_free_slot_hours" in answer


def test_the_week_view_and_the_pick_list_pages(workshop, client, login):  # noqa: F811
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    customer, vehicle = car()
    booking.book(advisor, customer, vehicle, start=at(monday, 9), jobs=OIL)
    db.session.commit()
    login("advisor")
    week = client.get(f"/diary/week?date={monday + timedelta(days=2)}").get_data(as_text=True)
    assert f"/diary?date={monday}" in week and vehicle.plate in week
    assert "1 booking not yet confirmed" in week
    picking = client.get(f"/diary/picking?date={monday}")
    assert picking.status_code == 200 and "No parts to pick" in picking.get_data(as_text=True)


def test_the_parts_counter_finds_the_pick_list_in_its_menu(workshop, client, login):  # noqa: F811
    login("parts")
    home = client.get("/").get_data(as_text=True)
    assert "/diary/picking" in home and "Pick list for bookings" in home
    page = client.get(f"/diary/picking?date={next_monday()}").get_data(as_text=True)
    assert 'id="reserve-parts"' in page and "/diary?date=" not in page

"""Booking against the workshop read from the database: technicians' skills and absences,
the site's bays and walk-in share, the work already in the workshop, the API's free slots
and bookings, and two desks booking the last slot at once over real HTTP (exactly one
wins, on SQLite and on PostgreSQL)."""

import json
import threading
import urllib.error
import urllib.request
from datetime import date, datetime, time, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from dealer import services
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import Absence
from diary import booking
from diary.models import Appointment
from tests.factories import make_customer, make_user, make_vehicle

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = {d: [["08:30", "12:00"], ["13:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def next_monday() -> date:
    today = datetime.now(SHANGHAI).date()
    return today + timedelta(days=7 - today.weekday())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


@pytest.fixture
def workshop(app):
    """Weekday hours, no walk-in share, two bays; one technician for maintenance."""
    settings = services.settings_for(services.default_site().id)
    settings.working_hours = {**HOURS, "sat": [], "sun": []}
    settings.walk_in_share = D("0")
    settings.bays = 2
    settings.calendar = {}
    tech = make_user(roles=["technician"])
    tech.skills = ["maintenance"]
    db.session.commit()
    return settings, tech


def car():
    customer = make_customer()
    return customer, make_vehicle(customer=customer)


def oil(hours="2", skill="maintenance"):
    return [booking.JobInput(title="Oil service", labor_hours=D(hours), skill=skill)]


def test_a_booking_takes_the_room_it_needs(workshop):
    _, tech = workshop
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    customer, vehicle = car()
    made = booking.book(advisor, customer, vehicle, start=at(monday, 9), jobs=oil("6"))
    db.session.commit()
    assert made.end_at.astimezone(SHANGHAI) == at(monday, 16)
    assert made.status == "booked" and made.hours == D("6")
    other, other_car = car()
    with pytest.raises(booking.NoRoom) as full:
        booking.book(advisor, other, other_car, start=at(monday, 14), jobs=oil("3"))
    assert full.value.code == "hours"
    db.session.rollback()
    [(_, slots)] = booking.availability(tech.site_id, monday, 1, D("2"), "maintenance")
    assert [start.astimezone(SHANGHAI) for start, _ in slots][:2] == [
        at(monday, 8, 30),
        at(monday, 9),
    ]
    [(_, none)] = booking.availability(tech.site_id, monday, 1, D("2.5"), "maintenance")
    assert none == []


def test_skills_absences_and_the_walk_in_share_come_from_the_database(workshop):
    settings, tech = workshop
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    customer, vehicle = car()
    with pytest.raises(booking.NoRoom) as nobody:
        booking.book(advisor, customer, vehicle, start=at(monday, 9), jobs=oil("1", "paint"))
    assert nobody.value.code == "technician"
    db.session.rollback()
    db.session.add(
        Absence(
            site_id=tech.site_id, user_id=tech.id, starts_at=at(monday, 8), ends_at=at(monday, 18)
        )
    )
    db.session.commit()
    with pytest.raises(booking.NoRoom):
        booking.book(advisor, customer, vehicle, start=at(monday, 9), jobs=oil("1"))
    db.session.rollback()
    tuesday = monday + timedelta(days=1)
    settings.walk_in_share = D("0.50")
    db.session.commit()
    [(_, slots)] = booking.availability(tech.site_id, tuesday, 1, D("4"), "maintenance")
    assert slots
    [(_, slots)] = booking.availability(tech.site_id, tuesday, 1, D("4.5"), "maintenance")
    assert slots == []


def test_bad_bookings_name_their_fields(workshop):
    advisor = make_user(roles=["advisor"])
    customer, vehicle = car()
    _, strangers_car = car()
    with pytest.raises(DomainError) as bad:
        booking.book(
            advisor,
            customer,
            strangers_car,
            start=at(date(2020, 1, 6), 9),
            kind="overnight",
            jobs=[booking.JobInput(title="", labor_hours=D("0"), skill="juggling")],
        )
    fields = {name for name, _ in bad.value.errors}
    assert fields == {"vehicle_id", "kind", "start", "jobs.0.labor_hours"}
    with pytest.raises(DomainError) as no_jobs:
        booking.book(advisor, customer, vehicle, start=at(next_monday(), 9), jobs=[])
    assert no_jobs.value.errors[0][0] == "jobs"


def test_moving_and_ending_a_booking(workshop):
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    customer, vehicle = car()
    made = booking.book(advisor, customer, vehicle, start=at(monday, 9), jobs=oil("6"))
    db.session.commit()
    booking.reschedule(advisor, made, at(monday, 10))
    db.session.commit()
    assert made.start_at.astimezone(SHANGHAI) == at(monday, 10)
    with pytest.raises(DomainError) as why:
        booking.set_status(advisor, made, "cancelled")
    assert why.value.errors[0][0] == "reason"
    booking.set_status(advisor, made, "cancelled", reason="Sold the car")
    db.session.commit()
    other, other_car = car()
    again = booking.book(advisor, other, other_car, start=at(monday, 9), jobs=oil("8"))
    assert again.id


def test_the_api_lists_slots_and_books(workshop, client, token_for):
    headers = token_for("advisor")
    monday = next_monday()
    customer, vehicle = car()
    free = client.get(
        f"/api/v1/availability?from={monday}&days=2&hours=2&skill=maintenance", headers=headers
    )
    assert free.status_code == 200 and [d["date"] for d in free.json["days"]] == [
        monday.isoformat(),
        (monday + timedelta(days=1)).isoformat(),
    ]
    first_slot = free.json["days"][0]["slots"][0]
    body = {
        "customer_id": customer.id,
        "vehicle_id": vehicle.id,
        "start": first_slot["start"],
        "jobs": [{"title": "Oil service", "labor_hours": "8", "skill": "maintenance"}],
    }
    made = client.post("/api/v1/appointments", json=body, headers=headers)
    assert made.status_code == 201, made.json
    assert made.json["status"] == "booked" and made.json["jobs"][0]["skill"] == "maintenance"
    full = client.post("/api/v1/appointments", json=body, headers=headers)
    assert full.status_code == 409 and "fully booked" in full.json["detail"]
    listed = client.get(f"/api/v1/appointments?date={monday}", headers=headers)
    assert [a["id"] for a in listed.json["items"]] == [made.json["id"]]
    moved = client.patch(
        f"/api/v1/appointments/{made.json['id']}",
        json={"status": "confirmed", "version": made.json["version"]},
        headers=headers,
    )
    assert moved.status_code == 200 and moved.json["status"] == "confirmed"
    refused = client.get("/api/v1/availability?skill=juggling", headers=headers)
    assert refused.status_code == 422


def test_the_booked_car_arrives_and_its_order_opens_with_the_booked_work(
    workshop, client, token_for
):
    from tests.factories import make_part
    from workorders import services as wo

    manager = make_user(roles=["manager"])
    part = make_part(part_number="OIL-5W30", on_hand="20")
    canned = wo.save_canned_job(
        manager,
        manager.site_id,
        title="Oil service",
        labor_hours=D("1"),
        category="level1_maintenance",
        parts=[{"part_number": part.part_number, "quantity": "4"}],
    )
    customer, vehicle = car()
    db.session.commit()
    headers = token_for("advisor")
    body = {
        "customer_id": customer.id,
        "vehicle_id": vehicle.id,
        "start": at(next_monday(), 9).isoformat(),
        "concern": "Service due, squeak from the left rear",
        "jobs": [
            {"canned_job_id": canned.id},
            {"title": "Check the squeak", "labor_hours": "0.5", "skill": "maintenance"},
        ],
    }
    made = client.post("/api/v1/appointments", json=body, headers=headers)
    assert made.status_code == 201, made.json
    assert [j["title"] for j in made.json["jobs"]] == ["Oil service", "Check the squeak"]
    arrived = client.post(
        f"/api/v1/appointments/{made.json['id']}/arrive",
        json={"odometer_km": vehicle.odometer_km + 10, "fuel_level": "0.5"},
        headers=headers,
    )
    assert arrived.status_code == 201, arrived.json
    order = arrived.json
    assert order["status"] == "intake" and order["appointment_id"] == made.json["id"]
    assert order["concern"] == "Service due, squeak from the left rear"
    assert [j["title"] for j in order["jobs"]] == ["Oil service", "Check the squeak"]
    assert [p["part_number"] for p in order["parts"]] == ["OIL-5W30"]
    seen = client.get(f"/api/v1/appointments/{made.json['id']}", headers=headers).json
    assert seen["status"] == "arrived" and seen["work_order_id"] == order["id"]
    again = client.post(
        f"/api/v1/appointments/{made.json['id']}/arrive",
        json={"odometer_km": vehicle.odometer_km + 10, "fuel_level": "0.5"},
        headers=headers,
    )
    assert again.status_code == 409


def post(url: str, body: dict, token: str) -> int:
    """The status of a JSON POST over real HTTP."""
    asked = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(asked, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_two_desks_booking_the_last_slot_at_once_one_wins(workshop, live_server):
    monday = next_monday()
    tokens, bodies = [], []
    for _ in range(2):
        advisor = make_user(roles=["advisor"])
        _, token = services.create_token(advisor)
        tokens.append(token)
        customer, vehicle = car()
        bodies.append(
            {
                "customer_id": customer.id,
                "vehicle_id": vehicle.id,
                "start": at(monday, 9).isoformat(),
                "jobs": [{"title": "Service", "labor_hours": "8", "skill": "maintenance"}],
            }
        )
    db.session.commit()
    answers = [None, None]
    ready = threading.Barrier(2)

    def desk(n: int) -> None:
        ready.wait()
        answers[n] = post(f"{live_server}/api/v1/appointments", bodies[n], tokens[n])

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [201, 409]
    db.session.commit()
    assert db.session.query(Appointment).count() == 1


def test_the_desk_works_the_day_in_the_diary(workshop, client, login):
    from tests.conftest import csrf_token

    advisor = login("advisor")
    monday = next_monday()
    customer, vehicle = car()
    made = booking.book(
        advisor, customer, vehicle, start=at(monday, 9), jobs=oil("6"), concern="Noise"
    )
    db.session.commit()
    page = client.get(f"/diary?date={monday}").get_data(as_text=True)
    assert vehicle.plate in page and "09:00" in page and "Noise" in page
    assert "6.0 of 8.0 h" in page and "Bays at the busiest: 1 of 2" in page
    assert "Not yet confirmed with the customer." in page
    token = csrf_token(client, f"/diary?date={monday}")
    base = f"/appointments/{made.id}"
    client.post(f"{base}/confirmed", data={"csrf_token": token})
    db.session.expire_all()
    assert made.status == "confirmed"
    refused = client.post(
        f"{base}/move", data={"csrf_token": token, "day": monday.isoformat(), "time": "20:00"}
    )
    assert refused.status_code == 302, refused.get_data(as_text=True)[-3000:]
    db.session.expire_all()
    assert made.start_at.astimezone(SHANGHAI) == at(monday, 9)
    assert "closed then" in client.get(f"/diary?date={monday}").get_data(as_text=True)
    client.post(
        f"{base}/move", data={"csrf_token": token, "day": monday.isoformat(), "time": "10:00"}
    )
    db.session.expire_all()
    assert made.start_at.astimezone(SHANGHAI) == at(monday, 10)
    client.post(f"{base}/cancelled", data={"csrf_token": token, "reason": ""})
    db.session.expire_all()
    assert made.status == "confirmed"
    checked_in = client.post(
        f"{base}/arrive", data={"csrf_token": token, "odometer_km": "30500", "fuel_level": "0.5"}
    )
    db.session.expire_all()
    assert made.status == "arrived" and made.work_order_id
    assert checked_in.headers["Location"].endswith(f"/work-orders/{made.work_order_id}/intake")

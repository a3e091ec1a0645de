"""Booking online and the booking's messages: the code by SMS (hashed, expiring, a few tries,
limited per phone and per address), the public API and pages, prospects, the booking's own
link to move or cancel, the desk's move, the evening reminder and pick list, and the
no-show's offer of a new time."""

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from care import booking_notices, online
from care.models import Message, VerificationCode
from customers.models import Customer
from dealer.errors import RuleBroken
from dealer.extensions import db
from dealer.types import clock_at, utcnow
from diary import booking
from diary.models import Appointment
from tests.conftest import csrf_token
from tests.diary.test_booking import SHANGHAI, at, car, next_monday, workshop  # noqa: F401
from tests.factories import make_user, make_vin

PHONE = "13912345678"
E164 = "+8613912345678"


@pytest.fixture(autouse=True)
def diagnosis_too(workshop):  # noqa: F811
    """The workshop's technician diagnoses as well: a booking with only words is diagnosis."""
    _, tech = workshop
    tech.skills = ["maintenance", "diagnosis"]
    db.session.commit()


def code_sent(phone=E164) -> str:
    message = db.session.scalars(
        select(Message)
        .where(Message.event == "verification_code", Message.to_address == phone)
        .order_by(Message.id.desc())
    ).first()
    return re.search(r"\d{6}", message.text).group(0)


def messages(event: str) -> list[Message]:
    return list(db.session.scalars(select(Message).where(Message.event == event)))


def link_in(message: Message) -> str:
    return re.search(r"/b/[A-Za-z0-9_-]+", message.text).group(0)


def test_a_code_goes_by_sms_at_once_and_only_its_hash_is_kept(workshop):  # noqa: F811
    site = workshop[0].site_id
    row = online.send_code(site, PHONE, language="en", address="10.0.0.1")
    db.session.commit()
    code = code_sent()
    [message] = messages("verification_code")
    assert (message.channel, message.urgent, message.status) == ("sms", True, "queued")
    assert message.customer_id is None and code in message.text and "valid" in message.text
    assert code not in row.code_hash and row.phone == E164
    assert not online.check_code(site, E164, "000000" if code != "000000" else "111111")
    assert row.tries == 1
    assert online.check_code(site, E164, code) and row.used_at is not None
    assert not online.check_code(site, E164, code), "a code is used once"


def test_a_code_expires_and_ends_after_five_wrong_tries(workshop):  # noqa: F811
    site = workshop[0].site_id
    online.send_code(site, PHONE, language="zh_Hans", address="-")
    db.session.commit()
    code = code_sent()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(online.CODE_TRIES):
        assert not online.check_code(site, E164, wrong)
    assert not online.check_code(site, E164, code)
    online.send_code(site, PHONE, language="zh_Hans", address="-")
    code = code_sent()
    later = utcnow() + timedelta(minutes=online.CODE_MINUTES + 1)
    assert not online.check_code(site, E164, code, now=later)
    assert online.check_code(site, E164, code), "in time the same code is right"


def test_a_phone_gets_a_few_codes_an_hour(workshop, client):  # noqa: F811
    for _ in range(online.CODES_PER_HOUR):
        assert client.post("/api/v1/public/verify", json={"phone": PHONE}).status_code == 202
    refused = client.post("/api/v1/public/verify", json={"phone": PHONE})
    assert refused.status_code in (409, 422) and "phone" in refused.json["errors"]
    bad = client.post("/api/v1/public/verify", json={"phone": "12"})
    assert bad.status_code == 422 and "phone" in bad.json["errors"]


def test_an_address_asking_for_many_codes_is_stopped(workshop, app, client):  # noqa: F811
    app.config["PUBLIC_CODES_PER_ADDRESS"] = 2
    answers = [
        client.post("/api/v1/public/verify", json={"phone": f"1391234567{n}"}).status_code
        for n in range(3)
    ]
    assert answers == [202, 202, 429]


def _book(client, code, **fields):
    body = {
        "phone": PHONE,
        "code": code,
        "name": "李女士",
        "plate": "沪B12345",
        "start": at(next_monday(), 10).isoformat(),
        "concern": "刹车有异响",
        **fields,
    }
    return client.post("/api/v1/public/appointments", json=body)


def test_a_new_phone_books_online_as_a_prospect(workshop, client):  # noqa: F811
    client.post("/api/v1/public/verify", json={"phone": PHONE})
    wrong = _book(client, "000000" if code_sent() != "000000" else "111111")
    assert wrong.status_code == 422 and "code" in wrong.json["errors"]
    made = _book(client, code_sent())
    assert made.status_code == 201, made.json
    assert (made.json["source"], made.json["status"], made.json["plate"]) == (
        "online",
        "booked",
        "沪B12345",
    )
    assert [j["skill"] for j in made.json["jobs"]] == ["diagnosis"]
    appointment = db.session.get(Appointment, made.json["id"])
    customer = appointment.customer
    assert customer.prospect and customer.name == "李女士" and customer.phone == E164
    assert appointment.vehicle is None and appointment.plate == "沪B12345"
    [confirmation] = messages("appointment_confirmed")
    assert confirmation.customer_id == customer.id and link_in(confirmation) in made.json["url"]
    page = client.get(link_in(confirmation)).get_data(as_text=True)
    assert "沪B12345" in page and 'id="booking-when"' in page
    again = _book(client, code_sent())
    assert again.status_code == 422, "the code was used by the booking"


def test_a_known_phone_and_plate_book_the_known_car(workshop, client):  # noqa: F811
    customer, vehicle = car()
    client.post("/api/v1/public/verify", json={"phone": customer.phone})
    made = client.post(
        "/api/v1/public/appointments",
        json={
            "phone": customer.phone,
            "code": code_sent(customer.phone),
            "name": "Anyone",
            "plate": vehicle.plate.lower(),
            "start": at(next_monday(), 9).isoformat(),
            "concern": "Service",
        },
    )
    assert made.status_code == 201, made.json
    appointment = db.session.get(Appointment, made.json["id"])
    assert appointment.vehicle_id == vehicle.id and appointment.customer_id == customer.id
    assert not customer.prospect and customer.name != "Anyone"


def test_booking_online_on_the_pages(workshop, client):  # noqa: F811
    start = client.get("/book?lang=en")
    assert start.status_code == 200 and 'id="send-code"' in start.get_data(as_text=True)
    sent = client.post("/book", data={"csrf_token": csrf_token(client, "/book"), "phone": PHONE})
    assert sent.headers["Location"].endswith("/book/code")
    assert client.get("/book/times").headers["Location"].endswith("/book")
    wrong = client.post(
        "/book/code",
        data={"csrf_token": csrf_token(client, "/book/code"), "code": "1"},
        follow_redirects=True,
    )
    assert "wrong or has expired" in wrong.get_data(as_text=True)
    proven = client.post(
        "/book/code", data={"csrf_token": csrf_token(client, "/book/code"), "code": code_sent()}
    )
    assert proven.headers["Location"].endswith("/book/times")
    monday = next_monday()
    shown = client.get(f"/book/times?concern=Brakes&kind=drop_off&from={monday}")
    first = at(monday, 8, 30).isoformat()
    assert f'value="{first}"' in shown.get_data(as_text=True)
    booked = client.post(
        "/book/times",
        data={
            "csrf_token": csrf_token(client, f"/book/times?concern=Brakes&from={monday}"),
            "concern": "Brakes",
            "kind": "drop_off",
            "start": first,
            "name": "Ms Li",
            "plate": "沪C54321",
        },
    )
    assert "/b/" in booked.headers["Location"], booked.get_data(as_text=True)
    page = client.get(booked.headers["Location"]).get_data(as_text=True)
    assert 'id="booked"' in page and "沪C54321" in page
    made = db.session.scalar(select(Appointment))
    assert made.source == "online" and made.customer.preferred_language == "en"


def _online(client):
    client.post("/api/v1/public/verify", json={"phone": PHONE})
    made = _book(client, code_sent())
    return db.session.get(Appointment, made.json["id"]), made.json["url"].split("/b/")[1]


def test_the_customer_moves_and_cancels_on_the_bookings_link(workshop, client):  # noqa: F811
    appointment, token = _online(client)
    page = f"/b/{token}?change=1&from={next_monday()}"
    later = at(next_monday(), 14).isoformat()
    assert f'value="{later}"' in client.get(page).get_data(as_text=True)
    moved = client.post(
        f"/b/{token}", data={"csrf_token": csrf_token(client, page), "start": later}
    )
    assert moved.status_code == 302
    db.session.refresh(appointment)
    assert appointment.start_at == at(next_monday(), 14)
    assert len(messages("appointment_confirmed")) == 2 and messages("appointment_moved") == []
    cancelled = client.post(
        f"/b/{token}/cancel", data={"csrf_token": csrf_token(client, f"/b/{token}")}
    )
    assert cancelled.status_code == 302
    db.session.refresh(appointment)
    assert appointment.status == "cancelled" and appointment.cancel_reason == "客户在线取消。"
    assert client.get("/b/not-a-token").status_code == 404


def test_the_desk_moving_a_booking_tells_the_customer(workshop):  # noqa: F811
    advisor = make_user(roles=["advisor"])
    customer, vehicle = car()
    made = booking.book(
        advisor,
        customer,
        vehicle,
        start=at(next_monday(), 9),
        jobs=[booking.JobInput(title="Oil", labor_hours=D("1"), skill="maintenance")],
    )
    booking.reschedule(advisor, made, at(next_monday(), 13))
    db.session.commit()
    [moved] = messages("appointment_moved")
    assert moved.customer_id == customer.id and "/b/" in moved.text
    assert link_in(moved) == link_in(messages("appointment_confirmed")[0])


def test_the_evening_run_reminds_once_and_marks_the_days_no_shows(workshop):  # noqa: F811
    settings, _ = workshop
    settings.appointment_reminder_at = "18:00"
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    customer, vehicle = car()
    oil = [booking.JobInput(title="Oil", labor_hours=D("1"), skill="maintenance")]
    with clock_at(at(monday - timedelta(days=3), 9)):
        tomorrow = booking.book(
            advisor, customer, vehicle, start=at(monday + timedelta(days=1), 9), jobs=oil
        )
        today = booking.book(advisor, customer, vehicle, start=at(monday, 9), jobs=oil)
    db.session.commit()
    evening = at(monday, 18)
    nothing = {"missed": 0, "reminded": 0, "picked": 0}
    assert booking_notices.evening(evening - timedelta(hours=1)) == nothing
    with clock_at(evening + timedelta(minutes=5)):
        done = booking_notices.evening(evening + timedelta(minutes=5))
    assert done == {"missed": 1, "reminded": 1, "picked": 1}
    with clock_at(evening + timedelta(hours=1)):
        assert booking_notices.evening(evening + timedelta(hours=1))["reminded"] == 0
    [reminder] = messages("appointment_reminder")
    assert "/b/" in reminder.text and tomorrow.reminded_at is not None
    assert today.status == "no_show" and tomorrow.status == "booked"
    [missed] = messages("appointment_missed")
    assert "/b/" in missed.text


def test_a_prospects_car_is_registered_before_it_is_checked_in(workshop, client, login):  # noqa: F811
    appointment, _ = _online(client)
    advisor = login("advisor")
    day = f"/diary?date={next_monday()}"
    page = client.get(day).get_data(as_text=True)
    assert "沪B12345" in page and f"/appointments/{appointment.id}/car" in page
    with pytest.raises(RuleBroken):
        booking.arrive(advisor, appointment, odometer_km=10, fuel_level=D("0.5"))
    db.session.rollback()
    form = f"/appointments/{appointment.id}/car"
    client.post(
        form,
        data={
            "csrf_token": csrf_token(client, form),
            "version": appointment.version,
            "plate": "沪B12345",
            "vin": make_vin(),
            "make": "Volkswagen",
            "model": "Lavida",
        },
    )
    db.session.refresh(appointment)
    customer = db.session.get(Customer, appointment.customer_id)
    assert appointment.vehicle is not None and appointment.vehicle.model == "Lavida"
    assert appointment.status == "confirmed" and not customer.prospect
    assert db.session.scalar(select(VerificationCode.used_at)) is not None


def test_a_missed_booking_is_booked_again_from_its_link(workshop, client):  # noqa: F811
    advisor = make_user(roles=["advisor"])
    monday = next_monday()
    customer, vehicle = car()
    with clock_at(at(monday - timedelta(days=3), 9)):
        missed = booking.book(
            advisor,
            customer,
            vehicle,
            start=at(monday, 9),
            jobs=[booking.JobInput(title="Oil", labor_hours=D("1"), skill="maintenance")],
        )
    with clock_at(at(monday, 18, 30)):
        booking.set_status(advisor, missed, "no_show")
    db.session.commit()
    token = link_in(messages("appointment_missed")[0]).split("/b/")[1]
    page = client.get(f"/b/{token}").get_data(as_text=True)
    assert 'id="pick-again"' in page
    tuesday = monday + timedelta(days=1)
    shown = f"/b/{token}?change=1&from={tuesday}"
    later = at(tuesday, 10).isoformat()
    assert f'value="{later}"' in client.get(shown).get_data(as_text=True)
    again = client.post(
        f"/b/{token}/again", data={"csrf_token": csrf_token(client, shown), "start": later}
    )
    assert again.status_code == 302 and token not in again.headers["Location"]
    new = db.session.scalars(select(Appointment).order_by(Appointment.id.desc())).first()
    assert (new.source, new.vehicle_id, new.status) == ("online", vehicle.id, "booked")
    assert [j.title for j in new.jobs] == ["Oil"] and new.start_at == at(tuesday, 10)
    assert client.get(again.headers["Location"]).status_code == 200


def test_guessing_booking_links_is_stopped_like_guessing_order_links(workshop, app, client):  # noqa: F811
    app.config["PUBLIC_MISSES_PER_ADDRESS"] = 3
    answers = [client.get(f"/b/guess{n}").status_code for n in range(5)]
    assert answers == [404, 404, 404, 429, 429]
    assert client.get("/l/another-guess").status_code == 429, "the same address's misses"

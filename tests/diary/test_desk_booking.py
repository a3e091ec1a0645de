"""Booking at the desk or on the phone: pick the work, see the free times, book one."""

from datetime import timedelta
from decimal import Decimal as D

from dealer.extensions import db
from diary.models import Appointment
from tests.conftest import csrf_token
from tests.diary.test_booking import SHANGHAI, at, car, next_monday, workshop  # noqa: F401
from tests.factories import make_user
from workorders import services as wo


def test_the_desk_picks_the_work_then_a_free_time(workshop, client, login):  # noqa: F811
    manager = make_user(roles=["manager"])
    canned = wo.save_canned_job(
        manager,
        manager.site_id,
        title="Oil service",
        labor_hours=D("1.5"),
        category="level1_maintenance",
        parts=[],
    )
    _, vehicle = car()
    db.session.commit()
    login("advisor")
    monday = next_monday()
    page = f"/vehicles/{vehicle.id}/book"
    empty = client.get(page).get_data(as_text=True)
    assert "Oil service (1.5 h, Maintenance)" in empty and "Pick the work first" in empty
    query = (
        f"?canned={canned.id}&title=Squeak&hours=0.5&skill=maintenance&kind=drop_off&from={monday}"
    )
    shown = client.get(page + query).get_data(as_text=True)
    first = at(monday, 8, 30).isoformat()
    assert f'value="{first}"' in shown and "No room that day" in shown  # the weekend
    token = csrf_token(client, page + query)
    booked = client.post(
        page,
        data={
            "csrf_token": token,
            "canned": str(canned.id),
            "title": "Squeak",
            "hours": "0.5",
            "skill": "maintenance",
            "kind": "drop_off",
            "start": first,
            "concern": "Squeak from the left rear",
            "source": "phone",
        },
    )
    assert booked.status_code == 302 and f"date={monday}" in booked.headers["Location"]
    made = db.session.scalar(db.select(Appointment))
    assert [j.title for j in made.jobs] == ["Oil service", "Squeak"]
    assert made.source == "phone" and made.hours == D("2.0")
    assert made.end_at.astimezone(SHANGHAI) == at(monday, 10, 30)
    wrong = client.get(page + "?title=Squeak&hours=lots&skill=maintenance").get_data(as_text=True)
    assert "Between 0 and 40 hours." in wrong
    next_week = client.get(page + query.replace(str(monday), str(monday + timedelta(days=7))))
    assert next_week.status_code == 200


def test_a_declined_work_call_books_a_visit_during_the_call(workshop, client, login):  # noqa: F811
    from sqlalchemy import select

    from care.models import Callback
    from tests.care.visits import delivered

    _, tech = workshop
    tech.skills = ["maintenance", "chassis"]
    order = delivered(declined=True)
    [declined] = [job for job in order.jobs if job.status == "declined"]
    call = db.session.scalar(select(Callback).where(Callback.kind == "declined_work"))
    agent = login("callback")
    call.assignee_id = agent.id
    db.session.commit()
    page = client.get(f"/callbacks/{call.id}").get_data(as_text=True)
    link = page.split('id="book-visit" href="')[1].split('"')[0].replace("&amp;", "&")
    assert f"/callbacks/{call.id}/book?declined={declined.id}" in link
    monday = next_monday()
    shown = client.get(f"{link}&from={monday}").get_data(as_text=True)
    first = at(monday, 8, 30).isoformat()
    assert f'value="{first}"' in shown and "Booked during the call" in shown
    assert f'id="declined-{declined.id}" checked' in shown
    booked = client.post(
        f"/callbacks/{call.id}/book",
        data={
            "csrf_token": csrf_token(client, f"{link}&from={monday}"),
            "declined": str(declined.id),
            "kind": "drop_off",
            "start": first,
        },
    )
    assert booked.headers["Location"].endswith(f"/callbacks/{call.id}")
    made = db.session.scalar(select(Appointment))
    assert (made.source, made.callback_id) == ("callback", call.id)
    [job] = made.jobs
    assert (job.title, job.skill, job.rebooked_from_id) == (
        "Front brake pads",
        "chassis",
        declined.id,
    )
    from diary import booking

    visit = booking.arrive(
        order.advisor, made, odometer_km=order.vehicle.odometer_km + 900, fuel_level=D("0.5")
    )
    assert [j.rebooked_from_id for j in visit.jobs] == [declined.id]
    db.session.rollback()
    page = client.get(f"/callbacks/{call.id}").get_data(as_text=True)
    assert 'id="call-bookings"' in page

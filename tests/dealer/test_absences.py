"""A manager records a technician's absence on the staff page; the booking diary then
leaves those hours out, and a mistaken absence can be taken back."""

from datetime import timedelta
from decimal import Decimal as D

from dealer.extensions import db
from dealer.models import Absence
from diary import booking
from tests.conftest import csrf_token
from tests.diary.test_booking import next_monday, workshop  # noqa: F401


def test_an_absence_takes_the_technician_out_of_the_bookable_hours(workshop, client, login):  # noqa: F811
    _, tech = workshop
    login("manager")
    monday = next_monday()
    page = f"/staff/{tech.id}"
    assert "None ahead." in client.get(page).get_data(as_text=True)
    [(_, before)] = booking.availability(tech.site_id, monday, 1, D("1"), "maintenance")
    assert before
    token = csrf_token(client, page)
    wrong = client.post(
        f"{page}/absences",
        data={
            "csrf_token": token,
            "starts_day": str(monday),
            "ends_day": str(monday - timedelta(days=1)),
        },
    )
    assert wrong.status_code == 302 and db.session.query(Absence).count() == 0
    assert "The absence ends after it starts." in client.get(page).get_data(as_text=True)
    client.post(
        f"{page}/absences",
        data={
            "csrf_token": token,
            "starts_day": str(monday),
            "ends_day": str(monday),
            "reason": "Training at the factory",
        },
    )
    shown = client.get(page).get_data(as_text=True)
    assert "Training at the factory" in shown
    [(_, after)] = booking.availability(tech.site_id, monday, 1, D("1"), "maintenance")
    assert after == []
    absence = db.session.query(Absence).one()
    client.post(f"/absences/{absence.id}/remove", data={"csrf_token": token})
    assert db.session.query(Absence).count() == 0

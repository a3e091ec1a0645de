"""The diary in Chromium: a day with bookings reads well in both languages, and the desk
checks a booked car in from it."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from dealer import services
from dealer.extensions import db
from diary import booking
from tests.browser.checks import one_line, problems
from tests.browser.test_work_order import sign_in
from tests.factories import make_customer, make_user, make_vehicle

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_a_day_in_the_diary(page, language):
    settings = services.settings_for(services.default_site().id)
    settings.working_hours = {
        d: [["08:30", "12:00"], ["13:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")
    }
    settings.calendar = {}
    advisor = make_user(username="desk", roles=["advisor"], language=language, full_name="李文静")
    tech = make_user(roles=["technician"])
    tech.skills = ["maintenance", "chassis"]
    today = datetime.now(SHANGHAI).date()
    monday = today + timedelta(days=7 - today.weekday())
    for hour, plate in ((9, "沪A 10001"), (13, "沪A 10002")):
        customer = make_customer(name="王伟")
        vehicle = make_vehicle(customer=customer, plate=plate, make="大众", model="帕萨特")
        booking.book(
            advisor,
            customer,
            vehicle,
            start=datetime.combine(monday, time(hour), SHANGHAI),
            jobs=[
                booking.JobInput(title="机油保养", labor_hours=Decimal("1.5"), skill="maintenance")
            ],
        )
    db.session.commit()
    sign_in(page, "desk")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/diary?date={monday}")
    expect(page.locator("#appointments > li")).to_have_count(2)
    assert one_line(page)
    assert problems(page, language) == []
    page.goto(f"/vehicles/{vehicle.id}/book?title=机油保养&hours=1&skill=maintenance&from={monday}")
    expect(page.locator("#book-slot input[name=start]").first).to_be_attached()
    assert problems(page, language) == []
    page.goto(f"/diary?date={monday}")
    page.locator("#appointments > li").first.get_by_role(
        "button", name=re.compile("Check the car in|接车")
    ).click()
    expect(page).to_have_url(re.compile(r"/work-orders/\d+/intake$"))

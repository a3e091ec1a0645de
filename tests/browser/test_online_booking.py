"""Booking online on a phone (390x844) in Chinese, with the code read from the SMS the local
gateway received; then the desk sees the booking in the diary, registers the new customer's
car, reserves the day's parts, checks the car in, and the order opens with the booked job and
its parts reserved."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from care import outbox
from dealer import services
from dealer.extensions import db
from diary.models import Appointment
from tests.browser.checks import problems
from tests.browser.test_screenshots import PICTURES
from tests.browser.test_work_order import flash, sign_in
from tests.care.servers import Gateway
from tests.factories import make_part, make_user, make_vin
from workorders import services as wo
from workorders.models import WorkOrder

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def bookable_workshop():
    """Weekday hours, a technician for maintenance, and an oil service with its oil."""
    settings = services.settings_for(services.default_site().id)
    settings.working_hours = {
        d: [["08:30", "12:00"], ["13:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")
    }
    settings.calendar = {}
    settings.dealer_name = "上海示例汽车服务"
    tech = make_user(roles=["technician"])
    tech.skills = ["maintenance", "diagnosis"]
    make_user(username="desk", roles=["advisor", "parts"])
    manager = make_user(roles=["manager"])
    oil = make_part(part_number="OIL-5W30", on_hand="20", name="Engine oil 5W-30")
    oil.name_zh = "机油 5W-30"
    wo.save_canned_job(
        manager,
        manager.site_id,
        title="Oil service",
        title_zh="机油保养",
        labor_hours=Decimal("1"),
        category="level1_maintenance",
        parts=[{"part_number": oil.part_number, "quantity": "4"}],
        skill="maintenance",
    )
    db.session.commit()


def test_a_customer_books_online_and_the_desk_checks_the_car_in(app, page, browser, live_server):
    bookable_workshop()
    today = datetime.now(SHANGHAI).date()
    monday = today + timedelta(days=7 - today.weekday())
    phone = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, device_scale_factor=2
    ).new_page()
    phone.goto(f"{live_server}/book?lang=zh_Hans")
    assert problems(phone, "zh_Hans") == []
    phone.get_by_label("手机号码", exact=True).fill("139 1234 5678")
    with Gateway() as gateway:
        phone.get_by_role("button", name="获取验证码").click()
        expect(phone.get_by_role("heading", name="短信验证码")).to_be_visible()
        db.session.commit()
        outbox.flush({"SMS_GATEWAY_URL": gateway.url})
        texts = [m["text"] for m in gateway.received if m["to"] == "+8613912345678"]
    code = re.search(r"\d{6}", texts[-1]).group(0)
    assert "上海示例汽车服务" in texts[-1]
    phone.get_by_role("textbox", name="验证码").fill(code)
    phone.get_by_role("button", name="继续").click()
    expect(phone.get_by_role("heading", name="车辆需要什么")).to_be_visible()
    phone.get_by_label("机油保养").check()
    phone.get_by_label("起始日期").fill(monday.isoformat())
    phone.get_by_role("button", name="查看可预约时间").click()
    expect(phone.get_by_role("heading", name="可预约时间")).to_be_visible()
    assert problems(phone, "zh_Hans") == []
    phone.locator("#book-confirm label.btn", has_text="09:00").first.click()
    phone.get_by_label("您的姓名").fill("李女士")
    phone.get_by_label("车牌", exact=True).fill("沪B12345")
    phone.get_by_role("button", name="预约", exact=True).click()
    expect(phone.locator("#booked")).to_be_visible()
    expect(phone.locator("#booking-when")).to_have_text(f"{monday.isoformat()} 09:00")
    assert problems(phone, "zh_Hans") == []
    phone.screenshot(path=str(PICTURES / "online-booking-phone.png"), full_page=True)
    phone.context.close()

    db.session.commit()
    made = db.session.query(Appointment).one()
    assert (made.source, made.plate, made.customer.prospect) == ("online", "沪B12345", True)
    assert made.start_at == datetime.combine(monday, time(9), SHANGHAI)

    sign_in(page, "desk")
    page.goto(f"/diary?date={monday}")
    entry = page.locator(f"#appointment-{made.id}")
    expect(entry).to_contain_text("沪B12345")
    expect(entry).to_contain_text("New customer")
    entry.get_by_role("link", name="Register the car").click()
    page.get_by_label("VIN").fill(make_vin())
    page.get_by_label("Make").fill("Volkswagen")
    page.get_by_label("Model").fill("Lavida")
    page.get_by_role("button", name="Register and confirm").click()
    flash(page, "The car is registered and the booking confirmed.")
    page.get_by_role("link", name="Pick list").first.click()
    page.get_by_role("button", name="Reserve the day's parts").click()
    expect(page.locator("#pick-lines")).to_contain_text("OIL-5W30")
    expect(page.locator("#pick-lines")).to_contain_text("Reserved")
    page.goto(f"/diary?date={monday}")
    expect(entry).to_contain_text("Parts reserved.")
    entry.get_by_role("button", name="Check the car in").click()
    expect(page).to_have_url(re.compile(r"/work-orders/\d+/intake$"))

    db.session.commit()
    order_id = int(re.search(r"/work-orders/(\d+)/intake", page.url).group(1))
    order = db.session.get(WorkOrder, order_id)
    [job] = order.jobs
    assert job.title == "Oil service" and job.title_zh == "机油保养"
    [line] = job.parts
    assert line.part_number == "OIL-5W30" and line.reserved_quantity == Decimal("4")
    assert order.customer.name == "李女士" and not order.customer.prospect
    assert db.session.get(Appointment, made.id).work_order_id == order.id

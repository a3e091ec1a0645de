"""The customer's link on a phone (390x844), in Chinese: the desk sends it, the SMS reaches
the local gateway, and the customer opens it from the text, approves one job, declines the
other and signs with a finger; the order then holds a ``link`` authorization."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from care import outbox
from dealer import services
from dealer.extensions import db
from dealer.types import clock_at, utcnow
from tests.browser.checks import problems
from tests.browser.test_screenshots import PICTURES
from tests.browser.test_work_order import flash, sign, sign_in
from tests.care.servers import Gateway
from tests.factories import make_order, make_user
from workorders import services as wo
from workorders.models import WorkOrder

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def order_to_decide():
    """An order with two jobs put to a Chinese-speaking customer."""
    advisor = make_user(username="desk", roles=["advisor"])
    order = make_order(advisor=advisor)
    order.customer.preferred_language = "zh_Hans"
    order.customer.preferred_channel = "sms"
    order.vehicle.make, order.vehicle.model = "大众", "帕萨特"
    settings = services.settings_for(order.site_id)
    settings.dealer_name, settings.phone = "上海示例汽车服务", "021 5080 1234"
    wo.add_job(
        advisor, order, title="更换前刹车片", labor_hours=Decimal("1.5"), category="minor_repair"
    )
    wo.add_job(
        advisor, order, title="更换雨刮片", labor_hours=Decimal("0.5"), category="minor_repair"
    )
    wo.move_order(advisor, order, "awaiting_approval")
    db.session.commit()
    return order


def test_the_customer_decides_on_a_phone_from_the_sms(app, page, browser, live_server):
    order = order_to_decide()
    brakes, wipers = order.jobs
    with Gateway() as gateway:
        sign_in(page, "desk")
        page.goto(f"/work-orders/{order.id}?tab=decision")
        page.get_by_role("button", name="Send a link").click()
        page.locator("#customer-link").get_by_role("button", name="SMS").click()
        flash(page, "The link is in the outbox")
        expect(page.locator("#link-state")).to_have_text("link not opened yet")
        db.session.commit()
        with clock_at(utcnow() + timedelta(days=1)):
            outbox.flush({"SMS_GATEWAY_URL": gateway.url})
        texts = [m["text"] for m in gateway.received if m["to"] == order.customer.phone]
    sms = texts[-1]
    assert "请查看并确认" in sms and order.vehicle.plate in sms
    url = re.search(r"https?://\S+/l/[A-Za-z0-9_-]+", sms).group(0)
    assert url.startswith(live_server)

    phone = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, device_scale_factor=2
    ).new_page()
    phone.goto(url)
    expect(phone.get_by_role("heading", name="您的决定")).to_be_visible()
    expect(phone.locator(".link-timeline [aria-current=step]")).to_contain_text("待客户确认")
    assert problems(phone, "zh_Hans") == []
    expect(phone.locator("main")).to_contain_text("021 5080 1234")
    phone.screenshot(path=str(PICTURES / "customer-link-phone.png"), full_page=True)
    decide = phone.locator("form[action$='" + url.rsplit("/", 1)[1] + "']")
    decide.locator("fieldset", has_text="更换前刹车片").get_by_text("批准").click()
    decide.locator("fieldset", has_text="更换雨刮片").get_by_text("拒绝").click()
    phone.get_by_label("您的姓名").fill("王伟")
    sign(phone, "link-signature")
    phone.get_by_role("button", name="提交我的决定").click()
    expect(phone.locator(".alert-success")).to_contain_text("我们已收到您的决定")
    expect(phone.get_by_role("heading", name="您的决定")).to_have_count(0)
    assert problems(phone, "zh_Hans") == []
    phone.context.close()

    db.session.commit()
    order = db.session.get(WorkOrder, order.id)
    [authorization] = order.authorizations
    assert authorization.method == "link" and authorization.authorized_by == "王伟"
    assert authorization.amount == wo.order_totals(order).total > Decimal("0")
    assert authorization.approved_job_ids == [brakes.id]
    assert authorization.declined_job_ids == [wipers.id]
    assert "Chrome" in authorization.user_agent and authorization.signature_file
    page.goto(f"/work-orders/{order.id}?tab=decision")
    expect(page.locator("#authorizations")).to_contain_text("On the customer's link")
    expect(page.locator("#link-state")).to_contain_text("link opened")
    page.goto("/")
    expect(page.locator("body")).to_contain_text("Decided by the customer on their link")
    expect(page.locator("body")).to_contain_text(order.number)

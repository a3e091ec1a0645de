"""The inspection on a 1024x768 workshop tablet in Chinese: the technician opens it from the
job board, taps colours, measures (a worn tread turns yellow by itself), recommends work for a
red brake pad from the common jobs, adds a photo, and completes it; the recommendation is
then a job on the order, and the page reads well and passes the accessibility checks."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from dealer.extensions import db
from mpi import starter, templates
from mpi.models import MpiInspection
from tests.browser.checks import problems
from tests.browser.test_work_order import flash, sign_in
from tests.factories import PHOTO, make_authorized_job, make_user
from workorders import services as wo
from workorders.models import WorkOrder

pytestmark = pytest.mark.browser
TABLET = {"width": 1024, "height": 768}


def test_the_technician_inspects_on_the_tablet(page, tmp_path):
    manager = make_user(roles=["manager"])
    advisor = make_user(roles=["advisor"])
    tech = make_user(username="tech", roles=["technician"], language="zh_Hans", full_name="张师傅")
    name, name_zh, items = starter.full_inspection()
    templates.save_template(
        manager, manager.site_id, name=name, name_zh=name_zh, items=items, is_default=True
    )
    wo.save_canned_job(
        manager,
        manager.site_id,
        title="Front brake pads",
        title_zh="更换前刹车片",
        labor_hours=Decimal("1.2"),
        category="minor_repair",
        parts=[],
    )
    order, job = make_authorized_job(advisor=advisor, amount="5000", title="保养")
    order.vehicle.make, order.vehicle.model = "大众", "帕萨特"
    wo.assign_job(advisor, job, tech)
    db.session.commit()

    page.set_viewport_size(TABLET)
    sign_in(page, "tech")
    page.goto("/board")
    page.locator(f"#board-job-{job.id}").get_by_role("link", name="车辆检查").click()
    page.get_by_role("button", name="开始检查").click()
    flash(page, "检查已开始。")
    assert problems(page, "zh_Hans") == []

    db.session.commit()
    found = db.session.query(MpiInspection).one()
    by_code = {item.code: item for item in found.items}
    tread = page.locator(f"#item-{by_code['tread_lf'].id}")
    tread.get_by_label("测量值").fill("2.5")
    tread.get_by_role("button", name="保存").click()
    flash(page, "已保存")
    expect(page.locator(f"#item-{by_code['tread_lf'].id} .badge")).to_have_text("需尽快关注")

    pads = page.locator(f"#item-{by_code['pads_front'].id}")
    pads.get_by_text("需立即处理").click()
    pads.get_by_label("测量值").fill("1.8")
    pads.get_by_label("备注").fill("刹车片已磨到报警线")
    pads.get_by_text("建议项目（黄色或红色）").click()
    pads.get_by_label("常用项目").select_option(label="更换前刹车片")
    pads.get_by_role("button", name="保存").click()
    flash(page, "已保存")
    photo = tmp_path / "pads.png"
    photo.write_bytes(PHOTO)
    pads = page.locator(f"#item-{by_code['pads_front'].id}")
    pads.get_by_label("照片或短视频").set_input_files(str(photo))
    pads.get_by_role("button", name="添加", exact=True).click()
    flash(page, "照片")
    expect(page.locator(f"#item-{by_code['pads_front'].id} img.mpi-thumb")).to_have_count(1)
    assert problems(page, "zh_Hans") == []

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="完成检查").click()
    flash(page, "检查已完成")
    assert problems(page, "zh_Hans") == []

    db.session.commit()
    order = db.session.get(WorkOrder, order.id)
    proposed = [j for j in order.jobs if j.title == "Front brake pads"]
    assert len(proposed) == 1 and proposed[0].status == "proposed"
    assert proposed[0].findings == "刹车片已磨到报警线"
    assert db.session.query(MpiInspection).one().status == "completed"


def test_the_customer_decides_on_the_inspection_from_the_sms(page, browser, live_server):
    import re
    from datetime import timedelta

    from care import outbox
    from dealer import services
    from dealer.types import clock_at, utcnow
    from mpi import inspecting
    from tests.browser.test_work_order import sign
    from tests.care.servers import Gateway

    manager = make_user(roles=["manager"])
    advisor = make_user(username="desk", roles=["advisor"])
    tech = make_user(roles=["technician"])
    name, name_zh, items = starter.full_inspection()
    templates.save_template(
        manager, manager.site_id, name=name, name_zh=name_zh, items=items, is_default=True
    )
    order, job = make_authorized_job(advisor=advisor, amount="5000", title="保养")
    order.customer.preferred_language = "zh_Hans"
    order.customer.preferred_channel = "sms"
    order.vehicle.make, order.vehicle.model = "大众", "帕萨特"
    services.settings_for(order.site_id).dealer_name = "上海示例汽车服务"
    wo.assign_job(advisor, job, tech)
    inspection = inspecting.start(tech, order)
    by_code = {item.code: item for item in inspection.items}
    inspecting.record(
        tech,
        by_code["pads_front"],
        measurement=Decimal("1.5"),
        note="刹车片已磨到报警线",
        recommendation={"title": "更换前刹车片", "labor_hours": "1.2"},
    )
    inspecting.record(
        tech,
        by_code["wipers"],
        condition="yellow",
        recommendation={"title": "更换雨刮片", "labor_hours": "0.3"},
    )
    inspecting.add_photo(tech, by_code["pads_front"], PHOTO)
    inspecting.complete(tech, inspection)
    db.session.commit()

    with Gateway() as gateway:
        sign_in(page, "desk")
        page.goto(f"/work-orders/{order.id}/inspection")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Send to the customer").click()
        flash(page, "The inspection is on the customer's link")
        db.session.commit()
        with clock_at(utcnow() + timedelta(days=1)):
            outbox.flush({"SMS_GATEWAY_URL": gateway.url})
        texts = [m["text"] for m in gateway.received if m["to"] == order.customer.phone]
    assert "检查报告" in texts[-1]
    url = re.search(r"https?://\S+/l/[A-Za-z0-9_-]+", texts[-1]).group(0)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    ).new_page()
    phone.goto(url)
    findings = phone.locator("#link-inspection")
    expect(findings).to_contain_text("刹车片已磨到报警线")
    expect(findings).to_contain_text("安全")
    expect(findings.locator("img.mpi-thumb")).to_have_count(1)
    assert problems(phone, "zh_Hans") == []
    decide = phone.locator("form[action$='" + url.rsplit("/", 1)[1] + "']")
    decide.locator("fieldset", has_text="更换前刹车片").get_by_text("批准").click()
    decide.locator("fieldset", has_text="更换雨刮片").get_by_text("拒绝").click()
    phone.get_by_label("您的姓名").fill("王伟")
    sign(phone, "link-signature")
    phone.get_by_role("button", name="提交我的决定").click()
    expect(phone.locator(".alert-success")).to_contain_text("我们已收到您的决定")
    phone.context.close()

    db.session.commit()
    order = db.session.get(WorkOrder, order.id)
    jobs = {j.title: j for j in order.jobs}
    assert jobs["更换前刹车片"].status == "approved" and jobs["更换前刹车片"].safety
    assert jobs["更换雨刮片"].status == "declined"
    assert order.authorizations[-1].method == "link"

    from care.models import Callback
    from tests.care.visits import ALL_CHECKED

    inspector = make_user(roles=["inspector"])
    for work in order.jobs:
        if work.status == "approved":
            if work.technician_id is None:
                wo.assign_job(advisor, work, tech)
            wo.clock_on(tech, work)
            wo.complete_job(tech, work)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    wo.hand_over(
        advisor,
        order,
        payment_method="cash",
        amount_paid=wo.order_totals(order).total,
        received_by="王伟",
    )
    db.session.commit()
    follow_up = db.session.query(Callback).filter_by(work_order_id=order.id).all()
    assert "declined_work" in {call.kind for call in follow_up}, "the declined work is followed up"

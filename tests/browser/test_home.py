"""Each role's start page is its work queue, under a top bar of a handful of grouped
entries that stays on one line."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from dealer.extensions import db
from tests.browser.checks import one_line, problems
from tests.browser.test_work_order import open_menu, sign_in
from tests.factories import (
    PHOTO,
    make_authorized_job,
    make_customer,
    make_order,
    make_user,
    make_vehicle,
)
from workorders import services as wo

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
@pytest.mark.parametrize("width", [1024, 1280, 1366])
def test_the_managers_top_bar_stays_on_one_line(page, language, width):
    """On a desktop the bar stands on one line; on a tablet (below 1200 px) it folds behind
    the menu button instead of wrapping."""
    make_user(username="boss", roles=["manager", "advisor", "callback"], language=language)
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 768})
    sign_in(page, "boss")
    if width < 1200:
        page.get_by_role("button", name="Menu" if language == "en" else "菜单").click()
        expect(page.locator("#mainnav")).to_be_visible()
    else:
        assert one_line(page)
    assert page.locator("#mainnav > ul.me-auto > li").count() <= 6
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_each_role_starts_at_its_own_work(page):
    desk = make_user(username="desk", roles=["advisor"])
    make_user(username="wrench", roles=["technician"])
    make_user(username="qc", roles=["inspector"])
    make_user(username="counter", roles=["parts"])
    make_user(username="boss", roles=["manager"])
    waiting = make_order(advisor=desk)
    make_authorized_job(advisor=desk, title="Replace the wiper blades", hours="0.5")
    db.session.commit()
    wo.add_job(
        desk, waiting, title="Check the rattle", labor_hours=Decimal("1"), category="minor_repair"
    )
    db.session.commit()

    sign_in(page, "desk")
    estimates = page.locator("section[aria-labelledby=queue-estimate_to_send]")
    expect(estimates).to_contain_text(waiting.number)
    expect(page.locator("#queue-arrivals")).to_contain_text("2")

    sign_in(page, "wrench")
    expect(page.locator("section[aria-labelledby=queue-jobs_to_take]")).to_contain_text(
        "Replace the wiper blades"
    )
    expect(page.locator("#queue-my_jobs")).to_contain_text("0")

    sign_in(page, "qc")
    expect(page.locator("#queue-final_inspection")).to_contain_text("0")
    expect(page.locator("#all-clear")).to_be_visible()

    sign_in(page, "counter")
    expect(page.locator("#queue-to_pick")).to_be_visible()
    open_menu(page, "Parts", "Jobs waiting for parts")
    expect(page).to_have_url(f"{page.url.split('/parts')[0]}/parts/waiting")

    sign_in(page, "boss")
    expect(page.locator("h1")).to_contain_text("Today")


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_the_main_pages_have_no_serious_accessibility_violations(page, language):
    """Each main page, in both languages: no serious or critical axe-core violation, nothing
    wider than the window, and on a Chinese page no English word of our own (the records
    are made in Chinese, as a Chinese dealer's are)."""

    desk = make_user(username="desk", roles=["advisor"], language=language, full_name="李文静")
    make_user(username="boss", roles=["manager"], language=language, full_name="王建国")
    customer = make_customer(name="王伟")
    vehicle = make_vehicle(customer=customer, make="大众", model="帕萨特")
    order = make_order(advisor=desk, vehicle=vehicle, concern="刹车异响", inspected=False)
    wo.record_inspection(
        desk, order, wo.InspectionInput(belongings=["spare_wheel"], acknowledged_by="王伟")
    )
    make_authorized_job(advisor=desk, order=order, title="更换雨刮片", hours="0.5")
    db.session.commit()
    found = {}
    sign_in(page, "desk")
    for path in (
        "/",
        "/work-orders",
        f"/work-orders/{order.id}",
        f"/work-orders/{order.id}/intake",
        f"/customers/{order.customer_id}",
        f"/vehicles/{order.vehicle_id}",
        "/board",
        "/customers",
        "/account",
    ):
        page.goto(path)
        found[path] = problems(page, language)
    page.context.clear_cookies()
    sign_in(page, "boss")
    for path in (
        "/",
        "/reports",
        "/parts",
        "/parts/new",
        "/callbacks",
        "/complaints",
        "/vip",
        "/settings",
        "/settings/callbacks",
        "/staff",
        "/audit",
        "/canned-jobs",
    ):
        page.goto(path)
        found[path] = problems(page, language)
    failing = [f"{path}: {line}" for path, lines in found.items() for line in lines]
    assert failing == [], "\n".join(failing)


def test_marks_not_yet_saved_survive_a_photo_upload(page, tmp_path):
    desk = make_user(username="desk", roles=["advisor"])
    order = make_order(advisor=desk, inspected=False)
    db.session.commit()
    sign_in(page, "desk")
    page.goto(f"/work-orders/{order.id}/intake")
    dent = page.locator("#damage-front_bumper-dent")
    page.get_by_role("button", name="Front bumper").click()
    page.get_by_role("radiogroup", name="Damage: Front bumper").get_by_text("Dent").click()
    page.get_by_label("Note: Front bumper").fill("2 cm above the plate")
    expect(page.get_by_label("Panel", exact=True)).to_have_value("front_bumper")
    photo = tmp_path / "bumper.png"
    photo.write_bytes(PHOTO)
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="Upload the photo").click()
    expect(page.locator(".intake-photo")).to_have_count(1)
    expect(page.locator("figcaption")).to_have_text("Front bumper")
    expect(dent).to_be_checked()
    expect(page.locator(".car-panel[data-panel=front_bumper]")).to_have_attribute(
        "data-damage", "dent"
    )
    expect(page.get_by_label("Note: Front bumper")).to_have_value("2 cm above the plate")
    page.get_by_label("Customer's name").fill("Owner")
    page.get_by_role("button", name="Save the intake").click()
    expect(page.locator("#order-status")).to_have_text("Estimating")
    page.goto(f"/work-orders/{order.id}/intake")
    expect(dent).to_be_checked()
    assert not page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('draft:'))")


def test_a_refused_form_on_the_order_page_keeps_what_was_typed(page):
    desk = make_user(username="desk", roles=["advisor"])
    order = make_order(advisor=desk)
    db.session.commit()
    sign_in(page, "desk")
    page.goto(f"/work-orders/{order.id}")
    page.get_by_label("Job", exact=True).fill("Replace the timing belt and the water pump")
    page.get_by_label("Flat-rate hours").fill("0")
    page.get_by_role("button", name="Add the job").click()
    expect(page.locator(".alert-danger")).to_contain_text("Flat-rate hours")
    expect(page.get_by_label("Job", exact=True)).to_have_value(
        "Replace the timing belt and the water pump"
    )
    page.get_by_label("Flat-rate hours").fill("3.5")
    page.get_by_role("button", name="Add the job").click()
    expect(page.locator("#jobs")).to_contain_text("Replace the timing belt")
    expect(page.get_by_label("Job", exact=True)).to_have_value("")

"""One car through the workshop in Chromium, as the desk, the workshop and QC see it."""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dealer.extensions import db
from tests.factories import PASSWORD, make_authorized_job, make_part, make_user, make_vehicle
from workorders import services as wo
from workorders.models import Job, WorkOrder

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    """Sign out whoever is signed in, through the page, then sign in as ``username``."""
    page.goto("/login")
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
    expect(page.get_by_label("Username")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def sign(page, canvas_id: str) -> None:
    """Draw a signature on a signature pad with the mouse."""
    canvas = page.locator(f"#{canvas_id}")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 60)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 18, box["y"] + 60 + (-1) ** step * 25)
    page.mouse.up()


def open_menu(page, group: str, entry: str) -> None:
    """Open a group of the top bar and follow one of its entries."""
    page.locator("#mainnav").get_by_role("button", name=group).click()
    page.locator("#mainnav").get_by_role("link", name=entry).click()


def flash(page, text: str) -> None:
    expect(page.locator(".alert").filter(has_text=text).first).to_be_visible()


def job_row(page, title: str):
    return page.locator("#jobs tr").filter(has_text=title)


CLICKS_BEFORE = 63
"""Clicks, drop-down choices (two each) and pages opened in this journey on the order page of
stacked forms that the workspace replaced, counted the same way (``clicks``): 56 and 7."""


def test_one_car_through_the_workshop(page, clicks):
    make_user(username="desk", roles=["advisor"])
    make_user(username="wrench", roles=["technician"])
    make_user(username="qc", roles=["inspector"])
    make_part(
        part_number="04465-33450",
        name="Brake pads, front",
        on_hand="5",
        unit_price=Decimal("350.00"),
    )
    vehicle = make_vehicle(odometer_km=30000, plate="沪A 77777")
    opened = []

    def go(path: str) -> None:
        opened.append(path)
        page.goto(path)

    sign_in(page, "desk")
    go(f"/vehicles/{vehicle.id}")
    page.get_by_role("link", name="Receive this car").click()
    page.get_by_label("Odometer (km)").fill("30450")
    page.get_by_label("Customer's concern").fill(
        "Squeal from the front when braking, cold mornings"
    )
    page.get_by_role("button", name="Open the work order").click()
    flash(page, "Now walk around the car")

    page.get_by_role("button", name="Left front door").click()
    page.get_by_role("radiogroup", name="Damage: Left front door").get_by_text("Scratch").click()
    page.get_by_role("textbox", name="Note: Left front door").fill("10 cm, paint only")
    expect(page.locator(".car-panel[data-panel=left_front_door]")).to_have_attribute(
        "data-damage", "scratch"
    )
    page.locator(".fuel-gauge").get_by_text("1/4", exact=True).click()
    page.locator(".warning-lights").get_by_text("Tyre pressure").click()
    page.get_by_label("Spare wheel").check()
    page.get_by_label("Happens with the engine").select_option("cold")
    page.get_by_label("Customer's name").fill("王伟")
    sign(page, "intake-signature")
    page.get_by_role("button", name="Save the intake").click()
    flash(page, "Intake recorded")
    expect(page.locator("#order-tabs [aria-current=page]")).to_have_text("Jobs and parts")

    for title, hours in (("Replace front brake pads", "1.2"), ("Underbody wash", "0.5")):
        page.get_by_label("Job", exact=True).fill(title)
        page.get_by_label("Flat-rate hours").fill(hours)
        page.get_by_role("button", name="Add the job").click()
        flash(page, "Job added")
    add_part = page.locator("form[action$='/parts']")
    add_part.get_by_label("For job").select_option(label="Replace front brake pads")
    add_part.get_by_label("Part number").fill("04465 33450")
    add_part.get_by_label("Quantity").fill("1")
    add_part.get_by_role("button", name="Add the part").click()
    flash(page, "Part added")
    expect(page.locator(".btn-primary").filter(visible=True)).to_have_text(["Put to the customer"])
    page.get_by_role("button", name="Put to the customer").click()
    expect(page.locator("#order-status")).to_have_text("Awaiting approval")

    expect(page.locator("#order-tabs [aria-current=page]")).to_contain_text("Customer's decision")
    page.locator("label", has_text="Approve").first.click()
    page.locator("label", has_text="Decline").last.click()
    page.get_by_label("New authorized total").fill("666.70")
    sign(page, "authorization-signature")
    page.get_by_role("button", name="Record the authorization").click()
    flash(page, "Authorization recorded")
    expect(page.locator("#order-status")).to_have_text("In progress")
    expect(job_row(page, "Underbody wash")).to_contain_text("Declined")

    sign_in(page, "wrench")
    go("/board")
    card = page.locator("[id^=board-job-]").filter(has_text="Replace front brake pads")
    card.get_by_role("button", name="Clock on").click()
    flash(page, "Clocked on")
    db.session.commit()
    order = db.session.scalar(db.select(WorkOrder))
    go(f"/work-orders/{order.id}")
    page.get_by_label("Job", exact=True).fill("Replace brake fluid")
    page.get_by_label("Flat-rate hours").fill("0.8")
    page.get_by_label("Finding").fill("Fluid dark, 4% water")
    page.get_by_role("button", name="Propose").click()
    flash(page, "Job added")
    db.session.commit()
    fluid = db.session.scalar(db.select(Job).where(Job.title == "Replace brake fluid"))
    assert fluid.status == "proposed"

    sign_in(page, "desk")
    go(f"/work-orders/{order.id}")
    expect(page.locator("#decisions")).to_contain_text("Replace brake fluid")
    page.locator("label", has_text="Approve").first.click()
    page.get_by_role("group", name="How").get_by_text("By phone").click()
    page.get_by_label("Number called").fill("139 1234 5678")
    page.get_by_label("New authorized total").fill("847.50")
    page.get_by_role("button", name="Record the authorization").click()
    flash(page, "Authorization recorded")
    db.session.commit()
    assert [a.method for a in db.session.get(WorkOrder, order.id).authorizations] == [
        "in_person",
        "phone",
    ]

    sign_in(page, "wrench")
    go("/board")
    brakes = page.locator("[id^=board-job-]").filter(has_text="Replace front brake pads")
    brakes.get_by_role("button", name="Done").click()
    flash(page, "Job done")
    fluid_card = page.locator("[id^=board-job-]").filter(has_text="Replace brake fluid")
    fluid_card.get_by_role("button", name="Clock on").click()
    flash(page, "Clocked on")
    page.locator("[id^=board-job-]").filter(has_text="Replace brake fluid").get_by_role(
        "button", name="Done"
    ).click()
    flash(page, "Job done")

    sign_in(page, "qc")
    go(f"/work-orders/{order.id}")
    expect(page.locator("#order-status")).to_have_text("Final inspection")
    page.get_by_role("button", name="Tick every item").click()
    page.get_by_role("button", name="Pass").click()
    flash(page, "the car is ready")

    sign_in(page, "desk")
    go(f"/work-orders/{order.id}")
    expect(page.locator("#order-total")).to_contain_text("847.50")
    page.get_by_role("button", name="Customer told").click()
    flash(page, "the customer knows")
    page.get_by_role("group", name="Payment").get_by_text("Mobile payment").click()
    page.get_by_label("Replaced parts handed back").check()
    sign(page, "handover-signature")
    page.get_by_role("button", name="Hand over").click()
    flash(page, "Handed over")
    expect(page.locator("#order-status")).to_have_text("Delivered")
    db.session.commit()
    delivered = db.session.get(WorkOrder, order.id)
    assert delivered.status == "delivered" and delivered.handover_signature
    assert delivered.payments[0].method == "mobile_payment"
    assert delivered.fuel_level == Decimal("0.25")
    assert delivered.inspection.panels == [
        {"panel": "left_front_door", "damage": "scratch", "note": "10 cm, paint only"}
    ]
    assert delivered.inspection.signature_file and delivered.authorizations[0].signature_file

    page.get_by_role("button", name="Print").click()
    menu = page.locator("#print-menu .dropdown-menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link")).to_have_text(
        [
            "Work order",
            "Estimate",
            "Settlement list",
            "Completion certificate",
            "Final inspection sheet",
        ]
    )
    href = menu.get_by_role("link", name="Settlement list").get_attribute("href")
    answer = page.request.get(href)
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    settlement = PdfReader(io.BytesIO(answer.body()))
    text = "\n".join(p.extract_text() for p in settlement.pages)
    assert delivered.number in text and "ST-" in text
    assert any(p.images for p in settlement.pages)
    done = clicks() + len(opened)
    print(f"The journey took {done} clicks and pages; {CLICKS_BEFORE} before the workspace.")
    assert done < CLICKS_BEFORE


def test_the_rules_hold_on_the_pages(page):
    advisor = make_user(username="desk", roles=["advisor"])
    both = make_user(username="tq", roles=["technician", "inspector"])
    order = wo.open_work_order(
        advisor, make_vehicle(), odometer_km=50000, fuel_level=Decimal("1"), concern="Noise"
    )
    wo.record_inspection(advisor, order, wo.InspectionInput(acknowledged_by="Owner"))
    job = wo.add_job(
        advisor, order, title="Check noise", labor_hours=Decimal("1"), category="minor_repair"
    )
    assert order.status == "estimating"
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[],
        authorized_by="Owner",
        method="phone",
        phone="13912345678",
        amount=Decimal("226.00"),
    )
    extra = wo.add_job(
        both, order, title="Replace bearing", labor_hours=Decimal("2"), category="minor_repair"
    )
    db.session.commit()

    sign_in(page, "tq")
    page.goto("/board")
    page.locator("[id^=board-job-]").filter(has_text="Check noise").get_by_role(
        "button", name="Clock on"
    ).click()
    flash(page, "Clocked on")
    token = page.locator("input[name=csrf_token]").first.input_value()
    attempt = page.request.post(
        f"/jobs/{extra.id}/clock-on", form={"csrf_token": token, "next": "/board"}
    )
    assert attempt.ok and "The customer has not authorized this job." in attempt.text()
    db.session.commit()
    assert db.session.get(Job, extra.id).status == "proposed"
    page.locator("[id^=board-job-]").filter(has_text="Check noise").get_by_role(
        "button", name="Done"
    ).click()
    flash(page, "Job done")

    sign_in(page, "desk")
    page.goto(f"/work-orders/{order.id}")
    page.locator("#order-tabs").get_by_role("link", name="Jobs and parts").click()
    job_row(page, "Replace bearing").get_by_role(
        "button", name="Approve within authorization"
    ).click()
    flash(page, "above the authorized amount")
    page.locator("#order-tabs").get_by_role("link", name="Customer's decision").click()
    page.locator("label", has_text="Decline").first.click()
    page.get_by_role("group", name="How").get_by_text("By phone").click()
    page.get_by_label("Number called").fill("13912345678")
    page.get_by_label("New authorized total").fill("226.00")
    page.get_by_role("button", name="Record the authorization").click()
    flash(page, "Authorization recorded")
    page.get_by_role("button", name="Send to final inspection").click()
    expect(page.locator("#order-status")).to_have_text("Final inspection")

    sign_in(page, "tq")
    page.goto(f"/work-orders/{order.id}")
    expect(
        page.get_by_text("You worked on this car: another inspector must check it.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Pass")).to_have_count(0)


def test_findings_typed_on_the_board_survive_its_refresh_and_other_buttons(page):
    desk = make_user(username="desk", roles=["advisor"])
    make_user(username="wrench", roles=["technician"])
    order, first = make_authorized_job(advisor=desk, title="Replace the wiper blades")
    _, second = make_authorized_job(advisor=desk, order=order, title="Check the horn")
    db.session.commit()
    sign_in(page, "wrench")
    page.goto("/board")
    card = page.locator(f"#board-job-{first.id}")
    card.get_by_role("button", name="Clock on").click()
    flash(page, "Clocked on.")
    card.get_by_text("Findings and parts").click()
    card.get_by_label("Findings: Replace the wiper blades").fill("Rubber cracked on both")
    page.evaluate("htmx.ajax('GET', '/board/jobs', {target: '#board', swap: 'outerHTML'})")
    page.wait_for_timeout(300)
    expect(card.get_by_label("Findings: Replace the wiper blades")).to_have_value(
        "Rubber cracked on both"
    )
    page.locator(f"#board-job-{second.id}").get_by_role("button", name="Clock on").click()
    flash(page, "You are clocked on another job")
    expect(card.get_by_label("Findings: Replace the wiper blades")).to_have_value(
        "Rubber cracked on both"
    )
    card.get_by_role("button", name="Clock off").click()
    flash(page, "Clocked off")
    expect(card.get_by_label("Findings: Replace the wiper blades")).to_have_value(
        "Rubber cracked on both"
    )
    card.get_by_role("button", name="Save findings").click()
    flash(page, "Findings saved")
    expect(card.get_by_label("Findings: Replace the wiper blades")).to_have_value(
        "Rubber cracked on both"
    )
    db.session.commit()
    assert db.session.get(Job, first.id).findings == "Rubber cracked on both"

"""A car with an open recall comes in for a service: the advisor sees the recall on the order
and adds its job from the banner; the technician does it on the job board; the warranty
administrator finds the draft claim, submits it, records the manufacturer's rejection,
corrects and submits it again, and marks it paid short; each page passes the checks."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from dealer.extensions import db
from tests.browser.checks import problems
from tests.browser.test_work_order import flash, sign_in
from tests.factories import make_authorized_job, make_order, make_part, make_user, make_vehicle
from warranty import campaigns
from warranty.models import CampaignVin, WarrantyClaim
from warranty.terms import site_today

pytestmark = pytest.mark.browser


def test_a_recall_from_the_banner_to_the_paid_claim(page):
    make_user(username="desk", roles=["advisor"])
    make_user(username="wrench", roles=["technician"])
    admin = make_user(username="claims", roles=["warranty"])
    advisor = make_user(roles=["advisor"])
    make_part(part_number="INF-100", on_hand="3")
    vehicle = make_vehicle(make="Buick", model="GL8", odometer_km=15000)
    recall = campaigns.create_campaign(
        admin,
        admin.site_id,
        campaigns.CampaignInput(
            code="RC-2026-07",
            kind="recall",
            title="Replace the airbag inflator",
            title_zh="更换气囊气体发生器",
            labor_op="AB1234",
            labor_hours=Decimal("1.5"),
            parts=[("INF-100", Decimal("1"))],
        ),
    )
    campaigns.add_vins(admin, recall, [vehicle.vin])
    order, _oil = make_authorized_job(
        advisor=advisor,
        order=make_order(advisor=advisor, vehicle=vehicle),
        title="Oil service",
        amount="800",
    )
    db.session.commit()

    sign_in(page, "desk")
    page.goto(f"/customers?q={vehicle.plate}")
    expect(page.locator("#results .vehicle-flag")).to_have_text("Recall")
    page.goto(f"/work-orders/{order.id}")
    banner = page.locator(".vehicle-notices .alert").filter(has_text="RC-2026-07")
    expect(banner).to_contain_text("Replace the airbag inflator")
    assert problems(page, "en") == []
    banner.get_by_role("button", name="Add the campaign job").click()
    flash(page, "The campaign job RC-2026-07 is on the order, paid by warranty.")
    expect(page.locator(".vehicle-notices")).to_contain_text("The campaign job is on this order.")

    sign_in(page, "wrench")
    page.goto("/board")
    card = page.locator("[id^=board-job-]").filter(has_text="Replace the airbag inflator")
    card.get_by_role("button", name="Clock on").click()
    flash(page, "Clocked on")
    page.locator("[id^=board-job-]").filter(has_text="Replace the airbag inflator").get_by_role(
        "button", name="Done"
    ).click()
    flash(page, "Done")

    sign_in(page, "claims")
    page.goto("/claims?status=draft")
    assert problems(page, "en") == []
    page.locator("#claims").get_by_role("link", name="#").first.click()
    expect(page.locator("#claim-status")).to_have_text("Draft")
    expect(page.get_by_label("Labor operation")).to_have_value("AB1234")
    assert problems(page, "en") == []
    page.get_by_role("button", name="Submit to the manufacturer").click()
    flash(page, "The claim is Submitted.")
    page.get_by_label("Manufacturer's reason").fill(
        "Labor operation does not match the VIN's build"
    )
    page.get_by_role("button", name="Rejected by the manufacturer").click()
    flash(page, "The claim is Rejected.")
    expect(page.locator("#rejection")).to_contain_text("does not match")
    page.get_by_label("Labor operation").fill("AB1235")
    page.get_by_role("button", name="Save").click()
    flash(page, "The claim is saved.")
    page.get_by_role("button", name="Submit again").click()
    flash(page, "The claim is Submitted.")
    page.get_by_label("Amount paid").fill("200.00")
    page.get_by_label("Paid on").fill(site_today(admin.site_id).isoformat())
    page.get_by_role("button", name="Record the payment").click()
    flash(page, "The claim is Paid.")
    expect(page.locator("#short-paid")).to_be_visible()
    assert problems(page, "en") == []

    db.session.commit()
    claim = db.session.query(WarrantyClaim).one()
    assert (claim.status, claim.labor_op, claim.rejections) == ("paid", "AB1235", 1)
    assert claim.paid_amount == Decimal("200.00") and claim.short_paid == claim.total_claimed - 200
    assert db.session.query(CampaignVin).one().closed_at is None, "closed when the car is delivered"


def test_the_warranty_pages_read_in_chinese(page):
    make_user(username="suoping", roles=["warranty"], language="zh_Hans", full_name="索赔专员")
    advisor = make_user(roles=["advisor"])
    admin = make_user(roles=["warranty"])
    vehicle = make_vehicle(make="别克", model="GL8", odometer_km=15000)
    vehicle.sold_on = site_today(admin.site_id).replace(year=site_today(admin.site_id).year - 1)
    recall = campaigns.create_campaign(
        admin,
        admin.site_id,
        campaigns.CampaignInput(
            code="RC-2026-07",
            kind="recall",
            title="Airbag",
            title_zh="更换气囊气体发生器",
            labor_hours=Decimal("1.5"),
        ),
    )
    campaigns.add_vins(admin, recall, [vehicle.vin])
    order, _job = make_authorized_job(
        advisor=advisor,
        order=make_order(advisor=advisor, vehicle=vehicle),
        title="发动机漏油",
        pay_type="warranty",
    )
    db.session.commit()
    from tests.warranty.work import do_the_work

    do_the_work(order, advisor, deliver=False)
    claim = db.session.query(WarrantyClaim).one()
    sign_in(page, "suoping")
    for path in (
        "/campaigns",
        f"/campaigns/{recall.id}",
        "/campaigns/new",
        "/campaigns/import",
        "/claims",
        f"/claims/{claim.id}",
        "/old-parts",
        "/sanbao",
        f"/vehicles/{vehicle.id}/sanbao",
        f"/work-orders/{order.id}/sanbao",
        "/warranty/settings",
    ):
        page.goto(path)
        assert problems(page, "zh_Hans") == [], path

"""The README's pictures, taken from the running app by this test, so that they show the
pages as they are: the advisor's order page, the intake drawing, the technician's board on a
tablet and the manager's dashboard."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from dealer.extensions import db
from tests.browser.test_order_page import ROLES, orders_in_every_state
from tests.browser.test_work_order import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser

PICTURES = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def take(page, name: str) -> Path:
    page.wait_for_load_state("load")
    path = PICTURES / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_the_readmes_pictures_are_taken_from_the_app(page):
    PICTURES.mkdir(parents=True, exist_ok=True)
    names = {"desk": "李文静", "wrench": "张师傅", "qc": "陈质检", "boss": "王建国"}
    people = {
        name: make_user(username=name, roles=roles, full_name=names.get(name, "孙丽"))
        for name, roles in ROLES.items()
    }
    orders = orders_in_every_state(people)
    db.session.commit()
    taken = []

    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "desk")
    page.goto(f"/work-orders/{orders['estimating']}")
    expect(page.locator("#jobs tbody tr")).to_have_count(5)
    taken.append(take(page, "order-page"))
    page.goto(f"/work-orders/{orders['intake']}/intake")
    page.get_by_role("button", name="Left front door").click()
    page.get_by_role("radiogroup", name="Damage: Left front door").get_by_text("Scratch").click()
    page.get_by_role("button", name="Front bumper").click()
    page.get_by_role("radiogroup", name="Damage: Front bumper").get_by_text("Dent").click()
    page.locator(".warning-lights").get_by_text("Tyre pressure").click()
    expect(page.locator(".car-panel[data-damage]")).to_have_count(2)
    taken.append(take(page, "intake-drawing"))

    page.set_viewport_size({"width": 1024, "height": 768})
    page.context.clear_cookies()
    sign_in(page, "wrench")
    page.goto("/board")
    expect(page.locator("[id^=board-job-]").first).to_be_visible()
    taken.append(take(page, "technician-board"))

    page.set_viewport_size({"width": 1366, "height": 768})
    page.context.clear_cookies()
    sign_in(page, "boss")
    expect(page.locator("h1")).to_contain_text("Today")
    taken.append(take(page, "dashboard"))

    for path in taken:
        assert path.stat().st_size > 20_000
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

"""The manager adds a member of staff in Chromium, and that person signs in and gets to work,
within their role."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_work_order import flash, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_manager_adds_a_technician_who_then_signs_in(page):
    make_user(username="boss", roles=["manager"])
    sign_in(page, "boss")
    page.goto("/staff/new")
    page.get_by_label("Username").fill("zhang.wei")
    page.get_by_label("Password").fill("short")
    page.get_by_label("Name", exact=True).fill("Zhang Wei")
    page.get_by_label("Technician").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("10 characters")

    page.get_by_label("Password").fill("spanner and torque 2026")
    page.get_by_role("button", name="Save").click()
    flash(page, "Zhang Wei")
    expect(page.locator("table tr").filter(has_text="zhang.wei")).to_contain_text("Zhang Wei")

    page.get_by_role("button", name="Sign out").click()
    page.goto("/login")
    page.get_by_label("Username").fill("zhang.wei")
    page.get_by_label("Password").fill("spanner and torque 2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/board")
    expect(page.get_by_role("heading", name=re.compile("board", re.I)).first).to_be_visible()
    page.goto("/staff")
    expect(page.get_by_text("403").or_(page.get_by_text("not allowed")).first).to_be_visible()

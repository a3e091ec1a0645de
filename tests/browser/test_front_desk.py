"""The front desk's first minute, in Chromium: sign in, register, find again."""

import re

import pytest
from playwright.sync_api import expect

from customers.vin import with_check_digit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_advisor_registers_a_chinese_customer_and_finds_the_car_by_plate(page, tmp_path):
    make_user(username="desk", roles=["advisor"], full_name="李文静")
    sign_in(page, "desk")

    page.get_by_role("link", name="Register a new customer").click()
    page.get_by_label("Name", exact=True).fill("张伟")
    page.get_by_label("Mobile phone").fill("139-1234-5678")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="New vehicle for 张伟")).to_be_visible()
    vin = with_check_digit("LSVAB2180E2654321")
    page.get_by_label("VIN").fill(vin.lower())
    page.get_by_label("Plate").fill("沪a 88888")
    page.get_by_label("Make").fill("Volkswagen")
    page.get_by_label("Model").fill("Passat")
    page.get_by_label("Odometer (km)").fill("36500")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="张伟")).to_be_visible()
    expect(page.get_by_text(vin)).to_be_visible()
    expect(page.get_by_text("139****5678")).to_be_visible()
    page.get_by_role("button", name="Show the number").click()
    expect(page.get_by_text("139 1234 5678")).to_be_visible()

    page.get_by_role("link", name="Service Desk").click()
    page.get_by_label("Find a customer by name, phone, plate or VIN").fill("沪A88 888")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="张伟")).to_be_visible()
    expect(results.get_by_text("沪A 88888")).to_be_visible()
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)


def test_bad_vin_is_shown_next_to_the_field(page):
    from tests.factories import make_customer

    make_user(username="desk", roles=["advisor"])
    owner = make_customer(name="王芳")
    sign_in(page, "desk")
    page.goto(f"/customers/{owner.id}/vehicles/new")
    page.get_by_label("VIN").fill("1M8GDM9A1KP042788")
    page.get_by_label("Plate").fill("沪B 1")
    page.get_by_label("Make").fill("VW")
    page.get_by_label("Model").fill("Golf")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The check digit (9th character) does not match")).to_be_visible()
    expect(page.get_by_label("VIN")).to_have_class(re.compile("is-invalid"))

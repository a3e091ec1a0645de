"""A callback agent's morning in Chromium: the top call, a complaint, the manager's view."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from care.models import Callback
from dealer.extensions import db
from dealer.types import utcnow
from tests.browser.test_work_order import flash, open_menu, sign_in
from tests.factories import make_customer, make_user

pytestmark = pytest.mark.browser


def test_agent_works_the_top_call_and_the_manager_sees_the_complaint(page):
    agent = make_user(username="caller", roles=["callback"], full_name="Sun Li")
    make_user(username="boss", roles=["manager"], full_name="Zhou Boss")
    angry = make_customer(name="Wang Fang", phone="13912345678")
    calm = make_customer(name="Chen Jing")
    for customer, hours in ((calm, 1), (angry, 30)):
        db.session.add(
            Callback(
                site_id=customer.site_id,
                customer_id=customer.id,
                kind="satisfaction",
                due_at=utcnow() - timedelta(hours=hours),
                assignee_id=agent.id,
            )
        )
    db.session.commit()

    sign_in(page, "caller")
    expect(page.locator("#queue-calls_today")).to_contain_text("2")
    open_menu(page, "After-sales", "Call list")
    first = page.locator(".call-item").first
    expect(first).to_contain_text("Wang Fang")
    expect(first).to_contain_text("Overdue")
    expect(first).to_contain_text("139 1234 5678")
    first.get_by_role("link", name="Work this call").click()
    expect(page.locator("#phone")).to_have_text("139 1234 5678")
    page.get_by_label("How did the call go?").select_option("reached")
    page.get_by_label("Overall satisfaction").select_option("2")
    page.get_by_label("Ready on time").select_option("1")
    page.get_by_label("Complaint").fill("The car was promised for 5 pm and was ready at 8 pm.")
    page.get_by_role("button", name="Save the call").click()
    flash(page, "Call recorded")
    expect(page.locator(".call-item")).to_have_count(1)
    expect(page.locator(".call-item")).to_contain_text("Chen Jing")

    sign_in(page, "boss")
    open_menu(page, "After-sales", "Complaints")
    row = page.locator("#complaints tbody tr").filter(has_text="Wang Fang")
    expect(row).to_contain_text("promised for 5 pm")
    expect(row.locator(".owner")).to_have_text("Sun Li")
    open_menu(page, "Manage", "Today")
    on_dashboard = page.locator("#open-complaints tr").filter(has_text="Wang Fang")
    expect(on_dashboard.locator(".owner")).to_have_text("Sun Li")

"""The manager's inspection templates in Chromium, in both languages: the list and the full
inspection's items read well, pass the accessibility checks, and an item saved with a red
threshold not beyond the yellow one is marked on its row."""

import pytest
from playwright.sync_api import expect

from dealer.extensions import db
from mpi import starter, templates
from tests.browser.checks import problems
from tests.browser.test_work_order import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_the_manager_reads_and_corrects_a_template(page, language):
    manager = make_user(username="boss", roles=["manager"], language=language, full_name="王经理")
    name, name_zh, items = starter.full_inspection()
    full = templates.save_template(
        manager, manager.site_id, name=name, name_zh=name_zh, items=items, is_default=True
    )
    db.session.commit()
    sign_in(page, "boss")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/inspection-templates")
    expect(page.locator("#inspection-templates tbody tr")).to_have_count(1)
    assert problems(page, language) == []
    page.goto(f"/inspection-templates/{full.id}")
    expect(page.locator("#items-0-code")).to_have_value("tread_lf")
    assert problems(page, language) == []
    page.locator("#items-0-red_at").fill("5")
    page.locator("#template-form button[type=submit]").click()
    expect(page.locator("#items-0-red_at")).to_have_class("form-control form-control-sm is-invalid")
    expect(page.locator("#items-0-red_at-error")).to_be_visible()
    assert problems(page, language) == []

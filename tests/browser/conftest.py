"""Debian's Chromium driven by Playwright against the live server."""

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="en-US", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


CLICK_COUNTER = """
(() => {
  const bump = (n) => sessionStorage.setItem(
    'clicks', String(Number(sessionStorage.getItem('clicks') || 0) + n));
  let fromLabel = false;
  document.addEventListener('click', (e) => {
    if (!e.isTrusted) return;
    if (fromLabel && e.target.tagName === 'INPUT') return;
    bump(1);
    if (e.target.closest('label')) { fromLabel = true; setTimeout(() => { fromLabel = false; }); }
  }, true);
  document.addEventListener('change', (e) => { if (e.target.tagName === 'SELECT') bump(2); }, true);
})();
"""
"""Counts what a person does with the mouse or a finger in the tab: every real click (a tap on
a button, a box, a label, a signature), and two for every choice from a drop-down (open it,
pick). The count is kept in the tab's session storage, across pages."""


@pytest.fixture
def clicks(page):
    """The number of clicks made in ``page`` so far (see ``CLICK_COUNTER``)."""
    page.context.add_init_script(CLICK_COUNTER)
    return lambda: int(page.evaluate("sessionStorage.getItem('clicks') || 0"))

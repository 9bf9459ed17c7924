"""Playwright driving Debian's Chromium (Playwright's own browser download is not used)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make to arrange data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PKK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install "
            "chromium) or set PKK_CHROMIUM; deselect browser tests with -m 'not browser'."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A 360×740 phone-sized page in Indonesian; console errors (CSP included) fail the test."""
    # Without the service worker: a page it starts to control mid-test sends
    # its requests past page.route(). Field mode's own tests open theirs with it.
    context = browser.new_context(
        viewport=PHONE,
        locale="id-ID",
        base_url=live_server.url,
        has_touch=True,
        service_workers="block",
    )
    page = context.new_page()
    errors = page.console_errors = []  # a test that provokes errors empties it
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def assert_fits_phone(page):
    """No sideways scrolling at 360 px, and every control is big enough for a thumb.

    A checkbox or radio button is reached through its whole label row
    (.form-check), which is what must be tall enough.
    """
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                '.btn, select, textarea, .list-group-item-action, .form-check, ' +
                'input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
            .filter(([, h]) => h < 40)"""
    )
    assert small == []


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()

"""Browser tests: Playwright drives Debian's Chromium against the live test server.

Every page a test visits goes through `visit`, which also runs axe-core and fails on any
serious or critical accessibility violation, or on an uncaught JavaScript error; a script
error or a Content-Security-Policy violation on any page fails the test at its end.
"""

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.helpers import assert_accessible, assert_no_script_errors, watch_script_errors

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The machine has no internet: stop Chromium from calling home at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start one headless Chromium for the whole session."""
    # Playwright gives a launched browser its own throw-away profile; it refuses a
    # --user-data-dir argument.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _new_page(browser: Browser, **options: object) -> Page:
    """Open a page in a fresh context (its own cookies), failing fast when something hangs."""
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch_script_errors(page)
    return page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Return a fresh page in a fresh context (no cookies shared between tests)."""
    page = _new_page(browser, viewport={"width": 1024, "height": 800})
    yield page
    try:
        # Every page the test opened, checked or not: no script error, nothing the CSP refused.
        assert_no_script_errors(page)
    finally:
        page.context.close()


@pytest.fixture
def second_page(browser: Browser) -> Iterator[Page]:
    """Return another person's page (its own cookies), for flows with two people."""
    page = _new_page(browser, viewport={"width": 1024, "height": 800})
    yield page
    try:
        # Every page the test opened, checked or not: no script error, nothing the CSP refused.
        assert_no_script_errors(page)
    finally:
        page.context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """Return a page the size of a small phone (360 px wide)."""
    page = _new_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True)
    yield page
    try:
        # Every page the test opened, checked or not: no script error, nothing the CSP refused.
        assert_no_script_errors(page)
    finally:
        page.context.close()


@pytest.fixture
def zoomed_page(browser: Browser) -> Iterator[Page]:
    """Return a 1280 x 800 window zoomed to 200 %: a 640 x 400 CSS-pixel viewport."""
    page = _new_page(browser, viewport={"width": 640, "height": 400}, device_scale_factor=2)
    yield page
    try:
        # Every page the test opened, checked or not: no script error, nothing the CSP refused.
        assert_no_script_errors(page)
    finally:
        page.context.close()


@pytest.fixture
def visit(live_server):
    """Return a function that opens a path on the live server and checks accessibility."""

    def _visit(page: Page, path: str, *, check: bool = True) -> Page:
        page.goto(f"{live_server.url}{path}")
        if check:
            assert_accessible(page)
        return page

    return _visit

"""Browser tests: Playwright drives Debian's Chromium against the live test server.

Every page a test visits goes through `visit`, which also runs axe-core and fails on any
serious or critical accessibility violation.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

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
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start one headless Chromium for the whole session."""
    user_data = tempfile.mkdtemp(prefix="entraide-chromium-")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_ARGS, f"--user-data-dir={user_data}"],
        )
        yield chromium
        chromium.close()
    shutil.rmtree(user_data, ignore_errors=True)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Return a fresh page in a fresh context (no cookies shared between tests)."""
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """Return a page the size of a small phone (360 px wide)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """Fail when axe-core finds a serious or critical violation on the current page."""
    results = _axe.run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3] if node.get("target"))
        for v in serious
    )
    assert not serious, f"accessibility violations on {page.url}:\n{details}"


@pytest.fixture
def visit(live_server):
    """Return a function that opens a path on the live server and checks accessibility."""

    def _visit(page: Page, path: str, *, check: bool = True) -> Page:
        page.goto(f"{live_server.url}{path}")
        if check:
            assert_accessible(page)
        return page

    return _visit

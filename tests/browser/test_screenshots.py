"""Every role's main pages on the demo data, at desktop and phone widths: they open, fit, pass axe.

The same test takes the screenshots shown in docs/screenshots.md. It writes them into
docs/screenshots/ only when ENTRAIDE_SCREENSHOTS names that folder (`make screenshots`),
so an ordinary test run leaves the working tree alone; otherwise they go to a temporary
folder, and the checks run all the same.
"""

import os
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from entraide.companies.models import Employee
from entraide.demo.data import DOMAIN, PASSWORD
from entraide.goods.tests.factories import category
from entraide.organisations.models import Organisation
from tests.browser.conftest import _new_page
from tests.browser.helpers import assert_accessible, tr

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# (who, the demo log-in or None for a visitor, the pages to show, by name or path).
ROLES: list[tuple[str, str | None, list[tuple[str, str]]]] = [
    (
        "visitor",
        None,
        [
            ("home", "core:home"),
            ("ask-for-help", "help_requests:create"),
            ("missions", "missions:catalogue"),
        ],
    ),
    ("volunteer", "camille", [("dashboard", "volunteers:dashboard")]),
    ("association", "asso", [("organisations", "organisations:dashboard")]),
    ("operator", "operateur", [("console", "operators:console")]),
    ("moderator", "moderateur", [("moderation", "organisations:moderation")]),
    ("company", "entreprise", [("dashboard", "company-dashboard")]),
    ("employee", "salarie", [("work-time", "employee-page")]),
]


@pytest.fixture
def demo(transactional_db, django_capture_on_commit_callbacks) -> None:
    """Load the demo data set, as `make demo` does."""
    # An earlier transactional test flushed the catalogues their migrations seed.
    category("bakery")
    import_module("entraide.dropoff.migrations.0004_seed_catalogue").seed(apps, None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())


def _folder(tmp_path: Path) -> Path:
    """Return where screenshots go: docs/screenshots on request, a temporary folder otherwise."""
    folder = Path(os.environ.get("ENTRAIDE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(name: str, local: str | None) -> str:
    """Return the French path of a page named in ROLES."""
    with translation.override("fr"):
        if name == "company-dashboard":
            company = Organisation.objects.get(
                memberships__user__email=f"{local}@{DOMAIN}", kind=Organisation.Kind.COMPANY
            )
            return reverse("companies:dashboard", kwargs={"slug": company.slug})
        if name == "employee-page":
            employee = Employee.objects.select_related("company").get(
                user__email=f"{local}@{DOMAIN}"
            )
            return reverse("companies:employee", kwargs={"slug": employee.company.slug})
        return reverse(name)


def _log_in(page: Page, base_url: str, local: str) -> None:
    """Log in as a demo person with the demo password."""
    with translation.override("fr"):
        page.goto(f"{base_url}{reverse('accounts:login')}")
    page.get_by_label(tr("fr", "Email address")).fill(f"{local}@{DOMAIN}")
    page.get_by_label(tr("fr", "Password")).fill(PASSWORD)
    page.get_by_role("button", name=tr("fr", "Log in")).click()
    log_out = page.get_by_role("button", name=tr("fr", "Log out"), include_hidden=True)
    expect(log_out).to_be_attached()


@pytest.mark.parametrize(("role", "local", "pages"), ROLES, ids=[role for role, *_ in ROLES])
def test_each_role_sees_its_main_pages(
    browser: Browser,
    live_server,
    demo,
    tmp_path: Path,
    role: str,
    local: str | None,
    pages: list[tuple[str, str]],
) -> None:
    folder = _folder(tmp_path)
    for width, viewport in WIDTHS.items():
        page = _new_page(browser, viewport=viewport, is_mobile=width == "phone")
        try:
            if local:
                _log_in(page, live_server.url, local)
            for label, name in pages:
                response = page.goto(f"{live_server.url}{_path(name, local)}")
                assert response is not None and response.status == 200, (role, label)
                assert_accessible(page)
                scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
                assert scroll_width <= viewport["width"], f"{role} {label} scrolls sideways"
                page.screenshot(path=str(folder / f"{role}-{label}-{width}.png"))
        finally:
            page.context.close()

"""The public pages speak French, Dutch and English, and the switcher keeps the page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, tr

LANGUAGES = ("fr", "nl", "en")


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Help close to home"),
        ("/help/new/", "Ask for help"),
        ("/accounts/login/", "Log in"),
    ],
)
def test_it_shows_each_public_page_in_the_language_of_its_address(
    page: Page, visit, transactional_db, path: str, heading: str
) -> None:
    for language in LANGUAGES:
        visit(page, f"/{language}{path}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(tr(language, heading))
        expect(page.get_by_label(tr(language, "Language"))).to_have_value(language)


def test_it_switches_language_and_stays_on_the_same_page(
    page: Page, visit, transactional_db
) -> None:
    visit(page, "/fr/help/new/")
    page.get_by_label(tr("fr", "Language")).select_option("nl")
    page.get_by_role("button", name=tr("fr", "Change")).click()

    expect(page).to_have_url(re.compile(r"/nl/help/new/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("nl", "Ask for help"))
    assert_accessible(page)

    # The choice sticks: the home page without a language prefix now opens in Dutch.
    visit(page, "/")
    expect(page).to_have_url(re.compile(r"/nl/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_it_shows_a_missing_page_in_the_visitor_language_with_a_way_back(
    page: Page, visit, transactional_db
) -> None:
    visit(page, "/nl/nowhere/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("nl", "Page not found"))
    page.get_by_role("link", name=tr("nl", "Go to the home page")).click()
    expect(page).to_have_url(re.compile(r"/nl/$"))

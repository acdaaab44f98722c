"""The design system on a phone and a desktop: the folding menu, tables as lists, axe clean."""

import pytest
from playwright.sync_api import Browser, Page, expect

from entraide.missions.tests.factories import MembershipFactory, OrganisationFactory
from entraide.organisations.models import Membership
from entraide.testing.factories import HelpRequestFactory, UserFactory, VolunteerProfileFactory
from tests.browser.conftest import _new_page
from tests.browser.helpers import assert_accessible, log_in, open_account_menu, tr

WIDTHS = [390, 1280]


@pytest.fixture
def phone(browser: Browser):
    """Return a page the width of a common phone (390 px)."""
    page = _new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    yield page
    page.context.close()


def test_it_folds_the_menu_behind_a_button_on_a_phone(phone: Page, visit, transactional_db):
    visit(phone, "/fr/")
    header = phone.locator(".site-header")
    menu_button = header.locator("summary.nav-toggle")
    ask_for_help = header.get_by_role("link", name=tr("fr", "Ask for help"))
    language = header.get_by_label(tr("fr", "Language"))
    expect(menu_button).to_be_visible()
    expect(menu_button).to_have_text(tr("fr", "Menu"))
    expect(ask_for_help).to_be_hidden()
    expect(language).to_be_hidden()

    menu_button.click()

    expect(ask_for_help).to_be_visible()
    expect(language).to_be_visible()
    assert_accessible(phone)
    ask_for_help.click()
    expect(phone).to_have_url(f"{phone.url.split('/fr/')[0]}/fr/help/new/")


def test_it_shows_the_menu_in_one_row_on_a_desktop(browser: Browser, visit, transactional_db):
    page = _new_page(browser, viewport={"width": 1280, "height": 800})
    visit(page, "/fr/")
    expect(page.locator("summary.nav-toggle")).to_be_hidden()
    links = [
        page.locator(".site-header").get_by_role("link", name=tr("fr", name), exact=True)
        for name in ("Ask for help", "Missions", "Become a volunteer", "Log in")
    ]
    tops = set()
    for link in links:
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None
        tops.add(round(box["y"]))
    assert len(tops) == 1, f"the menu's links sit on {len(tops)} rows"
    page.context.close()


def test_it_lists_the_operators_candidates_as_cards_with_labels_on_a_phone(
    phone: Page, visit, transactional_db
):
    volunteer = UserFactory.create(email="amelie@example.org", first_name="Amélie")
    VolunteerProfileFactory(user=volunteer, languages=["fr"])
    operator = UserFactory.create(email="olga@example.org", is_operator=True)
    help_request = HelpRequestFactory.create(languages=["fr"])

    visit(phone, f"/fr/accounts/login/?next=/fr/operators/requests/{help_request.public_id}/")
    log_in(phone, email=operator.email)
    assert_accessible(phone)

    row = phone.get_by_role("row").filter(has_text=volunteer.email)
    # Each row is a card: the header row is only for screen readers.
    assert row.evaluate("row => getComputedStyle(row).display") == "block"
    head = phone.locator("table:has(td[data-label]) thead").first.bounding_box()
    assert head is not None and head["height"] <= 1
    distance = row.locator("td[data-label]").nth(1)
    label = distance.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == f'"{tr("fr", "Distance")}"'
    assign = row.get_by_role("button", name=tr("fr", "Assign"))
    assign.scroll_into_view_if_needed()
    expect(assign).to_be_in_viewport(ratio=1)
    box = assign.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide"


@pytest.mark.parametrize("width", WIDTHS)
def test_it_keeps_the_main_pages_accessible_on_a_phone_and_a_desktop(
    browser: Browser, visit, transactional_db, width: int
):
    page = _new_page(browser, viewport={"width": width, "height": 844})
    person = UserFactory.create(email="karim@example.org", first_name="Karim", is_operator=True)
    VolunteerProfileFactory(user=person, languages=["fr"])
    restos = OrganisationFactory.create(name="Les Restos du Cœur", slug="restos")
    MembershipFactory.create(organisation=restos, user=person, role=Membership.Role.ADMINISTRATOR)
    for kind in ("groceries", "pharmacy", "meal"):
        HelpRequestFactory.create(kind=kind, languages=["fr"])

    visit(page, "/fr/")
    visit(page, "/fr/accounts/login/?next=/fr/volunteer/")
    log_in(page, email=person.email)
    for path in (
        "/fr/volunteer/",
        "/fr/operators/",
        "/fr/organisations/",
        "/fr/organisations/restos/",
    ):
        visit(page, path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The dashboard's filters work without JavaScript: a plain GET form.
    visit(page, "/fr/volunteer/?kind=pharmacy&sort=distance")
    take_buttons = page.get_by_role("button", name=tr("fr", "Take it"))
    expect(take_buttons).to_have_count(1)
    page.context.close()


def test_a_staff_members_menu_keeps_to_one_row_under_the_brand(
    browser: Browser, visit, transactional_db
) -> None:
    # Staff see the most links (moderation, the phone line, the back office in their menu).
    staff = UserFactory.create(
        email="sam@entraide.example", first_name="Sam", is_staff=True, is_operator=True
    )
    VolunteerProfileFactory.create(user=staff)
    page = _new_page(browser, viewport={"width": 1280, "height": 800})
    visit(page, "/fr/accounts/login/")
    log_in(page, email=staff.email)
    header = page.locator(".site-header")
    links = header.locator(".site-nav a")
    assert links.count() >= 6
    tops = {
        round(box["y"])
        for box in (links.nth(i).bounding_box() for i in range(links.count()))
        if box
    }
    assert len(tops) == 1, f"the main menu's links sit on {len(tops)} rows"
    brand = header.locator(".brand").bounding_box()
    account = header.locator(".account-toggle").bounding_box()
    assert (
        brand
        and account
        and abs(brand["y"] + brand["height"] / 2 - (account["y"] + account["height"] / 2)) < 8
    )
    height = header.bounding_box()
    assert height and height["height"] < 130, f"the header is {height['height']} px tall"

    open_account_menu(page)
    expect(header.get_by_role("link", name=tr("fr", "Back office"))).to_be_visible()
    expect(header.get_by_role("button", name=tr("fr", "Log out"))).to_be_visible()
    assert_accessible(page)
    page.context.close()

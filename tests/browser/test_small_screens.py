"""The request form and the volunteer dashboard work on a small phone and at 200 % zoom."""

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from entraide.help_requests.forms import HelpRequestForm
from entraide.help_requests.models import Status
from entraide.testing.factories import (
    BRUSSELS,
    HelpRequestFactory,
    UserFactory,
    VolunteerProfileFactory,
)
from entraide.volunteers.forms import DoneForm
from tests.browser.helpers import log_in, tr

# A 360-px phone, and a 1280-px window zoomed to 200 % (640 CSS px, device scale factor 2).
SCREENS = ["phone_page", "zoomed_page"]


def assert_no_horizontal_scrolling(page: Page) -> None:
    """Fail when the page is wider than the window (the reader would scroll sideways)."""
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    # A mobile browser widens its layout viewport (innerWidth) to fit a page that is too wide,
    # then zooms out: compare with the screen's own width as well.
    assert page.viewport_size is not None
    window_width = min(inner_width, page.viewport_size["width"])
    assert scroll_width <= window_width, (
        f"page is {scroll_width} px wide in a {window_width} px window"
    )


def assert_reachable(page: Page, button: Locator, *, after: Locator) -> None:
    """Check the button is reached with Tab from `after` and shows whole inside the window."""
    after.focus()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box is not None and page.viewport_size is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.mark.parametrize("screen", SCREENS)
def test_it_fits_the_request_form_on_small_screens(
    request: pytest.FixtureRequest, visit, transactional_db, screen: str
) -> None:
    page: Page = request.getfixturevalue(screen)
    visit(page, "/fr/help/new/")
    assert_no_horizontal_scrolling(page)
    submit = page.get_by_role("button", name=tr("fr", "Send my request"))
    consent = page.get_by_label(tr("fr", HelpRequestForm.base_fields["consent"].label))
    assert_reachable(page, submit, after=consent)

    # The error summary and the field errors must fit too.
    submit.click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_horizontal_scrolling(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_it_fits_the_volunteer_dashboard_on_small_screens(
    request: pytest.FixtureRequest, visit, transactional_db, screen: str
) -> None:
    page: Page = request.getfixturevalue(screen)
    volunteer = UserFactory.create(email="nadia@example.org", first_name="Nadia")
    VolunteerProfileFactory(user=volunteer, languages=["fr"])
    held = HelpRequestFactory.create(
        status=Status.TAKEN,
        taken_by=volunteer,
        taken_at=timezone.now(),
        requester_name="Marie-Christine Vandenberghe-Dupont",
        requester_email="marie-christine.vandenberghe-dupont@example.org",
        address="Boulevard Adolphe Max 123, boîte 45",
        details="Pain, lait, pommes, et les médicaments de la pharmacie de la place",
    )
    HelpRequestFactory(lat=BRUSSELS[0] + 0.01, lon=BRUSSELS[1], kind="pharmacy")

    visit(page, "/fr/accounts/login/?next=/fr/volunteer/")
    log_in(page, email=volunteer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("fr", "My dashboard"))
    visit(page, "/fr/volunteer/")
    assert_no_horizontal_scrolling(page)

    card = page.locator("article", has_text=held.reference)
    report = card.get_by_label(tr("fr", DoneForm.base_fields["report"].label))
    assert_reachable(page, card.get_by_role("button", name=tr("fr", "Mark as done")), after=report)


def test_it_fits_the_confirmation_page_and_its_long_private_link_on_a_phone(
    phone_page: Page, visit, transactional_db
) -> None:
    # Without a hyphen, the browser finds no place to break the link by itself.
    help_request = HelpRequestFactory.create(tracking_token="VNe3uMltmqgHtkUSG8LU8SnylPB8PwMa")
    visit(phone_page, f"/fr/help/submitted/{help_request.tracking_token}/")
    assert_no_horizontal_scrolling(phone_page)
    link = phone_page.get_by_role("link", name=help_request.tracking_token)
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360

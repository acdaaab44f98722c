"""A person asks for help on the web; the nearest volunteer takes it; the help is confirmed."""

import re

from playwright.sync_api import Page, expect

from entraide.core.vocabulary import HelpKind
from entraide.help_requests.forms import HelpRequestForm
from entraide.help_requests.models import HelpRequest, Offer, Status
from entraide.testing.factories import UserFactory, VolunteerProfileFactory
from entraide.volunteers.forms import DoneForm
from tests.browser.helpers import assert_accessible, emails_to, link_in, log_in, tr

# Where the gazetteer puts "Bruxelles"; the volunteers live around it.
TOWN = (50.85045, 4.34878)
LABELS = HelpRequestForm.base_fields


def _volunteer(email: str, *, languages: list[str], north_km: float, radius_km: int = 5):
    """Create a volunteer (verified email) living `north_km` north of the town centre."""
    user = UserFactory.create(email=email, first_name=email.split("@")[0].title(), language="fr")
    VolunteerProfileFactory(
        user=user,
        languages=languages,
        lat=TOWN[0] + north_km / 111.2,
        lon=TOWN[1],
        radius_km=radius_km,
    )
    return user


def test_it_takes_a_web_request_from_the_form_to_the_confirmed_help(
    page: Page, second_page: Page, visit, transactional_db, settings
) -> None:
    settings.PHONE_LINE = "+3225550000"
    near = _volunteer("nadia@example.org", languages=["fr"], north_km=0.4)
    far = _volunteer("fabien@example.org", languages=["fr"], north_km=5, radius_km=10)
    dutch = _volunteer("daan@example.org", languages=["nl"], north_km=0.2)

    # The requester, without an account, fills in the form in French.
    visit(page, "/fr/help/new/")
    page.get_by_label(tr("fr", HelpKind.GROCERIES.label)).check()
    page.get_by_label(tr("fr", LABELS["details"].label)).fill("Pain, lait et pommes")
    expect(page.get_by_role("checkbox", name=tr("fr", "French"))).to_be_checked()
    page.get_by_label(tr("fr", LABELS["requester_name"].label)).fill("Marie Dupont")
    page.get_by_label(tr("fr", LABELS["town"].label)).fill("Bruxelles")
    page.get_by_label(tr("fr", LABELS["requester_phone"].label)).fill("0470 12 34 56")
    page.get_by_label(tr("fr", LABELS["requester_email"].label)).fill("marie@example.org")
    page.get_by_label(tr("fr", LABELS["consent"].label)).check()
    page.get_by_role("button", name=tr("fr", "Send my request")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("fr", "Thank you, your request has been sent")
    )
    expect(page.get_by_role("link", name="+32 2 555 00 00")).to_have_attribute(
        "href", "tel:+3225550000"
    )
    assert_accessible(page)
    help_request = HelpRequest.objects.get()
    tracking_link = page.get_by_role("link", name=re.compile(help_request.tracking_token))
    expect(tracking_link).to_have_attribute(
        "href", re.compile(f"/fr/help/track/{help_request.tracking_token}/$")
    )
    assert help_request.requester_language == "fr"
    assert help_request.requester_phone == "+32470123456"

    # The first wave reaches the nearest French speaker only.
    assert list(Offer.objects.values_list("volunteer__email", "wave")) == [(near.email, 1)]
    offers = emails_to(near.email)
    assert len(offers) == 1
    assert emails_to(far.email) == [] and emails_to(dutch.email) == []
    assert emails_to("marie@example.org"), "the requester gets the tracking link by email"

    # The volunteer follows the link in the email, logs in, and takes the request.
    visit(second_page, link_in(str(offers[0].body), r"/volunteer/requests/"))
    expect(second_page).to_have_url(re.compile(r"/fr/accounts/login/\?next="))
    log_in(second_page, email=near.email)
    expect(second_page).to_have_url(re.compile(f"/fr/volunteer/requests/{help_request.public_id}/"))
    assert_accessible(second_page)
    expect(second_page.get_by_text("Marie Dupont")).to_have_count(0)
    second_page.get_by_role("button", name=tr("fr", "Take it")).click()
    expect(second_page.get_by_text("Marie Dupont")).to_be_visible()
    expect(second_page.get_by_role("link", name="+32470123456")).to_be_visible()
    assert_accessible(second_page)

    # From the dashboard, they mark it done with a short report.
    visit(second_page, "/fr/volunteer/")
    held = second_page.locator("article", has_text=help_request.reference)
    held.get_by_label(tr("fr", DoneForm.base_fields["report"].label)).fill("Courses livrées.")
    held.get_by_role("button", name=tr("fr", "Mark as done")).click()
    expect(second_page.get_by_role("status")).to_contain_text(
        tr("fr", "Thank you for your help! The request is marked done.")
    )
    assert_accessible(second_page)

    # The requester opens the tracking link and confirms.
    visit(page, f"/fr/help/track/{help_request.tracking_token}/")
    page.get_by_role("button", name=tr("fr", "I received the help")).click()
    expect(page.locator("p.lead")).to_have_text(
        tr("fr", "You confirmed that you received the help. Thank you!")
    )
    assert_accessible(page)

    help_request.refresh_from_db()
    assert help_request.status == Status.DONE
    assert help_request.taken_by == near
    assert help_request.done_report == "Courses livrées."
    assert help_request.confirmed_at is not None
    assert list(help_request.events.values_list("kind", flat=True)) == [
        "created",
        "wave_sent",
        "taken",
        "done",
        "confirmed",
    ]
    # The volunteer hears that the requester confirmed: the offer, then this message.
    assert len(emails_to(near.email)) == 2
    assert emails_to(far.email) == [] and emails_to(dutch.email) == []

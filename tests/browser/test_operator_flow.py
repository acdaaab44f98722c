"""An operator, working in Dutch, enters a caller's request by phone and assigns a volunteer."""

import re

from playwright.sync_api import Page, expect

from entraide.core.vocabulary import HelpKind
from entraide.help_requests.models import HelpRequest, Status
from entraide.notifications import delivery
from entraide.notifications.models import Notification
from entraide.operators.forms import LookupForm, QuickEntryForm
from entraide.testing.factories import UserFactory, VolunteerProfileFactory
from tests.browser.helpers import assert_accessible, emails_to, link_in, log_in, tr

# Where the gazetteer puts "Brussel"; the volunteers live around it.
TOWN = (50.85045, 4.34878)
FIELDS = QuickEntryForm.base_fields


def _volunteer(email: str, *, language: str, north_km: float, radius_km: int = 5):
    """Create a volunteer speaking one language, living `north_km` north of the centre."""
    user = UserFactory.create(
        email=email, first_name=email.split("@")[0].title(), last_name="Test", language=language
    )
    VolunteerProfileFactory(
        user=user,
        languages=[language],
        lat=TOWN[0] + north_km / 111.2,
        lon=TOWN[1],
        radius_km=radius_km,
    )
    return user


def test_it_enters_a_phone_request_in_dutch_and_assigns_a_volunteer_by_hand(
    page: Page, visit, transactional_db
) -> None:
    operator = UserFactory.create(email="olga@example.org", is_operator=True, language="nl")
    dutch = _volunteer("daan@example.org", language="nl", north_km=0.4)
    french = _volunteer("francois@example.org", language="fr", north_km=0.3)
    dutch_far = _volunteer("lotte@example.org", language="nl", north_km=6, radius_km=10)

    visit(page, "/nl/accounts/login/?next=/nl/operators/")
    log_in(page, email=operator.email, language="nl")
    expect(page).to_have_url(re.compile(r"/nl/operators/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(page)

    # Look up the caller's number: nobody knows it yet.
    page.get_by_label(tr("nl", LookupForm.base_fields["phone"].label)).fill("0470 98 76 54")
    page.get_by_role("button", name=tr("nl", "Look up")).click()
    expect(page.get_by_text(tr("nl", "First call from this number."))).to_be_visible()
    assert_accessible(page)

    # Quick entry for a Dutch-speaking caller: the number and the language are filled in.
    page.get_by_role("link", name=tr("nl", "New request for this caller")).click()
    expect(page.get_by_label(tr("nl", FIELDS["phone"].label))).to_have_value(
        re.compile(r"0470\s?98\s?76\s?54|\+32470987654")
    )
    assert_accessible(page)
    page.get_by_label(tr("nl", HelpKind.GROCERIES.label)).check()
    expect(page.get_by_role("checkbox", name=tr("nl", "Dutch"), exact=True)).to_be_checked()
    page.get_by_label(tr("nl", FIELDS["requester_name"].label)).fill("Jan Peeters")
    page.get_by_label(tr("nl", FIELDS["town"].label)).fill("Brussel")
    page.get_by_label(tr("nl", FIELDS["consent"].label)).check()
    page.get_by_role("button", name=tr("nl", "Save the request")).click()

    help_request = HelpRequest.objects.get()
    expect(page).to_have_url(re.compile(f"/nl/operators/requests/{help_request.public_id}/$"))
    expect(page.get_by_role("status")).to_contain_text(help_request.reference)
    assert_accessible(page)
    assert help_request.channel == "phone"
    assert help_request.languages == ["nl"]
    assert help_request.requester_phone == "+32470987654"
    assert help_request.created_by == operator

    # The first wave reaches the Dutch speaker nearby, in Dutch, and not the French speaker.
    assert emails_to(french.email) == [] and emails_to(dutch_far.email) == []
    (offer,) = emails_to(dutch.email)
    assert offer.extra_headers["Content-Language"] == "nl"
    assert link_in(str(offer.body), r"/volunteer/requests/").startswith("/nl/")
    notification = Notification.objects.get(recipient=dutch, template="help_request_offer")
    notification.language = "fr"
    french_subject = delivery.render(notification).subject
    assert offer.subject == delivery.render(Notification.objects.get(pk=notification.pk)).subject
    if tr("nl", "Someone near you needs help: %(kind)s in %(town)s") != (
        "Someone near you needs help: %(kind)s in %(town)s"
    ):
        # Once the Dutch catalogue is filled in, the subject reads differently in each language.
        assert offer.subject != french_subject

    # The operator reached a volunteer further away by phone and assigns the request by hand.
    row = page.get_by_role("row").filter(has_text=dutch_far.email)
    expect(page.get_by_role("row").filter(has_text=french.email)).to_have_count(0)
    row.get_by_role("button", name=re.compile(tr("nl", "Assign"))).click()
    expect(page.get_by_role("status")).to_contain_text(str(dutch_far))
    assert_accessible(page)
    help_request.refresh_from_db()
    assert help_request.status == Status.TAKEN
    assert help_request.taken_by == dutch_far
    assert list(help_request.events.values_list("kind", flat=True)) == [
        "created",
        "wave_sent",
        "assigned",
    ]
    (assigned,) = emails_to(dutch_far.email)
    assert assigned.extra_headers["Content-Language"] == "nl"

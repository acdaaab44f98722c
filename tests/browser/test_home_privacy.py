"""The pages that guard requesters' homes, as a volunteer and an operator meet them; axe clean."""

from django.test import override_settings
from playwright.sync_api import Page, expect

from entraide.testing.factories import HelpRequestFactory, UserFactory, VolunteerProfileFactory
from tests.browser.helpers import assert_accessible, log_in, log_out, tr


def test_an_unverified_volunteer_is_asked_to_confirm_their_email_first(
    page: Page, visit, transactional_db
) -> None:
    newcomer = UserFactory.create(email="noe@example.org", first_name="Noé", email_verified_at=None)
    VolunteerProfileFactory(user=newcomer, languages=["fr"])
    help_request = HelpRequestFactory.create(languages=["fr"])

    visit(page, "/fr/accounts/login/?next=/fr/volunteer/")
    log_in(page, email=newcomer.email)
    expect(page.get_by_text(tr("fr", "Confirm your email address to see requests"))).to_be_visible()
    assert_accessible(page)

    visit(page, f"/fr/volunteer/requests/{help_request.public_id}/")
    expect(page.get_by_role("button", name=tr("fr", "Send me a new link"))).to_be_visible()
    assert_accessible(page)


@override_settings(VOLUNTEER_REQUEST_VIEWS_PER_HOUR=1)
def test_too_many_requests_opened_and_who_viewed_them(page: Page, visit, transactional_db) -> None:
    volunteer = UserFactory.create(email="amelie@example.org", first_name="Amélie")
    VolunteerProfileFactory(user=volunteer, languages=["fr"])
    operator = UserFactory.create(email="olga@example.org", is_operator=True)
    first, second = HelpRequestFactory.create_batch(2, languages=["fr"])

    visit(page, "/fr/accounts/login/")
    log_in(page, email=volunteer.email)
    visit(page, f"/fr/volunteer/requests/{first.public_id}/")
    response = page.goto(page.url.replace(str(first.public_id), str(second.public_id)))
    assert response is not None and response.status == 429
    assert_accessible(page)
    log_out(page)

    visit(page, "/fr/accounts/login/")
    log_in(page, email=operator.email)
    visit(page, f"/fr/operators/requests/{first.public_id}/")
    expect(page.get_by_role("heading", name=tr("fr", "Who viewed this request"))).to_be_visible()
    expect(page.get_by_role("cell", name=f"Amélie <{volunteer.email}>")).to_be_visible()
    assert_accessible(page)

"""A volunteer gives a phone number that the operator calls; a volunteer at their limit is told."""

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from entraide.testing.factories import HelpRequestFactory, UserFactory, VolunteerProfileFactory
from entraide.volunteers.forms import ProfileForm
from tests.browser.helpers import assert_accessible, log_in, log_out, tr


def test_it_shows_the_operator_a_tel_link_to_the_number_the_volunteer_gave(
    page: Page, visit, transactional_db
) -> None:
    volunteer = UserFactory.create(email="amelie@example.org", first_name="Amélie", phone="")
    VolunteerProfileFactory(user=volunteer, languages=["fr"])
    operator = UserFactory.create(email="olga@example.org", is_operator=True)
    help_request = HelpRequestFactory.create(languages=["fr"])

    # The volunteer types her number the Belgian way on her profile.
    visit(page, "/fr/accounts/login/?next=/fr/volunteer/profile/")
    log_in(page, email=volunteer.email)
    phone_field = page.get_by_label(tr("fr", ProfileForm.base_fields["phone"].label))
    phone_field.fill("0470 12")
    page.get_by_role("button", name=tr("fr", "Save my profile")).click()
    expect(page.locator("#id_phone_errors")).to_contain_text(
        tr(
            "fr",
            "This is not a phone number we can call. Write it with its area code, "
            "for example 0470 12 34 56, or +32 470 12 34 56 from abroad.",
        )
    )
    assert_accessible(page)
    page.get_by_label(tr("fr", ProfileForm.base_fields["phone"].label)).fill("0470 12 34 56")
    page.get_by_role("button", name=tr("fr", "Save my profile")).click()
    expect(page).to_have_url(re.compile(r"/fr/volunteer/$"))
    volunteer.refresh_from_db()
    assert volunteer.phone == "+32470123456"
    log_out(page)

    # The operator opens the request and finds her among the candidates, a tap away.
    visit(page, f"/fr/accounts/login/?next=/fr/operators/requests/{help_request.public_id}/")
    log_in(page, email=operator.email)
    row = page.get_by_role("row").filter(has_text=volunteer.email)
    link = row.get_by_role("link", name=re.compile(re.escape("+32 470 12 34 56")))
    expect(link).to_have_attribute("href", "tel:+32470123456")
    expect(link).to_have_text("+32 470 12 34 56")
    assert_accessible(page)


def test_it_tells_a_volunteer_at_the_limit_before_the_click(
    page: Page, visit, transactional_db
) -> None:
    volunteer = UserFactory.create(email="amelie@example.org", first_name="Amélie")
    VolunteerProfileFactory(user=volunteer, languages=["fr"], max_open_requests=1)
    HelpRequestFactory.create(status="taken", taken_by=volunteer, taken_at=timezone.now())
    open_request = HelpRequestFactory.create(languages=["fr"])

    visit(page, f"/fr/accounts/login/?next=/fr/volunteer/requests/{open_request.public_id}/")
    log_in(page, email=volunteer.email)

    expect(page.get_by_role("note")).to_contain_text(
        tr(
            "fr",
            "To free a place, finish a request you hold or give it back, "
            "or raise your limit on your profile.",
        )
    )
    expect(page.get_by_role("button", name=tr("fr", "Take it"))).to_have_count(0)
    assert_accessible(page)

    # The notice leads to the place where the limit is changed.
    page.get_by_role("note").get_by_role("link", name=tr("fr", "Change my limit")).click()
    expect(page).to_have_url(re.compile(r"/fr/volunteer/profile/#id_max_open_requests$"))
    assert_accessible(page)

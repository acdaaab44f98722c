"""Bad input shows an error summary and field errors, keeps what was typed, and saves nothing."""

import re

from playwright.sync_api import Page, expect

from entraide.accounts.models import User
from entraide.core.vocabulary import HelpKind
from entraide.help_requests.forms import HelpRequestForm
from entraide.help_requests.models import HelpRequest
from entraide.volunteers.forms import SignUpForm
from tests.browser.helpers import assert_accessible, tr

REQUEST = HelpRequestForm.base_fields
SIGNUP = SignUpForm.base_fields


def _summary(page: Page):
    """Return the error summary at the top of the form."""
    return page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name=tr("fr", "Please correct the following:"))
    )


def test_it_lists_every_missing_answer_when_the_request_form_is_sent_empty(
    page: Page, visit, transactional_db
) -> None:
    visit(page, "/fr/help/new/")
    page.get_by_role("button", name=tr("fr", "Send my request")).click()

    summary = _summary(page)
    expect(summary).to_be_visible()
    # The keyboard starts from the summary, as on the log-in and sign-up pages.
    expect(summary).to_be_focused()
    for name in ("kind", "requester_name", "town"):
        expect(
            summary.get_by_role("link", name=re.compile(tr("fr", REQUEST[name].label)))
        ).to_be_visible()
    expect(page.locator("#kind-errors")).to_be_visible()
    expect(page.locator("#requester_name-errors")).to_be_visible()
    expect(page.locator("#town-errors")).to_be_visible()
    expect(page.get_by_label(tr("fr", REQUEST["town"].label))).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page)
    assert HelpRequest.objects.count() == 0


def test_it_keeps_what_was_typed_and_points_at_each_bad_answer_in_the_request_form(
    page: Page, visit, transactional_db
) -> None:
    visit(page, "/fr/help/new/")
    page.get_by_label(tr("fr", HelpKind.PHARMACY.label)).check()
    page.get_by_label(tr("fr", REQUEST["details"].label)).fill("Ordonnance à retirer")
    page.get_by_label(tr("fr", REQUEST["requester_name"].label)).fill("Marie Dupont")
    page.get_by_label(tr("fr", REQUEST["town"].label)).fill("Xyzzyville-sur-Nulle-Part")
    page.get_by_label(tr("fr", REQUEST["requester_phone"].label)).fill("12")
    page.get_by_role("button", name=tr("fr", "Send my request")).click()

    summary = _summary(page)
    expect(summary).to_be_visible()
    expect(summary.get_by_role("listitem")).to_have_count(3)
    for name in ("town", "requester_phone"):
        expect(page.locator(f"#{name}-errors")).to_be_visible()
        expect(page.locator(f"#id_{name}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#consent-errors")).to_be_visible()

    # Everything typed is still there.
    expect(page.get_by_label(tr("fr", HelpKind.PHARMACY.label))).to_be_checked()
    expect(page.get_by_label(tr("fr", REQUEST["details"].label))).to_have_value(
        "Ordonnance à retirer"
    )
    expect(page.get_by_label(tr("fr", REQUEST["requester_name"].label))).to_have_value(
        "Marie Dupont"
    )
    expect(page.get_by_label(tr("fr", REQUEST["town"].label))).to_have_value(
        "Xyzzyville-sur-Nulle-Part"
    )
    expect(page.get_by_label(tr("fr", REQUEST["requester_phone"].label))).to_have_value("12")
    assert_accessible(page)

    # A link in the summary takes the keyboard to the field to correct.
    summary.get_by_role("link", name=re.compile(tr("fr", REQUEST["town"].label))).click()
    expect(page.get_by_label(tr("fr", REQUEST["town"].label))).to_be_focused()
    assert HelpRequest.objects.count() == 0


def test_it_refuses_a_bad_email_on_the_sign_up_form_and_keeps_the_rest(
    page: Page, visit, transactional_db
) -> None:
    visit(page, "/fr/volunteer/signup/")
    page.get_by_label(tr("fr", SIGNUP["email"].label)).fill("pas-une-adresse")
    page.get_by_label(tr("fr", SIGNUP["password"].label), exact=True).fill("un mot de passe sûr")
    page.get_by_label(tr("fr", SIGNUP["password_confirm"].label)).fill("un mot de passe sûr")
    page.get_by_label(tr("fr", SIGNUP["first_name"].label)).fill("Nadia")
    page.get_by_label(tr("fr", SIGNUP["town"].label)).fill("Bruxelles")
    page.get_by_role("checkbox", name=tr("fr", "French"), exact=True).check()
    page.get_by_label(tr("fr", SIGNUP["consent"].label)).check()
    page.get_by_role("button", name=tr("fr", "Create my account")).click()

    summary = _summary(page)
    expect(summary).to_be_visible()
    expect(
        summary.get_by_role("link", name=re.compile(tr("fr", SIGNUP["email"].label)))
    ).to_be_visible()
    email = page.get_by_label(tr("fr", SIGNUP["email"].label))
    expect(email).to_have_value("pas-une-adresse")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(tr("fr", SIGNUP["first_name"].label))).to_have_value("Nadia")
    expect(page.get_by_label(tr("fr", SIGNUP["town"].label))).to_have_value("Bruxelles")
    expect(page.get_by_role("checkbox", name=tr("fr", "French"), exact=True)).to_be_checked()
    assert_accessible(page)
    assert User.objects.count() == 0

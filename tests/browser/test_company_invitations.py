"""A company's HR invites an employee by email; the invitee signs up from the link and joins."""

import re

from playwright.sync_api import Page, expect

from entraide.companies.forms import InviteEmployeesForm
from entraide.companies.models import CompanyProfile, Employee, EmployeeInvitation
from entraide.companies.tests.factories import CompanyFactory
from entraide.missions.tests.factories import MembershipFactory
from entraide.organisations.forms import NewAccountForm
from entraide.organisations.models import Membership
from entraide.testing.factories import UserFactory
from tests.browser.helpers import assert_accessible, emails_to, link_in, log_in, tr


def test_a_manager_invites_an_employee_who_joins_from_the_email(
    page: Page, second_page: Page, visit, transactional_db
) -> None:
    company = CompanyFactory.create(name="Acme", slug="acme")
    CompanyProfile.objects.create(organisation=company, invitation_code="acme-2020-code")
    hr = UserFactory.create(email="hugo@acme.example", first_name="Hugo", language="fr")
    MembershipFactory.create(organisation=company, user=hr, role=Membership.Role.ADMINISTRATOR)

    # HR opens the invitations page from the company's administration menu.
    visit(page, "/fr/accounts/login/?next=/fr/companies/acme/dashboard/")
    log_in(page, email=hr.email)
    page.get_by_role("link", name=tr("fr", "Invite employees")).click()
    expect(page).to_have_url(re.compile(r"/fr/companies/acme/dashboard/invitations/$"))
    assert_accessible(page)
    emails = page.get_by_label(tr("fr", InviteEmployeesForm.base_fields["emails"].label))

    # A typo is refused with its address named, and nothing is sent.
    emails.fill("lea@example.org\nmax@example")
    page.get_by_role("button", name=tr("fr", "Send the invitations")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(
        page.get_by_text("« max@example » n'est pas une adresse e-mail valide.").first
    ).to_be_visible()
    assert_accessible(page)
    assert not EmployeeInvitation.objects.exists()

    emails.fill("lea@example.org, max@example.org")
    page.get_by_role("button", name=tr("fr", "Send the invitations")).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Nous avons envoyé 2 invitations par e-mail."
    )
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)
    expect(page.get_by_role("row", name=re.compile("lea@example.org"))).to_contain_text(
        tr("fr", "Waiting for an answer")
    )
    assert_accessible(page)

    # Max will not come after all: HR cancels his invitation.
    page.get_by_role(
        "button", name=tr("fr", "Cancel the invitation to %(email)s") % {"email": "max@example.org"}
    ).click()
    expect(page.get_by_role("row", name=re.compile("max@example.org"))).to_contain_text(
        tr("fr", "Cancelled")
    )

    # Léa, who has no account yet, follows the link in her email and signs up.
    [email] = emails_to("lea@example.org")
    link = link_in(email.body, r"/companies/invitations/")
    visit(second_page, link)
    expect(second_page.get_by_role("heading", level=1)).to_have_text(
        tr("fr", "Join %(name)s") % {"name": "Acme"}
    )
    second_page.get_by_label(tr("fr", NewAccountForm.base_fields["first_name"].label)).fill("Léa")
    second_page.get_by_label(tr("fr", NewAccountForm.base_fields["password"].label)).fill(
        "une phrase de passe assez longue"
    )
    second_page.get_by_role("button", name=tr("fr", "Create my account and join")).click()
    expect(second_page).to_have_url(re.compile(r"/fr/companies/acme/me/$"))
    assert_accessible(second_page)
    assert Employee.objects.filter(company=company, user__email="lea@example.org").exists()

    # HR sees the invitation accepted; the link does not work a second time.
    page.reload()
    expect(page.get_by_role("row", name=re.compile("lea@example.org"))).to_contain_text(
        tr("fr", "Accepted")
    )
    visit(second_page, link)
    expect(second_page.get_by_role("alert")).to_have_text(
        tr("fr", "This invitation has already been used.")
    )

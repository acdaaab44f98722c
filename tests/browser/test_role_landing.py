"""Each role lands on its own home after log-in; a person with two roles switches in the header."""

import re

from playwright.sync_api import Page, expect

from entraide.accounts.models import User
from entraide.companies.tests.factories import CompanyFactory
from entraide.missions.tests.factories import MembershipFactory, OrganisationFactory
from entraide.organisations.models import Membership
from entraide.testing.factories import UserFactory, VolunteerProfileFactory
from tests.browser.helpers import assert_accessible, log_in, log_out, open_account_menu, tr


def test_it_lands_an_association_administrator_on_their_organisation_page(
    page: Page, visit, transactional_db
) -> None:
    restos = OrganisationFactory.create(name="Les Restos du Cœur", slug="restos")
    admin = UserFactory.create(email="nadia@restos.example", first_name="Nadia")
    MembershipFactory.create(organisation=restos, user=admin, role=Membership.Role.ADMINISTRATOR)

    visit(page, "/fr/accounts/login/")
    log_in(page, email=admin.email)

    expect(page).to_have_url(re.compile(r"/fr/organisations/restos/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Les Restos du Cœur")
    # One role: "My space" leads home, and there is nothing to switch.
    open_account_menu(page)
    expect(page.get_by_role("link", name=tr("fr", "My space"))).to_be_visible()
    expect(page.get_by_text(tr("fr", "Role:"))).to_have_count(0)
    assert_accessible(page)


def test_it_switches_a_volunteer_and_company_manager_to_the_company_dashboard(
    page: Page, visit, transactional_db
) -> None:
    acme = CompanyFactory.create(name="Acme", slug="acme")
    karim = UserFactory.create(email="karim@acme.example", first_name="Karim")
    VolunteerProfileFactory.create(user=karim)
    MembershipFactory.create(organisation=acme, user=karim, role=Membership.Role.ADMINISTRATOR)
    # He chose the volunteer's home last time.
    User.objects.filter(pk=karim.pk).update(preferred_role="volunteer")

    visit(page, "/fr/accounts/login/")
    log_in(page, email=karim.email)
    expect(page).to_have_url(re.compile(r"/fr/volunteer/$"))
    assert_accessible(page)

    open_account_menu(page)
    current = page.get_by_role("button", name=tr("fr", "Volunteer"), exact=True)
    expect(current).to_have_attribute("aria-current", "true")
    assert_accessible(page)
    page.get_by_role("button", name=tr("fr", "Company manager")).click()

    expect(page).to_have_url(re.compile(r"/fr/companies/acme/dashboard/$"))
    open_account_menu(page)
    expect(page.get_by_role("button", name=tr("fr", "Company manager"))).to_have_attribute(
        "aria-current", "true"
    )
    assert_accessible(page)

    # The choice is kept: next time he logs in, he lands on the company's dashboard.
    log_out(page)
    visit(page, "/fr/accounts/login/")
    log_in(page, email=karim.email)
    expect(page).to_have_url(re.compile(r"/fr/companies/acme/dashboard/$"))

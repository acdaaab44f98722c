"""Fund staff record a contribution (after a refused amount); the public page shows it and
names no individual who did not agree; axe is clean on each page."""

import re

import pytest
from playwright.sync_api import Page, expect

from entraide.money import services
from entraide.money.forms import ContributionForm
from entraide.money.models import Contribution, Fund
from entraide.testing.factories import UserFactory
from tests.browser.helpers import assert_accessible, log_in, tr

pytestmark = pytest.mark.browser
FIELDS = ContributionForm.base_fields


def test_fund_staff_record_a_contribution_and_the_public_sees_it(
    page: Page, visit, transactional_db
) -> None:
    staff = UserFactory.create(email="stan@example.org", is_staff=True)
    fiona = UserFactory.create(email="fiona@example.org", language="fr")
    fund = services.fund_save(
        fund=Fund(
            name="Fonds des artisans",
            slug="artisans",
            purpose="Aider les artisans en difficulté.",
            eligibility="Les artisans indépendants.",
        ),
        actor=staff,
    )
    fund.managers.add(fiona)

    path = f"/fr/funds/{fund.slug}/staff/"
    visit(page, path, check=False)
    log_in(page, email=fiona.email, language="fr")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert_accessible(page)

    page.get_by_label(tr("fr", FIELDS["contributor_kind"].label)).select_option("individual")
    page.get_by_label(tr("fr", FIELDS["contributor_name"].label)).fill("Jeanne Martin")
    page.get_by_label(tr("fr", FIELDS["amount"].label)).fill("12,345")
    page.get_by_role("button", name=tr("fr", "Record this contribution")).click()
    # A fraction of a cent: refused on the form, in the error summary, nothing saved.
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#amount-errors")).to_be_visible()
    expect(page.locator(".errorlist")).to_have_count(1)
    assert_accessible(page)
    assert not Contribution.objects.exists()

    page.get_by_label(tr("fr", FIELDS["amount"].label)).fill("1 250,50")
    page.get_by_role("button", name=tr("fr", "Record this contribution")).click()
    expect(page.get_by_text(tr("fr", "Contribution recorded."))).to_be_visible()
    assert Contribution.objects.get().amount_cents == 125_050

    page.get_by_role("link", name=tr("fr", "The fund's public page")).click()
    expect(page.get_by_role("heading", name="Fonds des artisans")).to_be_visible()
    expect(page.get_by_role("cell", name=tr("fr", "An individual"))).to_be_visible()
    expect(page.get_by_text("Jeanne Martin")).to_have_count(0)
    assert_accessible(page)

    visit(page, "/fr/funds/")
    expect(page.get_by_role("link", name="Fonds des artisans")).to_be_visible()

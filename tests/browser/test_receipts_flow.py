"""An association sets up its receipts, issues one for received bread; the shop downloads it."""

import re
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.receipts.forms import IssuerProfileForm
from entraide.receipts.models import Receipt, Regime
from entraide.receipts.tests.helpers import received_pickup
from entraide.testing.factories import UserFactory
from tests.browser.helpers import assert_accessible, log_in, tr

pytestmark = pytest.mark.browser
PROFILE = IssuerProfileForm.base_fields


@pytest.fixture(autouse=True)
def categories(transactional_db) -> None:
    """Seed the category catalogue again: a transactional test empties every table after it."""
    import_module("entraide.goods.migrations.0002_seed_categories").seed(apps, None)


def _organisation(name: str, kind: str, admin, country: str) -> Organisation:
    territory = TerritoryFactory(name=f"Territory of {name}", country=country)
    organisation = OrganisationFactory.create(
        name=name, kind=kind, territory=territory, status="verified", country=country
    )
    MembershipFactory(organisation=organisation, user=admin, role=Membership.Role.ADMINISTRATOR)
    return organisation


def test_an_association_issues_a_receipt_and_the_donor_downloads_it(
    page: Page, second_page: Page, visit, transactional_db
) -> None:
    pierre = UserFactory.create(email="pierre@example.org", language="fr")
    sam = UserFactory.create(email="sam@example.org", language="fr")
    paris = _organisation("Paris Solidarité", "association", pierre, "FR")
    shop = _organisation("Boulangerie Oberkampf", "company", sam, "FR")
    now = timezone.now()
    window = (now + timedelta(hours=1), now + timedelta(hours=5))
    received_pickup(shop, sam, paris, pierre, window, kg="40", taken="40", value_cents=8000)

    # The association says what its receipts state (French, general interest).
    path = f"/fr/receipts/{paris.slug}/"
    visit(page, path, check=False)
    log_in(page, email=pierre.email, language="fr")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert_accessible(page)
    page.get_by_role("link", name=tr("fr", "Set up receipts")).click()
    for name, value in (
        ("legal_name", "Paris Solidarité"),
        ("address", "12 rue Oberkampf"),
        ("postcode", "75011"),
        ("town", "Paris"),
        ("registration_number", "12345"),
        ("purpose", "Aide alimentaire"),
        ("signatory_name", "Paul Martin"),
        ("signatory_role", "Trésorier"),
    ):
        page.get_by_label(tr("fr", PROFILE[name].label)).fill(value)
    page.get_by_label(tr("fr", PROFILE["country"].label)).select_option("FR")
    page.get_by_label(tr("fr", PROFILE["regime"].label)).select_option(
        Regime.FR_GENERAL_INTEREST.value
    )
    page.get_by_role("button", name=tr("fr", "Save")).click()
    # A SIREN has nine digits: explained, nothing saved.
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(tr("fr", PROFILE["registration_number"].label)).fill("732 829 320")
    page.get_by_role("button", name=tr("fr", "Save")).click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))

    # It issues the receipt of the received bread.
    page.get_by_role("button", name=tr("fr", "Issue the receipt")).click()
    receipt = Receipt.objects.get()
    expect(page.get_by_role("link", name=receipt.reference)).to_be_visible()
    assert_accessible(page)
    assert receipt.value_cents == 8000 and receipt.tax_article == "238 bis"

    # The shop finds it among its gifts and downloads the PDF.
    gifts = f"/fr/receipts/{shop.slug}/gifts/"
    visit(second_page, gifts, check=False)
    log_in(second_page, email=sam.email, language="fr")
    expect(second_page).to_have_url(re.compile(re.escape(gifts) + "$"))
    assert_accessible(second_page)
    link = tr("fr", "Download %(number)s") % {"number": receipt.reference}
    with second_page.expect_download() as download:
        second_page.get_by_role("link", name=link).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    statement = tr("fr", "Statement %(y)s") % {"y": timezone.localdate().year}
    second_page.get_by_role("link", name=statement).click()
    assert_accessible(second_page)
    expect(second_page.get_by_text(receipt.reference)).to_be_visible()

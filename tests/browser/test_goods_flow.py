"""A shop offers surplus bread; an association takes part; a volunteer drives it; meals count."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from entraide.goods.forms import AcceptForm, LotForm, NeedForm, PickupForm
from entraide.goods.models import Lot, Offer, OfferStatus, Pickup, PickupMode, PickupStatus
from entraide.goods.tests.factories import category
from entraide.help_requests.models import HelpRequest
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.testing.factories import BRUSSELS, UserFactory, VolunteerProfileFactory
from tests.browser.helpers import assert_accessible, log_in, tr

LOT = LotForm.base_fields
NEED = NeedForm.base_fields
PLAN = PickupForm.base_fields


@pytest.fixture(autouse=True)
def categories(transactional_db) -> None:
    """Seed the category catalogue again: a transactional test empties every table after it."""
    import_module("entraide.goods.migrations.0002_seed_categories").seed(apps, None)


def _organisation(name: str, kind: str, admin, territory, north_km: float) -> Organisation:
    organisation = OrganisationFactory.create(
        name=name,
        kind=kind,
        territory=territory,
        status=Organisation.Status.VERIFIED,
        lat=BRUSSELS[0] + north_km / 111.2,
        lon=BRUSSELS[1],
        town="Bruxelles",
        postcode="1000",
    )
    MembershipFactory(organisation=organisation, user=admin, role=Membership.Role.ADMINISTRATOR)
    return organisation


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _sign_in(page: Page, visit, path: str, email: str, language: str) -> None:
    visit(page, path, check=False)
    log_in(page, email=email, language=language)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert_accessible(page)


def test_surplus_goes_from_a_shop_to_meals_on_the_association_dashboard(
    browser: Browser, page: Page, second_page: Page, visit, transactional_db
) -> None:
    territory = TerritoryFactory(name="Bruxelles-Capitale", time_zone="Europe/Brussels")
    sam = UserFactory.create(email="sam@example.org", language="fr")
    alice = UserFactory.create(email="alice@example.org", language="en")
    driver = UserFactory.create(email="dora@example.org", first_name="Dora", language="nl")
    VolunteerProfileFactory.create(
        user=driver, languages=["fr", "nl"], lat=BRUSSELS[0], lon=BRUSSELS[1]
    )
    shop = _organisation("Boulangerie du Sablon", "company", sam, territory, 0)
    restos = _organisation("Les Restos du Quartier", "association", alice, territory, 1)
    start = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)

    # The association asks for bread (English).
    _sign_in(second_page, visit, f"/en/goods/{restos.slug}/needs/new/", alice.email, "en")
    second_page.get_by_label(tr("en", NEED["category"].label)).select_option(
        label=str(category("bakery").name_en)
    )
    second_page.get_by_label(tr("en", NEED["kg"].label)).fill("25")
    second_page.get_by_label(tr("en", NEED["by_date"].label)).fill(
        (timezone.localdate() + timedelta(days=3)).isoformat()
    )
    second_page.get_by_role("button", name=tr("en", "Save the need")).click()
    expect(second_page).to_have_url(re.compile(f"/en/goods/{restos.slug}/$"))
    assert_accessible(second_page)

    # The shop offers 40 kg of bread (French); a wrong weight is explained first.
    _sign_in(page, visit, f"/fr/goods/{shop.slug}/lots/new/", sam.email, "fr")
    page.get_by_label(tr("fr", LOT["category"].label)).select_option(
        label=str(category("bakery").name_fr)
    )
    page.get_by_label(tr("fr", LOT["weight_kg"].label)).fill("quarante")
    page.get_by_label(tr("fr", LOT["window_start"].label)).fill(_local(start))
    page.get_by_label(tr("fr", LOT["window_end"].label)).fill(_local(start + timedelta(hours=3)))
    page.get_by_role("button", name=tr("fr", "Offer this lot")).click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    assert not Lot.objects.exists()
    page.get_by_label(tr("fr", LOT["weight_kg"].label)).fill("40")
    page.get_by_label(tr("fr", LOT["window_start"].label)).fill(_local(start))
    page.get_by_label(tr("fr", LOT["window_end"].label)).fill(_local(start + timedelta(hours=3)))
    page.get_by_role("button", name=tr("fr", "Offer this lot")).click()
    expect(page).to_have_url(re.compile(f"/fr/goods/{shop.slug}/lots/$"))
    assert_accessible(page)
    offer = Offer.objects.get()
    assert offer.kg_proposed == 25

    # The association takes 20 of the 25 kg proposed and asks for a volunteer driver.
    visit(second_page, f"/en/goods/{restos.slug}/")
    kg = second_page.get_by_label(str(AcceptForm(offer=offer).fields["kg"].label))
    expect(kg).to_have_attribute("max", "25")
    kg.fill("20")
    second_page.get_by_role("button", name=tr("en", "Accept")).click()
    expect(
        second_page.get_by_role("heading", name=tr("en", "Accepted goods to collect"))
    ).to_be_visible()
    assert_accessible(second_page)
    offer.refresh_from_db()
    assert (offer.status, offer.kg_accepted) == (OfferStatus.PARTIAL, 20)
    second_page.get_by_label(tr("en", PLAN["starts_at"].label)).fill(_local(start))
    second_page.get_by_label(tr("en", PLAN["ends_at"].label)).fill(
        _local(start + timedelta(hours=1))
    )
    second_page.get_by_label(tr("en", PickupMode.DRIVER.label)).check()
    second_page.get_by_role("button", name=tr("en", "Plan the pickup")).click()
    expect(second_page.get_by_text(tr("en", "Pickup planned."))).to_be_visible()
    assert_accessible(second_page)
    pickup = Pickup.objects.get()
    assert pickup.transport_request_id is not None
    transport = HelpRequest.objects.get(public_id=pickup.transport_request_id)
    assert transport.kind == "transport"

    # A volunteer driver takes the transport request (Dutch).
    driver_page = browser.new_page()
    try:
        _sign_in(
            driver_page, visit, f"/nl/volunteer/requests/{transport.public_id}/", driver.email, "nl"
        )
        driver_page.get_by_role("button", name=tr("nl", "Take it")).click()
        expect(driver_page.get_by_text("Les Restos du Quartier").first).to_be_visible()
        assert_accessible(driver_page)
    finally:
        driver_page.close()
    transport.refresh_from_db()
    assert transport.taken_by == driver

    # The association records the 20 kg weighed and confirms receipt; the meals are counted.
    visit(second_page, f"/en/goods/pickups/{pickup.pk}/")
    second_page.get_by_role("button", name=tr("en", "Record the pickup")).click()
    second_page.get_by_role("button", name=tr("en", "Confirm the goods were received")).click()
    expect(
        second_page.get_by_text(tr("en", "Receipt confirmed: the meals are counted."))
    ).to_be_visible()
    assert Pickup.objects.get().status == PickupStatus.RECEIVED
    visit(second_page, f"/en/goods/{restos.slug}/dashboard/")
    expect(second_page.locator(".card", has_text=tr("en", "meal equivalents"))).to_contain_text(
        "40"
    )
    expect(second_page.get_by_role("img", name=tr("en", "Kilograms per category"))).to_be_visible()


def test_an_operator_offers_a_lot_for_a_calling_shop(page: Page, visit, transactional_db) -> None:
    territory = TerritoryFactory(name="Bruxelles-Capitale", time_zone="Europe/Brussels")
    sam = UserFactory.create(email="sam@example.org")
    olga = UserFactory.create(email="olga@example.org", is_operator=True, language="nl")
    shop = _organisation("Boulangerie du Sablon", "company", sam, territory, 0)
    start = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)

    _sign_in(page, visit, "/nl/operators/goods/", olga.email, "nl")
    page.get_by_label(tr("nl", "Name of the organisation")).fill("Sablon")
    page.get_by_role("button", name=tr("nl", "Search")).click()
    page.get_by_role(
        "link", name=tr("nl", "Offer a lot for %(name)s") % {"name": shop.name}
    ).click()
    assert_accessible(page)
    page.get_by_label(tr("nl", LOT["category"].label)).select_option(
        label=str(category("bakery").name_nl)
    )
    page.get_by_label(tr("nl", LOT["weight_band"].label)).select_option("20_50")
    page.get_by_label(tr("nl", LOT["window_start"].label)).fill(_local(start))
    page.get_by_label(tr("nl", LOT["window_end"].label)).fill(_local(start + timedelta(hours=2)))
    page.get_by_role("button", name=tr("nl", "Save")).click()
    expect(page).to_have_url(re.compile("/nl/operators/goods/$"))
    expect(page.get_by_role("cell", name="Boulangerie du Sablon")).to_be_visible()
    assert_accessible(page)
    lot = Lot.objects.get()
    assert (lot.channel, lot.weight_estimated, lot.created_by) == ("phone", True, olga)

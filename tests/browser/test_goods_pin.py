"""A shop corrects where its lot is collected by moving the map's pin with the keyboard."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from entraide.goods.forms import LotForm
from entraide.goods.models import Lot
from entraide.goods.tests.factories import category
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import BRUSSELS, UserFactory
from tests.browser.helpers import assert_accessible, log_in, tr

LOT = LotForm.base_fields


@pytest.fixture(autouse=True)
def categories(transactional_db) -> None:
    """Seed the category catalogue again: a transactional test empties every table after it."""
    import_module("entraide.goods.migrations.0002_seed_categories").seed(apps, None)


def test_a_shop_moves_the_pin_with_the_arrow_keys_and_the_lot_is_there(
    page: Page, visit, live_server, settings, transactional_db
) -> None:
    settings.MAP_TILE_URL = ""
    sam = UserFactory.create(email="sam@example.org", language="en")
    shop = OrganisationFactory.create(
        name="Boulangerie du Sablon",
        kind="company",
        status=Organisation.Status.VERIFIED,
        lat=BRUSSELS[0],
        lon=BRUSSELS[1],
        town="Bruxelles",
        postcode="1000",
    )
    MembershipFactory(organisation=shop, user=sam, role=Membership.Role.ADMINISTRATOR)
    path = f"/en/goods/{shop.slug}/lots/new/"
    visit(page, path, check=False)
    log_in(page, email=sam.email, language="en")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))

    # The pin starts at the shop's address; the arrow keys move it east and south.
    pin = page.locator(
        '.leaflet-marker-icon[title="Map: the pin shows where the goods are collected"]'
    )
    expect(pin).to_be_visible()
    assert_accessible(page)
    pin.focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    lat, lon = (
        float(page.locator("#id_lat").input_value()),
        float(page.locator("#id_lon").input_value()),
    )
    assert lon > BRUSSELS[1] and lat < BRUSSELS[0]

    start = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    local = lambda moment: timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    page.get_by_label(tr("en", LOT["category"].label)).select_option(
        label=str(category("bakery").name_en)
    )
    page.get_by_label(tr("en", LOT["weight_kg"].label)).fill("12")
    page.get_by_label(tr("en", LOT["window_start"].label)).fill(local(start))
    page.get_by_label(tr("en", LOT["window_end"].label)).fill(local(start + timedelta(hours=2)))
    page.get_by_role("button", name=tr("en", "Offer this lot")).click()
    expect(page).to_have_url(re.compile(f"/en/goods/{shop.slug}/lots/$"))
    assert_accessible(page)

    lot = Lot.objects.get()
    assert (round(lot.lat or 0, 6), round(lot.lon or 0, 6)) == (round(lat, 6), round(lon, 6))
    assert lot.town == "Bruxelles"


def test_the_help_form_shares_the_pin_script_and_shows_it_once_the_town_is_found(
    page: Page, visit, settings, transactional_db
) -> None:
    settings.MAP_TILE_URL = ""
    visit(page, "/en/help/new/")
    expect(page.locator("#pin-section")).to_be_hidden()

    page.locator("#id_town").fill("Bruxelles")
    page.locator("#id_town").press("Tab")

    expect(page.locator('.leaflet-marker-icon[title="Your home"]')).to_be_visible()
    assert_accessible(page)

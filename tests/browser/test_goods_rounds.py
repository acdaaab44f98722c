"""An association plans a collection round from two accepted offers and opens its sheet."""

import json
import re
from datetime import datetime, time, timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from entraide.goods import services
from entraide.goods.forms import RoundForm
from entraide.goods.models import CollectionRound
from entraide.goods.tests.helpers import declare, offer_for
from entraide.organisations.tests.factories import TerritoryFactory
from entraide.testing.factories import UserFactory
from tests.browser.helpers import assert_accessible, log_in, tr
from tests.browser.test_goods_flow import _organisation

ROUND = RoundForm.base_fields


def test_an_association_plans_a_round_and_opens_its_printable_sheet(
    page: Page, visit, transactional_db
) -> None:
    import_module("entraide.goods.migrations.0002_seed_categories").seed(apps, None)
    territory = TerritoryFactory(name="Bruxelles-Capitale", time_zone="Europe/Brussels")
    alice = UserFactory.create(email="alice@example.org", language="en")
    restos = _organisation("Les Restos du Quartier", "association", alice, territory, 1)
    day = timezone.localdate() + timedelta(days=1)
    window = (
        timezone.make_aware(datetime.combine(day, time(9))),
        timezone.make_aware(datetime.combine(day, time(17))),
    )
    for name, km in (("Fournil du Nord", 6), ("Épicerie Près", 2)):
        admin = UserFactory.create()
        shop = _organisation(name, "company", admin, territory, km)
        offer = offer_for(declare(shop, admin, window, lat=shop.lat, lon=shop.lon), restos, kg=40)
        services.offer_accept(offer=offer, actor=alice, channel="web")

    visit(page, f"/en/goods/{restos.slug}/", check=False)
    log_in(page, email=alice.email, language="en")
    page.get_by_role("link", name=tr("en", "Plan a collection round for several donors")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("en", "Plan a collection round"))
    assert_accessible(page)
    page.get_by_label(re.compile("Fournil du Nord")).check()
    page.get_by_label(re.compile("Épicerie Près")).check()
    page.get_by_label(tr("en", ROUND["day"].label)).fill(day.isoformat())
    page.get_by_label(tr("en", ROUND["leaves"].label)).fill("09:00")
    page.get_by_label(tr("en", ROUND["back_by"].label)).fill("17:00")
    page.get_by_label(tr("en", ROUND["vehicle"].label), exact=True).fill("Van")
    page.get_by_role("button", name=tr("en", "Plan the round")).click()

    collection_round = CollectionRound.objects.get()
    expect(page).to_have_url(re.compile(rf"/goods/rounds/{collection_round.pk}/$"))
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    # The nearer donor first: the association is 1 km north, the shops 2 and 6 km.
    expect(rows.nth(0)).to_contain_text("Épicerie Près")
    expect(rows.nth(1)).to_contain_text("Fournil du Nord")
    markers = json.loads(page.locator("#round-map-data").text_content() or "[]")
    assert [m["label"] for m in markers] == ["1. Épicerie Près", "2. Fournil du Nord"]
    expect(page.locator(".map.leaflet-container")).to_be_visible()
    # Each stop is drawn with its number, as on the sheet.
    stops = page.locator(".map .map-stop")
    expect(stops).to_have_text(["1", "2"])
    expect(stops.nth(0)).to_have_attribute("title", "1. Épicerie Près")
    assert_accessible(page)

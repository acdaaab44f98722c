"""The goods pages read as many rows as they show in a fixed number of queries (no N+1).

Each page is read once with 3 lots (each with a photo and offers in every state, a pickup
planned, one collected and received, and one pickup gathering several offers), then again
with 30: the number of queries must not change.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entraide.accounts.models import User
from entraide.goods import services
from entraide.goods.models import Offer, Pickup
from entraide.goods.tests.helpers import declare, offer_for
from entraide.goods.tests.photos import upload
from entraide.organisations.models import Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@dataclass
class World:
    shop: Organisation
    sam: User
    restos: Organisation
    alice: User
    window: tuple[Any, Any]


def _accepted(lot: Any, world: World) -> Offer:
    offer = offer_for(lot, world.restos, kg=5)
    return services.offer_accept(offer=offer, actor=world.alice, channel="web", kg=5)


def _grow(world: World, lots: int) -> Pickup:
    """Add lots in every state; return a pickup gathering one offer of each new lot."""
    gathered = []
    for _ in range(lots):
        lot = declare(world.shop, world.sam, world.window, kg="30")
        services.lot_photo_add(lot=lot, upload=upload(), actor=world.sam, channel="web")
        offer_for(lot, world.restos, kg=5)  # waiting for an answer
        _accepted(lot, world)  # to plan
        planned = services.pickup_plan(
            offers=[_accepted(lot, world)],
            starts_at=world.window[0],
            ends_at=world.window[1],
            mode="self",
            actor=world.alice,
            channel="web",
        )
        services.pickup_record(
            pickup=planned, collected={"dry_food": 5}, actor=world.alice, channel="web"
        )
        services.pickup_confirm_receipt(pickup=planned, actor=world.alice, channel="web")
        gathered.append(_accepted(lot, world))
    return services.pickup_plan(
        offers=gathered,
        starts_at=world.window[0],
        ends_at=world.window[1],
        mode="self",
        actor=world.alice,
        channel="web",
    )


def _counts(client: Any, world: World, pickup: Pickup) -> dict[str, int]:
    """Return the number of queries each goods page runs, for its reader."""
    pages = {
        "lots": (world.sam, reverse("goods:lots", args=[world.shop.slug])),
        "near": (world.alice, reverse("goods:near", args=[world.restos.slug]) + "?radius=50"),
        "association": (world.alice, reverse("goods:association", args=[world.restos.slug])),
        "dashboard": (world.alice, reverse("goods:dashboard", args=[world.restos.slug])),
        "pickup": (world.alice, reverse("goods:pickup", args=[pickup.pk])),
    }
    counts = {}
    for name, (reader, url) in pages.items():
        client.force_login(reader)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_the_goods_pages_run_as_many_queries_for_30_lots_as_for_3(
    client, shop, sam, restos, alice, window
):
    world = World(shop=shop, sam=sam, restos=restos, alice=alice, window=window)
    small = _counts(client, world, _grow(world, 3))

    large = _counts(client, world, _grow(world, 27))

    assert large == small
    # The pages show what they were given: the 30 lots, their photos, the offers.
    page = client.get(reverse("goods:association", args=[restos.slug])).content.decode()
    assert page.count("goods/photos/") >= 30

"""The map pin on the lot and need forms: a moved pin wins over the address; a bad one is told."""

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.goods.models import Lot, Need
from entraide.goods.tests.factories import category
from entraide.goods.tests.test_pages import _lot_post

pytestmark = pytest.mark.django_db

# Ixelles, south of the shop (the tests' shop is at the centre of Brussels).
PIN = ("50.8333", "4.3667")


def _need_post(**changes: str) -> dict[str, str]:
    data = {
        "category": str(category("dry_food").pk),
        "kg": "20",
        "by_date": (timezone.localdate()).isoformat(),
        "radius_km": "10",
    }
    data.update(changes)
    return data


def test_the_lot_form_puts_the_pin_at_the_organisation(client, shop, sam):
    client.force_login(sam)

    # In French too, where 50.85 would be written 50,85: the script reads a dot.
    page = client.get(f"/fr/goods/{shop.slug}/lots/new/").content.decode()

    assert 'id="pin-map"' in page and f'data-lat="{shop.lat}"' in page
    assert 'data-lat-input="id_lat"' in page and 'type="hidden" name="lat"' in page


@pytest.mark.parametrize("town", ["", "Liège"])
def test_a_moved_pin_wins_over_the_address(client, shop, sam, window, town):
    client.force_login(sam)

    response = client.post(
        reverse("goods:lot_create", args=[shop.slug]),
        _lot_post(window, town=town, lat=PIN[0], lon=PIN[1]),
    )

    assert response.status_code == 302
    lot = Lot.objects.get()
    assert (lot.lat, lot.lon) == (float(PIN[0]), float(PIN[1]))
    assert lot.cell is not None
    # Without a town typed, the lot keeps the shop's address for people to read.
    assert lot.town == (town or shop.town)


@pytest.mark.parametrize(
    "pin",
    [
        ("95", "4.35"),
        ("50.85", "-181"),
        ("north", "4.35"),
        ("50.85", ""),
        ("nan", "4.35"),
        ("inf", "4.35"),
    ],
)
def test_a_pin_off_the_map_is_refused_clearly(client, shop, sam, window, pin):
    client.force_login(sam)

    response = client.post(
        reverse("goods:lot_create", args=[shop.slug]), _lot_post(window, lat=pin[0], lon=pin[1])
    )

    assert response.status_code == 200
    assert response.context["form"].errors["town"] == [
        "The pin is not on the map: move it again, or give the town only."
    ]
    assert 'href="#id_town"' in response.content.decode()
    assert not Lot.objects.exists()


def test_without_the_pin_the_address_is_geocoded_as_before(client, shop, sam, window):
    client.force_login(sam)

    client.post(reverse("goods:lot_create", args=[shop.slug]), _lot_post(window, town="Liège"))

    lot = Lot.objects.get()
    assert lot.town == "Liège" and abs((lot.lat or 0) - 50.63) < 0.1


def test_the_need_form_takes_the_pin_too(client, restos, alice):
    client.force_login(alice)

    page = client.get(reverse("goods:need_create", args=[restos.slug])).content.decode()
    client.post(
        reverse("goods:need_create", args=[restos.slug]), _need_post(lat=PIN[0], lon=PIN[1])
    )
    refused = client.post(
        reverse("goods:need_create", args=[restos.slug]), _need_post(lat="-91", lon="4")
    )

    assert 'id="pin-map"' in page
    need = Need.objects.get()
    assert (need.lat, need.lon, need.town) == (float(PIN[0]), float(PIN[1]), restos.town)
    assert "The pin is not on the map" in refused.context["form"].errors["town"][0]


def test_an_operator_places_the_pin_for_a_caller(client, shop, olga, window):
    client.force_login(olga)
    url = reverse("operators:goods_lot", args=[shop.slug])

    page = client.get(url).content.decode()
    client.post(url, _lot_post(window, lat=PIN[0], lon=PIN[1]))

    assert 'id="pin-map"' in page
    lot = Lot.objects.get()
    assert (lot.lat, lot.channel) == (float(PIN[0]), "phone")

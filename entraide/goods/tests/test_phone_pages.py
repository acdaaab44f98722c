"""Phone parity for goods: an operator offers a lot or enters a need for a caller."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.goods.models import Lot, Need
from entraide.goods.tests.factories import category

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_operator_finds_the_caller_and_offers_its_lot(client, olga, shop, window):
    client.force_login(olga)
    found = client.get(reverse("operators:goods_phone"), {"q": "sablon"}).content.decode()
    assert reverse("operators:goods_lot", args=[shop.slug]) in found
    response = client.post(
        reverse("operators:goods_lot", args=[shop.slug]),
        {
            "category": str(category("dry_food").pk),
            "unit": "kg",
            "weight_kg": "18",
            "window_start": _local(window[0]),
            "window_end": _local(window[1]),
        },
    )
    assert response.status_code == 302
    lot = Lot.objects.get()
    assert (lot.channel, lot.donor_organisation, lot.created_by) == ("phone", shop, olga)
    follow_up = client.get(reverse("operators:goods_phone")).content.decode()
    assert "Boulangerie du Sablon" in follow_up and "18" in follow_up


def test_an_operator_enters_a_need_and_bad_input_is_explained(client, olga, restos):
    client.force_login(olga)
    url = reverse("operators:goods_need", args=[restos.slug])
    refused = client.post(url, {"category": str(category("dry_food").pk), "kg": "0"})
    assert refused.status_code == 200
    assert "greater than or equal to 1" in refused.content.decode()
    assert not Need.objects.exists()
    client.post(
        url,
        {
            "category": str(category("dry_food").pk),
            "kg": "30",
            "by_date": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "radius_km": "10",
        },
    )
    assert Need.objects.get().channel == "phone"


def test_only_operators_use_the_goods_phone_pages(client, alice, restos):
    client.force_login(alice)
    assert client.get(reverse("operators:goods_phone")).status_code == 403
    assert client.get(reverse("operators:goods_need", args=[restos.slug])).status_code == 403


def test_the_console_lists_the_rounds_to_drive_and_flags_one_without_driver(
    client, olga, brussels, restos, alice, window
):
    from entraide.goods import services
    from entraide.goods.tests.test_rounds import _donor_offer

    offers = [
        _donor_offer(brussels, restos, alice, window, name=name, north_km=km)
        for name, km in (("Far", 6), ("Near", 2))
    ]
    services.round_plan(
        organisation=restos,
        offers=offers,
        starts_at=window[0],
        ends_at=window[1],
        vehicle="Kangoo",
        actor=alice,
        channel="web",
    )
    client.force_login(olga)

    page = client.get(reverse("operators:goods_phone")).content.decode()

    section = page[page.index("Collection rounds to drive") :]
    assert "Les Restos du Quartier" in section and "Kangoo" in section
    assert '<td data-label="Stops">2</td>' in section
    assert "No driver yet" in section
    assert reverse("goods:round", args=[restos.goods_rounds.get().pk]) in section

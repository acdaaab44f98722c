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

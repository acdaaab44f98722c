"""The goods pages: donors offer lots, associations answer, collect and count meals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.goods.models import Lot, LotSeries, Need, Offer, OfferStatus, Pickup, PickupStatus
from entraide.goods.tests.factories import category
from entraide.goods.tests.helpers import declare, offer_for

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    """Return a moment as a datetime-local input types it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _lot_post(window, **changes) -> dict[str, str]:
    data = {
        "category": str(category("dry_food").pk),
        "description": "Pâtes",
        "unit": "kg",
        "weight_kg": "40,5",
        "divisible": "on",
        "window_start": _local(window[0]),
        "window_end": _local(window[1]),
    }
    data.update(changes)
    return data


def test_a_shop_offers_a_lot_at_its_own_address(client, shop, sam, window):
    client.force_login(sam)
    response = client.post(reverse("goods:lot_create", args=[shop.slug]), _lot_post(window))
    assert response.status_code == 302
    lot = Lot.objects.get()
    assert (lot.weight_kg, lot.weight_estimated, lot.town) == (Decimal("40.5"), False, "Bruxelles")
    assert lot.channel == "web"
    page = client.get(reverse("goods:lots", args=[shop.slug]))
    assert "Pâtes" in page.content.decode()


def test_a_band_marks_the_weight_estimated(client, shop, sam, window):
    client.force_login(sam)
    client.post(
        reverse("goods:lot_create", args=[shop.slug]),
        _lot_post(window, weight_kg="", weight_band="20_50"),
    )
    lot = Lot.objects.get()
    assert (lot.weight_kg, lot.weight_estimated) == (Decimal("35"), True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_kg": ""}, "Give the weight, or choose a band"),
        ({"weight_kg": "douze"}, "Enter a number"),
        ({"window_start": "demain"}, "Enter a valid date/time"),
        ({"category": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_lots_get_a_clear_error_and_nothing_saved(client, shop, sam, window, changes, message):
    client.force_login(sam)
    response = client.post(
        reverse("goods:lot_create", args=[shop.slug]), _lot_post(window, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Lot.objects.exists()


def test_a_lot_past_its_use_by_date_is_refused(client, shop, sam, window):
    client.force_login(sam)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("goods:lot_create", args=[shop.slug]),
        _lot_post(window, use_by=yesterday.isoformat()),
    )
    assert "past its use-by date" in response.content.decode()
    assert not Lot.objects.exists()


def test_every_week_starts_a_series(client, shop, sam, window):
    client.force_login(sam)
    response = client.post(
        reverse("goods:lot_create", args=[shop.slug]), _lot_post(window, every_week="on")
    )
    assert response.status_code == 302
    series = LotSeries.objects.get()
    assert series.weekdays == [timezone.localtime(window[0]).weekday()]


def test_only_members_see_an_organisations_pages(client, shop, eve):
    client.force_login(eve)
    assert client.get(reverse("goods:lot_create", args=[shop.slug])).status_code == 404
    assert client.get(reverse("goods:association", args=[shop.slug])).status_code == 404


def test_a_donor_cancels_a_lot(client, shop, sam, window):
    lot = declare(shop, sam, window)
    client.force_login(sam)
    client.post(reverse("goods:lots", args=[shop.slug]), {"lot": lot.pk})
    lot.refresh_from_db()
    assert lot.status == "cancelled"


def test_an_association_declares_a_need(client, restos, alice):
    client.force_login(alice)
    response = client.post(
        reverse("goods:need_create", args=[restos.slug]),
        {
            "category": str(category("dry_food").pk),
            "kg": "30",
            "by_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "radius_km": "10",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get()
    assert (need.kg, need.organisation, need.town) == (30, restos, "Bruxelles")


def test_an_association_accepts_part_plans_records_and_confirms(
    client, shop, sam, restos, alice, window
):
    lot = declare(shop, sam, window, kg="40")
    offer = offer_for(lot, restos, kg=40)
    client.force_login(alice)
    page = reverse("goods:association", args=[restos.slug])
    assert 'max="40"' in client.get(page).content.decode()
    refused = client.post(
        page, {"action": "accept", "offer": offer.pk, f"accept-{offer.pk}-kg": "41"}
    )
    assert "less than or equal to 40" in refused.content.decode()
    client.post(page, {"action": "accept", "offer": offer.pk, f"accept-{offer.pk}-kg": "25"})
    offer.refresh_from_db()
    assert (offer.status, offer.kg_accepted) == (OfferStatus.PARTIAL, 25)
    key = f"o{shop.pk}"
    start = window[0] + timedelta(minutes=30)
    client.post(
        page,
        {
            "action": "plan",
            "donor": key,
            f"plan-{key}-starts_at": _local(start),
            f"plan-{key}-ends_at": _local(start + timedelta(hours=1)),
            f"plan-{key}-mode": "self",
        },
    )
    pickup = Pickup.objects.get()
    url = reverse("goods:pickup", args=[pickup.pk])
    short = client.post(url, {"action": "record", "kg_dry_food": "20"})
    assert short.status_code == 200
    assert Pickup.objects.get().status == PickupStatus.PLANNED
    client.post(url, {"action": "record", "kg_dry_food": "25"})
    client.post(url, {"action": "confirm"})
    assert Pickup.objects.get().status == PickupStatus.RECEIVED
    dashboard = client.get(reverse("goods:dashboard", args=[restos.slug])).content.decode()
    assert "<svg" in dashboard and "50 meals" in dashboard.replace("\n", " ")
    csv = client.get(reverse("goods:dashboard", args=[restos.slug]), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "25" in csv.content.decode()


def test_an_association_declines_with_a_reason(client, shop, sam, restos, alice, window):
    offer = offer_for(declare(shop, sam, window), restos, kg=20)
    client.force_login(alice)
    page = reverse("goods:association", args=[restos.slug])
    missing = client.post(page, {"action": "decline", "offer": offer.pk})
    assert "This field is required" in missing.content.decode()
    client.post(
        page, {"action": "decline", "offer": offer.pk, f"decline-{offer.pk}-reason": "too_far"}
    )
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, "too_far")


def test_lots_near_us_shows_the_distance(client, shop, sam, restos, alice, window):
    declare(shop, sam, window, kg="12")
    client.force_login(alice)
    page = client.get(reverse("goods:near", args=[restos.slug]), {"radius": "5"}).content.decode()
    assert "Boulangerie du Sablon" in page and "1.1" in page


def test_the_territory_dashboard_is_for_staff(client, alice, olga):
    client.force_login(alice)
    assert client.get(reverse("goods:territory_dashboard")).status_code == 403
    client.force_login(olga)
    assert client.get(reverse("goods:territory_dashboard")).status_code == 200


def test_a_wrong_period_is_explained(client, restos, alice):
    client.force_login(alice)
    page = client.get(
        reverse("goods:dashboard", args=[restos.slug]), {"start": "2026-05-02", "end": "2026-05-01"}
    )
    assert "The end date must be on or after the start date." in page.content.decode()


def test_offer_ids_of_other_associations_are_not_found(
    client, shop, sam, restos, epicerie, bob, window
):
    offer = offer_for(declare(shop, sam, window), restos, kg=20)
    client.force_login(bob)
    response = client.post(
        reverse("goods:association", args=[epicerie.slug]), {"action": "accept", "offer": offer.pk}
    )
    assert response.status_code == 404
    assert Offer.objects.get().status == OfferStatus.PROPOSED


def test_my_organisations_links_the_goods_pages(client, restos, alice):
    client.force_login(alice)
    page = client.get(reverse("organisations:dashboard")).content.decode()
    assert reverse("goods:association", args=[restos.slug]) in page

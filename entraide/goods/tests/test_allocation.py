"""Proposing allocations: the nearest need first, cold goods only to cold rooms, and the rest
offered again after a decline or a partial accept."""

from decimal import Decimal

import pytest

from entraide.goods import services
from entraide.goods.models import Offer, OfferStatus
from entraide.goods.tests.factories import NeedFactory, category
from entraide.goods.tests.helpers import declare
from entraide.notifications.models import Notification
from entraide.testing.factories import BRUSSELS

pytestmark = pytest.mark.django_db


def _need(organisation, *, kg=40, code="dry_food", km_north=0.0, **fields):
    lat = BRUSSELS[0] + km_north / 111.0
    return NeedFactory.create(
        organisation=organisation,
        category=category(code),
        kg=kg,
        lat=lat,
        lon=BRUSSELS[1],
        **fields,
    )


def test_it_proposes_a_new_lot_to_the_nearest_need_and_tells_the_association(
    shop, sam, restos, alice, window
):
    near = _need(restos, km_north=1)
    _need(restos, km_north=5)

    lot = declare(shop, sam, window, kg="40", propose=True)

    offer = Offer.objects.get(lot=lot)
    assert (offer.need, offer.kg_proposed, offer.status) == (near, 40, OfferStatus.PROPOSED)
    assert offer.distance_km == pytest.approx(Decimal("1"), abs=Decimal("0.05"))
    assert Notification.objects.filter(template="goods_offer_proposed", recipient=alice).exists()


def test_it_never_proposes_cold_goods_to_an_association_without_cold_storage(
    shop, sam, restos, epicerie, window
):
    _need(epicerie, code="chilled", km_north=1, cold_storage=False)
    cold_room = _need(restos, code="chilled", km_north=4, cold_storage=True)

    lot = declare(shop, sam, window, code="chilled", propose=True)

    assert [o.need for o in Offer.objects.filter(lot=lot)] == [cold_room]


def test_it_floods_no_association_when_several_want_the_lot(shop, sam, restos, epicerie, window):
    _need(restos, km_north=1)
    _need(epicerie, km_north=5)

    lot = declare(shop, sam, window, kg="40", propose=True)

    proposed = sorted(o.kg_proposed for o in Offer.objects.filter(lot=lot))
    assert proposed == [20, 20]  # at most half each (dispatch.MAX_SHARE), all 40 kg delivered


def test_it_never_proposes_beyond_the_needs_radius(shop, sam, restos, window):
    _need(restos, km_north=12, radius_km=Decimal("10"))

    lot = declare(shop, sam, window, propose=True)

    assert not Offer.objects.filter(lot=lot).exists()


def test_it_offers_a_declined_lot_to_the_next_association(
    shop, sam, restos, epicerie, alice, window
):
    _need(restos, km_north=1)
    second = _need(epicerie, km_north=3)
    lot = declare(shop, sam, window, kg="40", propose=True)
    first_offer = Offer.objects.get(lot=lot, need__organisation=restos)

    services.offer_decline(offer=first_offer, actor=alice, channel="web", reason="too_far")

    waiting = Offer.objects.filter(lot=lot, status=OfferStatus.PROPOSED)
    assert {o.need for o in waiting} == {second}
    assert sum(o.kg_proposed for o in waiting) == 40


def test_it_offers_what_was_not_accepted_to_another_need(
    shop, sam, restos, epicerie, alice, window
):
    _need(restos, km_north=1)
    second = _need(epicerie, km_north=3)
    lot = declare(shop, sam, window, kg="40", propose=True)
    first_offer = Offer.objects.get(lot=lot, need__organisation=restos)

    services.offer_accept(offer=first_offer, actor=alice, channel="web", kg=15)

    waiting = Offer.objects.filter(lot=lot, status=OfferStatus.PROPOSED)
    assert {o.need for o in waiting} == {second}
    assert sum(o.kg_proposed for o in waiting) == 25


def test_it_proposes_lots_around_a_new_need(shop, sam, restos, alice, window):
    lot = declare(shop, sam, window, kg="40")

    need = services.need_declare(
        organisation=restos,
        category=category("dry_food"),
        kg=25,
        by_date=window[1].date(),
        radius_km="5",
        actor=alice,
        channel="web",
    )

    offer = Offer.objects.get(need=need)
    assert (offer.lot, offer.kg_proposed) == (lot, 25)

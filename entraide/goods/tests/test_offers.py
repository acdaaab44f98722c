"""Answering an offer: accept all or part, decline with a reason; refusals change nothing."""

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import ConflictError, DomainError, PermissionDeniedError
from entraide.goods import services
from entraide.goods.models import (
    GoodsMovement,
    LotStatus,
    MovementKind,
    NeedStatus,
    OfferStatus,
)
from entraide.goods.tests.helpers import declare, offer_for
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_it_accepts_an_offer_in_full(shop, sam, restos, alice, window):
    lot = declare(shop, sam, window, kg="40")
    offer = offer_for(lot, restos, kg=40)

    services.offer_accept(offer=offer, actor=alice, channel="web")

    lot.refresh_from_db()
    offer.need.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.kg_accepted == 40
    assert lot.status == LotStatus.ALLOCATED and lot.kg_open == 0
    assert offer.need.status == NeedStatus.SERVED and offer.need.kg_open == 0
    allocated = GoodsMovement.objects.get(lot=lot, kind=MovementKind.ALLOCATED)
    assert (allocated.kg, allocated.organisation) == (40, restos)
    assert Notification.objects.filter(template="goods_offer_accepted", recipient=sam).exists()


def test_it_accepts_part_of_an_offer(shop, sam, restos, alice, window):
    lot = declare(shop, sam, window, kg="40")
    offer = offer_for(lot, restos, kg=10, need_kg=30)

    services.offer_accept(offer=offer, actor=alice, channel="web", kg=10)

    lot.refresh_from_db()
    offer.need.refresh_from_db()
    assert lot.status == LotStatus.PARTIAL and lot.kg_open == 30
    assert offer.need.status == NeedStatus.PARTIAL and offer.need.kg_open == 20


@pytest.mark.parametrize("kg", [0, 41, -1, True])
def test_it_refuses_a_quantity_outside_the_offer(shop, sam, restos, alice, window, kg):
    offer = offer_for(declare(shop, sam, window, kg="40"), restos, kg=40)

    with pytest.raises(ValidationError):
        services.offer_accept(offer=offer, actor=alice, channel="web", kg=kg)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PROPOSED
    assert not GoodsMovement.objects.filter(kind=MovementKind.ALLOCATED).exists()


def test_it_refuses_part_of_a_lot_that_cannot_be_split(shop, sam, restos, alice, window):
    offer = offer_for(declare(shop, sam, window, kg="40", divisible=False), restos, kg=40)

    with pytest.raises(ValidationError):
        services.offer_accept(offer=offer, actor=alice, channel="web", kg=20)


def test_it_refuses_chilled_goods_to_an_association_without_cold_storage(
    shop, sam, epicerie, bob, window
):
    lot = declare(shop, sam, window, code="chilled")
    offer = offer_for(lot, epicerie, kg=10, cold_storage=False)

    with pytest.raises(DomainError) as caught:
        services.offer_accept(offer=offer, actor=bob, channel="web")

    assert caught.value.code == "cold_storage"
    lot.refresh_from_db()
    assert lot.kg_open == 40


def test_it_refuses_an_answer_from_another_association(shop, sam, restos, bob, window):
    offer = offer_for(declare(shop, sam, window), restos, kg=10)

    with pytest.raises(PermissionDeniedError):
        services.offer_accept(offer=offer, actor=bob, channel="web")


def test_it_refuses_to_accept_twice(shop, sam, restos, alice, window):
    offer = offer_for(declare(shop, sam, window), restos, kg=10)
    services.offer_accept(offer=offer, actor=alice, channel="web")

    with pytest.raises(ConflictError):
        services.offer_accept(offer=offer, actor=alice, channel="web")
    assert GoodsMovement.objects.filter(kind=MovementKind.ALLOCATED).count() == 1


def test_it_refuses_more_than_the_lot_has_left(shop, sam, restos, epicerie, alice, bob, window):
    lot = declare(shop, sam, window, kg="40")
    first = offer_for(lot, restos, kg=30)
    second = offer_for(lot, epicerie, kg=30)
    services.offer_accept(offer=first, actor=alice, channel="web")

    with pytest.raises(ConflictError):
        services.offer_accept(offer=second, actor=bob, channel="web")

    second.refresh_from_db()
    assert second.status == OfferStatus.PROPOSED  # nothing half-saved
    lot.refresh_from_db()
    assert lot.kg_open == 10


def test_it_declines_with_a_reason(shop, sam, restos, alice, window):
    offer = offer_for(declare(shop, sam, window), restos, kg=10)

    services.offer_decline(offer=offer, actor=alice, channel="web", reason="too_far")

    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, "too_far")
    assert offer.events.filter(kind="declined").exists()


@pytest.mark.parametrize(("reason", "note"), [("", ""), ("bored", ""), ("other", "  ")])
def test_it_refuses_a_decline_without_a_valid_reason(
    shop, sam, restos, alice, window, reason, note
):
    offer = offer_for(declare(shop, sam, window), restos, kg=10)

    with pytest.raises(ValidationError) as caught:
        services.offer_decline(offer=offer, actor=alice, channel="web", reason=reason, note=note)

    assert "reason" in caught.value.message_dict
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PROPOSED

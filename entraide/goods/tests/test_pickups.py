"""Pickups: a slot inside a window, the weighed kilograms, a reason when short, the receipt."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.goods import services
from entraide.goods.models import LotStatus, MovementKind, NeedStatus, PickupStatus
from entraide.goods.selectors import lot_totals
from entraide.goods.tests.helpers import declare, offer_for
from entraide.help_requests.models import HelpRequest
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _accepted(shop, sam, restos, alice, window, *, kg=40, lot_kg="40"):
    lot = declare(shop, sam, window, kg=lot_kg)
    offer = offer_for(lot, restos, kg=kg)
    services.offer_accept(offer=offer, actor=alice, channel="web")
    offer.refresh_from_db()
    return lot, offer


def _plan(offer, alice, window, mode="self"):
    start = window[0] + timedelta(minutes=30)
    return services.pickup_plan(
        offers=[offer],
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        mode=mode,
        actor=alice,
        channel="web",
    )


def test_it_collects_and_confirms_the_whole_lot(shop, sam, restos, alice, window):
    lot, offer = _accepted(shop, sam, restos, alice, window)
    pickup = _plan(offer, alice, window)

    services.pickup_record(pickup=pickup, collected={"dry_food": "40"}, actor=alice, channel="web")
    services.pickup_confirm_receipt(pickup=pickup, actor=alice, channel="web")

    pickup.refresh_from_db()
    lot.refresh_from_db()
    assert pickup.status == PickupStatus.RECEIVED and pickup.received_by == alice
    assert lot.status == LotStatus.COLLECTED
    totals = lot_totals(lot)
    assert totals[MovementKind.COLLECTED] == totals[MovementKind.RECEIVED] == Decimal("40")
    assert Notification.objects.filter(template="goods_receipt_confirmed", recipient=sam).exists()


def test_it_gives_back_what_was_not_collected(shop, sam, restos, alice, window):
    lot, offer = _accepted(shop, sam, restos, alice, window)
    pickup = _plan(offer, alice, window)

    services.pickup_record(
        pickup=pickup,
        collected={"dry_food": "25.5"},
        actor=alice,
        channel="web",
        reason="The van was full",
    )

    pickup.refresh_from_db()
    lot.refresh_from_db()
    offer.need.refresh_from_db()
    assert pickup.status == PickupStatus.PARTIAL and pickup.reason == "The van was full"
    assert lot.kg_open == Decimal("14.5") and lot.status == LotStatus.PARTIAL
    assert offer.need.kg_open == 14 and offer.need.status == NeedStatus.PARTIAL
    assert lot_totals(lot)[MovementKind.RELEASED] == Decimal("-14.5")


@pytest.mark.parametrize("collected", [{"dry_food": "10"}, {"dry_food": "0"}, {}])
def test_it_needs_a_reason_when_not_everything_was_taken(
    shop, sam, restos, alice, window, collected
):
    _lot, offer = _accepted(shop, sam, restos, alice, window)
    pickup = _plan(offer, alice, window)

    with pytest.raises(ValidationError) as caught:
        services.pickup_record(pickup=pickup, collected=collected, actor=alice, channel="web")

    assert "reason" in caught.value.message_dict
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.PLANNED and not pickup.movements.exists()


def test_it_records_a_missed_pickup(shop, sam, restos, alice, window):
    lot, offer = _accepted(shop, sam, restos, alice, window)
    pickup = _plan(offer, alice, window)

    services.pickup_record(
        pickup=pickup, collected={}, actor=alice, channel="web", reason="Nobody was there"
    )

    pickup.refresh_from_db()
    lot.refresh_from_db()
    assert pickup.status == PickupStatus.MISSED and lot.kg_open == 40


@pytest.mark.parametrize(
    "collected", [{"dry_food": "41"}, {"dry_food": "abc"}, {"dry_food": "-1"}, {"frozen": "1"}]
)
def test_it_refuses_bad_weights(shop, sam, restos, alice, window, collected):
    _lot, offer = _accepted(shop, sam, restos, alice, window)
    pickup = _plan(offer, alice, window)

    with pytest.raises(ValidationError) as caught:
        services.pickup_record(pickup=pickup, collected=collected, actor=alice, channel="web")

    assert "collected" in caught.value.message_dict


def test_it_refuses_a_slot_outside_the_windows(shop, sam, restos, alice, window):
    _lot, offer = _accepted(shop, sam, restos, alice, window)

    with pytest.raises(ValidationError) as caught:
        services.pickup_plan(
            offers=[offer],
            starts_at=window[1],
            ends_at=window[1] + timedelta(hours=1),
            mode="self",
            actor=alice,
            channel="web",
        )

    assert "starts_at" in caught.value.message_dict


def test_it_refuses_to_plan_an_offer_twice(shop, sam, restos, alice, window):
    _lot, offer = _accepted(shop, sam, restos, alice, window)
    _plan(offer, alice, window)
    offer.refresh_from_db()

    with pytest.raises(ConflictError):
        _plan(offer, alice, window)


def test_it_refuses_a_receipt_by_someone_else_or_before_collection(
    shop, sam, restos, alice, window
):
    _lot, offer = _accepted(shop, sam, restos, alice, window)
    pickup = _plan(offer, alice, window)

    with pytest.raises(ConflictError):
        services.pickup_confirm_receipt(pickup=pickup, actor=alice, channel="web")
    services.pickup_record(pickup=pickup, collected={"dry_food": "40"}, actor=alice, channel="web")
    with pytest.raises(PermissionDeniedError):
        services.pickup_confirm_receipt(pickup=pickup, actor=sam, channel="web")


def test_it_asks_volunteers_for_a_driver_with_a_transport_request(shop, sam, restos, alice, window):
    _lot, offer = _accepted(shop, sam, restos, alice, window)

    pickup = _plan(offer, alice, window, mode="driver")

    help_request = HelpRequest.objects.get(public_id=pickup.transport_request_id)
    assert help_request.kind == "transport"
    assert help_request.requester_name == restos.name
    assert "40 kg" in help_request.details

"""Declaring a lot: food safety, weights (measured or from a band), places, refusals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.goods import services
from entraide.goods.models import GoodsMovement, Lot, LotStatus, MovementKind
from entraide.goods.selectors import lot_available_kg
from entraide.goods.tests.factories import category
from entraide.goods.tests.helpers import declare, offer_for, today

pytestmark = pytest.mark.django_db


def test_it_declares_a_lot_with_its_ledger_row_and_event(shop, sam, window):
    lot = declare(shop, sam, window, kg="42.5")

    assert lot.status == LotStatus.OFFERED
    assert lot.kg_open == Decimal("42.5")
    assert lot.town == "Bruxelles" and lot.cell is not None
    movement = GoodsMovement.objects.get(lot=lot)
    assert (movement.kind, movement.kg, movement.organisation) == (
        "declared",
        Decimal("42.5"),
        shop,
    )
    assert list(lot.events.values_list("kind", flat=True)) == ["declared"]
    assert lot.windows.count() == 1


def test_it_estimates_the_weight_from_a_band(shop, sam, window):
    lot = services.lot_declare(
        actor=sam,
        channel="web",
        category=category("textile"),
        windows=[window],
        donor_organisation=shop,
        weight_band="5_20",
        propose=False,
    )

    assert lot.weight_kg == Decimal("12.5")
    assert lot.weight_estimated


def test_it_lets_a_person_give_in_their_own_name(eve, window):
    lot = services.lot_declare(
        actor=eve,
        channel="web",
        category=category("books"),
        windows=[window],
        weight_kg="8",
        town="Bruxelles",
        postcode="1000",
        country="BE",
        propose=False,
    )

    assert lot.donor_user == eve and lot.donor_organisation is None


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"use_by": "yesterday"}, "use_by"),
        ({"code": "chilled", "cold_chain": False}, "cold_chain"),
        ({"kg": "0"}, "weight_kg"),
        ({"kg": "-3"}, "weight_kg"),
        ({"kg": "1.234"}, "weight_kg"),
    ],
)
def test_it_refuses_what_food_safety_or_the_weight_forbid(shop, sam, window, options, field):
    if options.get("use_by") == "yesterday":
        options["use_by"] = today() - timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        declare(shop, sam, window, **options)

    assert field in caught.value.message_dict
    assert not Lot.objects.exists() and not GoodsMovement.objects.exists()


def test_it_refuses_a_window_after_the_cold_pickup_deadline(shop, sam, window):
    # Chilled goods with a use-by today must be collected by the end of yesterday.
    with pytest.raises(ValidationError) as caught:
        declare(shop, sam, window, code="chilled", use_by=today())

    assert "windows" in caught.value.message_dict


def test_it_refuses_a_window_that_ends_before_it_starts(shop, sam, window):
    with pytest.raises(ValidationError) as caught:
        declare(shop, sam, (window[1], window[0]))

    assert "windows" in caught.value.message_dict


def test_it_refuses_a_lot_in_the_name_of_someone_elses_organisation(shop, alice, window):
    with pytest.raises(PermissionDeniedError):
        declare(shop, alice, window)
    assert not Lot.objects.exists()


def test_it_lets_an_operator_declare_for_a_caller(shop, olga, window):
    lot = services.lot_declare(
        actor=olga,
        channel="phone",
        category=category("dry_food"),
        windows=[window],
        donor_organisation=shop,
        weight_kg="10",
        propose=False,
    )

    assert lot.channel == "phone" and lot.created_by == olga


def test_it_cancels_a_lot_and_withdraws_its_kilograms(shop, sam, window):
    lot = declare(shop, sam, window)

    services.lot_cancel(lot=lot, actor=sam, channel="web", reason="Sold after all")

    lot.refresh_from_db()
    assert lot.status == LotStatus.CANCELLED and lot.kg_open == 0
    assert lot_available_kg(lot) == 0
    assert GoodsMovement.objects.filter(lot=lot, kind=MovementKind.WITHDRAWN).get().kg == -40


def test_it_refuses_to_cancel_a_lot_an_association_accepted(shop, sam, restos, alice, window):
    lot = declare(shop, sam, window)
    offer = offer_for(lot, restos, kg=10)
    services.offer_accept(offer=offer, actor=alice, channel="web")

    with pytest.raises(ConflictError):
        services.lot_cancel(lot=lot, actor=sam, channel="web")
    lot.refresh_from_db()
    assert lot.status == LotStatus.PARTIAL

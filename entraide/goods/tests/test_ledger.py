"""The goods ledger reconciles: random sequences of declare / allocate / collect / receive /
correct keep every lot's totals equal to the sum of its rows and never below zero."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.core.errors import DomainError, PermissionDeniedError
from entraide.goods import services
from entraide.goods.models import (
    GoodsMovement,
    Lot,
    MovementKind,
    Offer,
    OfferStatus,
    Pickup,
    PickupStatus,
)
from entraide.goods.selectors import lot_available_kg, lot_totals, offer_totals
from entraide.goods.tests.helpers import declare, offer_for

pytestmark = pytest.mark.django_db

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["allocate", "collect", "receive", "correct_declared", "correct_collected", "cancel"]
        ),
        st.integers(min_value=-30, max_value=60),
    ),
    max_size=10,
)


def _check(lot: Lot) -> None:
    """Assert the lot's invariants: totals are sums of rows, stages never go below zero."""
    lot.refresh_from_db()
    rows = list(GoodsMovement.objects.filter(lot=lot))
    totals = lot_totals(lot)
    for kind in MovementKind.values:
        assert totals[kind] == sum((r.kg for r in rows if r.kind == kind), Decimal("0"))
    allocated = totals[MovementKind.ALLOCATED] + totals[MovementKind.RELEASED]
    assert lot.kg_open == lot_available_kg(lot) >= 0
    assert allocated >= totals[MovementKind.COLLECTED] >= totals[MovementKind.RECEIVED] >= 0
    accepted = Offer.objects.filter(lot=lot, status__in=("accepted", "partial"))
    assert allocated <= sum(o.kg_accepted for o in accepted)
    for offer in accepted:
        stages = offer_totals(offer.pk)
        offer_allocated = stages[MovementKind.ALLOCATED] + stages[MovementKind.RELEASED]
        assert offer_allocated >= stages[MovementKind.COLLECTED] >= stages[MovementKind.RECEIVED]


def _step(lot: Lot, operation: str, amount: int, people: dict, window) -> None:
    shop, sam, restos, alice = people["shop"], people["sam"], people["restos"], people["alice"]
    if operation == "allocate":
        offer = offer_for(lot, restos, kg=max(1, amount))
        services.offer_accept(offer=offer, actor=alice, channel="web")
    elif operation == "collect":
        waiting = Offer.objects.filter(
            lot=lot, status=OfferStatus.ACCEPTED, pickup__isnull=True
        ).first()
        if waiting is None:
            return
        start = window[0] + timedelta(minutes=5)
        pickup = services.pickup_plan(
            offers=[waiting],
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            mode="self",
            actor=alice,
            channel="web",
        )
        services.pickup_record(
            pickup=pickup,
            collected={lot.category.code: str(min(max(amount, 0), waiting.kg_accepted))},
            actor=alice,
            channel="web",
            reason="Short of space",
        )
    elif operation == "receive":
        collected = Pickup.objects.filter(
            offers__lot=lot, status__in=(PickupStatus.COLLECTED, PickupStatus.PARTIAL)
        ).first()
        if collected is not None:
            services.pickup_confirm_receipt(pickup=collected, actor=alice, channel="web")
    elif operation in ("correct_declared", "correct_collected"):
        kind = MovementKind.DECLARED if operation == "correct_declared" else MovementKind.COLLECTED
        row = GoodsMovement.objects.filter(lot=lot, kind=kind).first()
        if row is not None:
            services.movement_correct(
                movement=row,
                kg=Decimal(amount) / 2,
                reason="Weighed again",
                actor=people["olga"],
                channel="backoffice",
            )
    elif operation == "cancel":
        services.lot_cancel(lot=lot, actor=sam, channel="web")
    assert shop  # every persona stays the same across steps


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS, weight=st.integers(min_value=1, max_value=80))
def test_it_keeps_every_lot_reconciled(shop, sam, restos, alice, olga, window, operations, weight):
    lot = declare(shop, sam, window, kg=str(weight))
    people = {"shop": shop, "sam": sam, "restos": restos, "alice": alice, "olga": olga}
    _check(lot)
    for operation, amount in operations:
        try:
            _step(lot, operation, amount, people, window)
        except (DomainError, ValidationError) as exc:
            assert not isinstance(exc, PermissionDeniedError)
        _check(lot)


def test_it_corrects_a_row_with_a_new_linked_row(shop, sam, olga, window):
    lot = declare(shop, sam, window, kg="40")
    declared = GoodsMovement.objects.get(lot=lot)

    correction = services.movement_correct(
        movement=declared, kg="-4.5", reason="Scale was off", actor=olga, channel="backoffice"
    )

    lot.refresh_from_db()
    assert correction.corrects == declared and correction.kg == Decimal("-4.5")
    assert GoodsMovement.objects.get(pk=declared.pk).kg == Decimal("40")
    assert lot.kg_open == Decimal("35.5") == lot_available_kg(lot)


@pytest.mark.parametrize(
    ("kg", "reason", "field"), [("-41", "Too much", "kg"), ("0", "x", "kg"), ("2", "", "reason")]
)
def test_it_refuses_a_correction_that_breaks_the_ledger(shop, sam, olga, window, kg, reason, field):
    lot = declare(shop, sam, window, kg="40")
    declared = GoodsMovement.objects.get(lot=lot)

    with pytest.raises(ValidationError) as caught:
        services.movement_correct(
            movement=declared, kg=kg, reason=reason, actor=olga, channel="backoffice"
        )

    assert field in caught.value.message_dict
    assert GoodsMovement.objects.filter(lot=lot).count() == 1


def test_it_refuses_a_correction_by_a_stranger(shop, sam, alice, window):
    lot = declare(shop, sam, window, kg="40")

    with pytest.raises(PermissionDeniedError):
        services.movement_correct(
            movement=GoodsMovement.objects.get(lot=lot),
            kg="1",
            reason="x",
            actor=alice,
            channel="web",
        )

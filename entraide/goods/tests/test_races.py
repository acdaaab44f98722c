"""Two associations accepting the last kilograms of one lot at once: exactly one wins.

On SQLite the test database takes one writer at a time, so this passes there without proving
much; the PostgreSQL run is the one that would catch a check made outside the UPDATE.
"""

from collections.abc import Callable

import pytest

from entraide.accounts.models import User
from entraide.core.errors import ConflictError
from entraide.goods import services
from entraide.goods.models import GoodsMovement, Lot, MovementKind, Offer, OfferStatus
from entraide.goods.tests.helpers import declare, offer_for
from entraide.testing.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_gives_the_last_kilograms_to_exactly_one_of_two_accepts(
    shop, sam, restos, epicerie, alice, bob, window
):
    lot = declare(shop, sam, window, kg="20")
    # Two proposals of the same 20 kg (e.g. made before a weight correction) race.
    offers = [offer_for(lot, restos, kg=20), offer_for(lot, epicerie, kg=20)]

    def accept(offer_pk: int, user_pk: int) -> Callable[[], object]:
        return lambda: services.offer_accept(
            offer=Offer.objects.select_related("lot__category", "need__organisation").get(
                pk=offer_pk
            ),
            actor=User.objects.get(pk=user_pk),
            channel="web",
        )

    outcomes = run_at_once([accept(offers[0].pk, alice.pk), accept(offers[1].pk, bob.pk)])

    assert sum(isinstance(o, Offer) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 1
    assert Lot.objects.get(pk=lot.pk).kg_open == 0
    assert Offer.objects.filter(status=OfferStatus.ACCEPTED).count() == 1
    assert Offer.objects.filter(status=OfferStatus.PROPOSED).count() == 1
    assert GoodsMovement.objects.filter(kind=MovementKind.ALLOCATED).count() == 1

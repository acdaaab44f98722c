"""Periodic goods work: recurring lots created ahead once, lapsed offers and lots."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from entraide.goods import jobs, services
from entraide.goods.models import Lot, LotStatus, MovementKind, OfferStatus
from entraide.goods.selectors import lot_totals
from entraide.goods.tests.factories import category
from entraide.goods.tests.helpers import declare, offer_for

pytestmark = pytest.mark.django_db


def _series(shop, sam, **changes):
    options = {
        "actor": sam,
        "channel": "web",
        "category": category("bakery"),
        "weekdays": [1],  # Tuesdays
        "window_start": time(18, 0),
        "window_end": time(19, 30),
        "typical_kg": Decimal("40"),
        "starts_on": timezone.localdate(),
        "donor_organisation": shop,
        "use_by_days": 1,
        "horizon_days": 21,
    }
    options.update(changes)
    return services.lot_series_create(**options)


@time_machine.travel("2026-03-02 09:00 +01:00", tick=False)  # a Monday
def test_it_creates_a_series_lots_ahead_once(shop, sam):
    series = _series(shop, sam)

    assert jobs.generate_series_lots() == 3
    assert jobs.generate_series_lots() == 0

    lots = Lot.objects.filter(series=series).order_by("occurrence_on")
    assert [str(lot.occurrence_on) for lot in lots] == [
        "2026-03-03",
        "2026-03-10",
        "2026-03-17",
    ]
    first = lots[0]
    assert first.use_by is not None and first.donor_organisation is not None
    assert first.weight_kg == Decimal("40") and first.use_by.isoformat() == "2026-03-04"
    window = first.windows.get()
    assert timezone.localtime(window.starts_at, first.donor_organisation.territory.zone).hour == 18


@time_machine.travel("2026-03-02 09:00 +01:00", tick=False)
def test_it_does_not_recreate_a_cancelled_occurrence(shop, sam):
    _series(shop, sam, horizon_days=7)
    jobs.generate_series_lots()
    services.lot_cancel(lot=Lot.objects.get(), actor=sam, channel="web")

    assert jobs.generate_series_lots() == 0
    assert Lot.objects.count() == 1


def test_it_refuses_a_series_without_days(shop, sam):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        _series(shop, sam, weekdays=[], window_end=time(17, 0))

    assert {"weekdays", "window_end"} <= set(caught.value.message_dict)


def test_it_lets_unanswered_offers_lapse(shop, sam, restos, window):
    offer = offer_for(declare(shop, sam, window), restos, kg=10)

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert jobs.expire_offers() == 1

    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED


def test_it_takes_lots_off_offer_once_their_windows_are_over(shop, sam, window):
    lot = declare(shop, sam, window, kg="12")

    with time_machine.travel(window[1] + timedelta(minutes=1)):
        assert jobs.expire_lots() == 1

    lot.refresh_from_db()
    assert lot.status == LotStatus.EXPIRED and lot.kg_open == 0
    assert lot_totals(lot)[MovementKind.WITHDRAWN] == Decimal("-12")

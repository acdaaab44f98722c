"""The one adapter between goods and the pure allocation core in `entraide.matching.goods`.

It reads the open lots and needs that could meet (only the grid cells around them), turns
them into plain `GoodsLot` / `GoodsNeed` values with what is still unproposed of each, asks
the core for the allocation, and returns it as rows for the services to write.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Max, Sum
from django.utils import timezone

from entraide.core.nearby import rows_near
from entraide.goods.models import (
    LOT_OPEN_STATUSES,
    NEED_OPEN_STATUSES,
    Category,
    Lot,
    Need,
    Offer,
    OfferStatus,
)
from entraide.goods.selectors import recent_kg_by_organisation
from entraide.goods.services._common import lot_deadline
from entraide.matching.goods import GoodsLot, GoodsNeed, allocate_goods

# No association gets more than this share of one lot in one run while others want it too.
MAX_SHARE = 0.5


@dataclass(frozen=True)
class Proposal:
    """Kilograms of a lot the core allocates to a need, and how far apart they are."""

    lot: Lot
    need: Need
    kg: int
    km: float


def _unproposed(model: type[Lot] | type[Need], rows: Sequence[Lot | Need]) -> dict[int, int]:
    """Return each row's open whole kilograms minus those already proposed and unanswered."""
    field = "lot_id" if model is Lot else "need_id"
    proposed = dict(
        Offer.objects.filter(
            **{f"{field}__in": [r.pk for r in rows]},
            status=OfferStatus.PROPOSED,
            expires_at__gt=timezone.now(),
        )
        .values(field)
        .annotate(kg=Sum("kg_proposed"))
        .values_list(field, "kg")
    )
    return {r.pk: int(Decimal(r.kg_open)) - proposed.get(r.pk, 0) for r in rows}


def _needs_around(lots: Sequence[Lot]) -> list[Need]:
    """Return the open needs of the lots' categories whose collection circle reaches a lot."""
    found: dict[int, Need] = {}
    for lot in lots:
        needs = Need.objects.filter(status__in=NEED_OPEN_STATUSES, category=lot.category_id)
        widest = needs.aggregate(widest=Max("radius_km"))["widest"]
        if widest is None or lot.lat is None or lot.lon is None:
            continue
        near = rows_near(
            needs.select_related("organisation"), lat=lot.lat, lon=lot.lon, radius_km=float(widest)
        )
        for item in near:
            assert item.distance_km is not None
            if item.distance_km <= float(item.row.radius_km):
                found[item.row.pk] = item.row
    return list(found.values())


def _lots_around(needs: Sequence[Need]) -> list[Lot]:
    """Return the open lots of the needs' categories within each need's collection circle."""
    found: dict[int, Lot] = {}
    for need in needs:
        if need.lat is None or need.lon is None:
            continue
        lots = Lot.objects.filter(
            status__in=LOT_OPEN_STATUSES, category=need.category_id, kg_open__gte=1
        ).select_related("category", "donor_organisation__territory")
        for item in rows_near(lots, lat=need.lat, lon=need.lon, radius_km=float(need.radius_km)):
            found[item.row.pk] = item.row
    return list(found.values())


def proposals_for(
    *,
    lots: Sequence[Lot] | None = None,
    needs: Sequence[Need] | None = None,
    now: datetime,
) -> list[Proposal]:
    """Return the core's allocation of these lots (or for these needs, or of everything open)."""
    if lots is not None and needs is None:
        lots = [lot for lot in lots if lot.status in LOT_OPEN_STATUSES]
        needs = _needs_around(lots)
    elif needs is not None and lots is None:
        needs = [need for need in needs if need.status in NEED_OPEN_STATUSES]
        lots = _lots_around(needs)
    elif lots is None and needs is None:
        lots = list(Lot.objects.filter(status__in=LOT_OPEN_STATUSES, kg_open__gte=1))
        needs = list(Need.objects.filter(status__in=NEED_OPEN_STATUSES, kg_open__gte=1))
    assert lots is not None and needs is not None
    if not lots or not needs:
        return []
    lot_kg, need_kg = _unproposed(Lot, lots), _unproposed(Need, needs)
    lots = [lot for lot in lots if lot_kg[lot.pk] >= 1]
    needs = [need for need in needs if need_kg[need.pk] >= 1]
    # An association that declined a lot, let an offer of it lapse or took only part of it
    # is not asked again for that lot; one still answering may be offered more of it.
    asked = set(
        Offer.objects.filter(
            lot__in=lots,
            need__in=needs,
            status__in=(OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.PARTIAL),
        ).values_list("lot_id", "need_id")
    )
    if len(lots) == 1:
        needs = [need for need in needs if (lots[0].pk, need.pk) not in asked]
    elif len(needs) == 1:
        lots = [lot for lot in lots if (lot.pk, needs[0].pk) not in asked]
    if not lots or not needs:
        return []
    recent = recent_kg_by_organisation([n.organisation_id for n in needs], now=now)
    today = timezone.localdate(now)
    cold = frozenset(
        str(pk) for pk in Category.objects.filter(needs_cold=True).values_list("pk", flat=True)
    )
    core_lots = []
    for lot in lots:
        deadline = lot_deadline(lot)
        if lot.lat is None or lot.lon is None or (deadline is not None and deadline <= now):
            continue
        last_day = (
            None if deadline is None else timezone.localdate(deadline - timedelta(microseconds=1))
        )
        core_lots.append(
            GoodsLot(
                id=str(lot.pk),
                category=str(lot.category_id),
                kg=lot_kg[lot.pk],
                lat=lot.lat,
                lon=lot.lon,
                use_by=last_day,
                divisible=lot.divisible,
            )
        )
    core_needs = [
        GoodsNeed(
            id=str(need.pk),
            category=str(need.category_id),
            kg=need_kg[need.pk],
            lat=need.lat,
            lon=need.lon,
            radius_km=float(need.radius_km),
            pickup_on=today,
            recent_kg=recent.get(need.organisation_id, 0),
            cold_storage=need.cold_storage,
        )
        for need in needs
        if need.lat is not None and need.lon is not None
    ]
    # One association among several wanting a lot gets at most MAX_SHARE of it; alone, all.
    wanting = defaultdict(set)
    for need in needs:
        wanting[need.category_id].add(need.organisation_id)
    crowded = any(len(organisations) > 1 for organisations in wanting.values())
    result = allocate_goods(
        core_lots, core_needs, cold_categories=cold, max_share=MAX_SHARE if crowded else None
    )
    lots_by_id = {str(lot.pk): lot for lot in lots}
    needs_by_id = {str(need.pk): need for need in needs}
    proposals = []
    for allocation in result.allocations:
        lot, need = lots_by_id[allocation.lot_id], needs_by_id[allocation.need_id]
        # The core knows nothing of earlier answers: in a batch, a pair already asked is
        # dropped here (a single lot's or need's run left them out before solving).
        if allocation.kg < 1 or (lot.pk, need.pk) in asked:
            continue
        proposals.append(Proposal(lot=lot, need=need, kg=allocation.kg, km=allocation.km))
    return proposals

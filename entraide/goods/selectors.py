"""Reads for goods: lots near a place, an association's needs and offers, ledger totals."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.csv_files import csv_download, spreadsheet_safe
from entraide.core.nearby import Near, rows_near
from entraide.core.vocabulary import Channel
from entraide.goods.models import (
    LOT_OPEN_STATUSES,
    Category,
    CollectionRound,
    GoodsMovement,
    Lot,
    MovementKind,
    Need,
    Offer,
    OfferStatus,
    Pickup,
    RoundStatus,
    TerritoryFactor,
)
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.permissions import ACTING_STATUSES

# Associations that received little over this window come first among equals.
FAIRNESS_WINDOW = timedelta(days=30)
# "Lots near me" reads at most this many rows: a page shows the nearest ones.
NEAR_LIMIT = 200


def lots_near(
    *,
    lat: float,
    lon: float,
    radius_km: float,
    category: Category | None = None,
    limit: int = 50,
) -> list[Near[Lot]]:
    """Return the lots still on offer within radius_km of the point, nearest first."""
    lots = Lot.objects.filter(status__in=LOT_OPEN_STATUSES, kg_open__gt=0)
    if category is not None:
        lots = lots.filter(category=category)
    lots = lots.select_related("category", "donor_organisation").order_by()
    return rows_near(lots, lat=lat, lon=lon, radius_km=radius_km, limit=NEAR_LIMIT)[:limit]


def needs_of(organisation: Organisation) -> QuerySet[Need]:
    """Return the organisation's needs, the open ones first, newest first."""
    return (
        Need.objects.filter(organisation=organisation)
        .select_related("category")
        .order_by("status", "-created_at")
    )


def lots_of(organisation: Organisation) -> QuerySet[Lot]:
    """Return the lots an organisation gives, newest first."""
    return Lot.objects.filter(donor_organisation=organisation).select_related("category")


def offers_waiting_for(organisation: Organisation) -> QuerySet[Offer]:
    """Return the offers an association has not answered yet and may still answer."""
    return (
        Offer.objects.filter(
            need__organisation=organisation,
            status=OfferStatus.PROPOSED,
            expires_at__gt=timezone.now(),
        )
        .select_related("lot__category", "lot__donor_organisation", "need")
        .prefetch_related("lot__photos")
        .order_by("expires_at")
    )


def lot_totals(lot: Lot) -> dict[str, Decimal]:
    """Return the lot's kilograms at each stage: the sum of its ledger rows of each kind."""
    totals = {kind: Decimal("0") for kind in MovementKind.values}
    rows = GoodsMovement.objects.filter(lot=lot).values("kind").annotate(kg=Sum("kg"))
    for row in rows:
        totals[row["kind"]] = row["kg"]
    return totals


def offer_totals(offer_id: int) -> dict[str, Decimal]:
    """Return the kilograms of one offer at each stage (its allocation, collection, receipt)."""
    totals = {kind: Decimal("0") for kind in MovementKind.values}
    rows = GoodsMovement.objects.filter(offer_id=offer_id).values("kind").annotate(kg=Sum("kg"))
    for row in rows:
        totals[row["kind"]] = row["kg"]
    return totals


def lot_available_kg(lot: Lot) -> Decimal:
    """Return the lot's kilograms still to allocate, from the ledger (equals lot.kg_open)."""
    totals = lot_totals(lot)
    on_offer = totals[MovementKind.DECLARED] + totals[MovementKind.WITHDRAWN]
    return on_offer - (totals[MovementKind.ALLOCATED] + totals[MovementKind.RELEASED])


def recent_kg_by_organisation(ids: list[int], *, now: datetime) -> dict[int, int]:
    """Return the kilograms each association was allocated over the fairness window."""
    since = now - FAIRNESS_WINDOW
    rows = (
        GoodsMovement.objects.filter(
            organisation_id__in=ids,
            kind__in=(MovementKind.ALLOCATED, MovementKind.RELEASED),
            created_at__gte=since,
        )
        .values("organisation_id")
        .annotate(kg=Sum("kg"))
    )
    return {row["organisation_id"]: max(0, int(row["kg"])) for row in rows}


GROUPS = ("donor", "association", "territory", "category")


@dataclass
class TotalRow:
    """Received goods of one donor, association, territory or category over a period."""

    key: str
    label: str
    kg_by_category: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    meals: Decimal = Decimal("0")
    co2_kg: Decimal = Decimal("0")

    @property
    def kg(self) -> Decimal:
        """Return the kilograms of every category together."""
        return sum(self.kg_by_category.values(), Decimal("0"))


def _bounds(start: date | None, end: date | None) -> Q:
    """Return the filter for rows written from start to end (both days included)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    period = Q()
    if start is not None:
        period &= Q(created_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end is not None:
        period &= Q(created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
    return period


def goods_totals(
    *,
    by: str,
    start: date | None = None,
    end: date | None = None,
    organisation: Organisation | None = None,
) -> list[TotalRow]:
    """Return the received kilograms per category, meals and CO₂ avoided, grouped `by`.

    Meals and CO₂ use the receiving association's territory's factor for the category when
    it has one, the category's otherwise. Only received goods count: what reached people.
    """
    if by not in GROUPS:
        raise ValueError(by)
    rows = GoodsMovement.objects.filter(_bounds(start, end), kind=MovementKind.RECEIVED)
    if organisation is not None:
        rows = rows.filter(Q(organisation=organisation) | Q(lot__donor_organisation=organisation))
    keys = {
        "donor": ("lot__donor_organisation_id", "lot__donor_organisation__name"),
        "association": ("organisation_id", "organisation__name"),
        "territory": ("organisation__territory_id", "organisation__territory__name"),
        "category": ("category_id", "category_id"),
    }[by]
    grouped = (
        rows.values(*keys, "category_id", "organisation__territory_id")
        .annotate(kg=Sum("kg"))
        .order_by()
    )
    categories = Category.objects.in_bulk()
    factors = {(f.territory_id, f.category_id): f for f in TerritoryFactor.objects.all()}
    totals: dict[str, TotalRow] = {}
    for row in grouped:
        category = categories[row["category_id"]]
        key = str(row[keys[0]] or "")
        if by == "category":
            label = category.name
        elif by == "donor" and row[keys[0]] is None:
            label = _("Private donors")
        else:
            label = str(row[keys[1]] or "")
        total = totals.setdefault(key, TotalRow(key=key, label=label))
        kg = row["kg"] or Decimal("0")
        total.kg_by_category[category.code] += kg
        factor = factors.get((row["organisation__territory_id"], category.pk))
        meals = category.meal_factor_per_kg
        co2 = category.co2_kg_per_kg
        if factor is not None:
            meals = factor.meal_factor_per_kg if factor.meal_factor_per_kg is not None else meals
            co2 = factor.co2_kg_per_kg if factor.co2_kg_per_kg is not None else co2
        total.meals += kg * meals
        total.co2_kg += kg * co2
    return sorted(totals.values(), key=lambda t: (-t.kg, t.label))


def goods_totals_csv(rows: list[TotalRow], *, filename: str) -> HttpResponse:
    """Return the totals as a CSV download: one line per row, one column per category."""
    codes = sorted({code for row in rows for code in row.kg_by_category})
    header = [_("Name"), *[f"{code} (kg)" for code in codes], _("Total (kg)"), _("Meals")]
    header.append(_("CO₂ avoided (kg)"))
    lines = [
        [
            spreadsheet_safe(row.label),
            *[str(row.kg_by_category.get(code, Decimal("0"))) for code in codes],
            str(row.kg),
            str(row.meals.quantize(Decimal("1"))),
            str(row.co2_kg.quantize(Decimal("0.1"))),
        ]
        for row in rows
    ]
    return csv_download(filename, header, lines)


def offers_to_plan(organisation: Organisation) -> QuerySet[Offer]:
    """Return the association's accepted offers not in a pickup yet, by donor."""
    return (
        Offer.objects.filter(
            need__organisation=organisation,
            status__in=(OfferStatus.ACCEPTED, OfferStatus.PARTIAL),
            pickup__isnull=True,
        )
        .select_related("lot__category", "lot__donor_organisation", "lot__donor_user", "need")
        .prefetch_related("lot__windows")
        .order_by("lot__donor_organisation_id", "lot__donor_user_id", "pk")
    )


def pickups_of(organisation: Organisation, *, limit: int = 50) -> QuerySet[Pickup]:
    """Return the association's latest pickups with their offers."""
    return (
        Pickup.objects.filter(organisation=organisation)
        .prefetch_related("offers__lot__category", "offers__lot__donor_organisation")
        .order_by("-starts_at")[:limit]
    )


def lots_with_offers(lots: QuerySet[Lot]) -> QuerySet[Lot]:
    """Return the lots with their windows, photos and offers (each one's association, pickup)."""
    return lots.prefetch_related(
        "windows", "photos", "offers__need__organisation", "offers__pickup"
    ).order_by("-created_at")


def phone_declared(*, limit: int = 30) -> tuple[list[Lot], list[Need]]:
    """Return the latest lots and needs declared by phone, with their offers."""
    lots = (
        Lot.objects.filter(channel=Channel.PHONE)
        .select_related("category", "donor_organisation")
        .prefetch_related("offers__need__organisation")
        .order_by("-created_at")[:limit]
    )
    needs = (
        Need.objects.filter(channel=Channel.PHONE)
        .select_related("category", "organisation")
        .prefetch_related("offers__lot__donor_organisation")
        .order_by("-created_at")[:limit]
    )
    return list(lots), list(needs)


def goods_organisations(user: User) -> list[Organisation]:
    """Return the organisations the person gives or asks for goods in the name of (one query)."""
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role__in=(Membership.Role.ADMINISTRATOR, Membership.Role.MISSION_MANAGER),
            status__in=ACTING_STATUSES,
        )
        .order_by("name")
        .distinct()
    )


def round_stops(collection_round: CollectionRound) -> QuerySet[Pickup]:
    """Return the round's stops in route order with their goods and donors."""
    return (
        Pickup.objects.filter(collection_round=collection_round)
        .order_by("round_position")
        .prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related(
                    "lot__category", "lot__donor_organisation", "lot__donor_user"
                ).order_by("pk"),
            )
        )
    )


def rounds_of(organisation: Organisation) -> QuerySet[CollectionRound]:
    """Return the association's rounds, the latest day first."""
    return (
        CollectionRound.objects.filter(organisation=organisation)
        .select_related("organisation", "driver")
        .order_by("-day", "-starts_at")
    )


def rounds_coming(*, since: date, limit: int = 30) -> list[CollectionRound]:
    """Return the rounds still to drive from this day on, soonest first, with their stop count."""
    return list(
        CollectionRound.objects.filter(
            day__gte=since, status__in=(RoundStatus.PLANNED, RoundStatus.UNDER_WAY)
        )
        .select_related("organisation", "driver")
        .annotate(stop_count=Count("stops"))
        .order_by("day", "starts_at")[:limit]
    )


def rounds_driven_by(user: User) -> QuerySet[CollectionRound]:
    """Return the rounds the person drives, the latest day first."""
    return (
        CollectionRound.objects.filter(driver=user)
        .select_related("organisation", "driver")
        .order_by("-day", "-starts_at")
    )

"""Reads for receipts: an issuer's receipts, a donor's, the gifts still without one, statements."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import BigIntegerField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from entraide.accounts.models import User
from entraide.goods.models import (
    GoodsMovement,
    MovementKind,
    Pickup,
    PickupStatus,
    TerritoryFactor,
)
from entraide.organisations.models import Membership, Organisation
from entraide.receipts.models import IssuerProfile, Receipt

# The source_kind of a receipt for goods: a received pickup, by its id.
GOODS_PICKUP = "goods_pickup"


@dataclass(frozen=True)
class Line:
    """One line of a gift: what it was, its kilograms (goods) and its value in cents."""

    description: str
    value_cents: int
    kg: Decimal | None = None


def _cents(value: Decimal) -> int:
    """Return a value in cents rounded half up (a receipt never shows fractions of a cent)."""
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def received_lines(rows: Iterable[GoodsMovement]) -> list[Line]:
    """Return received kilograms per category and their declared value, pro rata of the kg.

    A lot declared at 40 kg for 60 € of which 20 kg were received gives 30 €: the value
    the donor declared, in proportion to the kilograms that reached the association.
    """
    kg: dict[int, Decimal] = defaultdict(Decimal)
    value: dict[int, Decimal] = defaultdict(Decimal)
    names: dict[int, tuple[int, str]] = {}
    for row in rows:
        lot = row.lot
        kg[row.category_id] += row.kg
        if lot.declared_value_cents and lot.weight_kg:
            value[row.category_id] += Decimal(lot.declared_value_cents) * row.kg / lot.weight_kg
        names[row.category_id] = (row.category.position, row.category.name)
    return [
        Line(description=names[pk][1], kg=kg[pk], value_cents=_cents(value[pk]))
        for pk in sorted(names, key=lambda pk: names[pk])
        if kg[pk] > 0
    ]


def pickup_lines(pickup: Pickup) -> list[Line]:
    """Return what a pickup brought per category, with the value the donor declared."""
    return received_lines(
        GoodsMovement.objects.filter(pickup=pickup, kind=MovementKind.RECEIVED).select_related(
            "lot", "category"
        )
    )


def issuer_of(organisation: Organisation) -> IssuerProfile | None:
    """Return the organisation's issuer profile, if it has one."""
    return IssuerProfile.objects.filter(organisation=organisation).first()


def receipts_of_issuer(organisation: Organisation, *, year: int | None = None) -> QuerySet[Receipt]:
    """Return the receipts an association issued, newest number first."""
    receipts = Receipt.objects.filter(issuer__organisation=organisation)
    if year is not None:
        receipts = receipts.filter(year=year)
    return receipts.select_related("replaces").order_by("-year", "-number")


def years_of_issuer(organisation: Organisation) -> list[int]:
    """Return the years the association issued receipts in, and this year, newest first."""
    years = set(
        Receipt.objects.filter(issuer__organisation=organisation).values_list("year", flat=True)
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def _with_live_receipt() -> QuerySet[Any, Any]:
    """Return the ids of the pickups that have a live receipt (a subquery)."""
    return (
        Receipt.objects.filter(source_kind=GOODS_PICKUP, cancelled_at__isnull=True)
        .annotate(pickup_id=Cast("source_id", BigIntegerField()))
        .values("pickup_id")
    )


def pickups_without_receipt(organisation: Organisation) -> list[Pickup]:
    """Return the association's received pickups that have no live receipt, newest first."""
    return list(
        Pickup.objects.filter(organisation=organisation, status=PickupStatus.RECEIVED)
        .exclude(pk__in=_with_live_receipt())
        .prefetch_related("offers__lot__donor_organisation", "offers__lot__donor_user")
        .order_by("-received_at")[:100]
    )


def associations_waiting(*, limit: int = 50) -> list[tuple[Organisation, int]]:
    """Return the associations with received pickups still without a receipt, and how many."""
    counts = (
        Pickup.objects.filter(status=PickupStatus.RECEIVED)
        .exclude(pk__in=_with_live_receipt())
        .values("organisation")
        .annotate(waiting=Count("pk"))
        .order_by("-waiting")[:limit]
    )
    waiting = {row["organisation"]: row["waiting"] for row in counts}
    organisations = Organisation.objects.in_bulk(list(waiting))
    return sorted(
        ((organisations[pk], n) for pk, n in waiting.items()), key=lambda o: (-o[1], o[0].name)
    )


def receipts_of_donor(
    *, organisation: Organisation | None = None, user: User | None = None, year: int | None = None
) -> QuerySet[Receipt]:
    """Return the receipts a donor organisation or person was given, newest first."""
    receipts = (
        Receipt.objects.filter(donor_organisation=organisation)
        if organisation is not None
        else Receipt.objects.filter(donor_user=user, donor_organisation__isnull=True)
    )
    if year is not None:
        receipts = receipts.filter(gift_date__year=year)
    return receipts.order_by("-gift_date", "-issued_at")


def receipt_by_token(token: str) -> Receipt | None:
    """Return the receipt with this verification token, if any."""
    if not token or len(token) > 32:
        return None
    return Receipt.objects.filter(token=token).first()


@dataclass
class Statement:
    """A donor's gifts in kind received by associations over one calendar year."""

    year: int
    donor_name: str
    lines: list[Line] = field(default_factory=list)
    meals: Decimal = Decimal("0")
    receipts: list[Receipt] = field(default_factory=list)

    @property
    def kg(self) -> Decimal:
        """Return the kilograms of every category together."""
        return sum((line.kg or Decimal("0") for line in self.lines), Decimal("0"))

    @property
    def value_cents(self) -> int:
        """Return the declared value of every category together."""
        return sum(line.value_cents for line in self.lines)


def _meals_of(rows: Iterable[GoodsMovement]) -> Decimal:
    """Return the meal equivalents of received rows, by goods' factors (territory's first)."""
    factors: dict[tuple[int | None, int], Decimal | None] = {
        (f.territory_id, f.category_id): f.meal_factor_per_kg
        for f in TerritoryFactor.objects.filter(meal_factor_per_kg__isnull=False)
    }
    meals = Decimal("0")
    for row in rows:
        territory = row.organisation.territory_id if row.organisation is not None else None
        factor = factors.get((territory, row.category_id), row.category.meal_factor_per_kg)
        meals += row.kg * (factor if factor is not None else row.category.meal_factor_per_kg)
    return meals


def donor_statement(
    *, year: int, organisation: Organisation | None = None, user: User | None = None
) -> Statement:
    """Return what a donor (an organisation, or else a person) gave in kind over a year."""
    zone = ZoneInfo(settings.TIME_ZONE)
    donor = (
        Q(lot__donor_organisation=organisation)
        if organisation is not None
        else Q(lot__donor_user=user, lot__donor_organisation__isnull=True)
    )
    first, after = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    # A gift's year is the day it was collected, as on its receipt (gift_date): goods
    # collected on 31 December and received on 2 January count, and are listed, in December.
    in_year = Q(pickup__collected_at__gte=first, pickup__collected_at__lt=after) | Q(
        pickup__collected_at__isnull=True, created_at__gte=first, created_at__lt=after
    )
    rows = list(
        GoodsMovement.objects.filter(donor, in_year, kind=MovementKind.RECEIVED).select_related(
            "lot", "category", "organisation"
        )
    )
    meals = _meals_of(rows)
    if organisation is not None:
        name = organisation.name
    else:
        name = (user.get_full_name() or user.email) if user is not None else ""
    return Statement(
        year=year,
        donor_name=name,
        lines=received_lines(rows),
        meals=meals,
        receipts=list(receipts_of_donor(organisation=organisation, user=user, year=year)),
    )


def receipt_organisations(user: User) -> list[Organisation]:
    """Return the organisations the person administers: their receipts or statements (one query)."""
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.ADMINISTRATOR
        )
        .order_by("name")
        .distinct()
    )

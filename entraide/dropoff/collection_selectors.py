"""Reads of the free home collection: the volume estimate, the rule that applies, the slots."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from entraide.dropoff.models import (
    BookingStatus,
    CatalogueItem,
    CollectionBooking,
    CollectionRule,
    CollectionSlot,
)
from entraide.goods.models import Category
from entraide.organisations.models import Territory

# Without a rule there is no threshold of the territory's: the 2 m³ says when a
# donation is too big for a point all the same, so the page can say none collects here.
DEFAULT_THRESHOLD_M3 = Decimal("2")

# Why a donation goes to a point or home collection (the page words each one).
HOME = "home"
SMALL = "small"
NO_RULE = "no_rule"
NOT_SERVED = "not_served"
NOT_COLLECTED = "not_collected"


@dataclass(frozen=True)
class Line:
    """One item of an estimate: what, how many, and their volume together."""

    item: CatalogueItem
    quantity: int

    @property
    def volume_m3(self) -> Decimal:
        """Return the volume of this many items."""
        return self.item.volume_m3 * self.quantity


@dataclass(frozen=True)
class Estimate:
    """The donor's items and the volume they make (or a volume typed directly)."""

    lines: list[Line] = field(default_factory=list)
    typed_m3: Decimal | None = None

    @property
    def volume_m3(self) -> Decimal:
        """Return the typed volume, else the items' total."""
        if self.typed_m3 is not None:
            return self.typed_m3
        return sum((line.volume_m3 for line in self.lines), start=Decimal("0"))

    @property
    def categories(self) -> list[Category]:
        """Return the goods categories of the items, once each."""
        seen: dict[int, Category] = {}
        for line in self.lines:
            seen.setdefault(line.item.category_id, line.item.category)
        return list(seen.values())

    def as_items(self) -> list[dict[str, object]]:
        """Return the lines as a booking stores them."""
        return [
            {
                "code": line.item.code,
                "name": line.item.name,
                "quantity": line.quantity,
                "volume_m3": str(line.volume_m3),
            }
            for line in self.lines
        ]


@dataclass(frozen=True)
class Choice:
    """Where the donation should go: a home collection under this rule, or a point, and why."""

    reason: str
    rule: CollectionRule | None
    threshold_m3: Decimal

    @property
    def home(self) -> bool:
        """Return True when the donor may book a home collection."""
        return self.reason == HOME


def catalogue_items() -> "QuerySet[CatalogueItem]":
    """Return the items offered to donors, in the catalogue's order."""
    return CatalogueItem.objects.filter(is_active=True).select_related("category")


def estimate(quantities: Mapping[str, int], typed_m3: Decimal | None = None) -> Estimate:
    """Return the estimate of these quantities by item code (unknown codes are ignored)."""
    items = {item.code: item for item in catalogue_items()}
    lines = [
        Line(items[code], quantity)
        for code, quantity in quantities.items()
        if code in items and quantity > 0
    ]
    return Estimate(lines=sorted(lines, key=lambda line: line.item.position), typed_m3=typed_m3)


def rule_for(postcode: str, country: str) -> CollectionRule | None:
    """Return the rule of the territory that serves this postcode, if one does."""
    rules = CollectionRule.objects.select_related("territory").prefetch_related("categories")
    for rule in rules.filter(territory__country=country.upper()):
        if rule.serves(postcode):
            return rule
    return None


def collection_choice(found: Estimate, *, postcode: str, country: str) -> Choice:
    """Return whether this donation is collected at home there, or goes to a point, and why."""
    rule = rule_for(postcode, country) if postcode.strip() else None
    threshold = rule.threshold_m3 if rule else DEFAULT_THRESHOLD_M3
    if found.volume_m3 <= threshold:
        return Choice(SMALL, rule, threshold)
    if rule is None:
        any_rule = CollectionRule.objects.filter(territory__country=country.upper()).exists()
        return Choice(NOT_SERVED if any_rule else NO_RULE, None, threshold)
    collected = {c.pk for c in rule.categories.all()}
    if any(c.pk not in collected for c in found.categories):
        return Choice(NOT_COLLECTED, rule, threshold)
    return Choice(HOME, rule, threshold)


def slots_with_room(territory: Territory) -> "QuerySet[CollectionSlot]":
    """Return the territory's slots annotated with their active bookings and places left."""
    return (
        CollectionSlot.objects.filter(territory=territory)
        .annotate(booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .order_by("starts_at", "id")
    )


def bookable_window(rule: CollectionRule, now: datetime) -> tuple[datetime, datetime]:
    """Return the first and last start a donor may book now (minimum notice, horizon)."""
    return now + timedelta(hours=rule.min_notice_hours), now + timedelta(days=rule.max_days_ahead)


def available_slots(rule: CollectionRule, now: datetime) -> list[CollectionSlot]:
    """Return the slots a donor may book now: within the notice and horizon, with room."""
    first, last = bookable_window(rule, now)
    slots = slots_with_room(rule.territory).filter(starts_at__gte=first, starts_at__lte=last)
    return [slot for slot in slots if slot.booked < slot.capacity]  # type: ignore[attr-defined]


def upcoming_slots(territory: Territory, now: datetime) -> list[CollectionSlot]:
    """Return the territory's slots that have not ended, for staff."""
    return list(slots_with_room(territory).filter(ends_at__gt=now))


def bookings_of_day(territory: Territory, day: date) -> "QuerySet[CollectionBooking]":
    """Return the home collections of one local day in the territory, by slot."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=territory.zone)
    return (
        CollectionBooking.objects.filter(
            slot__territory=territory,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + timedelta(days=1),
        )
        .select_related("slot")
        .order_by("slot__starts_at", "id")
    )


def booking_by_token(token: str) -> CollectionBooking:
    """Return the booking of a private link, or raise Http404."""
    return get_object_or_404(
        CollectionBooking.objects.select_related("slot__territory"), token=token
    )


def territories_with_rules() -> "QuerySet[Territory]":
    """Return the territories that offer home collection."""
    return Territory.objects.filter(collection_rule__isnull=False).order_by("name")

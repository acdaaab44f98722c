"""Writes for lots: declare (with the food-safety rules), cancel, expire, and recurring series."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.core.events import record_event
from entraide.core.places import place_from_input
from entraide.core.vocabulary import Channel
from entraide.goods import permissions
from entraide.goods.models import (
    BAND_MIDPOINT_KG,
    LOT_OPEN_STATUSES,
    MAX_KG,
    Category,
    Lot,
    LotEvent,
    LotSeries,
    LotStatus,
    LotWindow,
    MovementKind,
    Offer,
    OfferEvent,
    OfferStatus,
    Unit,
    WeightBand,
)
from entraide.goods.services._common import move, pickup_deadline, transition
from entraide.organisations.models import Organisation

Window = tuple[datetime, datetime]


def _weight(weight_kg: Decimal | str | None, weight_band: str) -> tuple[Decimal, bool]:
    """Return the lot's weight and whether it is estimated (from a band), or raise."""
    if weight_kg not in (None, ""):
        try:
            weight = Decimal(str(weight_kg))
        except InvalidOperation:
            weight = Decimal("-1")
        if not (Decimal("0.01") <= weight <= MAX_KG) or weight != round(weight, 2):
            raise ValidationError({"weight_kg": [_("Give a weight between 0.01 and 100,000 kg.")]})
        return weight, False
    if weight_band in WeightBand.values:
        return BAND_MIDPOINT_KG[WeightBand(weight_band)], True
    if weight_band:
        raise ValidationError({"weight_band": [_("Choose one of the weight bands.")]})
    raise ValidationError(
        {"weight_kg": [_("Give the weight, or choose a band if you cannot weigh it.")]}
    )


def _check_windows(windows: Sequence[Window], *, deadline: datetime | None) -> list[str]:
    """Return what is wrong with the pickup windows (none: they are fine)."""
    if not windows:
        return [_("Give at least one time the lot can be collected.")]
    now = timezone.now()
    for starts_at, ends_at in windows:
        if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
            return [_("Give each pickup time with its time zone.")]
        if ends_at <= starts_at:
            return [_("A pickup window must end after it starts.")]
        if ends_at <= now:
            return [_("A pickup window is already over.")]
        if deadline is not None and starts_at >= deadline:
            return [_("A pickup window starts after the lot must be collected (its use-by date).")]
    return []


def _donor(
    *, actor: User | None, donor_organisation: Organisation | None, donor_user: User | None
) -> User | None:
    """Return the person who gives (when no organisation does), after checking the actor."""
    if donor_organisation is not None:
        if not permissions.can_act_for(actor, donor_organisation):
            raise PermissionDeniedError(
                _("Only the organisation's members can offer goods in its name.")
            )
        return donor_user
    donor_user = donor_user or actor
    if donor_user is None:
        raise ValidationError({"donor_organisation": [_("Say who gives these goods.")]})
    if donor_user != actor and not permissions.is_goods_staff(actor):
        raise PermissionDeniedError(_("You can only offer your own goods."))
    return donor_user


@transaction.atomic
def lot_declare(
    *,
    actor: User | None,
    channel: str,
    category: Category,
    windows: Sequence[Window],
    donor_organisation: Organisation | None = None,
    donor_user: User | None = None,
    weight_kg: Decimal | str | None = None,
    weight_band: str = "",
    quantity: Decimal | None = None,
    unit: str = Unit.KG,
    volume_m3: Decimal | None = None,
    use_by: date | None = None,
    best_before: date | None = None,
    cold_chain: bool = False,
    divisible: bool = True,
    description: str = "",
    declared_value_cents: int | None = None,
    address: str = "",
    postcode: str = "",
    town: str = "",
    country: str = "",
    lat: float | None = None,
    lon: float | None = None,
    series: LotSeries | None = None,
    occurrence_on: date | None = None,
    propose: bool = True,
) -> Lot:
    """Offer a lot: refuse what food safety forbids, write its ledger row, propose it around."""
    # A series' occurrences are created by the job: the donor was checked with the series.
    if series is None:
        donor_user = _donor(
            actor=actor, donor_organisation=donor_organisation, donor_user=donor_user
        )
    errors: dict[str, list[str]] = {}
    if not category.is_active:
        errors["category"] = [_("This category is not offered any more.")]
    try:
        weight, estimated = _weight(weight_kg, weight_band)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        weight, estimated = Decimal("0"), False
    today = timezone.localdate()
    if use_by is not None and use_by < today:
        errors["use_by"] = [_("This lot is past its use-by date: it cannot be offered.")]
    if category.needs_cold and not cold_chain:
        errors["cold_chain"] = [
            _("Chilled and frozen goods can only be offered if they were kept cold.")
        ]
    deadline = pickup_deadline(
        use_by=use_by,
        needs_cold=category.needs_cold or cold_chain,
        organisation=donor_organisation,
    )
    if "use_by" not in errors and (problems := _check_windows(windows, deadline=deadline)):
        errors["windows"] = problems
    place_values = {}
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["town"] = [_("This position is not on the map.")]
        place_values = Lot.position_values(lat, lon)
        if not town.strip() and donor_organisation is not None:
            # The pin was moved from the donor's own place: keep its address for people to read.
            address, postcode = donor_organisation.address, donor_organisation.postcode
            town, country = donor_organisation.town, donor_organisation.country
    elif town.strip():
        try:
            place = place_from_input(address=address, postcode=postcode, town=town, country=country)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            place_values = Lot.position_values(place.lat, place.lon)
            country = country or place.country
    elif donor_organisation is not None and donor_organisation.has_position:
        # Goods are collected at the donor's address unless another one is given.
        address, postcode = donor_organisation.address, donor_organisation.postcode
        town, country = donor_organisation.town, donor_organisation.country
        place_values = Lot.position_values(donor_organisation.lat, donor_organisation.lon)
    else:
        errors["town"] = [_("Say where the goods can be collected.")]
    if errors:
        raise ValidationError(errors)
    lot = Lot(
        donor_organisation=donor_organisation,
        donor_user=donor_user,
        category=category,
        description=description.strip(),
        quantity=quantity if quantity is not None else weight,
        unit=unit,
        weight_kg=weight,
        weight_band=weight_band if estimated else "",
        weight_estimated=estimated,
        volume_m3=volume_m3,
        use_by=use_by,
        best_before=best_before,
        cold_chain=cold_chain,
        divisible=divisible,
        declared_value_cents=declared_value_cents,
        address=address.strip(),
        postcode=postcode.strip(),
        town=town.strip(),
        country=(country or "BE").upper(),
        **place_values,
        kg_open=weight,
        status=LotStatus.OFFERED,
        channel=channel,
        series=series,
        occurrence_on=occurrence_on,
        created_by=actor,
    )
    lot.full_clean()
    lot.save()
    LotWindow.objects.bulk_create(
        [LotWindow(lot=lot, starts_at=start, ends_at=end) for start, end in windows]
    )
    move(
        lot,
        MovementKind.DECLARED,
        weight,
        actor=actor,
        channel=channel,
        organisation=donor_organisation,
    )
    record_event(
        LotEvent,
        lot,
        "declared",
        actor=actor,
        channel=channel,
        to_status=LotStatus.OFFERED,
        data={"kg": str(weight), "estimated": estimated},
    )
    if propose:
        from entraide.goods.services.offers import allocation_propose

        allocation_propose(lots=[lot], actor=actor, channel=channel)
    return lot


def _withdraw_open_kg(lot: Lot, *, actor: User | None, channel: str, reason: str) -> None:
    """Take the lot's still available kilograms off offer, with their ledger row."""
    if lot.kg_open > 0:
        move(
            lot,
            MovementKind.WITHDRAWN,
            -lot.kg_open,
            actor=actor,
            channel=channel,
            organisation=lot.donor_organisation,
            reason=reason,
        )
    Lot.objects.filter(pk=lot.pk).update(kg_open=Decimal("0"))
    lot.kg_open = Decimal("0")
    for offer in Offer.objects.filter(lot=lot, status=OfferStatus.PROPOSED):
        Offer.objects.filter(pk=offer.pk, status=OfferStatus.PROPOSED).update(
            status=OfferStatus.EXPIRED, answered_at=timezone.now()
        )
        record_event(
            OfferEvent,
            offer,
            "withdrawn",
            actor=actor,
            channel=channel,
            from_status=OfferStatus.PROPOSED,
            to_status=OfferStatus.EXPIRED,
            reason=reason,
        )


@transaction.atomic
def lot_cancel(*, lot: Lot, actor: User | None, channel: str, reason: str = "") -> Lot:
    """Withdraw a lot nobody has accepted kilograms of yet."""
    if not permissions.can_manage_lot(actor, lot):
        raise PermissionDeniedError(_("Only the donor can cancel this lot."))
    waiting = Offer.objects.filter(
        lot=lot, status__in=(OfferStatus.ACCEPTED, OfferStatus.PARTIAL)
    ).exclude(pickup__status__in=("collected", "partial", "missed", "received"))
    if waiting.exists():
        raise ConflictError(
            _(
                "An association has accepted part of this lot and will collect it: agree with "
                "it first, it can record the pickup as not done."
            )
        )
    old = transition(
        lot,
        allowed_from=(LotStatus.DRAFT, *LOT_OPEN_STATUSES),
        conflict_message=_("This lot is not on offer any more."),
        gone_message=_("This lot no longer exists."),
        status=LotStatus.CANCELLED,
    )
    _withdraw_open_kg(lot, actor=actor, channel=channel, reason=reason.strip()[:500])
    record_event(
        LotEvent,
        lot,
        "cancelled",
        actor=actor,
        channel=channel,
        from_status=old,
        to_status=LotStatus.CANCELLED,
        reason=reason,
    )
    return lot


@transaction.atomic
def lot_expire(*, lot: Lot) -> Lot:
    """Take a lot off offer once its pickup deadline (use-by date) or last window has passed."""
    old = transition(
        lot,
        allowed_from=LOT_OPEN_STATUSES,
        conflict_message=_("This lot is not on offer any more."),
        gone_message=_("This lot no longer exists."),
        status=LotStatus.EXPIRED,
    )
    _withdraw_open_kg(lot, actor=None, channel=Channel.SYSTEM, reason="expired")
    record_event(
        LotEvent,
        lot,
        "expired",
        channel=Channel.SYSTEM,
        from_status=old,
        to_status=LotStatus.EXPIRED,
    )
    return lot


@transaction.atomic
def lot_series_create(
    *,
    actor: User | None,
    channel: str,
    category: Category,
    weekdays: Sequence[int],
    window_start: time,
    window_end: time,
    typical_kg: Decimal,
    starts_on: date,
    donor_organisation: Organisation | None = None,
    donor_user: User | None = None,
    ends_on: date | None = None,
    use_by_days: int | None = None,
    cold_chain: bool = False,
    divisible: bool = True,
    horizon_days: int = 14,
    description: str = "",
) -> LotSeries:
    """Save a recurring lot ("every Tuesday, about 40 kg of bread"); the job creates its lots."""
    donor_user = _donor(actor=actor, donor_organisation=donor_organisation, donor_user=donor_user)
    errors: dict[str, list[str]] = {}
    days = sorted(set(weekdays))
    if not days or any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        errors["weekdays"] = [_("Choose the days of the week the goods are ready.")]
    if window_end <= window_start:
        errors["window_end"] = [_("A pickup window must end after it starts.")]
    if category.needs_cold and not cold_chain:
        errors["cold_chain"] = [
            _("Chilled and frozen goods can only be offered if they were kept cold.")
        ]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The series must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    place = donor_organisation
    series = LotSeries(
        donor_organisation=donor_organisation,
        donor_user=donor_user,
        category=category,
        description=description.strip(),
        weekdays=days,
        window_start=window_start,
        window_end=window_end,
        typical_kg=typical_kg,
        use_by_days=use_by_days,
        cold_chain=cold_chain,
        divisible=divisible,
        horizon_days=horizon_days,
        starts_on=starts_on,
        ends_on=ends_on,
        channel=channel,
        created_by=actor,
    )
    if place is not None:
        series.address, series.postcode, series.town = place.address, place.postcode, place.town
        series.country = place.country
        series.set_position(place.lat, place.lon)
    series.full_clean()
    series.save()
    return series


def series_occurrences(series: LotSeries, *, today: date) -> list[date]:
    """Return the days of the series' lots from today to its horizon."""
    first = max(today, series.starts_on)
    last = today + timedelta(days=series.horizon_days - 1)
    if series.ends_on is not None:
        last = min(last, series.ends_on)
    days = []
    day = first
    while day <= last:
        if day.weekday() in series.weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days

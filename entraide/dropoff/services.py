"""Writes of drop-off points: the one path for pages, the API, the back office and the demo."""

from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from entraide.core.events import record_event
from entraide.core.places import place_from_input
from entraide.dropoff import hours, permissions
from entraide.dropoff.models import (
    MAX_BAGS,
    MAX_DONATION_M3,
    DropoffDonation,
    DropoffPoint,
    DropoffPointEvent,
    FillLevel,
    OpeningException,
    OpeningRange,
    PickupRequest,
    PickupRequestStatus,
    PointStatus,
    Weekday,
)
from entraide.goods.models import Category
from entraide.organisations.models import Organisation, Territory

WeeklyInput = Iterable[tuple[int, time, time]]


def _require_host(actor: User | None, organisation: Organisation) -> None:
    if not permissions.can_host(actor, organisation):
        raise PermissionDeniedError(_("Only the organisation's members and staff can do this."))


def _lock(point: DropoffPoint) -> DropoffPoint:
    """Lock the point's row until the transaction ends, so its changes and events stay in order."""
    locked = DropoffPoint.objects.select_for_update().filter(pk=point.pk).first()
    if locked is None:
        raise NotFoundError(_("This drop-off point no longer exists."))
    return locked


@transaction.atomic
def point_create(
    *,
    organisation: Organisation,
    territory: Territory,
    name: str,
    address: str,
    postcode: str,
    town: str,
    country: str,
    categories: Sequence[Category],
    step_free: bool = False,
    accessibility_notes: str = "",
    description: str = "",
    position: tuple[float, float] | None = None,
    actor: User | None,
    channel: str,
) -> DropoffPoint:
    """Open a drop-off point at a geocoded address (or a pinned position), hosted by members."""
    _require_host(actor, organisation)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the point a name people will recognise.")]
    if not categories:
        errors["categories"] = [_("Choose at least one category the point accepts.")]
    try:
        place = place_from_input(address=address, postcode=postcode, town=town, country=country)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    point = DropoffPoint(
        organisation=organisation,
        territory=territory,
        name=name.strip(),
        description=description.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
        town=town.strip(),
        country=place.country,
        step_free=step_free,
        accessibility_notes=accessibility_notes.strip(),
    )
    # A pin on the map is more precise than the offline gazetteer, which knows towns only.
    if position is not None:
        point.set_position(*position)
    else:
        point.set_place(place)
    point.full_clean()
    point.save()
    point.categories.set(categories)
    record_event(
        DropoffPointEvent,
        point,
        "created",
        actor=actor,
        channel=channel,
        to_status=point.status,
        data={"categories": sorted(category.code for category in categories)},
    )
    return point


def _check_day(ranges: Sequence[hours.Range]) -> list[str]:
    """Return the errors of one day's ranges: each must close after it opens, none overlap."""
    if any(r.closes <= r.opens for r in ranges):
        return [_("Each range must close after it opens.")]
    pair = hours.overlapping(ranges)
    if pair is not None:
        return [
            _("%(first)s and %(second)s overlap.")
            % {
                "first": f"{pair[0].opens:%H:%M}-{pair[0].closes:%H:%M}",
                "second": f"{pair[1].opens:%H:%M}-{pair[1].closes:%H:%M}",
            }
        ]
    return []


@transaction.atomic
def point_set_hours(
    *, point: DropoffPoint, weekly: WeeklyInput, actor: User | None, channel: str
) -> DropoffPoint:
    """Replace the point's weekly opening ranges (several ranges a day allowed)."""
    _require_host(actor, point.organisation)
    by_day: dict[int, list[hours.Range]] = {}
    for weekday, opens, closes in weekly:
        if weekday not in Weekday.values:
            raise ValidationError({"weekly": [_("Unknown day of the week.")]})
        by_day.setdefault(weekday, []).append(hours.Range(opens, closes))
    errors = {}
    for weekday, ranges in by_day.items():
        problems = _check_day(ranges)
        if problems:
            errors[f"weekday_{weekday}"] = [f"{Weekday(weekday).label}: {problems[0]}"]
    if errors:
        raise ValidationError(errors)
    _lock(point)
    point.opening_ranges.all().delete()
    OpeningRange.objects.bulk_create(
        OpeningRange(point=point, weekday=weekday, opens=r.opens, closes=r.closes)
        for weekday, ranges in sorted(by_day.items())
        for r in ranges
    )
    record_event(
        DropoffPointEvent,
        point,
        "hours_set",
        actor=actor,
        channel=channel,
        data={
            str(weekday): [f"{r.opens:%H:%M}-{r.closes:%H:%M}" for r in sorted(ranges)]
            for weekday, ranges in sorted(by_day.items())
        },
    )
    return point


@transaction.atomic
def point_add_exception(
    *,
    point: DropoffPoint,
    on_date: date,
    ranges: Sequence[tuple[time, time]] = (),
    label: str = "",
    actor: User | None,
    channel: str,
) -> DropoffPoint:
    """Replace one date's hours: closed all day (no ranges) or special ranges that day."""
    _require_host(actor, point.organisation)
    special = [hours.Range(opens, closes) for opens, closes in ranges]
    problems = _check_day(special)
    if problems:
        raise ValidationError({"ranges": problems})
    if len(label) > 120:
        raise ValidationError({"label": [_("Keep the label under 120 characters.")]})
    _lock(point)
    point.opening_exceptions.filter(on_date=on_date).delete()
    if special:
        OpeningException.objects.bulk_create(
            OpeningException(
                point=point,
                on_date=on_date,
                closed=False,
                opens=r.opens,
                closes=r.closes,
                label=label.strip(),
            )
            for r in sorted(special)
        )
    else:
        OpeningException.objects.create(point=point, on_date=on_date, label=label.strip())
    record_event(
        DropoffPointEvent,
        point,
        "exception_set",
        actor=actor,
        channel=channel,
        reason=label.strip(),
        data={
            "date": on_date.isoformat(),
            "ranges": [f"{r.opens:%H:%M}-{r.closes:%H:%M}" for r in sorted(special)],
        },
    )
    return point


@transaction.atomic
def point_close(
    *,
    point: DropoffPoint,
    reason: str,
    until: date | None,
    today: date,
    actor: User | None,
    channel: str,
) -> DropoffPoint:
    """Close a point temporarily, with a reason, until a local date (or until reopened)."""
    _require_host(actor, point.organisation)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the point is closed: people read it on its page.")]
    elif len(reason.strip()) > 300:
        errors["reason"] = [_("Keep the reason under 300 characters.")]
    if until is not None and until < today:
        errors["until"] = [_("The closing date is in the past.")]
    if errors:
        raise ValidationError(errors)
    old = _lock(point).status
    DropoffPoint.objects.filter(pk=point.pk).update(
        status=PointStatus.CLOSED, closed_reason=reason.strip(), closed_until=until
    )
    point.refresh_from_db()
    record_event(
        DropoffPointEvent,
        point,
        "closed",
        actor=actor,
        channel=channel,
        from_status=old,
        to_status=PointStatus.CLOSED,
        reason=reason.strip(),
        data={"until": until.isoformat() if until else None},
    )
    return point


@transaction.atomic
def point_reopen(*, point: DropoffPoint, actor: User | None, channel: str) -> DropoffPoint:
    """Reopen a temporarily closed point (its weekly hours apply again)."""
    _require_host(actor, point.organisation)
    # The conditional UPDATE: of a host reopening and another closing at once, one wins.
    updated = DropoffPoint.objects.filter(pk=point.pk, status=PointStatus.CLOSED).update(
        status=PointStatus.OPEN, closed_reason="", closed_until=None
    )
    if updated != 1:
        raise ConflictError(_("This point is already open."))
    point.refresh_from_db()
    record_event(
        DropoffPointEvent,
        point,
        "reopened",
        actor=actor,
        channel=channel,
        from_status=PointStatus.CLOSED,
        to_status=PointStatus.OPEN,
    )
    return point


@transaction.atomic
def point_set_fill_level(
    *, point: DropoffPoint, level: str, actor: User | None, channel: str
) -> DropoffPoint:
    """Set how full the point is; a full point has no room for donations."""
    _require_host(actor, point.organisation)
    if level not in FillLevel.values:
        raise ValidationError({"level": [_("Choose empty, half full, nearly full or full.")]})
    old = _lock(point).fill_level
    DropoffPoint.objects.filter(pk=point.pk).update(fill_level=level)
    point.refresh_from_db()
    record_event(
        DropoffPointEvent,
        point,
        "fill_level",
        actor=actor,
        channel=channel,
        data={"from": old, "to": level},
    )
    return point


@transaction.atomic
def point_log_donation(
    *,
    point: DropoffPoint,
    categories: Sequence[Category],
    bags: int | None,
    volume_m3: Decimal | None,
    actor: User | None,
    channel: str,
) -> DropoffDonation:
    """Log a donation received at the point: what it was and how much, in bags or m³."""
    _require_host(actor, point.organisation)
    errors: dict[str, list[str]] = {}
    if not categories:
        errors["categories"] = [_("Choose what the donation was.")]
    if bags is None and volume_m3 is None:
        errors["bags"] = [_("Give an estimate: a number of bags or a volume in m³.")]
    if bags is not None and not 1 <= bags <= MAX_BAGS:
        errors["bags"] = [_("Give between 1 and %(max)s bags.") % {"max": MAX_BAGS}]
    if volume_m3 is not None and not Decimal("0.01") <= volume_m3 <= MAX_DONATION_M3:
        errors["volume_m3"] = [
            _("Give a volume between 0.01 and %(max)s m³.") % {"max": MAX_DONATION_M3}
        ]
    if errors:
        raise ValidationError(errors)
    _lock(point)
    donation = DropoffDonation.objects.create(
        point=point, bags=bags, volume_m3=volume_m3, logged_by=actor
    )
    donation.categories.set(categories)
    record_event(
        DropoffPointEvent,
        point,
        "donation",
        actor=actor,
        channel=channel,
        data={
            "donation": donation.pk,
            "categories": sorted(c.code for c in categories),
            "bags": bags,
            "volume_m3": str(volume_m3) if volume_m3 is not None else None,
        },
    )
    return donation


@transaction.atomic
def point_request_pickup(
    *, point: DropoffPoint, note: str = "", actor: User | None, channel: str
) -> PickupRequest:
    """Ask staff to empty the point; while one request waits, asking again is a conflict."""
    _require_host(actor, point.organisation)
    if len(note.strip()) > 300:
        raise ValidationError({"note": [_("Keep the note under 300 characters.")]})
    locked = _lock(point)
    # The row lock orders two hosts asking at once; the partial unique index backs it up.
    if point.pickup_requests.filter(status=PickupRequestStatus.REQUESTED).exists():
        raise ConflictError(_("A pickup is already requested for this point."))
    request = PickupRequest.objects.create(
        point=point, note=note.strip(), fill_level=locked.fill_level, requested_by=actor
    )
    record_event(
        DropoffPointEvent,
        point,
        "pickup_requested",
        actor=actor,
        channel=channel,
        reason=note.strip(),
        data={"pickup_request": request.pk, "fill_level": locked.fill_level},
    )
    return request

"""Writes of lodging: places and their nights, codes and quotas, bookings and their stays.

The one path for the pages, the desk's phone bookings, the API, the back office and the demo.
Every booking write takes the place's row lock first, so the beds of a night are counted and
numbered by one transaction at a time; the Night ledger's unique (place, date, bed) is the
database's own guarantee behind it (see docs/lodging.md).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from entraide.core.events import record_event
from entraide.core.phones import normalise_phone
from entraide.core.places import place_from_input
from entraide.lodging import permissions, selectors
from entraide.lodging.models import (
    CHECKLIST,
    HOLDING,
    MAX_CAPACITY,
    MAX_NIGHTS,
    BlockedNight,
    Booking,
    BookingCode,
    BookingEvent,
    BookingStatus,
    Night,
    NightWindow,
    Place,
    PlaceKind,
    Quota,
    Unit,
)
from entraide.organisations.models import Organisation

# How long a held booking keeps its nights while the association confirms.
HOLD_MINUTES = 10
# How far ahead nights can be booked or blocked.
MAX_DAYS_AHEAD = 365


def _night(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# ---------------------------------------------------------------------------- places


def _place_errors(
    *,
    name: str,
    kind: str,
    unit: str,
    capacity: int,
    checklist: Sequence[str],
    no_show_hour: int,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the place a name guests' associations will recognise.")]
    elif len(name.strip()) > 120:
        errors["name"] = [_("Keep the name under 120 characters.")]
    if kind not in PlaceKind.values:
        errors["kind"] = [_("Choose single, double, family or accessible.")]
    if unit not in Unit.values:
        errors["unit"] = [_("Choose a room or a pool of beds.")]
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [_("Give between 1 and %(max)s.") % {"max": MAX_CAPACITY}]
    known = {key for key, _label in CHECKLIST}
    if any(item not in known for item in checklist):
        errors["checklist"] = [_("Tick only items of the checklist.")]
    if not 0 <= no_show_hour <= 23:
        errors["no_show_hour"] = [_("Give an hour between 0 and 23.")]
    return errors


@transaction.atomic
def place_save(
    *,
    place: Place | None = None,
    host: Organisation,
    name: str,
    capacity: int,
    kind: str = PlaceKind.SINGLE,
    unit: str = Unit.ROOM,
    address: str = "",
    postcode: str = "",
    town: str = "",
    country: str = "",
    step_free: bool = False,
    house_rules: str = "",
    checklist: Sequence[str] = (),
    contact_name: str = "",
    contact_phone: str = "",
    no_show_hour: int = 23,
    published: bool = True,
    actor: User | None,
    channel: str,
) -> Place:
    """Publish a new place of a host, or change one (its hosts and the desk)."""
    if not permissions.can_host(actor, host):
        raise PermissionDeniedError(_("Only the host's members can publish its places."))
    if place is not None and place.host_id != host.pk:
        raise NotFoundError(_("This place is not one of the host's."))
    errors = _place_errors(
        name=name,
        kind=kind,
        unit=unit,
        capacity=capacity,
        checklist=checklist,
        no_show_hour=no_show_hour,
    )
    country = (country or host.country or "FR").strip().upper()
    try:
        contact_phone = normalise_phone(contact_phone, country or None)
    except ValidationError as exc:
        errors["contact_phone"] = exc.messages
    try:
        found = place_from_input(
            address=address or host.address,
            postcode=postcode or host.postcode,
            town=town or host.town,
            country=country,
        )
    except ValidationError as exc:
        errors.update({k: v for k, v in exc.message_dict.items() if k not in errors})
        found = None
    if place is not None and "capacity" not in errors:
        # Lowering the capacity must leave every bed already booked in range.
        locked = Place.objects.select_for_update().get(pk=place.pk)
        beds = capacity if unit == Unit.BEDS else 1
        top = Night.objects.filter(place=locked, bed__gt=beds).order_by("date").first()
        if top is not None:
            errors["capacity"] = [
                _("A guest holds bed %(bed)s on %(night)s: keep at least that many.")
                % {"bed": top.bed, "night": _night(top.date)}
            ]
        elif unit != locked.unit and locked.nights.exists():
            errors["unit"] = [_("This place has bookings: it stays booked the way it is.")]
    if errors:
        raise ValidationError(errors)
    target = place or Place(host=host, territory=host.territory)
    target.name = name.strip()
    target.kind = kind
    target.unit = unit
    target.capacity = capacity
    target.address = (address or host.address).strip()
    target.postcode = (postcode or host.postcode).strip()
    target.town = (town or host.town).strip()
    target.country = country
    target.step_free = step_free or kind == PlaceKind.ACCESSIBLE
    target.house_rules = house_rules.strip()
    target.checklist = [key for key, _label in CHECKLIST if key in set(checklist)]
    target.contact_name = contact_name.strip()
    target.contact_phone = contact_phone
    target.no_show_hour = no_show_hour
    target.published = published
    if found is not None:
        target.set_place(found)
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def place_set_windows(
    *,
    place: Place,
    windows: Iterable[tuple[int, time, time]],
    actor: User | None,
    channel: str,
) -> list[NightWindow]:
    """Replace a place's night windows (evening of a weekday, from, until next morning)."""
    if not permissions.can_manage_place(actor, place):
        raise PermissionDeniedError(_("Only the place's hosts can change its nights."))
    made: dict[int, NightWindow] = {}
    for weekday, starts, ends in windows:
        if not 0 <= weekday <= 6:
            raise ValidationError({"windows": [_("Choose a day of the week.")]})
        if ends >= starts:
            raise ValidationError(
                {"windows": [_("A night ends the next morning: end before it starts.")]}
            )
        if weekday in made:
            raise ValidationError({"windows": [_("Give one window a night.")]})
        made[weekday] = NightWindow(place=place, weekday=weekday, starts=starts, ends=ends)
    Place.objects.select_for_update().filter(pk=place.pk).first()
    place.windows.all().delete()
    return NightWindow.objects.bulk_create(sorted(made.values(), key=lambda w: w.weekday))


@transaction.atomic
def night_block(
    *,
    place: Place,
    night: date,
    reason: str = "",
    actor: User | None,
    channel: str,
    now: datetime | None = None,
) -> BlockedNight:
    """Keep one night of a place for the host; refused while a guest holds it."""
    if not permissions.can_manage_place(actor, place):
        raise PermissionDeniedError(_("Only the place's hosts can block its nights."))
    today = selectors.local_today(place, now)
    if night < today:
        raise ValidationError({"night": [_("This night is already past.")]})
    if night > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"night": [_("Block nights within a year.")]})
    if len(reason.strip()) > 200:
        raise ValidationError({"reason": [_("Keep the reason under 200 characters.")]})
    locked = Place.objects.select_for_update().get(pk=place.pk)
    if Night.objects.filter(place=locked, date=night).exists():
        raise ConflictError(_("A guest is booked that night: it cannot be blocked."))
    blocked, _created = BlockedNight.objects.get_or_create(
        place=locked, night=night, defaults={"reason": reason.strip()}
    )
    return blocked


@transaction.atomic
def night_unblock(*, place: Place, night: date, actor: User | None, channel: str) -> int:
    """Open a blocked night again; return 1 if it was blocked."""
    if not permissions.can_manage_place(actor, place):
        raise PermissionDeniedError(_("Only the place's hosts can block its nights."))
    deleted, _rows = BlockedNight.objects.filter(place=place, night=night).delete()
    return deleted


# ---------------------------------------------------------------------------- codes, quotas


@transaction.atomic
def code_create(
    *,
    association: Organisation,
    nights: int,
    expires_on: date,
    single_use: bool = False,
    host: Organisation | None = None,
    actor: User | None,
    channel: str,
    now: datetime | None = None,
) -> BookingCode:
    """Give an association a booking code for so many nights, valid until a date (the desk)."""
    territory = association.territory
    if not permissions.is_desk(actor, territory):
        raise PermissionDeniedError(_("Only the desk of the territory gives booking codes."))
    errors: dict[str, list[str]] = {}
    if association.kind != Organisation.Kind.ASSOCIATION:
        errors["association"] = [_("Codes are for associations.")]
    if not 1 <= nights <= 1000:
        errors["nights"] = [_("Give between 1 and 1,000 nights.")]
    today = (now or timezone.now()).astimezone(territory.zone).date()
    if expires_on < today:
        errors["expires_on"] = [_("This date is already past.")]
    elif expires_on > today + timedelta(days=MAX_DAYS_AHEAD):
        errors["expires_on"] = [_("Give a date within a year.")]
    if host is not None and host.territory_id != territory.pk:
        errors["host"] = [_("This host is in another territory.")]
    if errors:
        raise ValidationError(errors)
    code = BookingCode(
        association=association,
        territory=territory,
        host=host,
        nights=nights,
        single_use=single_use,
        expires_on=expires_on,
        created_by=actor,
    )
    code.full_clean()
    code.save()
    return code


@transaction.atomic
def quota_set(
    *,
    association: Organisation,
    month: date,
    nights: int,
    host: Organisation | None = None,
    actor: User | None,
    channel: str,
) -> Quota:
    """Set an association's nights for a month, at one host or in its territory (the desk)."""
    territory = association.territory
    if not permissions.is_desk(actor, territory):
        raise PermissionDeniedError(_("Only the desk of the territory sets quotas."))
    errors: dict[str, list[str]] = {}
    if association.kind != Organisation.Kind.ASSOCIATION:
        errors["association"] = [_("Quotas are for associations.")]
    if not 0 <= nights <= 100000:
        errors["nights"] = [_("Give between 0 and 100,000 nights.")]
    if host is not None and host.territory_id != territory.pk:
        errors["host"] = [_("This host is in another territory.")]
    if errors:
        raise ValidationError(errors)
    quota, _created = Quota.objects.update_or_create(
        association=association,
        territory=territory,
        host=host,
        month=month.replace(day=1),
        defaults={"nights": nights},
    )
    return quota


def _normal_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _charge_code(
    text: str, *, booking: Booking, nights: int, today: date, exclude: Booking | None = None
) -> BookingCode:
    """Return the locked code that pays for so many more nights, or refuse it clearly."""
    code = BookingCode.objects.select_for_update().filter(code=_normal_code(text)).first()
    if code is None:
        raise ValidationError({"code": [_("This booking code does not exist.")]})
    place = booking.place
    if code.association_id != booking.association_id:
        raise ValidationError({"code": [_("This code was given to another association.")]})
    if code.expires_on < today:
        raise ValidationError({"code": [_("This code has expired.")]})
    if code.territory_id != place.territory_id or (
        code.host_id is not None and code.host_id != place.host_id
    ):
        raise ValidationError({"code": [_("This code is not valid at this host.")]})
    others = code.bookings.exclude(status__in=(BookingStatus.CANCELLED, BookingStatus.EXPIRED))
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if code.single_use and others.exists():
        raise ValidationError({"code": [_("This code has already been used.")]})
    left = code.nights - selectors.code_nights_used(code)
    if nights > left:
        raise ValidationError(
            {"code": [_("This code has %(left)s nights left.") % {"left": max(left, 0)}]}
        )
    return code


def _charge_quota(booking: Booking, new_nights: Sequence[date]) -> None:
    """Refuse nights over the association's quotas of their months (rows locked in id order)."""
    place = booking.place
    months = sorted({night.replace(day=1) for night in new_nights})
    for month in months:
        quotas = list(
            Quota.objects.select_for_update()
            .filter(association=booking.association, territory=place.territory, month=month)
            .filter(Q(host__isnull=True) | Q(host=place.host))
            .order_by("id")
        )
        if not quotas:
            raise ValidationError(
                {
                    "code": [
                        _("No quota for %(month)s: give a booking code from the desk.")
                        % {"month": date_format(month, "YEAR_MONTH_FORMAT")}
                    ]
                }
            )
        wanted = sum(1 for night in new_nights if night.replace(day=1) == month)
        for quota in quotas:
            left = quota.nights - selectors.quota_nights_used(quota)
            if wanted > left:
                raise ValidationError(
                    {
                        "code": [
                            _("The quota of %(month)s has %(left)s nights left.")
                            % {
                                "month": date_format(month, "YEAR_MONTH_FORMAT"),
                                "left": max(left, 0),
                            }
                        ]
                    }
                )


# ---------------------------------------------------------------------------- bookings


def _stay_errors(place: Place, first: date, until: date, today: date) -> dict[str, list[str]]:
    """Return what is wrong with the dates of a stay at this place (nothing is locked yet)."""
    nights = (until - first).days
    if first < today:
        return {"first_night": [_("This night is already past: choose tonight or later.")]}
    if nights < 1:
        return {"nights": [_("Book at least one night.")]}
    if nights > MAX_NIGHTS:
        return {"nights": [_("Book at most %(max)s nights at a time.") % {"max": MAX_NIGHTS}]}
    if first > today + timedelta(days=MAX_DAYS_AHEAD):
        return {"first_night": [_("Book nights within a year.")]}
    closed = selectors.closed_nights(place, first, until)
    if closed:
        return {
            "first_night": [
                _("The place is not open on the night of %(night)s.") % {"night": _night(closed[0])}
            ]
        }
    return {}


def _take_beds(locked: Place, booking: Booking, nights: Sequence[date]) -> None:
    """Write one Night row per night on the lowest free bed; refuse when a night is full."""
    taken = selectors.beds_taken(locked, min(nights), max(nights) + timedelta(days=1))
    rows = []
    for night in nights:
        free = [bed for bed in range(1, locked.beds + 1) if bed not in taken[night]]
        if not free:
            raise ConflictError(
                _("The place is full on the night of %(night)s: choose another place or night.")
                % {"night": _night(night)},
                code="full",
            )
        rows.append(Night(place=locked, date=night, bed=free[0], booking=booking))
    try:
        # The database refuses a bed twice a night even if a writer skipped the lock.
        with transaction.atomic():
            Night.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise ConflictError(
            _("Somebody has just booked these nights: choose another place or night."),
            code="full",
        ) from exc


def _require_booker(actor: User | None, association: Organisation) -> None:
    if not permissions.can_book_for(actor, association):
        raise PermissionDeniedError(
            _("Only the association's members and the desk can book for it.")
        )


@transaction.atomic
def booking_hold(
    *,
    place: Place,
    association: Organisation,
    guest_reference: str,
    first_night: date,
    nights: int,
    code: str = "",
    confirm: bool = False,
    actor: User | None,
    channel: str,
    now: datetime | None = None,
) -> Booking:
    """Hold nights of a place for an association's guest (confirmed at once when asked).

    Paid by a booking code, or else within the association's quotas. A held booking keeps its
    beds for HOLD_MINUTES, then expires unless it is confirmed.
    """
    _require_booker(actor, association)
    now = now or timezone.now()
    today = selectors.local_today(place, now)
    errors: dict[str, list[str]] = {}
    reference = guest_reference.strip()
    if not reference:
        errors["guest_reference"] = [
            _("Give the guest's reference in your files (never their name).")
        ]
    elif len(reference) > 40:
        errors["guest_reference"] = [_("Keep the reference under 40 characters.")]
    if not place.published:
        errors["place"] = [_("This place is not open for booking.")]
    if not isinstance(nights, int) or not 1 <= nights <= MAX_NIGHTS:
        if isinstance(nights, int) and nights < 1:
            errors["nights"] = [_("Book at least one night.")]
        else:
            errors["nights"] = [_("Book at most %(max)s nights at a time.") % {"max": MAX_NIGHTS}]
    else:
        errors.update(_stay_errors(place, first_night, first_night + timedelta(days=nights), today))
    if errors:
        raise ValidationError(errors)
    # One booking of this place at a time from here: beds are counted and numbered under it.
    locked = Place.objects.select_for_update().select_related("territory", "host").get(pk=place.pk)
    booking = Booking(
        place=locked,
        association=association,
        guest_reference=reference,
        is_room=locked.unit == Unit.ROOM,
        first_night=first_night,
        until=first_night + timedelta(days=nights),
        status=BookingStatus.CONFIRMED if confirm else BookingStatus.HELD,
        held_until=None if confirm else now + timedelta(minutes=HOLD_MINUTES),
        channel=channel,
        booked_by=actor,
    )
    wanted = booking.night_dates()
    if code.strip():
        booking.code = _charge_code(code, booking=booking, nights=nights, today=today)
    else:
        _charge_quota(booking, wanted)
    booking.full_clean()
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        # PostgreSQL's exclusion constraint on rooms.
        raise ConflictError(
            _("Somebody has just booked these nights: choose another place or night."),
            code="full",
        ) from exc
    _take_beds(locked, booking, wanted)
    record_event(
        BookingEvent,
        booking,
        "held" if not confirm else "confirmed",
        actor=actor,
        channel=channel,
        to_status=booking.status,
        data={"nights": nights, "code": booking.code_id},
    )
    return booking


def _transition(
    booking: Booking,
    *,
    from_statuses: Sequence[str],
    to_status: str,
    kind: str,
    refusal: str,
    actor: User | None,
    channel: str,
    reason: str = "",
    **changes: object,
) -> Booking:
    """Move a booking from one of the statuses to another with one conditional UPDATE."""
    before = booking.status
    updated = Booking.objects.filter(pk=booking.pk, status__in=from_statuses).update(
        status=to_status, **changes
    )
    if updated != 1:
        raise ConflictError(refusal)
    booking.refresh_from_db()
    record_event(
        BookingEvent,
        booking,
        kind,
        actor=actor,
        channel=channel,
        from_status=before,
        to_status=to_status,
        reason=reason,
    )
    return booking


def _free_from(booking: Booking, night: date) -> int:
    """Give back the booking's beds from this night on; return how many bed-nights came back."""
    deleted, _rows = Night.objects.filter(booking=booking, date__gte=night).delete()
    return deleted


def booking_confirm(
    *, booking: Booking, actor: User | None, channel: str, now: datetime | None = None
) -> Booking:
    """Confirm a held booking before its hold runs out."""
    if not permissions.can_change_booking(actor, booking):
        raise PermissionDeniedError(_("Only the association that booked can confirm it."))
    now = now or timezone.now()
    if booking.status == BookingStatus.HELD and booking.held_until and booking.held_until <= now:
        # The expiry is kept: the refusal comes after its transaction.
        with transaction.atomic():
            _expire(booking, now=now)
        raise ConflictError(_("The hold ran out and the nights went back: book again."))
    with transaction.atomic():
        # Only a hold still running: the expiry job may be expiring it at this moment.
        updated = Booking.objects.filter(
            pk=booking.pk, status=BookingStatus.HELD, held_until__gt=now
        ).update(held_until=None)
        if updated != 1:
            raise ConflictError(_("This booking is not held any more."))
        return _transition(
            booking,
            from_statuses=(BookingStatus.HELD,),
            to_status=BookingStatus.CONFIRMED,
            kind="confirmed",
            refusal=_("This booking is not held any more."),
            actor=actor,
            channel=channel,
        )


@transaction.atomic
def booking_cancel(
    *, booking: Booking, reason: str = "", actor: User | None, channel: str
) -> Booking:
    """Cancel a booking before the guest arrives: every night comes back at once."""
    if not permissions.can_change_booking(actor, booking):
        raise PermissionDeniedError(_("Only the association that booked can cancel it."))
    if len(reason.strip()) > 300:
        raise ValidationError({"reason": [_("Keep the reason under 300 characters.")]})
    Place.objects.select_for_update().filter(pk=booking.place_id).first()
    booking = _transition(
        booking,
        from_statuses=(BookingStatus.HELD, BookingStatus.CONFIRMED),
        to_status=BookingStatus.CANCELLED,
        kind="cancelled",
        refusal=_("This booking can no longer be cancelled."),
        actor=actor,
        channel=channel,
        reason=reason.strip(),
        held_until=None,
    )
    _free_from(booking, booking.first_night)
    return booking


def _expire(booking: Booking, *, now: datetime) -> bool:
    """Expire a hold that ran out and give its nights back; False if it moved on meanwhile."""
    Place.objects.select_for_update().filter(pk=booking.place_id).first()
    updated = Booking.objects.filter(
        pk=booking.pk, status=BookingStatus.HELD, held_until__lte=now
    ).update(status=BookingStatus.EXPIRED)
    if updated != 1:
        return False
    booking.refresh_from_db()
    _free_from(booking, booking.first_night)
    record_event(
        BookingEvent,
        booking,
        "expired",
        channel="system",
        from_status=BookingStatus.HELD,
        to_status=BookingStatus.EXPIRED,
    )
    return True


def expire_holds(*, now: datetime | None = None) -> int:
    """Expire every hold that ran out (each in its own transaction); return how many."""
    now = now or timezone.now()
    expired = 0
    for booking in selectors.holds_due(now):
        with transaction.atomic():
            expired += int(_expire(booking, now=now))
    return expired


@transaction.atomic
def booking_change(
    *,
    booking: Booking,
    until: date,
    code: str = "",
    actor: User | None,
    channel: str,
    now: datetime | None = None,
) -> Booking:
    """Extend or shorten a live stay to leave on another morning; freed nights come back."""
    if not permissions.can_change_booking(actor, booking):
        raise PermissionDeniedError(_("Only the association that booked can change it."))
    if booking.status not in HOLDING:
        raise ConflictError(_("This booking can no longer be changed."))
    locked = (
        Place.objects.select_for_update()
        .select_related("territory", "host")
        .get(pk=booking.place_id)
    )
    booking.refresh_from_db()
    if booking.status not in HOLDING:
        raise ConflictError(_("This booking can no longer be changed."))
    today = selectors.local_today(locked, now)
    before = booking.until
    if until <= booking.first_night:
        raise ValidationError({"until": [_("Keep at least one night.")]})
    if until < today:
        raise ValidationError({"until": [_("Nights already past cannot be given back.")]})
    if (until - booking.first_night).days > MAX_NIGHTS:
        raise ValidationError(
            {"until": [_("Book at most %(max)s nights at a time.") % {"max": MAX_NIGHTS}]}
        )
    if until == before:
        return booking
    if until > before:
        errors = _stay_errors(locked, max(before, today), until, today)
        if errors:
            raise ValidationError({"until": [m for ms in errors.values() for m in ms]})
        added = selectors.nights_between(before, until)
        booking.place = locked
        if booking.code is not None:
            _charge_code(
                code or booking.code.code,
                booking=booking,
                nights=len(added),
                today=today,
                exclude=booking,
            )
        else:
            _charge_quota(booking, added)
        try:
            with transaction.atomic():
                Booking.objects.filter(pk=booking.pk).update(until=until)
        except IntegrityError as exc:
            raise ConflictError(
                _("Somebody has just booked these nights: choose another place or night."),
                code="full",
            ) from exc
        _take_beds(locked, booking, added)
    else:
        Booking.objects.filter(pk=booking.pk).update(until=until)
        _free_from(booking, until)
    booking.refresh_from_db()
    record_event(
        BookingEvent,
        booking,
        "extended" if until > before else "shortened",
        actor=actor,
        channel=channel,
        from_status=booking.status,
        to_status=booking.status,
        data={"from": before.isoformat(), "to": until.isoformat()},
    )
    return booking


def _require_host(actor: User | None, booking: Booking) -> None:
    if not permissions.can_manage_place(actor, booking.place):
        raise PermissionDeniedError(_("Only the place's hosts can record arrivals and departures."))


@transaction.atomic
def booking_check_in(
    *, booking: Booking, actor: User | None, channel: str, now: datetime | None = None
) -> Booking:
    """Record the guest's arrival (the host), from the first night's date on."""
    _require_host(actor, booking)
    now = now or timezone.now()
    today = selectors.local_today(booking.place, now)
    # After midnight the guest of last night still arrives on that night.
    if not booking.first_night <= today <= booking.until:
        raise DomainError(
            _("The guest is expected on the night of %(night)s.")
            % {"night": _night(booking.first_night)}
        )
    return _transition(
        booking,
        from_statuses=(BookingStatus.CONFIRMED,),
        to_status=BookingStatus.CHECKED_IN,
        kind="checked_in",
        refusal=_("Only a confirmed booking can be checked in."),
        actor=actor,
        channel=channel,
        checked_in_at=now,
    )


@transaction.atomic
def booking_check_out(
    *, booking: Booking, actor: User | None, channel: str, now: datetime | None = None
) -> Booking:
    """Record the guest's departure (the host): nights from tonight on come back at once."""
    _require_host(actor, booking)
    now = now or timezone.now()
    Place.objects.select_for_update().filter(pk=booking.place_id).first()
    today = selectors.local_today(booking.place, now)
    leaves = min(booking.until, max(today, booking.first_night + timedelta(days=1)))
    booking = _transition(
        booking,
        from_statuses=(BookingStatus.CHECKED_IN,),
        to_status=BookingStatus.CHECKED_OUT,
        kind="checked_out",
        refusal=_("Only a guest who arrived can be checked out."),
        actor=actor,
        channel=channel,
        checked_out_at=now,
        until=leaves,
    )
    _free_from(booking, leaves)
    return booking


def no_show_due(booking: Booking, now: datetime) -> bool:
    """Return True once the first night's no-show hour has passed (local time)."""
    zone = booking.place.territory.zone
    deadline = datetime.combine(booking.first_night, time(booking.place.no_show_hour), zone)
    return now >= deadline


@transaction.atomic
def booking_no_show(
    *, booking: Booking, actor: User | None, channel: str, now: datetime | None = None
) -> Booking:
    """Record that the guest did not come: the first night counts, the others come back."""
    if channel != "system":
        _require_host(actor, booking)
    now = now or timezone.now()
    if not no_show_due(booking, now):
        raise DomainError(
            _("A guest is a no-show only after %(hour)s:00 on the first night.")
            % {"hour": booking.place.no_show_hour}
        )
    Place.objects.select_for_update().filter(pk=booking.place_id).first()
    booking = _transition(
        booking,
        from_statuses=(BookingStatus.CONFIRMED,),
        to_status=BookingStatus.NO_SHOW,
        kind="no_show",
        refusal=_("Only a confirmed booking can be a no-show."),
        actor=actor,
        channel=channel,
        until=booking.first_night + timedelta(days=1),
    )
    _free_from(booking, booking.until)
    return booking


def mark_no_shows(*, now: datetime | None = None) -> int:
    """Mark every confirmed booking whose guest did not come by the no-show hour."""
    now = now or timezone.now()
    marked = 0
    for booking in selectors.arrivals_waiting():
        if not no_show_due(booking, now):
            continue
        try:
            booking_no_show(booking=booking, actor=None, channel="system", now=now)
        except ConflictError:
            continue
        marked += 1
    return marked

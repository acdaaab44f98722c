"""Writes of the free home collection: slots staff open, and donors' bookings and cancellations.

The one path for the pages, the phone desk, the API, the back office and the demo.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from entraide.core.events import record_event
from entraide.core.formats import format_number
from entraide.core.phones import normalise_phone
from entraide.core.places import place_from_input
from entraide.dropoff import permissions
from entraide.dropoff.collection_selectors import Estimate, bookable_window
from entraide.dropoff.models import (
    MAX_COLLECTION_M3,
    MIN_COLLECTION_M3,
    BookingStatus,
    CollectionBooking,
    CollectionBookingEvent,
    CollectionRule,
    CollectionSlot,
)
from entraide.notifications.services import notify
from entraide.organisations.models import Territory

MAX_WEEKS = 26

# Where and how to reach the donor: the booking's fields pages and the API pass as they are.
CONTACT_FIELDS = (
    "address",
    "postcode",
    "town",
    "country",
    "name",
    "email",
    "phone",
    "floor",
    "has_lift",
    "parking",
    "access_notes",
)


def _require_staff(actor: User | None) -> None:
    if not permissions.is_dropoff_staff(actor):
        raise PermissionDeniedError(_("Only staff can open collection slots."))


def _check_slot(starts_at: datetime, ends_at: datetime, capacity: int, now: datetime) -> None:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The slot must end after it starts.")]
    elif ends_at - starts_at > timedelta(hours=12):
        errors["ends_at"] = [_("Keep a slot within 12 hours.")]
    if starts_at <= now:
        errors["starts_at"] = [_("This slot would start in the past.")]
    if not 1 <= capacity <= 100:
        errors["capacity"] = [_("Give between 1 and 100 collections.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def slot_create(
    *,
    territory: Territory,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    weeks: int = 1,
    actor: User | None,
    channel: str,
    now: datetime | None = None,
) -> list[CollectionSlot]:
    """Open a collection slot, or the same slot each week for so many weeks (staff)."""
    _require_staff(actor)
    _check_slot(starts_at, ends_at, capacity, now or timezone.now())
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError({"weeks": [_("Repeat for 1 to %(max)s weeks.") % {"max": MAX_WEEKS}]})
    zone = territory.zone
    local_start, local_end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    # Aware arithmetic keeps the wall-clock hours: a slot at 9:00 stays at 9:00 after the
    # daylight-saving change.
    slots = [
        CollectionSlot(
            territory=territory,
            starts_at=local_start + timedelta(weeks=week),
            ends_at=local_end + timedelta(weeks=week),
            capacity=capacity,
            created_by=actor,
        )
        for week in range(weeks)
    ]
    for slot in slots:
        slot.full_clean()
    return CollectionSlot.objects.bulk_create(slots)


def _booking_errors(
    found: Estimate, rule: CollectionRule | None, postcode: str
) -> dict[str, list[str]]:
    """Return what is wrong with the donation itself, for this territory's rule."""
    errors: dict[str, list[str]] = {}
    volume = found.volume_m3
    if not MIN_COLLECTION_M3 <= volume <= MAX_COLLECTION_M3:
        errors["volume_m3"] = [
            _("Give a volume between %(min)s and %(max)s m³.")
            % {"min": format_number(MIN_COLLECTION_M3), "max": format_number(MAX_COLLECTION_M3)}
        ]
    if rule is None:
        return errors
    if "volume_m3" not in errors and volume <= rule.threshold_m3:
        errors["volume_m3"] = [
            _("We collect at home above %(threshold)s m³: bring this to a drop-off point.")
            % {"threshold": format_number(rule.threshold_m3)}
        ]
    if postcode.strip() and not rule.serves(postcode):
        errors["postcode"] = [_("We do not collect at home in this postcode.")]
    collected = {c.pk for c in rule.categories.all()}
    refused = [c.name for c in found.categories if c.pk not in collected]
    if refused:
        errors["items"] = [
            _("We do not collect these at home: %(names)s.") % {"names": ", ".join(refused)}
        ]
    return errors


@transaction.atomic
def booking_create(
    *,
    slot_id: int,
    estimate: Estimate,
    address: str,
    postcode: str,
    town: str,
    country: str,
    name: str,
    email: str,
    phone: str,
    floor: int = 0,
    has_lift: bool = False,
    parking: str = "",
    access_notes: str = "",
    language: str = "fr",
    donor: User | None,
    actor: User | None,
    channel: str,
    now: datetime | None = None,
) -> CollectionBooking:
    """Book a free home collection in a slot with room; the confirmation email goes out."""
    now = now or timezone.now()
    slot = CollectionSlot.objects.select_related("territory").filter(pk=slot_id).first()
    if slot is None:
        raise ValidationError({"slot": [_("Choose a collection slot.")]})
    rule = CollectionRule.objects.filter(territory=slot.territory).first()
    if rule is None:
        raise ValidationError({"slot": [_("There is no home collection in this territory.")]})
    errors = _booking_errors(estimate, rule, postcode)
    email = (email or (donor.email if donor else "")).strip()
    if not name.strip():
        errors["name"] = [_("Give the name the team asks for at the door.")]
    if not email and channel != "phone":
        errors["email"] = [_("Give your email: the confirmation and the link are sent there.")]
    try:
        phone = normalise_phone(phone, country or None)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if not phone and "phone" not in errors:
        errors["phone"] = [_("Give a phone number the team can call on the day.")]
    if not -5 <= floor <= 60:
        errors["floor"] = [_("Give a floor between -5 and 60.")]
    for field, text, limit in (("parking", parking, 300), ("access_notes", access_notes, 500)):
        if len(text.strip()) > limit:
            errors[field] = [_("Keep this under %(max)s characters.") % {"max": limit}]
    try:
        place = place_from_input(address=address, postcode=postcode, town=town, country=country)
    except ValidationError as exc:
        errors.update({k: v for k, v in exc.message_dict.items() if k not in errors})
    first, last = bookable_window(rule, now)
    if slot.starts_at < first:
        errors["slot"] = [
            _("Book at least %(hours)s hours ahead: choose a later slot.")
            % {"hours": rule.min_notice_hours}
        ]
    elif slot.starts_at > last:
        errors["slot"] = [_("Book at most %(days)s days ahead.") % {"days": rule.max_days_ahead}]
    if errors:
        raise ValidationError(errors)
    # The slot's row lock orders two donors booking at once: the second counts the first.
    locked = CollectionSlot.objects.select_for_update().filter(pk=slot.pk).first()
    if locked is None:
        raise NotFoundError(_("This collection slot no longer exists."))
    booked = locked.bookings.filter(status=BookingStatus.BOOKED).count()
    if booked >= locked.capacity:
        raise ConflictError(_("This slot has just been filled: choose another one."))
    booking = CollectionBooking(
        slot=locked,
        donor=donor,
        name=name.strip(),
        email=email,
        phone=phone,
        language=language[:2],
        items=estimate.as_items(),
        volume_m3=estimate.volume_m3,
        floor=floor,
        has_lift=has_lift,
        parking=parking.strip(),
        access_notes=access_notes.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
        town=town.strip(),
        country=place.country,
        channel=channel,
        booked_by=actor,
    )
    booking.set_place(place)
    booking.full_clean()
    booking.save()
    booking.categories.set(estimate.categories)
    record_event(
        CollectionBookingEvent,
        booking,
        "booked",
        actor=actor,
        channel=channel,
        to_status=BookingStatus.BOOKED,
        data={"slot": locked.pk, "volume_m3": str(booking.volume_m3)},
    )
    _notify(booking, "dropoff_collection_booked")
    return booking


def remind(booking: CollectionBooking) -> int:
    """Queue the day-before reminder of a booking; return 1 if it was new."""
    return _notify(booking, "dropoff_collection_reminder")


def _notify(booking: CollectionBooking, template: str) -> int:
    """Queue an email about the booking to the donor (the account's, or the address given)."""
    if not booking.email:
        return 0
    queued = notify(
        template=template,
        recipient=booking.donor,
        to_email=booking.email,
        language=booking.language,
        about=booking,
        context={},
        dedupe_key=f"dropoff:{template}:{booking.pk}",
    )
    return int(queued is not None)


@transaction.atomic
def booking_cancel(
    *,
    booking: CollectionBooking,
    by_token: bool = False,
    reason: str = "",
    actor: User | None,
    channel: str,
) -> CollectionBooking:
    """Cancel a booked collection: its place goes back to the slot."""
    allowed = (
        by_token
        or (actor is not None and booking.donor_id is not None and booking.donor_id == actor.pk)
        or permissions.is_dropoff_operator(actor)
    )
    if not allowed:
        raise PermissionDeniedError(_("Only the donor, operators and staff can cancel this."))
    if len(reason.strip()) > 300:
        raise ValidationError({"reason": [_("Keep the reason under 300 characters.")]})
    # The conditional UPDATE: a cancellation and a round recording the stop cannot both win.
    updated = CollectionBooking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
        status=BookingStatus.CANCELLED
    )
    if updated != 1:
        raise ConflictError(_("This collection is no longer booked."))
    booking.refresh_from_db()
    record_event(
        CollectionBookingEvent,
        booking,
        "cancelled",
        actor=actor,
        channel=channel,
        from_status=BookingStatus.BOOKED,
        to_status=BookingStatus.CANCELLED,
        reason=reason.strip(),
    )
    return booking

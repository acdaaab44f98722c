"""Periodic work for home collections, called by the worker's scheduler (see DropoffConfig)."""

from datetime import timedelta

from django.utils import timezone

from entraide.dropoff.collection_services import remind
from entraide.dropoff.models import BookingStatus, CollectionBooking

# A collection's reminder goes out this long before its slot: the day before.
REMINDER_AHEAD = timedelta(hours=24)


def remind_collections() -> int:
    """Remind each donor whose collection starts within a day (once per booking)."""
    now = timezone.now()
    due = CollectionBooking.objects.filter(
        status=BookingStatus.BOOKED,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMINDER_AHEAD,
    )
    sent = 0
    for booking in due:
        sent += remind(booking)
    return sent

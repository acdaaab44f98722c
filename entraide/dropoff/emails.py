"""The emails about home collections: the confirmation at booking, the reminder the day before."""

from typing import Any

from django.utils import timezone

from entraide.core.links import absolute_url
from entraide.dropoff.models import CollectionBooking
from entraide.notifications.models import Notification
from entraide.notifications.registry import EmailKind


def booking_context(notification: Notification) -> dict[str, Any]:
    """Return the booking the email is about: when, where, what, and its private link."""
    if notification.about_id is None:
        return {"booking": None}
    booking = (
        CollectionBooking.objects.select_related("slot__territory")
        .filter(pk=notification.about_id)
        .first()
    )
    if booking is None:
        return {"booking": None}
    zone = booking.slot.territory.zone
    return {
        "booking": booking,
        # In the territory's zone: the team comes at its local hours, wherever the donor reads.
        "starts_at": timezone.localtime(booking.slot.starts_at, zone),
        "ends_at": timezone.localtime(booking.slot.ends_at, zone),
        "link": absolute_url(
            "dropoff:booking", language=notification.language, args=[booking.token]
        ),
    }


KINDS = (
    EmailKind("dropoff_collection_booked", context=booking_context),
    EmailKind("dropoff_collection_reminder", context=booking_context),
)

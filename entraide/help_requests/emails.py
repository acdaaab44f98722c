"""The emails about help requests: to requesters, to volunteers and to the phone team."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from entraide.core.distance_bands import DistanceBand, distance_band, public_distance_km
from entraide.core.links import absolute_url
from entraide.help_requests.models import HelpRequest
from entraide.notifications.models import Notification
from entraide.notifications.registry import Digest, EmailKind


def distance_band_for(recipient: Any, help_request: HelpRequest) -> DistanceBand | None:
    """Return how far the request's public position is from the recipient's home, as a band.

    Measured to the rounded public position, like the pages (docs/security.md); None when
    the recipient has no home on record. The reverse accessor avoids importing volunteers.
    """
    profile = getattr(recipient, "volunteer_profile", None)
    if profile is None or profile.lat is None or profile.lon is None:
        return None
    return distance_band(
        public_distance_km(profile.lat, profile.lon, help_request.lat, help_request.lon)
    )


def request_context(notification: Notification) -> dict[str, Any]:
    """Return the request the email is about, its links and what its reader may know of it."""
    help_request = None
    if notification.about_id is not None:
        help_request = (
            HelpRequest.objects.select_related("taken_by").filter(pk=notification.about_id).first()
        )
    context: dict[str, Any] = {"help_request": help_request}
    if help_request is None:
        return context
    # The requester reads the tracking page in their own language, whoever gets this email.
    context["tracking_url"] = absolute_url(
        "help_requests:track",
        language=help_request.requester_language,
        args=[help_request.tracking_token],
    )
    context["reference"] = help_request.reference
    holder = help_request.taken_by
    context["volunteer_first_name"] = holder.first_name if holder is not None else ""
    recipient = notification.recipient
    if recipient is not None:
        context["request_url"] = absolute_url(
            "volunteers:request_detail",
            language=notification.language,
            args=[help_request.public_id],
        )
        context["distance_band"] = distance_band_for(recipient, help_request)
    return context


def digest_context(notification: Notification) -> dict[str, Any]:
    """Return the offers of a daily digest whose requests nobody has taken yet, and its day."""
    items = notification.context.get("items", [])
    ids = [item.get("help_request_id") for item in items]
    requests = HelpRequest.objects.open().in_bulk([i for i in ids if i])
    offers = []
    recipient = notification.recipient
    for item in items:
        help_request = requests.get(item.get("help_request_id"))
        if help_request is None:
            continue
        offers.append(
            {
                "help_request": help_request,
                "distance_band": distance_band_for(recipient, help_request),
                "request_url": absolute_url(
                    "volunteers:request_detail",
                    language=notification.language,
                    args=[help_request.public_id],
                ),
            }
        )
    day = notification.context.get("day")
    return {"items": offers, "day": date.fromisoformat(day) if day else timezone.localdate()}


def digest_item(notification: Notification) -> dict[str, Any]:
    """Return what the daily digest keeps of one waiting offer."""
    return {
        "help_request_id": notification.about_id,
        "distance_km": notification.context.get("distance_km"),
    }


def still_open(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    """Return the waiting offers whose request nobody has taken or closed yet."""
    return rows.filter(about_id__in=HelpRequest.objects.open().values("pk"))


def _about_request(name: str, **options: Any) -> EmailKind:
    # Volunteers may stop every email about requests; requesters have no preferences to stop.
    return EmailKind(name, context=request_context, unsubscribable=True, **options)


KINDS = (
    _about_request("help_request_received"),
    _about_request("help_request_confirmed"),
    _about_request("help_request_new_link"),
    _about_request("help_request_taken"),
    _about_request("help_request_done"),
    _about_request("help_request_cancelled"),
    _about_request("help_request_expired"),
    _about_request("help_request_assigned"),
    _about_request(
        "help_request_offer",
        digest=Digest(kind="daily_digest", item=digest_item, still_relevant=still_open),
    ),
    EmailKind("daily_digest", context=digest_context, unsubscribable=True),
    EmailKind("operators_escalated", context=request_context),
)

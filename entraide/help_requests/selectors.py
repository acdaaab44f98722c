"""Reads for help requests, named for where they are used."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Value, When

from entraide.accounts.models import User
from entraide.help_requests.kinds import URGENCY_RANK
from entraide.help_requests.models import (
    HelpRequest,
    HelpRequestEvent,
    HelpRequestQuerySet,
    Status,
)


@dataclass(frozen=True)
class PublicEvent:
    """One line of a request's history as the requester sees it: what happened, and when."""

    kind: str
    label: str
    at: datetime


@dataclass(frozen=True)
class RequestRoom:
    """How many requests a volunteer holds against the most they said they can hold."""

    held: int
    max_open_requests: int

    @property
    def is_full(self) -> bool:
        """Return True when the volunteer may not take another request (the take's own rule)."""
        return self.held >= self.max_open_requests


def requests_held_count(volunteer: User) -> int:
    """Return how many requests the volunteer has taken and not finished."""
    return HelpRequest.objects.filter(taken_by=volunteer, status=Status.TAKEN).count()


def volunteer_request_room(volunteer: User, *, held: int | None = None) -> RequestRoom | None:
    """Return the volunteer's room for more requests, or None when they have no profile.

    Pages call this to say before the click what help_request_take would refuse; pass
    `held` when the page already counted the requests.
    """
    profile = getattr(volunteer, "volunteer_profile", None)
    if profile is None:
        return None
    return RequestRoom(
        held=requests_held_count(volunteer) if held is None else held,
        max_open_requests=profile.max_open_requests,
    )


TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def help_request_by_token(token: str) -> HelpRequest | None:
    """Return the request behind a private tracking link, or None for an unknown or old link."""
    # Tokens are URL-safe base64; anything else (a NUL byte, say) never reaches PostgreSQL.
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return HelpRequest.objects.select_related("taken_by").filter(tracking_token=token).first()


def help_request_public_history(help_request: HelpRequest) -> list[PublicEvent]:
    """Return the request's history without names, reasons or other private details."""
    events = HelpRequestEvent.objects.filter(help_request=help_request).only("kind", "created_at")
    return [
        PublicEvent(kind=event.kind, label=str(event.get_kind_display()), at=event.created_at)
        for event in events
    ]


def open_requests_for_queue() -> HelpRequestQuerySet:
    """Return the requests nobody has taken, most urgent first, then oldest first."""
    urgency_rank = Case(
        *[When(urgency=value, then=Value(rank)) for value, rank in URGENCY_RANK.items()],
        default=Value(len(URGENCY_RANK)),
        output_field=IntegerField(),
    )
    return (
        HelpRequest.objects.open()
        .annotate(urgency_rank=urgency_rank)
        .order_by("urgency_rank", "created_at", "id")
    )

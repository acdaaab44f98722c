"""Reads for help requests, named for where they are used."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Value, When

from entraide.help_requests.kinds import URGENCY_RANK
from entraide.help_requests.models import (
    HelpRequest,
    HelpRequestEvent,
    HelpRequestQuerySet,
)


@dataclass(frozen=True)
class PublicEvent:
    """One line of a request's history as the requester sees it: what happened, and when."""

    kind: str
    label: str
    at: datetime


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

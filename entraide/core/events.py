"""The one writer of every domain's history: an append-only event about one subject."""

from typing import Any, TypeVar

from django.db import models

from entraide.core.errors import REASON_MAX_LENGTH
from entraide.core.models import EventRecord

E = TypeVar("E", bound=EventRecord)


def record_event(
    event_model: type[E],
    subject: models.Model,
    kind: str,
    *,
    actor: models.Model | None = None,
    channel: str = "",
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> E:
    """Append one event to `subject`'s history (the event model names its subject field)."""
    return event_model._default_manager.create(
        **{event_model.subject_field: subject},
        kind=kind,
        actor=actor,
        channel=channel,
        from_status=from_status,
        to_status=to_status,
        # A reason is for people to read; one too long to store is cut, not refused.
        reason=reason[:REASON_MAX_LENGTH],
        data=data or {},
    )

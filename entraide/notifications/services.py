"""Writes for notifications: put a message in the outbox; the worker delivers it."""

from typing import Any

from django.db import IntegrityError, transaction

from entraide.accounts.models import User
from entraide.notifications.models import Notification


def notify(
    *,
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    recipient: User | None = None,
    to_email: str = "",
    language: str = "",
    help_request_id: int | None = None,
    digestible: bool = False,
) -> Notification | None:
    """Queue one email; return None when the same dedupe_key was already queued.

    `template` names `notifications/email/<template>.txt` (+ `_subject.txt`, optional `.html`).
    `context` must be JSON-serialisable. A `digestible` message to a volunteer who chose the
    daily digest waits for the digest; one whose volunteer chose "none" is skipped.
    """
    from entraide.notifications import delivery

    if recipient is not None:
        to_email = to_email or recipient.email
        language = language or recipient.language
    status = delivery.initial_status(recipient=recipient, digestible=digestible)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                to_email=to_email,
                language=language or "fr",
                template=template,
                context=context,
                dedupe_key=dedupe_key,
                help_request_id=help_request_id,
                status=status,
            )
    except IntegrityError:
        return None
    if status == Notification.Status.PENDING:
        transaction.on_commit(lambda: delivery.schedule_delivery(notification.pk))
    return notification

"""Writes for notifications: put a message in the outbox; the worker delivers it."""

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from entraide.notifications import registry
from entraide.notifications.models import Notification

if TYPE_CHECKING:
    from entraide.accounts.models import User


def notify(
    *,
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    recipient: "User | None" = None,
    to_email: str = "",
    language: str = "",
    about: models.Model | None = None,
) -> Notification | None:
    """Queue one email; return None when the same dedupe_key was already queued.

    `template` names a registered email kind (see registry), whose templates are
    `notifications/email/<template>.txt` (+ `_subject.txt`, optional `.html`). `context` must
    be JSON-serialisable; `about` is the object the message is about, read back by the kind.
    A digestible kind's message to a recipient who chose the daily digest waits for the
    digest; one whose recipient chose "none" is skipped.
    """
    from entraide.notifications import delivery

    email_kind = registry.kind(template)  # an unknown kind fails here, in the caller
    if recipient is not None:
        to_email = to_email or recipient.email
        language = language or recipient.language
    status = delivery.initial_status(recipient=recipient, digestible=email_kind.digest is not None)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                to_email=to_email,
                language=language or "fr",
                template=template,
                context=context,
                dedupe_key=dedupe_key,
                about_type=ContentType.objects.get_for_model(about) if about is not None else None,
                about_id=about.pk if about is not None else None,
                status=status,
            )
    except IntegrityError:
        return None
    if status == Notification.Status.PENDING:
        transaction.on_commit(lambda: delivery.schedule_delivery(notification.pk))
    return notification


@transaction.atomic
def notification_retry(*, notification: Notification) -> bool:
    """Send a failed (or skipped) message again from scratch; return False if it was not."""
    updated = Notification.objects.filter(
        pk=notification.pk,
        status__in=[Notification.Status.FAILED, Notification.Status.SKIPPED],
    ).update(
        status=Notification.Status.PENDING,
        attempts=0,
        last_error="",
        claimed_at=None,
        next_attempt_at=None,
    )
    if updated != 1:
        return False
    from entraide.notifications import delivery

    notification_id = notification.pk
    transaction.on_commit(lambda: delivery.schedule_delivery(notification_id))
    notification.refresh_from_db()
    return True

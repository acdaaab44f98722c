"""Writes for notifications: put a message in the outbox; the worker delivers it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.notifications.models import Notification
from entraide.volunteers.models import NotificationMode, VolunteerProfile


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


@transaction.atomic
def notification_mode_set(*, user: User, mode: str) -> VolunteerProfile:
    """Change how a volunteer hears about requests: immediate, digest or none."""
    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise ValidationError({"mode": [_("Only volunteers receive these emails.")]})
    if mode not in NotificationMode.values:
        raise ValidationError({"mode": [_("Choose how we should tell you about requests.")]})
    profile.notification_mode = mode
    # Only this field changes: an old profile that misses a newer rule must not block it.
    others = [f.name for f in VolunteerProfile._meta.fields if f.name != "notification_mode"]
    profile.full_clean(exclude=others)
    profile.save(update_fields=["notification_mode", "updated_at"])
    return profile

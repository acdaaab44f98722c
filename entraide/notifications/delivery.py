"""Deliver one outbox row: claim it, render it in the recipient's language, send it, mark it.

Crash safety: the row is claimed with a conditional UPDATE (pending -> sending), so two
workers never send the same row. The only window where a message can go out twice is a
crash after the mail server accepted the message and before the row is marked sent (one
UPDATE): the row then stays "sending" and is sent again once its claim is older than
TASK_STALE_AFTER_SECONDS. We accept that (at-least-once) rather than risk losing a message.
"""

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from entraide.core.links import absolute_url
from entraide.core.tasks import attempts_left, enqueue_later, retry_delay
from entraide.notifications import registry
from entraide.notifications.models import Notification

if TYPE_CHECKING:
    # Types only: at run time the outbox reads the project's user model from the settings, so
    # it sits below accounts (which sends emails through it).
    from entraide.accounts.models import User

logger = logging.getLogger(__name__)

Status = Notification.Status
UNSUBSCRIBE_SALT = "entraide.notifications.unsubscribe"


def initial_status(*, recipient: "User | None", digestible: bool) -> str:
    """Return the status a new row starts in, from the recipient's choice (if they have one)."""
    chosen = registry.preferences()
    mode = chosen.mode_of(recipient) if chosen is not None and recipient is not None else None
    if mode == registry.DIGEST and digestible:
        return Status.DIGEST
    if mode == registry.NONE and digestible:
        return Status.SKIPPED
    return Status.PENDING


def schedule_delivery(notification_id: int) -> None:
    """Enqueue the task that delivers this row."""
    from entraide.notifications.tasks import deliver_notification

    deliver_notification.enqueue(notification_id)


def unsubscribe_token(user: "User") -> str:
    """Return the signed token of a recipient's one-click unsubscribe link."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> "User | None":
    """Return the user a token was made for, or None when it was tampered with."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def unsubscribe_url(user: "User", *, language: str) -> str:
    """Return the absolute one-click unsubscribe link, with its page in `language`."""
    return absolute_url(
        "notifications:unsubscribe", language=language, args=[unsubscribe_token(user)]
    )


def _stale_before() -> Any:
    return timezone.now() - timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS)


def claim(notification_id: int) -> Notification | None:
    """Take the row for this worker; return None when it is not ours to send.

    A pending row, or a sending row whose claim is older than TASK_STALE_AFTER_SECONDS (its
    worker died), can be claimed; sent, failed, skipped and freshly claimed rows cannot.
    """
    now = timezone.now()
    claimable = Q(status=Status.PENDING) | Q(status=Status.SENDING, claimed_at__lt=_stale_before())
    updated = (
        Notification.objects.filter(claimable, pk=notification_id)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if updated != 1:
        return None
    # The recipient's choice decides the unsubscribe link; joining it saves a query an email.
    chosen = registry.preferences()
    related = f"recipient__{chosen.related_path}" if chosen and chosen.related_path else "recipient"
    return Notification.objects.select_related(related).get(pk=notification_id)


def build_context(
    notification: Notification, local: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the template context: the stored JSON, the site's links and the kind's own."""
    email_kind = registry.kind(notification.template)
    context: dict[str, Any] = dict(notification.context)
    recipient = notification.recipient
    context.update(registry.recipient_context(recipient) if local is None else local)
    context.update(
        {
            "site_url": settings.SITE_URL,
            "site_name": settings.SITE_NAME,
            "recipient": recipient,
            "notification": notification,
        }
    )
    if email_kind.context is not None:
        context.update(email_kind.context(notification))
    # Only kinds that say so can be stopped; account emails (password reset…) cannot.
    chosen = registry.preferences()
    if (
        email_kind.unsubscribable
        and recipient is not None
        and chosen is not None
        and chosen.mode_of(recipient) is not None
    ):
        context["unsubscribe_url"] = unsubscribe_url(recipient, language=notification.language)
    return context


def render(notification: Notification) -> EmailMultiAlternatives:
    """Render the message in the notification's language."""
    # Times in the email are in the recipient's territory's zone (a worker has no request's).
    local = registry.recipient_context(notification.recipient)
    with translation.override(notification.language), timezone.override(local.get("time_zone")):
        context = build_context(notification, local)
        base = registry.kind(notification.template).template_base
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        body = render_to_string(f"{base}.txt", context)
        try:
            html = render_to_string(f"{base}.html", context)
        except TemplateDoesNotExist:
            html = None
    headers = {"Content-Language": notification.language}
    if context.get("unsubscribe_url"):
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject[:200],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        headers=headers,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def deliver(notification_id: int) -> str:
    """Send one row if it is ours to send; return its status afterwards ("" if not claimed)."""
    notification = claim(notification_id)
    if notification is None:
        return ""
    try:
        message = render(notification)
        message.send(fail_silently=False)
    except Exception as exc:  # SMTP, DNS, template: every failure is recorded and retried
        logger.warning("Sending notification %s failed: %s", notification.pk, exc)
        return _record_failure(notification, f"{type(exc).__name__}: {exc}"[:2000])
    # The crash window described at the top of this module is this one UPDATE.
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.SENT, sent_at=timezone.now(), subject=message.subject, last_error=""
    )
    return Status.SENT


def _record_failure(notification: Notification, error: str) -> str:
    """Put the row back for a later attempt with backoff, or mark it failed for good."""
    from entraide.notifications.tasks import deliver_notification

    claimed = Notification.objects.filter(pk=notification.pk, status=Status.SENDING)
    if not attempts_left(notification.attempts):
        claimed.update(status=Status.FAILED, last_error=error)
        return Status.FAILED
    run_after = timezone.now() + retry_delay(notification.attempts)
    # A backend that cannot defer (the inline test backend) retries at once.
    defers = deliver_notification.get_backend().supports_defer
    claimed.update(
        status=Status.PENDING, last_error=error, next_attempt_at=run_after if defers else None
    )
    enqueue_later(deliver_notification, notification.pk, run_after=run_after)
    return Status.PENDING

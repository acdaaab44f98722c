"""Deliver one outbox row: claim it, render it in the recipient's language, send it, mark it.

Crash safety: the row is claimed with a conditional UPDATE (pending -> sending), so two
workers never send the same row. The only window where a message can go out twice is a
crash after the mail server accepted the message and before the row is marked sent (one
UPDATE): the row then stays "sending" and is sent again once its claim is older than
TASK_STALE_AFTER_SECONDS. We accept that (at-least-once) rather than risk losing a message.
"""

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from entraide.accounts.models import User
from entraide.notifications.models import Notification

logger = logging.getLogger(__name__)

Status = Notification.Status
UNSUBSCRIBE_SALT = "entraide.notifications.unsubscribe"


def initial_status(*, recipient: User | None, digestible: bool) -> str:
    """Return the status a new row starts in, from the volunteer's notification mode."""
    profile = getattr(recipient, "volunteer_profile", None) if recipient is not None else None
    mode = getattr(profile, "notification_mode", "immediate")
    if mode == "digest" and digestible:
        return Status.DIGEST
    if mode == "none" and digestible:
        return Status.SKIPPED
    return Status.PENDING


def schedule_delivery(notification_id: int) -> None:
    """Enqueue the task that delivers this row."""
    from entraide.notifications.tasks import deliver_notification

    deliver_notification.enqueue(notification_id)


def unsubscribe_token(user: User) -> str:
    """Return the signed token of a volunteer's one-click unsubscribe link."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> User | None:
    """Return the user a token was made for, or None when it was tampered with."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id).first()


def unsubscribe_url(user: User) -> str:
    """Return the absolute unsubscribe link, in the current language."""
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user)])
    return settings.SITE_URL + path


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
    # The profile decides the unsubscribe link; joining it saves a query on every email.
    return Notification.objects.select_related("recipient__volunteer_profile").get(
        pk=notification_id
    )


def _digest_items(notification: Notification) -> list[dict[str, Any]]:
    """Return the offers of a daily digest whose requests nobody has taken yet."""
    from entraide.help_requests.models import HelpRequest

    items = notification.context.get("items", [])
    ids = [item.get("help_request_id") for item in items]
    requests = HelpRequest.objects.open().in_bulk([i for i in ids if i])
    result = []
    for item in items:
        help_request = requests.get(item.get("help_request_id"))
        if help_request is None:
            continue
        result.append(
            {
                "help_request": help_request,
                "distance_km": rounded_distance_km(item.get("distance_km")),
                "request_url": settings.SITE_URL
                + reverse("volunteers:request_detail", args=[help_request.public_id]),
            }
        )
    return result


def rounded_distance_km(distance_km: Any) -> int | None:
    """Return a distance rounded to whole kilometres (at least 1): never a precise position."""
    if distance_km is None:
        return None
    return max(1, round(float(distance_km)))


def build_context(notification: Notification) -> dict[str, Any]:
    """Return the template context: the stored JSON plus links and the request, if any."""
    from entraide.help_requests.models import HelpRequest, Offer

    context: dict[str, Any] = dict(notification.context)
    recipient = notification.recipient
    context.update(
        {
            "site_url": settings.SITE_URL,
            "site_name": settings.SITE_NAME,
            "recipient": recipient,
            "notification": notification,
        }
    )
    help_request = None
    if notification.help_request_id:
        help_request = (
            HelpRequest.objects.select_related("taken_by")
            .filter(pk=notification.help_request_id)
            .first()
        )
    context["help_request"] = help_request
    if help_request is not None:
        # The requester reads the tracking page in their own language, whoever gets this email.
        with translation.override(help_request.requester_language):
            track = reverse("help_requests:track", args=[help_request.tracking_token])
        context["tracking_url"] = settings.SITE_URL + track
        context["reference"] = help_request.reference
        holder = help_request.taken_by
        context["volunteer_first_name"] = holder.first_name if holder is not None else ""
    if recipient is not None:
        if help_request is not None:
            context["request_url"] = settings.SITE_URL + reverse(
                "volunteers:request_detail", args=[help_request.public_id]
            )
            if "distance_km" not in context:
                offer = Offer.objects.filter(help_request=help_request, volunteer=recipient).first()
                context["distance_km"] = offer.distance_km if offer is not None else None
            context["distance_km"] = rounded_distance_km(context.get("distance_km"))
        # Only the emails about requests can be stopped; account emails (password reset…) not.
        about_requests = notification.template.startswith("help_request_")
        if hasattr(recipient, "volunteer_profile") and (
            about_requests or notification.template == "daily_digest"
        ):
            context["unsubscribe_url"] = unsubscribe_url(recipient)
    if notification.template == "daily_digest":
        context["items"] = _digest_items(notification)
        day = context.get("day")
        context["day"] = date.fromisoformat(day) if day else timezone.localdate()
    return context


def render(notification: Notification) -> EmailMultiAlternatives:
    """Render the message in the notification's language."""
    with translation.override(notification.language):
        context = build_context(notification)
        base = f"notifications/email/{notification.template}"
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
    from entraide.core.tasks import attempts_left, enqueue_later, retry_delay
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

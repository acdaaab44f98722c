"""Periodic work for notifications, run by the worker's scheduler."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from entraide.help_requests.models import OPEN_STATUSES
from entraide.notifications import delivery
from entraide.notifications.models import Notification
from entraide.notifications.services import notify

logger = logging.getLogger(__name__)
Status = Notification.Status


def send_daily_digests() -> int:
    """Gather each volunteer's waiting offers into one email a day; return how many were queued.

    Runs every few minutes and does nothing before NOTIFICATION_DIGEST_HOUR (local time). The
    digest's dedupe key holds the date, so a volunteer gets at most one digest a day; offers
    that arrive after it wait for the next day's. Offers whose request was taken or closed in
    the meantime are dropped (marked skipped).
    """
    now = timezone.localtime()
    if now.hour < settings.NOTIFICATION_DIGEST_HOUR:
        return 0
    waiting = Notification.objects.filter(status=Status.DIGEST, recipient__isnull=False)
    closed = waiting.filter(~Q(help_request__status__in=OPEN_STATUSES))
    closed.update(status=Status.SKIPPED, last_error="request no longer open")
    unsubscribed = waiting.filter(recipient__volunteer_profile__notification_mode="none")
    unsubscribed.update(status=Status.SKIPPED, last_error="volunteer unsubscribed")
    by_recipient: dict[int, list[Notification]] = defaultdict(list)
    for row in waiting.select_related("recipient__volunteer_profile").order_by("created_at"):
        assert row.recipient_id is not None
        by_recipient[row.recipient_id].append(row)
    queued = 0
    for rows in by_recipient.values():
        if _queue_digest(rows, day=now.date().isoformat()):
            queued += 1
    return queued


def _queue_digest(rows: list[Notification], *, day: str) -> bool:
    """Queue one volunteer's digest and mark its offers as digested, all or nothing."""
    recipient = rows[0].recipient
    assert recipient is not None
    items = [
        {
            "help_request_id": row.help_request_id,
            "distance_km": row.context.get("distance_km"),
        }
        for row in rows
        if row.help_request_id
    ]
    with transaction.atomic():
        digest = notify(
            template="daily_digest",
            context={"items": items, "day": day},
            dedupe_key=f"daily_digest:{recipient.pk}:{day}",
            recipient=recipient,
        )
        if digest is None:
            return False  # today's digest already went out; these offers wait for tomorrow
        Notification.objects.filter(pk__in=[r.pk for r in rows], status=Status.DIGEST).update(
            status=Status.DIGESTED, sent_at=timezone.now()
        )
    return True


def requeue_stuck_notifications() -> int:
    """Enqueue again the rows a crashed worker (or a lost task) left behind; return how many.

    A pending row older than TASK_STALE_AFTER_SECONDS (past its backoff) lost its task; a
    sending row claimed that long ago lost its worker. Delivery claims rows, so enqueueing a
    row whose task is in fact still queued sends it only once.
    """
    stale_before = timezone.now() - timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS)
    now = timezone.now()
    pending = Q(status=Status.PENDING) & (
        Q(next_attempt_at__isnull=True, created_at__lt=stale_before)
        | Q(next_attempt_at__lt=now - timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS))
    )
    sending = Q(status=Status.SENDING, claimed_at__lt=stale_before)
    ids = list(Notification.objects.filter(pending | sending).values_list("pk", flat=True))
    for notification_id in ids:
        delivery.schedule_delivery(notification_id)
    if ids:
        logger.warning("Re-queued %d stuck notification(s)", len(ids))
    return len(ids)

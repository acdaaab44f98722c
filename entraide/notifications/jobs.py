"""Periodic work for notifications, run by the worker's scheduler."""

import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from entraide.notifications import delivery, registry
from entraide.notifications.models import Notification
from entraide.notifications.services import notify

logger = logging.getLogger(__name__)
Status = Notification.Status


def send_daily_digests() -> int:
    """Gather each recipient's waiting messages into one email a day; return how many were queued.

    Runs every few minutes and does nothing before NOTIFICATION_DIGEST_HOUR (local time). The
    digest's dedupe key holds the date, so a recipient gets at most one digest of a kind a
    day; messages that arrive after it wait for the next day's. Messages that are no longer
    worth telling about (a request taken or closed in the meantime) are dropped (skipped).
    """
    now = timezone.localtime()
    if now.hour < settings.NOTIFICATION_DIGEST_HOUR:
        return 0
    waiting = Notification.objects.filter(status=Status.DIGEST, recipient__isnull=False)
    digestible = {kind.name: kind.digest for kind in registry.kinds() if kind.digest is not None}
    for name, digest in digestible.items():
        of_kind = waiting.filter(template=name)
        stale = of_kind.exclude(pk__in=digest.still_relevant(of_kind).values("pk"))
        stale.update(status=Status.SKIPPED, last_error="no longer relevant")
    chosen = registry.preferences()
    if chosen is not None:
        unsubscribed = waiting.filter(**{f"recipient__{chosen.mode_path}": registry.NONE})
        unsubscribed.update(status=Status.SKIPPED, last_error="recipient unsubscribed")
    related = f"recipient__{chosen.related_path}" if chosen and chosen.related_path else "recipient"
    groups: dict[tuple[int, str], list[Notification]] = defaultdict(list)
    rows = waiting.filter(template__in=list(digestible)).select_related(related)
    for row in rows.order_by("created_at"):
        assert row.recipient_id is not None
        groups[(row.recipient_id, digestible[row.template].kind)].append(row)
    queued = 0
    for (recipient_id, digest_kind), group in groups.items():
        try:
            if _queue_digest(group, digest_kind=digest_kind, day=now.date().isoformat()):
                queued += 1
        except Exception:  # one recipient's digest must not stop the others'
            logger.exception("The %s of recipient %s failed", digest_kind, recipient_id)
    return queued


def _queue_digest(rows: list[Notification], *, digest_kind: str, day: str) -> bool:
    """Queue one recipient's digest and mark its messages as digested, all or nothing."""
    recipient = rows[0].recipient
    assert recipient is not None
    items: list[dict[str, Any]] = []
    gathered: list[Notification] = []
    for row in rows:
        digest = registry.kind(row.template).digest
        assert digest is not None
        try:
            items.append(digest.item(row))
        except Exception as exc:  # a message that cannot be told must not hold back the rest
            logger.exception("Message %s cannot join its digest", row.pk)
            Notification.objects.filter(pk=row.pk, status=Status.DIGEST).update(
                status=Status.FAILED, last_error=f"digest item: {type(exc).__name__}: {exc}"[:4000]
            )
            continue
        gathered.append(row)
    if not gathered:
        return False
    with transaction.atomic():
        digest_row = notify(
            template=digest_kind,
            context={"items": items, "day": day},
            dedupe_key=f"{digest_kind}:{recipient.pk}:{day}",
            recipient=recipient,
        )
        if digest_row is None:
            return False  # today's digest already went out; these messages wait for tomorrow
        Notification.objects.filter(pk__in=[r.pk for r in gathered], status=Status.DIGEST).update(
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

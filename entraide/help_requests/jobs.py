"""Periodic work for help requests, called by the worker's scheduler on every tick.

Each job handles its rows one by one, each in its own transaction: one row that fails is
logged and left for the next run, and never stops the others.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from entraide.core.errors import ConflictError
from entraide.help_requests import services, tasks
from entraide.help_requests.models import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    HelpRequest,
    Status,
)

logger = logging.getLogger(__name__)

# A new request is dispatched as soon as it is saved; one still new after this long lost
# its task (a crash between commit and enqueue) and is picked up again.
STUCK_NEW_AFTER = timedelta(minutes=2)


def advance_due_waves() -> int:
    """Queue the next wave of every request whose wave is due; return how many."""
    now = timezone.now()
    due = HelpRequest.objects.filter(escalated_at__isnull=True).filter(
        Q(status=Status.OFFERED, next_wave_at__lte=now)
        | Q(status=Status.NEW, updated_at__lte=now - STUCK_NEW_AFTER)
    )
    queued = 0
    for help_request_id in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                tasks.help_request_dispatch.enqueue(help_request_id)
        except Exception:  # one request must not hold back the others' waves
            logger.exception("Queueing the next wave of help request %s failed", help_request_id)
            continue
        queued += 1
    return queued


def expire_overdue_requests() -> int:
    """Close every active request past its expiry date; return how many."""
    overdue = HelpRequest.objects.filter(status__in=ACTIVE_STATUSES, expires_at__lte=timezone.now())
    expired = 0
    for help_request in overdue.iterator():
        try:
            with transaction.atomic():
                services.help_request_expire(help_request=help_request)
        except ConflictError:
            # Taken, confirmed or cancelled between the read and the write: nothing to do.
            continue
        except Exception:  # one bad request must not keep the others open
            logger.exception("Expiring help request %s failed", help_request.pk)
            continue
        expired += 1
    return expired


def purge_personal_data() -> int:
    """Blank the personal data of requests closed longer than the retention period."""
    before = timezone.now() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    old = HelpRequest.objects.filter(
        status__in=CLOSED_STATUSES, closed_at__lte=before, personal_data_purged_at__isnull=True
    )
    purged = 0
    for help_request in old.iterator():
        try:
            with transaction.atomic():
                services.help_request_purge_personal_data(help_request=help_request)
        except ConflictError:
            continue
        except Exception:  # one bad request must not keep the others' personal data
            logger.exception("Purging the personal data of help request %s failed", help_request.pk)
            continue
        purged += 1
    return purged

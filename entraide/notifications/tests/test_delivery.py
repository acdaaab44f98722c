"""Delivering the outbox: deduplication, preferences, retries and crash safety."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from entraide.notifications import delivery
from entraide.notifications.jobs import requeue_stuck_notifications
from entraide.notifications.models import Notification
from entraide.notifications.services import notification_retry, notify
from entraide.notifications.tests.conftest import FlakySMTPBackend

pytestmark = pytest.mark.django_db
FLAKY = "entraide.notifications.tests.conftest.FlakySMTPBackend"
SUNDAY = "2026-11-22 10:00:00+01:00"


@pytest.fixture
def flaky_smtp(settings):
    """Route email through a backend that fails a chosen number of times."""
    settings.EMAIL_BACKEND = FLAKY
    FlakySMTPBackend.calls = 0
    FlakySMTPBackend.failures = 0
    return FlakySMTPBackend


@pytest.fixture
def database_tasks(settings):
    """Queue tasks in the database, as in production, instead of running them inline."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def parcel(parcels, parcel):
    """Return a parcel, with the parcel domain's email kinds registered."""
    return parcel


def _notify_ready(parcel, **extra):
    return notify(
        template="parcel_ready",
        context={"counter": "the town hall"},
        dedupe_key=f"parcel:{parcel.pk}:ready",
        to_email="eve@example.org",
        language="fr",
        about=parcel,
        **extra,
    )


def test_it_queues_one_message_per_dedupe_key(parcel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify_ready(parcel)
        second = _notify_ready(parcel)
    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_never_sends_one_row_twice(parcel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify_ready(parcel)
    assert delivery.deliver(notification.pk) == ""
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("mode", "digestible", "expected"),
    [
        ("immediate", True, "pending"),
        ("digest", True, "digest"),
        ("digest", False, "pending"),
        ("none", True, "skipped"),
        ("none", False, "pending"),
    ],
)
def test_it_starts_rows_according_to_the_volunteers_choice(alice, mode, digestible, expected):
    alice.volunteer_profile.notification_mode = mode
    alice.volunteer_profile.save()
    assert delivery.initial_status(recipient=alice, digestible=digestible) == expected


def test_it_starts_rows_without_a_recipient_as_pending():
    assert delivery.initial_status(recipient=None, digestible=True) == "pending"


def test_it_retries_then_sends(parcel, flaky_smtp, django_capture_on_commit_callbacks):
    flaky_smtp.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify_ready(parcel)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 3
    assert notification.last_error == ""
    assert len(mail.outbox) == 1


def test_it_gives_up_after_the_maximum_attempts(
    parcel, flaky_smtp, settings, django_capture_on_commit_callbacks
):
    settings.TASK_MAX_ATTEMPTS = 4
    flaky_smtp.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify_ready(parcel)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 4
    assert flaky_smtp.calls == 4
    assert "SMTPServerDisconnected" in notification.last_error
    assert mail.outbox == []


def test_it_backs_off_exponentially_in_the_database_queue(
    parcel, flaky_smtp, settings, database_tasks, django_capture_on_commit_callbacks
):
    settings.TASK_RETRY_BASE_SECONDS = 30
    flaky_smtp.failures = 100
    with time_machine.travel(SUNDAY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notification = _notify_ready(parcel)
        assert delivery.deliver(notification.pk) == "pending"
        notification.refresh_from_db()
        first_retry = timezone.now() + timedelta(seconds=30)
        assert notification.next_attempt_at == first_retry
        # Too early: the row waits for its backoff, whoever asks.
        assert delivery.deliver(notification.pk) == ""
    with time_machine.travel(first_retry, tick=False):
        assert delivery.deliver(notification.pk) == "pending"
        notification.refresh_from_db()
        assert notification.attempts == 2
        second_retry = first_retry + timedelta(seconds=60)
        assert notification.next_attempt_at == second_retry
    retries = DBTaskResult.objects.filter(status="READY").order_by("run_after")
    assert list(retries.values_list("run_after", flat=True))[:2] == [first_retry, second_retry]


def test_it_resends_a_row_claimed_by_a_dead_worker_exactly_once(
    parcel, settings, django_capture_on_commit_callbacks
):
    settings.TASK_STALE_AFTER_SECONDS = 600
    with time_machine.travel(SUNDAY, tick=False):
        notification = _notify_ready(parcel)  # on_commit not run: the task was lost
        # A worker claims the row, then dies before sending.
        assert delivery.claim(notification.pk) is not None
        assert delivery.deliver(notification.pk) == ""
        assert requeue_stuck_notifications() == 0
    assert mail.outbox == []
    with time_machine.travel("2026-11-22 10:10:01+01:00", tick=False):
        assert requeue_stuck_notifications() == 1
        assert requeue_stuck_notifications() == 0
        assert delivery.deliver(notification.pk) == ""
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2


def test_it_requeues_a_pending_row_whose_task_was_lost(parcel, settings):
    settings.TASK_STALE_AFTER_SECONDS = 600
    with time_machine.travel(SUNDAY, tick=False):
        notification = _notify_ready(parcel)
    with time_machine.travel("2026-11-22 10:09:00+01:00", tick=False):
        assert requeue_stuck_notifications() == 0
    with time_machine.travel("2026-11-22 10:10:01+01:00", tick=False):
        assert requeue_stuck_notifications() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_it_sends_a_failed_row_again_on_request(
    parcel, flaky_smtp, django_capture_on_commit_callbacks
):
    flaky_smtp.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify_ready(parcel)
    flaky_smtp.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_retry(notification=notification) is True
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification_retry(notification=notification) is False
    assert len(mail.outbox) == 1

"""Delivering the outbox: language, links, deduplication, retries and crash safety."""

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
from entraide.testing.factories import HelpRequestFactory

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


def _notify_received(help_request, **extra):
    return notify(
        template="help_request_received",
        context={"help_request_id": help_request.pk},
        dedupe_key=f"help_request:{help_request.pk}:received",
        to_email=help_request.requester_email,
        language=help_request.requester_language,
        help_request_id=help_request.pk,
        **extra,
    )


@pytest.mark.parametrize(
    ("language", "day"),
    [("fr", "dimanche 22 novembre"), ("nl", "zondag 22 november"), ("en", "Sunday 22 November")],
)
def test_it_sends_in_the_requesters_language(language, day, django_capture_on_commit_callbacks):
    with time_machine.travel(SUNDAY, tick=False):
        help_request = HelpRequestFactory.create(requester_language=language)
        with django_capture_on_commit_callbacks(execute=True):
            notification = _notify_received(help_request)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert day in message.subject
    assert help_request.reference in message.subject
    assert message.to == [help_request.requester_email]
    assert message.extra_headers["Content-Language"] == language
    assert f"http://testserver/{language}/help/track/{help_request.tracking_token}/" in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.subject == message.subject
    assert notification.attempts == 1


def test_it_gives_each_language_its_own_subject(django_capture_on_commit_callbacks):
    with time_machine.travel(SUNDAY, tick=False):
        for language in ["fr", "nl", "en"]:
            help_request = HelpRequestFactory.create(requester_language=language)
            with django_capture_on_commit_callbacks(execute=True):
                _notify_received(help_request)
    subjects = [m.subject.split("(")[0] for m in mail.outbox]
    assert len(set(subjects)) == 3


def test_it_queues_one_message_per_dedupe_key(django_capture_on_commit_callbacks):
    help_request = HelpRequestFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify_received(help_request)
        second = _notify_received(help_request)
    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_never_sends_one_row_twice(django_capture_on_commit_callbacks):
    help_request = HelpRequestFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify_received(help_request)
    assert delivery.deliver(notification.pk) == ""
    assert len(mail.outbox) == 1


def test_it_tells_a_volunteer_about_an_offer_without_the_address_or_phone(
    alice, django_capture_on_commit_callbacks
):
    help_request = HelpRequestFactory.create(
        address="Rue de la Loi 16",
        requester_phone="+32470123456",
        town="Ixelles",
        when_note="tomorrow morning, ring 0470 12 34 56",
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            template="help_request_offer",
            context={"help_request_id": help_request.pk, "distance_km": 2.4},
            dedupe_key=f"offer:{help_request.pk}:{alice.pk}",
            recipient=alice,
            help_request_id=help_request.pk,
            digestible=True,
        )
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "Ixelles" in message.subject
    assert "Rue de la Loi" not in message.body
    assert "470" not in message.body
    assert "tomorrow morning, ring [" in message.body  # the note stays, its number is hidden
    assert help_request.requester_name not in message.body
    assert "2 km" in message.body
    assert f"/fr/volunteer/requests/{help_request.public_id}/" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/fr/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body


def test_it_gives_the_requester_only_the_volunteers_first_name(
    alice, django_capture_on_commit_callbacks
):
    alice.last_name = "Dupont"
    alice.save()
    help_request = HelpRequestFactory.create(
        status="taken", taken_by=alice, requester_language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            template="help_request_taken",
            context={"help_request_id": help_request.pk},
            dedupe_key="taken",
            to_email=help_request.requester_email,
            language="en",
            help_request_id=help_request.pk,
        )
    body = mail.outbox[0].body
    assert "Alice" in body
    assert "Dupont" not in body
    assert "alice@example.org" not in body


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


def test_it_retries_then_sends(flaky_smtp, django_capture_on_commit_callbacks):
    flaky_smtp.failures = 2
    help_request = HelpRequestFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify_received(help_request)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 3
    assert notification.last_error == ""
    assert len(mail.outbox) == 1


def test_it_gives_up_after_the_maximum_attempts(
    flaky_smtp, settings, django_capture_on_commit_callbacks
):
    settings.TASK_MAX_ATTEMPTS = 4
    flaky_smtp.failures = 100
    help_request = HelpRequestFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify_received(help_request)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 4
    assert flaky_smtp.calls == 4
    assert "SMTPServerDisconnected" in notification.last_error
    assert mail.outbox == []


def test_it_backs_off_exponentially_in_the_database_queue(
    flaky_smtp, settings, database_tasks, django_capture_on_commit_callbacks
):
    settings.TASK_RETRY_BASE_SECONDS = 30
    flaky_smtp.failures = 100
    help_request = HelpRequestFactory.create()
    with time_machine.travel(SUNDAY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notification = _notify_received(help_request)
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
    settings, django_capture_on_commit_callbacks
):
    settings.TASK_STALE_AFTER_SECONDS = 600
    help_request = HelpRequestFactory.create()
    with time_machine.travel(SUNDAY, tick=False):
        notification = _notify_received(help_request)  # on_commit not run: the task was lost
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


def test_it_requeues_a_pending_row_whose_task_was_lost(settings):
    settings.TASK_STALE_AFTER_SECONDS = 600
    with time_machine.travel(SUNDAY, tick=False):
        notification = _notify_received(HelpRequestFactory.create())
    with time_machine.travel("2026-11-22 10:09:00+01:00", tick=False):
        assert requeue_stuck_notifications() == 0
    with time_machine.travel("2026-11-22 10:10:01+01:00", tick=False):
        assert requeue_stuck_notifications() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_it_sends_a_failed_row_again_on_request(flaky_smtp, django_capture_on_commit_callbacks):
    flaky_smtp.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify_received(HelpRequestFactory.create())
    flaky_smtp.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_retry(notification=notification) is True
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification_retry(notification=notification) is False
    assert len(mail.outbox) == 1

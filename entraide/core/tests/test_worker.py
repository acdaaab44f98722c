"""The worker: queued tasks through the real database backend, periodic jobs, crash recovery."""

import signal
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from entraide.core import scheduler
from entraide.core.management.commands.worker import Command as WorkerCommand
from entraide.core.models import ScheduledJob, WorkerHeartbeat
from entraide.core.tasks import PeriodicJob, periodic_jobs, retry_delay
from entraide.notifications.models import Notification
from entraide.notifications.services import notify
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db
NOON = "2026-11-22 12:00:00+01:00"
NOON_AT = datetime.fromisoformat(NOON)


@pytest.fixture
def database_tasks(settings):
    """Queue tasks in the database, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queue_notification() -> Notification:
    help_request = HelpRequestFactory.create()
    notification = notify(
        template="help_request_received",
        context={"help_request_id": help_request.pk},
        dedupe_key=f"worker:{help_request.pk}",
        to_email=help_request.requester_email,
        language="fr",
        about=help_request,
    )
    assert notification is not None
    return notification


# The worker closes its database connections like the real process, so no wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_it_runs_queued_tasks_once_and_exits(database_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _queue_notification()
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("worker", "--once", "--no-scheduler", "--worker-id", "test-worker")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.worker_ids == ["test-worker"]
    assert WorkerHeartbeat.objects.filter(worker_id="test-worker").exists()
    assert not ScheduledJob.objects.exists()


# The worker closes its database connections like the real process, so no wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_it_runs_the_due_periodic_jobs_once_per_interval(database_tasks):
    with time_machine.travel(NOON, tick=False):
        call_command("worker", "--once", "--worker-id", "w1")
        call_command("worker", "--once", "--worker-id", "w2")
    jobs = {job.name: job for job in ScheduledJob.objects.all()}
    assert set(jobs) == {job.path for job in periodic_jobs()}
    assert {job.last_worker_id for job in jobs.values()} == {"w1"}
    digests = jobs["entraide.notifications.jobs.send_daily_digests"]
    assert digests.last_error == ""
    assert digests.last_started_at == NOON_AT
    assert digests.next_run_at == NOON_AT + timedelta(minutes=10)
    purge = jobs["entraide.help_requests.jobs.purge_personal_data"]
    # A day later, or soon after if the job failed.
    assert purge.next_run_at >= NOON_AT + timedelta(seconds=30)


def test_it_claims_a_job_run_for_one_worker_only(settings):
    job = PeriodicJob(
        path="entraide.notifications.jobs.requeue_stuck_notifications",
        interval=timedelta(minutes=5),
    )
    with time_machine.travel(NOON, tick=False):
        assert scheduler.claim_job(job, worker_id="a") is True
        assert scheduler.claim_job(job, worker_id="b") is False
    with time_machine.travel("2026-11-22 12:04:59+01:00", tick=False):
        assert scheduler.claim_job(job, worker_id="b") is False
    with time_machine.travel("2026-11-22 12:05:00+01:00", tick=False):
        assert scheduler.claim_job(job, worker_id="b") is True


def test_it_records_a_failing_job_and_retries_it_soon(settings):
    settings.TASK_RETRY_BASE_SECONDS = 30
    job = PeriodicJob(
        path="entraide.core.tests.test_worker.no_such_job", interval=timedelta(days=1)
    )
    with time_machine.travel(NOON, tick=False):
        assert scheduler.claim_job(job, worker_id="a")
        error = scheduler.run_job(job)
        row = ScheduledJob.objects.get(name=job.path)
    assert "ImportError" in error
    assert row.last_error == error
    assert row.next_run_at == NOON_AT + timedelta(seconds=30)


# The worker closes its database connections like the real process, so no wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_it_requeues_a_task_left_running_by_a_crashed_worker(
    database_tasks, settings, django_capture_on_commit_callbacks
):
    settings.TASK_STALE_AFTER_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=True):
        notification = _queue_notification()
    result = DBTaskResult.objects.get()
    with time_machine.travel(NOON, tick=False):
        result.claim("dead-worker")  # the worker then died: the task stays RUNNING
    with time_machine.travel("2026-11-22 12:05:00+01:00", tick=False):
        assert scheduler.requeue_stale_tasks() == 0
    with time_machine.travel("2026-11-22 12:10:01+01:00", tick=False):
        assert scheduler.requeue_stale_tasks() == 1
        call_command("worker", "--once", "--no-scheduler", "--worker-id", "alive")
    result.refresh_from_db()
    assert result.status == "SUCCESSFUL"
    assert result.worker_ids == ["dead-worker", "alive"]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_it_fails_a_task_that_keeps_killing_its_worker(database_tasks, settings):
    settings.TASK_MAX_ATTEMPTS = 2
    settings.TASK_STALE_AFTER_SECONDS = 600
    with time_machine.travel(NOON, tick=False):
        DBTaskResult.objects.create(
            status="RUNNING",
            started_at=timezone.now(),
            worker_ids=["w1", "w2"],
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="entraide.notifications.tasks.deliver_notification",
            backend_name="default",
            run_after=timezone.now(),
        )
    with time_machine.travel("2026-11-22 12:20:00+01:00", tick=False):
        assert scheduler.requeue_stale_tasks() == 0
    assert DBTaskResult.objects.get().status == "FAILED"


def test_it_refuses_to_start_without_the_database_queue():
    with pytest.raises(CommandError):
        call_command("worker", "--once")


def test_it_stops_after_the_current_task_on_sigterm(database_tasks):
    command = WorkerCommand()
    command.stopping = False
    command.tasks = type("Tasks", (), {"running": True})()
    command.stop(signal.SIGTERM, None)
    assert command.stopping is True
    assert command.tasks.running is False
    with pytest.raises(SystemExit):
        command.stop(signal.SIGTERM, None)  # a second signal stops at once
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def test_it_doubles_the_delay_between_attempts(settings):
    settings.TASK_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]

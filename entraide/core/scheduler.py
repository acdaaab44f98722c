"""The periodic jobs and the scheduler tick that runs the due ones, once across all workers."""

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from entraide.core.models import ScheduledJob, WorkerHeartbeat
from entraide.core.tasks import PeriodicJob, periodic_jobs, register_periodic_job

logger = logging.getLogger(__name__)


class WorkerCrashed(Exception):
    """A task was abandoned by a worker that stopped (named in failed task rows)."""


def requeue_stale_tasks() -> int:
    """Put back in the queue the tasks a crashed worker left running; return how many.

    Our tasks are idempotent (they claim their own rows), so running one again is safe. A task
    that has already been claimed TASK_MAX_ATTEMPTS times is marked failed instead, so that a
    task which kills its worker cannot take the queue down for ever.
    """
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS)
    count = 0
    for result in DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff):
        stale = DBTaskResult.objects.filter(
            pk=result.pk, status="RUNNING", started_at=result.started_at
        )
        if len(result.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            stale.update(
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path="entraide.core.scheduler.WorkerCrashed",
                traceback="The worker running this task stopped before it finished.",
            )
            continue
        count += stale.update(status="READY", started_at=None)
    if count:
        logger.warning("Re-queued %d task(s) left running by a crashed worker", count)
    return count


register_periodic_job("entraide.help_requests.jobs.advance_due_waves")
register_periodic_job(
    "entraide.help_requests.jobs.expire_overdue_requests", interval=timedelta(minutes=5)
)
register_periodic_job("entraide.help_requests.jobs.purge_personal_data", interval=timedelta(days=1))
register_periodic_job(
    "entraide.notifications.jobs.send_daily_digests", interval=timedelta(minutes=10)
)
register_periodic_job(
    "entraide.notifications.jobs.requeue_stuck_notifications", interval=timedelta(minutes=5)
)
register_periodic_job("entraide.core.scheduler.requeue_stale_tasks", interval=timedelta(minutes=5))
register_periodic_job(
    "entraide.missions.jobs.remind_tomorrows_slots", interval=timedelta(minutes=30)
)
register_periodic_job(
    "entraide.missions.jobs.remind_unanswered_applications", interval=timedelta(hours=1)
)
register_periodic_job(
    "entraide.missions.jobs.send_saved_search_digests", interval=timedelta(minutes=30)
)
register_periodic_job("entraide.companies.jobs.accrue_topups", interval=timedelta(hours=1))
register_periodic_job("entraide.money.jobs.snapshot_balances", interval=timedelta(hours=1))


def claim_job(job: PeriodicJob, *, worker_id: str) -> bool:
    """Return True when this worker won the job's current run (the row's conditional UPDATE)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            ScheduledJob.objects.get_or_create(name=job.path, defaults={"next_run_at": now})
    except IntegrityError:
        pass  # another worker created the row at the same moment; the UPDATE below decides
    claimed = ScheduledJob.objects.filter(name=job.path, next_run_at__lte=now).update(
        next_run_at=now + job.effective_interval(),
        last_started_at=now,
        last_worker_id=worker_id[:64],
    )
    return claimed == 1


def jobs_run_soon(names: list[str]) -> int:
    """Make these jobs due now, so the next worker tick runs them; return how many."""
    return ScheduledJob.objects.filter(name__in=names).update(next_run_at=timezone.now())


def run_job(job: PeriodicJob) -> str:
    """Run one job and record how it ended; return "" or the error's summary."""
    error = ""
    try:
        job.load()()
    except Exception as exc:  # a failing job must never stop the worker or the other jobs
        logger.exception("Periodic job %s failed", job.path)
        error = "".join(traceback.format_exception(exc))[-4000:]
        retry_at = timezone.now() + timedelta(seconds=settings.TASK_RETRY_BASE_SECONDS)
        # A daily job that failed should not wait a whole day to try again.
        ScheduledJob.objects.filter(name=job.path, next_run_at__gt=retry_at).update(
            next_run_at=retry_at
        )
    ScheduledJob.objects.filter(name=job.path).update(
        last_finished_at=timezone.now(), last_error=error
    )
    return error


def run_due_jobs(*, worker_id: str) -> list[str]:
    """Run every periodic job that is due and that no other worker claimed; return their paths."""
    ran = []
    for job in periodic_jobs():
        if claim_job(job, worker_id=worker_id):
            run_job(job)
            ran.append(job.path)
    return ran


def beat(*, worker_id: str) -> None:
    """Record that this worker is alive, and forget workers silent for a day."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id[:64], defaults={"seen_at": now})
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()

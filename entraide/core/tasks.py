"""Durable background work: retries with exponential backoff, and the registry of periodic jobs.

Tasks go through Django's task API (database backend in production). A task that fails on a
boundary (SMTP, HTTP) records why and, while `attempts_left`, enqueues itself again with
`enqueue_later` after `retry_delay`; the worker's scheduler runs the
periodic jobs registered here, each claimed in the database so that it runs once per interval
however many workers are running.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """Return how long to wait after failed attempt number `attempt` (1, 2, 4, 8… × base)."""
    return timedelta(seconds=settings.TASK_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0))


def attempts_left(attempt: int) -> bool:
    """Return True while attempt number `attempt` may be followed by another one."""
    return attempt < settings.TASK_MAX_ATTEMPTS


def enqueue_later(task: Any, *args: Any, run_after: datetime, **kwargs: Any) -> None:
    """Enqueue `task` to run no earlier than `run_after`.

    Backends that cannot defer (the inline backend of the test suite) run it at once, which
    keeps a chain of retries observable in one call.
    """
    if task.get_backend().supports_defer:
        task.using(run_after=run_after).enqueue(*args, **kwargs)
    else:
        task.enqueue(*args, **kwargs)


@dataclass(frozen=True)
class PeriodicJob:
    """A function run by the worker's scheduler every `interval` (None: at every tick)."""

    path: str
    interval: timedelta | None = None

    def effective_interval(self) -> timedelta:
        """Return the interval, a scheduler tick for jobs that run at every tick."""
        if self.interval is None:
            return timedelta(seconds=settings.SCHEDULER_TICK_SECONDS)
        return self.interval

    def load(self) -> Callable[[], Any]:
        """Import the job's function from its dotted path."""
        return import_string(self.path)  # type: ignore[no-any-return]


_registry: dict[str, PeriodicJob] = {}


def register_periodic_job(path: str, *, interval: timedelta | None = None) -> PeriodicJob:
    """Add (or replace) a periodic job, named by the dotted path of its function."""
    job = PeriodicJob(path=path, interval=interval)
    _registry[path] = job
    return job


def periodic_jobs() -> list[PeriodicJob]:
    """Return the registered periodic jobs in registration order."""
    return list(_registry.values())

"""`entraide worker`: run queued tasks and the periodic jobs, until SIGTERM or Ctrl-C."""

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from entraide.core import scheduler

logger = logging.getLogger("entraide.worker")


class Command(BaseCommand):
    help = "Run the background worker: queued tasks plus the periodic jobs (scheduler)."

    worker_id: str = ""
    stopping: bool = False
    with_scheduler: bool = True
    tasks: Worker

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare --once, --no-scheduler, --interval and --worker-id."""
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the due periodic jobs and every ready task, then exit.",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only run queued tasks (another worker runs the periodic jobs).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default: 1).",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="Name of this worker, unique across workers (default: random).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Loop: scheduler tick when due, then every ready task, then a short sleep."""
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "The worker needs TASKS_BACKEND=django_tasks_db.DatabaseBackend "
                f"(configured: {type(backend).__name__})."
            )
        worker_id = (options["worker_id"] or f"worker-{get_random_string(12)}")[:64]
        self.worker_id = worker_id
        self.stopping = False
        self.with_scheduler = not options["no_scheduler"]
        self.tasks = Worker(
            queue_names=list(backend.queues) or ["default"],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if options["once"]:
            self.tick(force_scheduler=True)
            return
        self.install_signal_handlers()
        logger.info("Worker %s started (scheduler: %s)", worker_id, self.with_scheduler)
        next_tick = 0.0
        while not self.stopping:
            due = time.monotonic() >= next_tick
            if due:
                next_tick = time.monotonic() + settings.SCHEDULER_TICK_SECONDS
            self.tick(force_scheduler=due)
            self.sleep(options["interval"])
        logger.info("Worker %s stopped", worker_id)

    def tick(self, *, force_scheduler: bool) -> None:
        """On a scheduler tick, beat and run the due periodic jobs; then run every ready task."""
        close_old_connections()
        if force_scheduler:
            scheduler.beat(worker_id=self.worker_id)
        if self.with_scheduler and force_scheduler and not self.stopping:
            for path in scheduler.run_due_jobs(worker_id=self.worker_id):
                logger.debug("Ran periodic job %s", path)
        if not self.stopping:
            self.tasks.running = True
            self.tasks.run()
        close_old_connections()

    def install_signal_handlers(self) -> None:
        """Stop after the current task on SIGTERM or SIGINT; a second signal stops at once."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def stop(self, signum: int, frame: FrameType | None) -> None:
        """Finish the task at hand, then leave the loop."""
        if self.stopping:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            raise SystemExit(1)
        logger.warning("Received %s, stopping after the current task", signal.strsignal(signum))
        self.stopping = True
        self.tasks.running = False

    def sleep(self, seconds: float) -> None:
        """Sleep in short steps so that a stop request is honoured promptly."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))

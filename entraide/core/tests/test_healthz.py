"""The health check reports the database and the task queue."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from entraide.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _task(status: str, **fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="entraide.notifications.tasks.deliver_notification",
        backend_name="default",
        run_after=fields.pop("run_after", timezone.now()),
        **fields,
    )


def test_it_reports_ok_with_an_idle_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["tasks"] == {
        "ready": 0,
        "running": 0,
        "failed": 0,
        "stale_running": 0,
        "oldest_ready_age_seconds": 0,
        "worker_last_seen_seconds": None,
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_reports_when_a_worker_was_last_seen(client):
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False):
        WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now())
    with time_machine.travel("2026-11-22 10:00:42+00:00", tick=False):
        body = client.get("/healthz").json()
    assert body["tasks"]["worker_last_seen_seconds"] == 42


def test_it_is_degraded_when_ready_work_waits_too_long(client, settings):
    settings.TASK_STALE_AFTER_SECONDS = 600
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False):
        _task("READY", run_after=timezone.now() - timedelta(seconds=601))
        _task("READY", run_after=timezone.now() + timedelta(hours=1))
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["tasks"]["ready"] == 2
    assert body["tasks"]["oldest_ready_age_seconds"] == 601


def test_it_is_degraded_when_a_task_was_left_running_by_a_dead_worker(client, settings):
    settings.TASK_STALE_AFTER_SECONDS = 600
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False):
        _task("RUNNING", started_at=timezone.now() - timedelta(minutes=11))
        _task("RUNNING", started_at=timezone.now() - timedelta(minutes=1))
        _task("FAILED")
        response = client.get("/healthz")
    assert response.status_code == 503
    tasks = response.json()["tasks"]
    assert (tasks["running"], tasks["stale_running"], tasks["failed"]) == (2, 1, 1)

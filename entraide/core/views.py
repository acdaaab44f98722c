"""Home page and health check."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    """Show the two doors: ask for help, or offer it."""
    return render(request, "core/home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report the state of the database and of the task queue (HTTP 503 when unhealthy)."""
    state: dict = {"database": "ok", "tasks": {}}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database failure makes us unhealthy, whatever its type
        state["database"] = f"error: {type(exc).__name__}"
        return JsonResponse({"status": "error", **state}, status=503)

    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = DBTaskResult.objects.filter(status="READY")
    oldest_ready = ready.filter(run_after__lte=now).order_by("run_after").first()
    stale_before = now - timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS)
    tasks = {
        "ready": ready.count(),
        "running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "failed": DBTaskResult.objects.filter(status="FAILED").count(),
        "stale_running": DBTaskResult.objects.filter(
            status="RUNNING", started_at__lt=stale_before
        ).count(),
        "oldest_ready_age_seconds": (
            int((now - oldest_ready.run_after).total_seconds()) if oldest_ready else 0
        ),
    }
    from entraide.core.models import WorkerHeartbeat

    last_beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
    tasks["worker_last_seen_seconds"] = (
        int((now - last_beat.seen_at).total_seconds()) if last_beat else None
    )
    if tasks["oldest_ready_age_seconds"] > settings.TASK_STALE_AFTER_SECONDS:
        healthy = False
    state["tasks"] = tasks
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **state}, status=200 if healthy else 503
    )

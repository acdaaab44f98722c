"""Home page and health check."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    """Show the two doors: ask for help, or offer it."""
    return render(request, "core/home.html")


def backoffice_redirect(request: HttpRequest, rest: str) -> HttpResponseRedirect:
    """Send /admin/… to the same page of the back office, in the active language."""
    target = reverse("admin:index") + rest
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("admin:index")
    return HttpResponseRedirect(target)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report the state of the database and of the task queue (HTTP 503 when unhealthy)."""
    state: dict = {"database": "ok", "tasks": {}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database failure makes us unhealthy, whatever its type
        state["database"] = f"error: {type(exc).__name__}"
        return JsonResponse({"status": "error", **state}, status=503)

    try:
        tasks = _task_queue_state()
    except Exception as exc:  # e.g. the queue's table is missing before `migrate`
        state["tasks"] = {"error": type(exc).__name__}
        return JsonResponse({"status": "error", **state}, status=503)
    state["tasks"] = tasks
    # Work waiting longer than a crashed worker would hold it means nobody is processing the
    # queue; a task still "running" that long means a worker died and nobody re-queued it.
    healthy = (
        tasks["oldest_ready_age_seconds"] <= settings.TASK_STALE_AFTER_SECONDS
        and tasks["stale_running"] == 0
    )
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **state}, status=200 if healthy else 503
    )


def _task_queue_state() -> dict:
    """Count the queued, running and failed tasks, and say when a worker was last seen."""
    from django_tasks_db.models import DBTaskResult

    from entraide.core.models import WorkerHeartbeat

    now = timezone.now()
    ready = DBTaskResult.objects.filter(status="READY")
    oldest_ready = ready.filter(run_after__lte=now).order_by("run_after").first()
    stale_before = now - timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS)
    last_beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return {
        "ready": ready.count(),
        "running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "failed": DBTaskResult.objects.filter(status="FAILED").count(),
        "stale_running": DBTaskResult.objects.filter(
            status="RUNNING", started_at__lt=stale_before
        ).count(),
        "oldest_ready_age_seconds": (
            int((now - oldest_ready.run_after).total_seconds()) if oldest_ready else 0
        ),
        "worker_last_seen_seconds": (
            int((now - last_beat.seen_at).total_seconds()) if last_beat else None
        ),
    }

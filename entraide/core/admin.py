"""Back office: the periodic jobs, when they last ran and how it ended; the task queue."""

from datetime import datetime

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, pgettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from entraide.core.models import ScheduledJob
from entraide.core.scheduler import jobs_run_soon


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Read-only view of the scheduler's rows, with an action to run a job at the next tick."""

    list_display = [
        "name",
        "next_run_at",
        "last_started_at",
        "last_finished_at",
        "last_worker_id",
        "failed",
    ]
    search_fields = ["name"]
    ordering = ["name"]
    actions = ["run_soon"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """The worker creates the rows of the jobs it knows."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: ScheduledJob | None = None) -> bool:
        """The rows are the scheduler's state: only the action below changes them."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ScheduledJob | None = None) -> bool:
        """Deleting a row would only make the worker create it again."""
        return False

    @admin.display(boolean=True, description=_("last run failed"))
    def failed(self, job: ScheduledJob) -> bool:
        """Return True when the job's last run ended with an error."""
        return bool(job.last_error)

    def has_run_permission(self, request: HttpRequest) -> bool:
        """Only those allowed to change the scheduler's rows may move a run forward."""
        return request.user.has_perm("core.change_scheduledjob")

    @admin.action(description=_("Run at the worker's next tick"), permissions=["run"])
    def run_soon(self, request: HttpRequest, queryset: QuerySet[ScheduledJob]) -> None:
        """Make the selected jobs due now."""
        count = jobs_run_soon(list(queryset.values_list("name", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d job will run at the worker's next tick.",
                "%(count)d jobs will run at the worker's next tick.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# django_tasks_db names its table, fields and statuses through gettext but ships no French or
# Dutch catalogue: naming them here puts them in ours (makemessages only reads our tree).
THIRD_PARTY_LABELS = (
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)


class TaskResultAdmin(DBTaskResultAdmin):
    """django_tasks_db's read-only list of tasks, with its computed columns translated."""

    list_display = (
        "id",
        "name_of_task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=_("task"))
    def name_of_task(self, obj: DBTaskResult) -> str:
        """Return the task's name (its function's path)."""
        return obj.task_name

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        """Return the traceback as preformatted text."""
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj: DBTaskResult) -> datetime | str:
        """Return when the task may run (empty for "whenever")."""
        return super().display_run_after(obj)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)

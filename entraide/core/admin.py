"""Back office: the periodic jobs, when they last ran and how it ended."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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

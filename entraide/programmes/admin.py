"""Back office for programmes: every row is read only (authors, members and coordinators
write through the services, on the pages or the API)."""

from django.contrib import admin

from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.programmes.models import (
    ActionReport,
    Cohort,
    Enrolment,
    EnrolmentEvent,
    Programme,
    ProgrammeVersion,
    RenderProblem,
    RepertoireAction,
)


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "organisation", "cohort_size", "default_language"]
    search_fields = ["title", "slug"]


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["programme", "number", "published_at", "published_by"]


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["programme", "number", "start_week", "language", "time_zone", "coordinator"]
    list_filter = ["language", "start_week"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "programme", "start_week", "status", "cohort", "flagged"]
    list_filter = ["status", "flagged"]
    search_fields = ["user__email"]


@admin.register(EnrolmentEvent)
class EnrolmentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enrolment", "kind", "actor", "channel", "created_at"]


@admin.register(RenderProblem)
class RenderProblemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["version", "day", "language", "error", "reported_at"]


@admin.register(RepertoireAction)
class RepertoireActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "challenge", "unit", "status"]
    list_filter = ["status"]


@admin.register(ActionReport)
class ActionReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["action", "quantity", "enrolment", "done_on", "channel"]

"""Back office for missions: look up missions, slots, applications and their histories.

Read-only: managers and moderators change missions on the site, through the services that
check the rules, geocode, notify and write the history.
"""

from django.contrib import admin

from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.missions.models import (
    Application,
    Certificate,
    Mission,
    MissionEvent,
    MissionSlot,
    MissionTemplate,
    Participation,
    SavedSearch,
)


class MissionSlotInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MissionSlot
    extra = 0
    fields = ("starts_at", "ends_at", "capacity", "accepted_count")
    readonly_fields = ("accepted_count",)


class MissionEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MissionEvent
    extra = 0
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields


@admin.register(Mission)
class MissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "organisation", "theme", "is_remote", "status", "created_at")
    list_filter = ("status", "theme", "is_remote", "is_internal")
    search_fields = ("title", "organisation__name", "town")
    readonly_fields = ("public_id", "status", "lat", "lon", "cell", "published_at", "created_by")
    raw_id_fields = ("organisation",)
    inlines = [MissionSlotInline, MissionEventInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("volunteer", "slot", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("volunteer__email", "slot__mission__title")
    raw_id_fields = ("slot", "volunteer", "decided_by")
    readonly_fields = ("status", "decided_by", "decided_at")


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "hours", "confirmed_at")
    raw_id_fields = ("application", "confirmed_by")
    readonly_fields = ("hours", "confirmed_by")


@admin.register(MissionTemplate)
class MissionTemplateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organisation", "created_by", "created_at")
    search_fields = ("name", "organisation__name")
    readonly_fields = ("created_by", "created_at")


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "user", "is_active", "last_digest_at", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "user__email")
    readonly_fields = ("last_digest_at", "created_at")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "volunteer", "organisation", "hours", "issued_on")
    search_fields = ("code", "volunteer__email", "organisation__name")
    raw_id_fields = ("volunteer", "organisation")

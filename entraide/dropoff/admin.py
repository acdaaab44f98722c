"""Back office for drop-off points: read only (points are written through the services)."""

from django.contrib import admin

from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.dropoff.models import (
    DropoffDonation,
    DropoffPoint,
    DropoffPointEvent,
    OpeningException,
    OpeningRange,
    PickupRequest,
)


class OpeningRangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OpeningRange
    extra = 0


class OpeningExceptionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OpeningException
    extra = 0


class DropoffPointEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DropoffPointEvent
    extra = 0


@admin.register(DropoffPoint)
class DropoffPointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organisation", "town", "territory", "status", "fill_level")
    list_filter = ("status", "fill_level", "territory")
    search_fields = ("name", "organisation__name", "town", "postcode")
    inlines = (OpeningRangeInline, OpeningExceptionInline, DropoffPointEventInline)


@admin.register(DropoffDonation)
class DropoffDonationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("point", "bags", "volume_m3", "created_at")
    list_filter = ("point__territory",)


@admin.register(PickupRequest)
class PickupRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("point", "status", "fill_level", "created_at")
    list_filter = ("status", "point__territory")

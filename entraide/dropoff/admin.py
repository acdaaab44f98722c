"""Back office for drop-off points and home collection.

Points, donations, requests and bookings are read only (the services write them); the item
catalogue and each territory's collection rules are reference data staff edit here; slots
are added through the service.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from entraide.accounts.current import current_user
from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.core.errors import DomainError
from entraide.core.vocabulary import Channel
from entraide.dropoff import collection_services
from entraide.dropoff.collection_forms import weeks_field
from entraide.dropoff.models import (
    CatalogueItem,
    CollectionBooking,
    CollectionBookingEvent,
    CollectionRule,
    CollectionSlot,
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


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fr", "name_nl", "name_en", "category", "volume_m3", "is_active")
    list_editable = ("volume_m3", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("code", "name_fr", "name_nl", "name_en")


@admin.register(CollectionRule)
class CollectionRuleAdmin(admin.ModelAdmin):
    list_display = ("territory", "threshold_m3", "postcodes", "min_notice_hours", "max_days_ahead")
    filter_horizontal = ("categories",)


class SlotForm(forms.ModelForm):
    weeks = weeks_field()

    class Meta:
        model = CollectionSlot
        fields = ("territory", "starts_at", "ends_at", "capacity")


@admin.register(CollectionSlot)
class CollectionSlotAdmin(admin.ModelAdmin):
    form = SlotForm
    list_display = ("territory", "starts_at", "ends_at", "capacity")
    list_filter = ("territory",)
    date_hierarchy = "starts_at"

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse changing a slot donors may have booked; staff add slots only."""
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: bookings point at their slot."""
        return False

    def save_model(
        self, request: HttpRequest, obj: CollectionSlot, form: Any, change: bool
    ) -> None:
        """Open the slot (and its weekly repeats) through the service, with its checks."""
        try:
            made = collection_services.slot_create(
                territory=obj.territory,
                starts_at=obj.starts_at,
                ends_at=obj.ends_at,
                capacity=obj.capacity,
                weeks=form.cleaned_data["weeks"],
                actor=current_user(request),
                channel=Channel.BACKOFFICE,
            )
        except (DomainError, ValidationError) as exc:
            text = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
            messages.error(request, text)
            return
        obj.pk = made[0].pk


class CollectionBookingEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CollectionBookingEvent
    extra = 0


@admin.register(CollectionBooking)
class CollectionBookingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slot", "postcode", "volume_m3", "status", "channel")
    list_filter = ("status", "slot__territory")
    search_fields = ("name", "email", "phone", "postcode")
    exclude = ("token",)
    inlines = (CollectionBookingEventInline,)

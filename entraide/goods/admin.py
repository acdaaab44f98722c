"""Back office for goods: the catalogue and territory factors are edited here; lots, needs,
offers, pickups and collection rounds are read (and lots cancelled through the service); the
ledger is read only.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from entraide.accounts.current import current_user
from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.core.errors import DomainError
from entraide.core.vocabulary import Channel
from entraide.goods import services
from entraide.goods.models import (
    Category,
    CollectionRound,
    GoodsMovement,
    Lot,
    LotEvent,
    LotPhoto,
    LotSeries,
    Need,
    NeedEvent,
    Offer,
    OfferEvent,
    Pickup,
    PickupEvent,
    RoundEvent,
    TerritoryFactor,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_fr",
        "name_nl",
        "name_en",
        "is_food",
        "needs_cold",
        "meal_factor_per_kg",
        "co2_kg_per_kg",
        "is_active",
        "position",
    )
    list_filter = ("is_food", "needs_cold", "is_active")
    search_fields = ("code", "name_fr", "name_nl", "name_en")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: lots and the ledger keep their category; staff deactivate it instead."""
        return False


@admin.register(TerritoryFactor)
class TerritoryFactorAdmin(admin.ModelAdmin):
    list_display = ("territory", "category", "meal_factor_per_kg", "co2_kg_per_kg")
    list_filter = ("territory",)


class LotPhotoInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The lot's photos, as associations see them (added and removed by the donor only)."""

    model = LotPhoto
    extra = 0
    fields = ("preview", "width", "height", "uploaded_by", "created_at")
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def preview(self, photo: LotPhoto) -> str:
        """Show the thumbnail, served by the view that checks who may see the lot."""
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" width="96"></a>',
            reverse("goods:lot_photo", args=[photo.pk]),
            reverse("goods:lot_photo_thumbnail", args=[photo.pk]),
            _("Photo %(number)s of the lot") % {"number": photo.position + 1},
        )


@admin.register(Lot)
class LotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    inlines = [LotPhotoInline]
    list_display = (
        "pk",
        "category",
        "weight_kg",
        "kg_open",
        "status",
        "donor_organisation",
        "town",
        "use_by",
        "created_at",
    )
    list_filter = ("status", "category", "channel")
    search_fields = ("donor_organisation__name", "donor_user__email", "town", "description")
    actions = ["cancel_lots"]

    @admin.action(description=_("Cancel the selected lots"))
    def cancel_lots(self, request: HttpRequest, queryset: QuerySet[Lot]) -> None:
        """Cancel each lot through the service (its checks, ledger row and event)."""
        done = 0
        for lot in queryset:
            try:
                services.lot_cancel(
                    lot=lot,
                    actor=current_user(request),
                    channel=Channel.BACKOFFICE,
                    reason=str(_("Cancelled in the back office")),
                )
            except DomainError as exc:
                self.message_user(request, f"{lot}: {exc.message}", messages.WARNING)
                continue
            done += 1
        self.message_user(
            request, ngettext("%(n)d lot cancelled.", "%(n)d lots cancelled.", done) % {"n": done}
        )


@admin.register(LotSeries)
class LotSeriesAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "category", "typical_kg", "weekdays", "donor_organisation", "is_active")
    list_filter = ("is_active", "category")


@admin.register(Need)
class NeedAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "organisation", "category", "kg", "kg_open", "by_date", "status")
    list_filter = ("status", "category", "cold_storage")
    search_fields = ("organisation__name", "town", "description")


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "lot", "need", "kg_proposed", "kg_accepted", "status", "expires_at")
    list_filter = ("status", "decline_reason")


@admin.register(Pickup)
class PickupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "organisation", "mode", "status", "starts_at", "received_at")
    list_filter = ("status", "mode")


class RoundStopInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Pickup
    fk_name = "collection_round"
    fields = ("round_position", "round_eta", "status", "reason")
    ordering = ("round_position",)
    extra = 0


@admin.register(CollectionRound)
class CollectionRoundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    inlines = [RoundStopInline]
    list_display = ("pk", "name", "organisation", "day", "status", "driver", "distance_km")
    list_filter = ("status",)
    search_fields = ("name", "organisation__name")


@admin.register(GoodsMovement)
class GoodsMovementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "lot", "category", "kind", "kg", "organisation", "corrects")
    list_filter = ("kind", "category")
    search_fields = ("organisation__name", "reason")


for event_model in (LotEvent, NeedEvent, OfferEvent, PickupEvent, RoundEvent):
    admin.site.register(
        event_model,
        type(
            f"{event_model.__name__}Admin",
            (ReadOnlyAdminMixin, admin.ModelAdmin),
            {"list_display": ("created_at", "kind", "from_status", "to_status", "channel")},
        ),
    )

"""Back office for receipts: everything is read only (receipts are issued and cancelled
through the service, from the association's page, the API or by an operator)."""

from django.contrib import admin

from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.receipts.models import (
    IssuerProfile,
    Receipt,
    ReceiptEvent,
    ReceiptLine,
    ReceiptSequence,
)


@admin.register(IssuerProfile)
class IssuerProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("legal_name", "organisation", "country", "regime", "signatory_name")
    list_filter = ("country", "regime")
    search_fields = ("legal_name", "organisation__name", "registration_number")


@admin.register(ReceiptSequence)
class ReceiptSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("issuer", "year", "last_number")
    list_filter = ("year",)


class ReceiptLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReceiptLine
    extra = 0


class ReceiptEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReceiptEvent
    extra = 0


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "issuer_name",
        "donor_name",
        "gift_date",
        "value_cents",
        "cancelled_at",
    )
    list_filter = ("year", "nature", "regime")
    search_fields = ("issuer_name", "donor_name", "token")
    inlines = (ReceiptLineInline, ReceiptEventInline)


@admin.register(ReceiptEvent)
class ReceiptEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("receipt", "kind", "actor", "channel", "created_at")
    list_filter = ("kind",)

"""Back office for money: the ledger is read only (it is written by the services); funds are
set up here, saved through the service."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from entraide.accounts.current import current_user
from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.core.errors import DomainError
from entraide.money import services
from entraide.money.models import Account, BalanceSnapshot, Contribution, Entry, Fund, Transaction


@admin.register(Account)
class AccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("key", "kind", "name", "currency", "may_go_negative")
    list_filter = ("kind", "currency")
    search_fields = ("key", "name")


class EntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Entry
    extra = 0


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "kind", "currency", "occurred_on", "memo", "actor", "created_at")
    list_filter = ("kind",)
    search_fields = ("memo", "idempotency_key")
    inlines = (EntryInline,)


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("fund", "contributor_kind", "contributor_name", "amount_cents", "received_on")
    list_filter = ("fund", "contributor_kind")
    search_fields = ("contributor_name", "bank_reference")


@admin.register(BalanceSnapshot)
class BalanceSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("day", "digest", "previous_digest")


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "territory", "cap_cents", "cap_window", "is_public")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("managers",)
    exclude = ("account",)

    def save_model(self, request: HttpRequest, obj: Fund, form: Any, change: bool) -> None:
        """Create or change the fund through the service (same checks as everywhere)."""
        try:
            services.fund_save(fund=obj, actor=current_user(request))
        except (DomainError, ValidationError) as exc:
            text = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
            messages.error(request, text)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Save the fund's staff, unless the service refused the fund itself."""
        if form.instance.pk is not None:
            super().save_related(request, form, formsets, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse: a fund's ledger account and history stay."""
        return False

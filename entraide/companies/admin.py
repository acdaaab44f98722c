"""Back office for companies: profiles, employees, work time, top-up rules and the ledger.

Rules and payments go through the services, so the back office keeps the same checks as the
pages (a rule that money accrued under cannot change; nobody pays more than is due).
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from entraide.accounts.current import current_user
from entraide.companies import services
from entraide.companies.models import (
    AccrualProblem,
    CompanyProfile,
    Donation,
    Employee,
    EmployeeInvitation,
    LedgerEntry,
    TopUpRule,
    WorkTimeRequest,
)
from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.core.errors import DomainError
from entraide.core.formats import format_money


@admin.register(CompanyProfile)
class CompanyProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "yearly_allowance_hours", "created_at")
    search_fields = ("organisation__name",)
    raw_id_fields = ("organisation",)


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "company", "site", "department", "manager", "joined_at")
    list_filter = ("company",)
    search_fields = ("user__email", "company__name", "site", "department")
    raw_id_fields = ("company", "user", "manager")


@admin.register(WorkTimeRequest)
class WorkTimeRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("employee", "hours", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("employee__user__email",)
    raw_id_fields = ("employee", "application", "decided_by")
    readonly_fields = ("status", "decided_by", "decided_at", "reason")


class MoneyColumns:
    """The list's amounts in the reader's conventions ("25,00 €"), not in raw cents."""

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount(self, obj: Any) -> str:
        """Return the amount as the reader writes euros (empty for a percentage rule)."""
        return format_money(obj.amount_cents) if obj.amount_cents else ""

    @admin.display(description=_("cap per employee and year"), ordering="cap_cents")
    def cap(self, obj: Any) -> str:
        """Return the rule's yearly cap per employee, or nothing when it has none."""
        return "" if obj.cap_cents is None else format_money(obj.cap_cents)


@admin.register(TopUpRule)
class TopUpRuleAdmin(MoneyColumns, admin.ModelAdmin):
    list_display = ("company", "kind", "amount", "match_percent", "cap", "valid_from")
    list_filter = ("kind",)
    raw_id_fields = ("company",)

    def save_model(self, request: HttpRequest, obj: TopUpRule, form: Any, change: bool) -> None:
        """Create or change the rule through the service (same checks as everywhere)."""
        try:
            saved = services.topup_rule_set(
                company=obj.company,
                actor=current_user(request),
                kind=obj.kind,
                valid_from=obj.valid_from,
                valid_until=obj.valid_until,
                amount_cents=obj.amount_cents,
                match_percent=obj.match_percent,
                cap_cents=obj.cap_cents,
                rule=TopUpRule.objects.get(pk=obj.pk) if change else None,
            )
        except (DomainError, ValidationError) as exc:
            text = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
            messages.error(request, text)
            return
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse: rules are ended (valid until), never deleted; the ledger points at them."""
        return False


@admin.register(Donation)
class DonationAdmin(MoneyColumns, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("employee", "association", "amount", "made_at")
    search_fields = ("employee__user__email", "association__name")
    raw_id_fields = ("employee", "association")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(MoneyColumns, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "company", "association", "kind", "amount", "note")
    list_filter = ("kind",)
    search_fields = ("company__name", "association__name", "note")


@admin.register(AccrualProblem)
class AccrualProblemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("company", "reason", "rule", "detail", "first_seen_at", "last_seen_at")
    list_filter = ("reason",)
    search_fields = ("company__name", "key")
    raw_id_fields = ("company", "rule", "participation", "donation")


@admin.register(EmployeeInvitation)
class EmployeeInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("email", "company", "status_label", "created_at", "expires_at")
    search_fields = ("email", "company__name")
    exclude = ("token_hash",)

    @admin.display(description=_("status"))
    def status_label(self, invitation: EmployeeInvitation) -> str:
        """Return where the invitation stands, in the reader's language."""
        return invitation.get_status_display()

"""Back office for the phone line: calls and call-backs, read-only, searchable by phone number."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.core.phones import normalise_phone
from entraide.operators.models import Call, Callback


class PhoneSearchMixin:
    """Let a search typed as "0470 12 34 56" find the number stored as +32470123456."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Search as usual, and also by the normalised number when the term is one."""
        results, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        try:
            number = normalise_phone(search_term)
        except ValidationError:
            number = ""
        if number:
            results = results | queryset.filter(phone=number)
        return results, may_have_duplicates


class CallbackInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Callback
    fk_name = "source_call"
    extra = 0
    fields = ["due_at", "note", "done_at", "done_by"]
    readonly_fields = ["due_at", "note", "done_at", "done_by"]


@admin.register(Call)
class CallAdmin(PhoneSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "direction", "phone", "outcome", "language", "operator"]
    list_filter = ["direction", "outcome", "language", "created_at", "operator"]
    search_fields = ["phone", "note", "operator__email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["operator", "help_request"]
    readonly_fields = ["created_at"]
    list_select_related = ["operator"]
    inlines = [CallbackInline]


@admin.register(Callback)
class CallbackAdmin(PhoneSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["due_at", "phone", "note", "created_by", "is_done", "done_by"]
    list_filter = [("done_at", admin.EmptyFieldListFilter), "due_at", "created_by"]
    search_fields = ["phone", "note"]
    date_hierarchy = "due_at"
    raw_id_fields = ["created_by", "done_by", "help_request", "source_call"]
    readonly_fields = ["created_at"]
    list_select_related = ["created_by", "done_by"]

    @admin.display(boolean=True, description=_("made"))
    def is_done(self, obj: Callback) -> bool:
        """Return True once the call-back has been made."""
        return obj.done_at is not None

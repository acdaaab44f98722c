"""Back office for help requests: read the history, act through the services."""

from django.contrib import admin, messages
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from entraide.accounts.current import current_user
from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.core.errors import DomainError
from entraide.core.vocabulary import Channel
from entraide.help_requests import services
from entraide.help_requests.models import HelpRequest, HelpRequestEvent, Offer


class HelpRequestEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The request's history, oldest first."""

    model = HelpRequestEvent
    extra = 0
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "channel", "reason")
    readonly_fields = fields
    ordering = ("created_at", "id")


class OfferInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The volunteers who were asked, by wave."""

    model = Offer
    extra = 0
    fields = ("created_at", "wave", "volunteer", "distance_km")
    readonly_fields = fields


@admin.register(HelpRequest)
class HelpRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Requests, read-only: changes go through the services' actions (with their events)."""

    list_display = (
        "reference",
        "kind",
        "urgency",
        "town",
        "status",
        "channel",
        "wave",
        "escalated_at",
        "created_at",
    )
    list_filter = ("status", "kind", "urgency", "channel")
    search_fields = ("public_id", "requester_phone", "town", "postcode")
    date_hierarchy = "created_at"
    readonly_fields = (
        "public_id",
        "status",
        "taken_by",
        "taken_at",
        "done_at",
        "confirmed_at",
        "closed_at",
        "wave",
        "next_wave_at",
        "escalated_at",
        "lat",
        "lon",
        "cell",
        "consent_at",
        "channel",
        "created_by",
        "personal_data_purged_at",
        "created_at",
        "updated_at",
    )
    exclude = ("tracking_token",)
    inlines = (HelpRequestEventInline, OfferInline)
    actions = ("cancel_requests", "revoke_tracking_links")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Also find a request by the 8-character reference read out on the phone."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().lower()
        if len(term) == 8 and all(c in "0123456789abcdef" for c in term):
            # The reference is the UUID's first 8 hex digits, identical in its text form on
            # SQLite (32 hex digits) and PostgreSQL (dashed): compare on that text.
            by_reference = HelpRequest.objects.annotate(
                public_text=Cast("public_id", output_field=CharField())
            ).filter(public_text__istartswith=term)
            queryset = queryset | HelpRequest.objects.filter(pk__in=by_reference.values("pk"))
        return queryset, may_have_duplicates

    @admin.action(description=_("Cancel the selected requests"))
    def cancel_requests(self, request: HttpRequest, queryset: QuerySet[HelpRequest]) -> None:
        """Cancel each selected request through the service."""
        done = 0
        for help_request in queryset:
            try:
                services.help_request_cancel(
                    help_request=help_request,
                    channel=Channel.BACKOFFICE,
                    actor=current_user(request),
                    reason=str(_("Cancelled in the back office")),
                )
            except DomainError as exc:
                self.message_user(
                    request, f"{help_request.reference}: {exc.message}", messages.WARNING
                )
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d request cancelled.", "%(count)d requests cancelled.", done)
            % {"count": done},
        )

    @admin.action(description=_("Replace the tracking links of the selected requests"))
    def revoke_tracking_links(self, request: HttpRequest, queryset: QuerySet[HelpRequest]) -> None:
        """Replace each selected request's private link through the service."""
        count = 0
        for help_request in queryset:
            services.help_request_revoke_tracking_link(
                help_request=help_request,
                channel=Channel.BACKOFFICE,
                actor=current_user(request),
            )
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d link replaced.", "%(count)d links replaced.", count)
            % {"count": count},
        )


@admin.register(HelpRequestEvent)
class HelpRequestEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every fact of every request, read-only."""

    list_display = ("created_at", "help_request", "kind", "from_status", "to_status", "channel")
    list_filter = ("kind", "channel")
    search_fields = ("help_request__town",)
    list_select_related = ("help_request",)

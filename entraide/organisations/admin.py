"""Back office for organisations: territories and their moderators; decisions via the services."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, URLField
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from entraide.core.admin_mixins import ReadOnlyAdminMixin
from entraide.core.errors import DomainError
from entraide.organisations import services
from entraide.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
    Territory,
)


class MoveForm(forms.Form):
    """Where the selected organisations move, and why (the service checks the reason)."""

    territory = forms.ModelChoiceField(
        queryset=Territory.objects.order_by("name"), label=_("New territory")
    )
    reason = forms.CharField(
        label=_("Reason (kept in the organisation's history)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "maxlength": 500}),
    )


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    """Territories and the moderators who verify their organisations."""

    list_display = ("name", "country", "time_zone", "phone_line", "phone_hours")
    search_fields = ("name",)
    filter_horizontal = ("moderators",)


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "is_contact", "created_at")
    readonly_fields = fields


class OrganisationEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OrganisationEvent
    extra = 0
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    ordering = ("created_at", "id")


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Organisations; verifications and rejections go through the services' actions."""

    list_display = ("name", "kind", "territory", "town", "status", "created_at")
    list_filter = ("status", "kind", "territory")
    # A website typed without a scheme means https (Django 6.0's default, chosen now).
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    search_fields = ("name", "slug", "registration_number", "town")
    list_select_related = ("territory",)
    date_hierarchy = "created_at"
    inlines = (MembershipInline, OrganisationEventInline)
    actions = (
        "verify_organisations",
        "reject_organisations",
        "suspend_organisations",
        "reinstate_organisations",
        "move_organisations",
    )

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet[Organisation],
        decide: Callable[..., Organisation],
        **arguments: Any,
    ) -> int:
        """Run one service on each selected organisation; report the refusals."""
        done = 0
        for organisation in queryset.select_related("territory"):
            try:
                decide(organisation=organisation, moderator=request.user, **arguments)
            except DomainError as exc:
                self.message_user(request, f"{organisation}: {exc.message}", messages.WARNING)
            except ValidationError as exc:
                self.message_user(
                    request, f"{organisation}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                done += 1
        return done

    def _report(self, request: HttpRequest, done: int) -> None:
        self.message_user(
            request,
            ngettext("%(count)d organisation changed.", "%(count)d organisations changed.", done)
            % {"count": done},
        )

    def _with_reason(
        self,
        request: HttpRequest,
        queryset: QuerySet[Organisation],
        decide: Callable[..., Organisation],
        title: str,
        action: str,
    ) -> HttpResponse | None:
        """Ask for the reason on an intermediate page, then apply the decision."""
        if request.POST.get("apply"):
            reason = request.POST.get("reason", "").strip()
            if reason:
                self._report(request, self._apply(request, queryset, decide, reason=reason))
                return None
            self.message_user(
                request,
                _("Explain the decision: the organisation will read this reason."),
                messages.ERROR,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "organisations": queryset,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/organisations/organisation/reason.html", context)

    @admin.action(description=_("Verify the selected organisations"))
    def verify_organisations(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        """Verify each selected organisation through the service."""
        self._report(request, self._apply(request, queryset, services.organisation_verify))

    @admin.action(description=_("Reject the selected organisations"))
    def reject_organisations(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> HttpResponse | None:
        """Reject each selected organisation, with the reason typed on the next page."""
        return self._with_reason(
            request,
            queryset,
            services.organisation_reject,
            str(_("Reject organisations")),
            "reject_organisations",
        )

    @admin.action(description=_("Suspend the selected organisations"))
    def suspend_organisations(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> HttpResponse | None:
        """Suspend each selected organisation, with the reason typed on the next page."""
        return self._with_reason(
            request,
            queryset,
            services.organisation_suspend,
            str(_("Suspend organisations")),
            "suspend_organisations",
        )

    @admin.action(description=_("Reinstate the selected organisations"))
    def reinstate_organisations(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> None:
        """Lift suspensions and reopen rejections through the service."""
        self._report(request, self._apply(request, queryset, services.organisation_reinstate))

    def has_move_permission(self, request: HttpRequest) -> bool:
        """Only staff move organisations: it changes who moderates them."""
        return bool(request.user.is_active and request.user.is_staff)

    @admin.action(
        description=_("Move the selected organisations to another territory"),
        permissions=["move"],
    )
    def move_organisations(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> HttpResponse | None:
        """Ask for the new territory and the reason, then move each organisation."""
        form = MoveForm(request.POST if request.POST.get("apply") else None)
        if form.is_valid():
            territory, reason = form.cleaned_data["territory"], form.cleaned_data["reason"]
            done = self._apply(
                request,
                queryset,
                lambda organisation, moderator: services.organisation_move(
                    organisation=organisation, territory=territory, actor=moderator, reason=reason
                ),
            )
            self._report(request, done)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Move organisations to another territory"),
            "organisations": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/organisations/organisation/move.html", context)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who acts for which organisation (changed by the organisations' administrators)."""

    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organisation__name")
    list_select_related = ("user", "organisation")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Invitations sent by the organisations' administrators."""

    list_display = ("email", "organisation", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "organisation__name")
    exclude = ("token_hash",)


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every fact of every organisation, read-only."""

    list_display = ("created_at", "organisation", "kind", "from_status", "to_status", "actor")
    list_filter = ("kind",)
    search_fields = ("organisation__name",)
    list_select_related = ("organisation", "actor")
    # The event fields come from an abstract base, so list them to keep the organisation first.
    fields = ("organisation", "kind", "from_status", "to_status", "actor", "reason", "data")

"""Back office for volunteer profiles and the CSV import of volunteers, through the services."""

import hashlib
import io
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from entraide.accounts.current import current_user
from entraide.core.vocabulary import Channel
from entraide.volunteers.forms import VolunteerImportForm
from entraide.volunteers.models import VolunteerProfile
from entraide.volunteers.services import volunteer_profile_update, volunteers_import_csv
from entraide.volunteers.volunteer_csv import COLUMNS

# The preview lists this many rows; the import itself takes every row.
PREVIEW_ROWS = 200
IMPORT_SESSION_KEY = "volunteers-import"


class VolunteerProfileAdminForm(forms.ModelForm):
    """Save through volunteer_profile_update, so the service's errors show on the fields.

    The admin runs the whole change view in one transaction, so the write done here is
    undone if anything after it fails.
    """

    class Meta:
        model = VolunteerProfile
        fields = [
            "user",
            "town",
            "postcode",
            "country",
            "lat",
            "lon",
            "radius_km",
            "languages",
            "kinds",
            "availability",
            "max_open_requests",
            "notification_mode",
            "is_paused",
            "paused_until",
        ]

    saved_profile: VolunteerProfile

    def clean(self) -> dict[str, Any]:
        """Run the service; report its ValidationError on the matching fields."""
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        user = cleaned["user"]
        if self.instance.pk is None and VolunteerProfile.objects.filter(user=user).exists():
            self.add_error("user", _("This person already has a volunteer profile."))
            return cleaned
        moved_home = {"town", "postcode", "country"} & set(self.changed_data)
        pinned = {"lat", "lon"} & set(self.changed_data)
        has_pin = cleaned.get("lat") is not None and cleaned.get("lon") is not None
        # A new town without a new pin must be looked up again, not keep the old position.
        keep_pin = has_pin and (bool(pinned) or not moved_home)
        try:
            with transaction.atomic():
                self.saved_profile = volunteer_profile_update(
                    user=user,
                    town=cleaned.get("town", ""),
                    postcode=cleaned.get("postcode", ""),
                    country=cleaned.get("country", ""),
                    lat=cleaned["lat"] if keep_pin else None,
                    lon=cleaned["lon"] if keep_pin else None,
                    radius_km=cleaned["radius_km"],
                    languages=list(cleaned.get("languages") or []),
                    kinds=list(cleaned.get("kinds") or []),
                    availability=cleaned["availability"],
                    max_open_requests=cleaned["max_open_requests"],
                    is_paused=cleaned.get("is_paused", False),
                    paused_until=cleaned.get("paused_until"),
                    notification_mode=cleaned["notification_mode"],
                    channel=Channel.BACKOFFICE,
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.instance = self.saved_profile
        return cleaned


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    """Find volunteers by email or town; filter by pause and notification mode."""

    form = VolunteerProfileAdminForm
    list_display = [
        "user",
        "town",
        "postcode",
        "radius_km",
        "max_open_requests",
        "notification_mode",
        "is_paused",
        "paused_until",
        "updated_at",
    ]
    list_filter = ["is_paused", "notification_mode"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "town", "postcode"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_notified_at", "consented_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["user"]}),
        # "Home" alone is also the admin breadcrumb ("Accueil"); the context keeps them apart.
        (
            pgettext_lazy("where the volunteer lives", "Home"),
            {"fields": ["town", "postcode", "country", "lat", "lon", "radius_km"]},
        ),
        (
            _("Preferences"),
            {
                "fields": [
                    "languages",
                    "kinds",
                    "availability",
                    "max_open_requests",
                    "notification_mode",
                ]
            },
        ),
        (_("Pause"), {"fields": ["is_paused", "paused_until"]}),
        (
            _("Record"),
            {"fields": ["last_notified_at", "consented_at", "created_at", "updated_at"]},
        ),
    ]

    def save_model(
        self, request: HttpRequest, obj: VolunteerProfile, form: Any, change: bool
    ) -> None:
        """Keep what the form's service call saved (the object itself is not saved again)."""
        saved = form.saved_profile
        obj.pk = saved.pk
        obj.refresh_from_db()

    def get_urls(self) -> list[URLPattern]:
        urls = [
            path(
                "import-volunteers/",
                self.admin_site.admin_view(self.import_volunteers_view),
                name="volunteers_volunteerprofile_import",
            )
        ]
        return urls + super().get_urls()

    def import_volunteers_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV, see every error or a preview, then import all the rows at once."""
        # The import creates accounts: it needs the right to add users, not only profiles.
        if not (self.has_add_permission(request) and request.user.has_perm("accounts.add_user")):
            raise PermissionDenied
        form = VolunteerImportForm(
            request.POST or None,
            request.FILES or None,
            checked=request.session.get(IMPORT_SESSION_KEY),
        )
        report, digest = None, ""
        if request.method == "POST" and form.is_valid():
            data = form.data_bytes()
            confirmed = "import" in request.POST and not form.cleaned_data.get("file")
            report = volunteers_import_csv(
                file=io.BytesIO(data),
                actor=current_user(request),
                dry_run=not confirmed,
            )
            if confirmed and report.ok:
                request.session.pop(IMPORT_SESSION_KEY, None)
                self.message_user(request, report.summary(), messages.SUCCESS)
                return redirect("admin:accounts_user_changelist")
            if report.ok:
                content = data.decode("utf-8-sig")
                digest = hashlib.sha256(content.encode()).hexdigest()
                request.session[IMPORT_SESSION_KEY] = {"digest": digest, "content": content}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import volunteers"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "preview": report.rows[:PREVIEW_ROWS] if report else [],
            "digest": digest,
            "columns": ",".join(COLUMNS),
        }
        status = 400 if report is not None and not report.ok else 200
        return TemplateResponse(
            request,
            "admin/volunteers/volunteerprofile/import_volunteers.html",
            context,
            status=status,
        )

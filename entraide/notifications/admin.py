"""Back office: the notifications outbox and the local .eml outbox."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.notifications.models import Notification
from entraide.notifications.selectors import outbox_message, outbox_messages
from entraide.notifications.services import notification_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only view of every message, with a "retry" action for failed ones."""

    list_display = [
        "created_at",
        "template",
        "to_email",
        "language",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "template", "language"]
    search_fields = ["to_email", "dedupe_key", "subject"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Messages are created by the services, never by hand."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        """Rows are history: staff read them, and retry through the action."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        """Keep every message for the record."""
        return False

    @admin.action(description=gettext_lazy("Send again"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        """Queue the chosen failed or skipped messages again."""
        count = sum(1 for n in queryset if notification_retry(notification=n))
        self.message_user(
            request,
            _("%(count)d message(s) queued again.") % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def get_urls(self) -> list[URLPattern]:
        """Add the local outbox pages under this model's URLs."""
        view = self.admin_site.admin_view
        return [
            path("outbox/", view(self.outbox_view), name="notifications_outbox"),
            path(
                "outbox/<str:name>/",
                view(self.outbox_message_view),
                name="notifications_outbox_message",
            ),
            *super().get_urls(),
        ]

    def _check_access(self, request: HttpRequest) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def outbox_view(self, request: HttpRequest) -> HttpResponse:
        """List the messages of the local outbox, newest first."""
        self._check_access(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Outbox (emails written to files)"),
            "entries": outbox_messages(),
        }
        return TemplateResponse(request, "admin/notifications/outbox.html", context)

    def outbox_message_view(self, request: HttpRequest, name: str) -> HttpResponse:
        """Show one message of the local outbox."""
        self._check_access(request)
        entry = outbox_message(name)
        if entry is None:
            raise Http404(_("No such message."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": entry.subject or _("(no subject)"),
            "entry": entry,
            "headers": [(key, str(value)) for key, value in entry.message.items()],
        }
        return TemplateResponse(request, "admin/notifications/outbox_message.html", context)

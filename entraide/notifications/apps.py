"""Notifications: an outbox of emails, delivered by the task worker."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "entraide.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        """Check at start-up that every registered email kind can be rendered."""
        from django.core import checks

        from entraide.notifications.checks import check_email_kinds

        checks.register(check_email_kinds, checks.Tags.templates)

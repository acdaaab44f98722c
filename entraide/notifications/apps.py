"""Notifications: an outbox of emails, delivered by the task worker."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "entraide.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

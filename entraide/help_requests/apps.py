"""Help requests: from "I need help" to "help delivered"."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpRequestsConfig(AppConfig):
    name = "entraide.help_requests"
    label = "help_requests"
    verbose_name = _("Help requests")

    def ready(self) -> None:
        """Register this app's email kinds with the outbox."""
        from entraide.help_requests.emails import KINDS
        from entraide.notifications.registry import register

        register(*KINDS)

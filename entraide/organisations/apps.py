"""Organisations: associations, health facilities, public bodies and companies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "entraide.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        """Register this app's email kinds, and each recipient's territory, with the outbox."""
        from entraide.notifications.registry import register, register_recipient_context
        from entraide.organisations.emails import KINDS, recipient_context

        register(*KINDS)
        register_recipient_context(recipient_context)

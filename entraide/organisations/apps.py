"""Organisations: associations, health facilities, public bodies and companies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "entraide.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        """Register this app's email kinds with the outbox."""
        from entraide.notifications.registry import register
        from entraide.organisations.emails import KINDS

        register(*KINDS)

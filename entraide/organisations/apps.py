"""Organisations: associations, health facilities, public bodies and companies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "entraide.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        """Register this app's email kinds, each recipient's territory, and its roles."""
        from entraide.accounts import roles
        from entraide.notifications.registry import register, register_recipient_context
        from entraide.organisations.emails import KINDS, recipient_context
        from entraide.organisations.roles import ROLES

        register(*KINDS)
        register_recipient_context(recipient_context)
        roles.register(*ROLES)

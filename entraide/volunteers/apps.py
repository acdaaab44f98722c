"""Volunteers: where, when and how each person can help."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "entraide.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        """Tell the outbox where volunteers keep their choice of emails; register the role."""
        from entraide.accounts import roles
        from entraide.notifications.registry import register_preferences
        from entraide.volunteers.emails import PREFERENCES
        from entraide.volunteers.roles import ROLES

        register_preferences(PREFERENCES)
        roles.register(*ROLES)

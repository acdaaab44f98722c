"""Companies: employees, volunteering on work time, company top-ups and the company dashboard."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "entraide.companies"
    label = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        """Register this app's email kinds with the outbox, and its roles."""
        from entraide.accounts import roles
        from entraide.companies.emails import KINDS
        from entraide.companies.roles import ROLES
        from entraide.notifications.registry import register

        register(*KINDS)
        roles.register(*ROLES)

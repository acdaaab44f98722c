"""Companies: employees, volunteering on work time, company top-ups and the company dashboard."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "entraide.companies"
    label = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        """Register this app's email kinds, its roles and its part of 'My organisations'."""
        from entraide.accounts import roles
        from entraide.companies.emails import KINDS
        from entraide.companies.roles import ROLES
        from entraide.companies.selectors import employments_for_organisations_page
        from entraide.notifications.registry import register
        from entraide.organisations import dashboard_sections

        register(*KINDS)
        roles.register(*ROLES)
        dashboard_sections.register(
            dashboard_sections.DashboardSection(
                name="companies",
                template="companies/_organisations_section.html",
                items=employments_for_organisations_page,
            )
        )

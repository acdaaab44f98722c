"""Drop-off points: where people bring donations, their hours, fill level and categories."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DropoffConfig(AppConfig):
    name = "entraide.dropoff"
    label = "dropoff"
    verbose_name = _("Drop-off points")

    def ready(self) -> None:
        """Register the 'My organisations' card that links hosts to their points."""
        from entraide.dropoff.selectors import points_hosted_by
        from entraide.organisations import dashboard_sections

        dashboard_sections.register(
            dashboard_sections.DashboardSection(
                name="dropoff",
                template="dropoff/_organisations_section.html",
                items=points_hosted_by,
            )
        )

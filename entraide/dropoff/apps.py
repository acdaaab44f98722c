"""Drop-off points: where people bring donations, their hours, fill level and categories."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DropoffConfig(AppConfig):
    name = "entraide.dropoff"
    label = "dropoff"
    verbose_name = _("Drop-off points")

    def ready(self) -> None:
        """Register the hosts' 'My organisations' card, the emails and the reminder job."""
        from datetime import timedelta

        from entraide.core.tasks import register_periodic_job
        from entraide.dropoff.emails import KINDS
        from entraide.dropoff.selectors import points_hosted_by
        from entraide.notifications.registry import register
        from entraide.organisations import dashboard_sections

        register(*KINDS)
        register_periodic_job(
            "entraide.dropoff.jobs.remind_collections", interval=timedelta(minutes=30)
        )

        dashboard_sections.register(
            dashboard_sections.DashboardSection(
                name="dropoff",
                template="dropoff/_organisations_section.html",
                items=points_hosted_by,
            )
        )

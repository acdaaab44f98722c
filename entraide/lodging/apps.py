"""Lodging: places hosts open for the night, booked by associations with a code or a quota."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LodgingConfig(AppConfig):
    name = "entraide.lodging"
    label = "lodging"
    verbose_name = _("Lodging")

    def ready(self) -> None:
        """Register the periodic jobs: held bookings expire, no-shows free their beds."""
        from datetime import timedelta

        from entraide.core.tasks import register_periodic_job

        register_periodic_job("entraide.lodging.jobs.expire_holds", interval=timedelta(minutes=1))
        register_periodic_job("entraide.lodging.jobs.mark_no_shows", interval=timedelta(minutes=15))

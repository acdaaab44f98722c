"""Missions: organisations post them, volunteers apply, hours are confirmed."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "entraide.missions"
    label = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        """Register this app's email kinds and its section of the moderators' page."""
        from entraide.missions.emails import KINDS
        from entraide.missions.selectors import missions_waiting_for_moderation
        from entraide.notifications.registry import register
        from entraide.organisations import moderation_queues

        register(*KINDS)
        moderation_queues.register(
            moderation_queues.ModerationQueue(
                name="missions",
                template="missions/moderation_queue.html",
                items=missions_waiting_for_moderation,
            )
        )

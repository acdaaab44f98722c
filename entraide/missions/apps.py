"""Missions: organisations post them, volunteers apply, hours are confirmed."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "entraide.missions"
    label = "missions"
    verbose_name = _("Missions")

"""Lodging: places hosts open for the night, booked by associations with a code or a quota."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LodgingConfig(AppConfig):
    name = "entraide.lodging"
    label = "lodging"
    verbose_name = _("Lodging")

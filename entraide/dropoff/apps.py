"""Drop-off points: where people bring donations, their hours, fill level and categories."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DropoffConfig(AppConfig):
    name = "entraide.dropoff"
    label = "dropoff"
    verbose_name = _("Drop-off points")

"""Programmes: a week of guided action in cohorts, with day emails, coordinators and actions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "entraide.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

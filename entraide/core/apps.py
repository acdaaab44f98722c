"""Shared building blocks: places, phone numbers, errors, layout."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "entraide.core"
    label = "core"
    verbose_name = _("Core")

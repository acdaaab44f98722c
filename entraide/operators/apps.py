"""The phone line: operators enter requests for callers and follow them up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperatorsConfig(AppConfig):
    name = "entraide.operators"
    label = "operators"
    verbose_name = _("Phone line")

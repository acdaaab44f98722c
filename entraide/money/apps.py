"""Money: one double-entry ledger for the platform, and transparent solidarity funds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "entraide.money"
    label = "money"
    verbose_name = _("Money")

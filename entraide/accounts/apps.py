"""Accounts: users, roles, sign-up and log-in."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "entraide.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

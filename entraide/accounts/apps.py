"""Accounts: users, roles, sign-up and log-in."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "entraide.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        """Register this app's email kinds with the outbox, and the back office's role."""
        from entraide.accounts import roles
        from entraide.accounts.emails import KINDS
        from entraide.notifications.registry import register

        register(*KINDS)
        roles.register(roles.BACK_OFFICE)

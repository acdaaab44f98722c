"""Accounts: users, roles, sign-up and log-in."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # the lockout's config below lives here too
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


class LoginLockoutConfig(AxesAppConfig):
    """django-axes' tables of failed log-ins, under a translated name in the back office."""

    verbose_name = _("Log-in security")  # type: ignore[assignment]  # a lazy str, as Django allows

"""The phone line: operators enter requests for callers and follow them up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperatorsConfig(AppConfig):
    name = "entraide.operators"
    label = "operators"
    verbose_name = _("Phone line")

    def ready(self) -> None:
        """Register the operator's role."""
        from entraide.accounts import roles
        from entraide.operators.roles import ROLES

        roles.register(*ROLES)

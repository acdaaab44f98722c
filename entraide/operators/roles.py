"""The operator's role: their home is the phone line's console."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from entraide.accounts.roles import Role

ROLES = (
    Role(
        name="operator",
        label=_("Operator"),
        icon="phone",
        home=lambda user: reverse("operators:console"),
        has_role=lambda user: user.is_operator,
        priority=70,
    ),
)

"""Private helpers shared by the organisation services: history, links and permission checks."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.organisations import permissions
from entraide.organisations.models import Membership, Organisation

Status = Organisation.Status
Role = Membership.Role


def _absolute_url(language: str, name: str, *args: Any) -> str:
    """Return the full URL of a page in the given language, for an email."""
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args)


def _check_administrator(organisation: Organisation, actor: User) -> None:
    if not permissions.can_administer(actor, organisation):
        raise DomainError(
            _("Only the administrators of this organisation can manage its members."),
            code="forbidden",
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role.")]})

"""Private helpers shared by the organisation services: history, links and permission checks."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import PermissionDeniedError
from entraide.organisations import permissions
from entraide.organisations.models import Membership, Organisation

Status = Organisation.Status
Role = Membership.Role


def _check_administrator(organisation: Organisation, actor: User) -> None:
    if not permissions.can_administer(actor, organisation):
        raise PermissionDeniedError(
            _("Only the administrators of this organisation can manage its members.")
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role.")]})

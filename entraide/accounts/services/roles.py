"""The operator, moderator and back-office roles, changed by staff with a trail; the home role."""

from django.db import transaction
from django.utils.translation import gettext as _

from entraide.accounts import roles
from entraide.accounts.models import User, UserRoleChange
from entraide.accounts.roles import Role
from entraide.core.errors import DomainError, PermissionDeniedError

ROLE_FIELDS = ("is_operator", "is_moderator", "is_staff")


def _can_manage_roles(actor: User) -> bool:
    """Return True for back-office staff allowed to change users."""
    return actor.is_active and actor.is_staff and actor.has_perm("accounts.change_user")


@transaction.atomic
def user_set_roles(
    *, user: User, is_operator: bool, is_moderator: bool, is_staff: bool, actor: User
) -> User:
    """Give or take the operator, moderator and back-office roles, and record the change."""
    if not _can_manage_roles(actor):
        raise PermissionDeniedError(_("You are not allowed to change roles."))
    if actor.pk == user.pk and not is_staff:
        raise DomainError(
            _("You cannot remove your own access to the back office."), code="self_lockout"
        )
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {name: getattr(locked, name) for name in ROLE_FIELDS}
    after = {"is_operator": is_operator, "is_moderator": is_moderator, "is_staff": is_staff}
    if before != after:
        User.objects.filter(pk=user.pk).update(**after)
        UserRoleChange.objects.create(user=locked, actor=actor, before=before, after=after)
    for name, value in after.items():
        setattr(user, name, value)
    return user


def user_prefer_role(*, user: User, role: str) -> Role:
    """Remember the role whose home opens after log-in; refuse one the user does not hold."""
    chosen = next((held for held in roles.roles_of(user) if held.name == role), None)
    if chosen is None:
        raise DomainError(_("You do not have this role."), code="role_not_held")
    if user.preferred_role != chosen.name:
        user.preferred_role = chosen.name
        user.save(update_fields=["preferred_role"])
    return chosen

"""Who may do what with an organisation: one place, used by services, views and other apps."""

from entraide.accounts.models import Viewer
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.selectors import member_role

# A suspended or rejected organisation keeps its members but may not act in its name.
ACTING_STATUSES = (Organisation.Status.PENDING, Organisation.Status.VERIFIED)


def _is_staff(user: Viewer | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def can_administer(user: Viewer | None, organisation: Organisation) -> bool:
    """Return True for the organisation's administrators (and staff): settings, members."""
    if _is_staff(user):
        return True
    return member_role(user, organisation) == Membership.Role.ADMINISTRATOR


def can_manage_missions(user: Viewer | None, organisation: Organisation) -> bool:
    """Return True when the user may post and manage missions for this organisation."""
    if _is_staff(user):
        return True
    if organisation.status not in ACTING_STATUSES:
        return False
    return member_role(user, organisation) in {
        Membership.Role.ADMINISTRATOR,
        Membership.Role.MISSION_MANAGER,
    }


def can_moderate(user: Viewer | None, organisation: Organisation) -> bool:
    """Return True for the moderators of the organisation's territory, and for staff."""
    if _is_staff(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return organisation.territory.moderators.filter(pk=user.pk).exists()


def is_moderator_anywhere(user: Viewer | None) -> bool:
    """Return True for staff, users with the moderator role, and moderators of a territory."""
    if _is_staff(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_moderator or user.moderated_territories.exists())

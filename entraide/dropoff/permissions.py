"""Who may do what with drop-off points: one place, used by services, selectors and pages."""

from entraide.accounts.models import Viewer
from entraide.dropoff.models import DropoffPoint
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import ACTING_STATUSES
from entraide.organisations.selectors import member_role


def is_dropoff_staff(user: Viewer | None) -> bool:
    """Return True for active staff: they set up points for any organisation."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def can_host(user: Viewer | None, organisation: Organisation) -> bool:
    """Return True for staff and the members of an organisation that may act (its hosts)."""
    if is_dropoff_staff(user):
        return True
    if organisation.status not in ACTING_STATUSES:
        return False
    return member_role(user, organisation) is not None


def can_manage_point(user: Viewer | None, point: DropoffPoint) -> bool:
    """Return True for the point's hosts and staff."""
    return can_host(user, point.organisation)


def is_dropoff_operator(user: Viewer | None) -> bool:
    """Return True for active operators and staff: they answer callers at the phone desk."""
    return is_dropoff_staff(user) or bool(
        user is not None and user.is_authenticated and user.is_active and user.is_operator  # type: ignore[union-attr]
    )

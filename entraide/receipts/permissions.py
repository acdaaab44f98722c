"""Who may issue, cancel and read receipts: one place, used by services, selectors and pages."""

from entraide.accounts.models import Viewer
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.permissions import ACTING_STATUSES
from entraide.organisations.selectors import member_role
from entraide.receipts.models import Receipt

# Who acts for a donor: its members who give goods in its name (as in goods).
DONOR_ROLES = (Membership.Role.ADMINISTRATOR, Membership.Role.MISSION_MANAGER)


def _is_active(user: Viewer | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_receipts_staff(user: Viewer | None) -> bool:
    """Return True for staff and operators: they issue and re-send receipts for associations."""
    return _is_active(user) and bool(user.is_staff or user.is_operator)  # type: ignore[union-attr]


def can_issue(user: Viewer | None, organisation: Organisation) -> bool:
    """Return True for the association's administrators, staff and operators."""
    if is_receipts_staff(user):
        return True
    if organisation.status not in ACTING_STATUSES:
        return False
    return member_role(user, organisation) == Membership.Role.ADMINISTRATOR


def can_see_donations_of(user: Viewer | None, organisation: Organisation) -> bool:
    """Return True for the donor organisation's members who give in its name, and staff."""
    if is_receipts_staff(user):
        return True
    return member_role(user, organisation) in DONOR_ROLES


def can_read(user: Viewer | None, receipt: Receipt) -> bool:
    """Return True for the issuer's administrators, the donor, staff and operators."""
    if can_issue(user, receipt.issuer.organisation):
        return True
    if receipt.donor_organisation is not None:
        return can_see_donations_of(user, receipt.donor_organisation)
    return _is_active(user) and receipt.donor_user_id == user.pk  # type: ignore[union-attr]

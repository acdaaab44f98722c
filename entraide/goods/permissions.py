"""Who may do what with goods: one place, used by services, selectors and pages."""

from entraide.accounts.models import Viewer
from entraide.goods.models import Lot, LotSeries
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.permissions import ACTING_STATUSES
from entraide.organisations.selectors import member_role


def _is_active(user: Viewer | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_goods_staff(user: Viewer | None) -> bool:
    """Return True for staff and operators: they act for any donor or association (by phone)."""
    return _is_active(user) and bool(user.is_staff or user.is_operator)  # type: ignore[union-attr]


def can_act_for(user: Viewer | None, organisation: Organisation | None) -> bool:
    """Return True when the user may give or ask for goods in the organisation's name."""
    if is_goods_staff(user):
        return True
    if organisation is None or organisation.status not in ACTING_STATUSES:
        return False
    return member_role(user, organisation) in {
        Membership.Role.ADMINISTRATOR,
        Membership.Role.MISSION_MANAGER,
    }


def can_manage_lot(user: Viewer | None, lot: Lot | LotSeries) -> bool:
    """Return True for the donor (the person, or the organisation's members), staff, operators."""
    if lot.donor_organisation_id is not None:
        return can_act_for(user, lot.donor_organisation)
    return is_goods_staff(user) or (_is_active(user) and lot.donor_user_id == user.pk)  # type: ignore[union-attr]

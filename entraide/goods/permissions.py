"""Who may do what with goods: one place, used by services, selectors and pages."""

from entraide.accounts.models import Viewer
from entraide.goods.models import LOT_OPEN_STATUSES, CollectionRound, Lot, LotSeries, Offer
from entraide.matching.geo import haversine_km
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.permissions import ACTING_STATUSES
from entraide.organisations.selectors import member_role

# The radii a "lots near us" reader can choose, in km; the widest also bounds who sees a lot.
NEAR_RADII = (5, 10, 25, 50)
ACTING_ROLES = (Membership.Role.ADMINISTRATOR, Membership.Role.MISSION_MANAGER)


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
    return member_role(user, organisation) in ACTING_ROLES


def can_manage_lot(user: Viewer | None, lot: Lot | LotSeries) -> bool:
    """Return True for the donor (the person, or the organisation's members), staff, operators."""
    if lot.donor_organisation_id is not None:
        return can_act_for(user, lot.donor_organisation)
    return is_goods_staff(user) or (_is_active(user) and lot.donor_user_id == user.pk)  # type: ignore[union-attr]


def can_see_lot(user: Viewer | None, lot: Lot) -> bool:
    """Return True for the donor, staff, operators, and associations the lot is shown to.

    An association sees a lot it was offered, and an open lot within the widest radius of
    its "lots near us" page; its members see what it sees.
    """
    if can_manage_lot(user, lot):
        return True
    if not _is_active(user):
        return False
    acting = {
        "memberships__user": user,
        "memberships__role__in": ACTING_ROLES,
        "status__in": ACTING_STATUSES,
    }
    offered = Offer.objects.filter(
        lot=lot,
        need__organisation__in=Organisation.objects.filter(**acting),
    )
    if offered.exists():
        return True
    if lot.status not in LOT_OPEN_STATUSES or lot.kg_open <= 0 or not lot.has_position:
        return False
    places = Organisation.objects.filter(**acting, lat__isnull=False, lon__isnull=False)
    lot_lat, lot_lon = float(lot.lat or 0), float(lot.lon or 0)
    return any(
        haversine_km(float(lat or 0), float(lon or 0), lot_lat, lot_lon) <= NEAR_RADII[-1]
        for lat, lon in places.values_list("lat", "lon")
    )


def can_see_round(user: Viewer | None, collection_round: CollectionRound) -> bool:
    """Return True for the association's members who act for it, staff, operators, the driver."""
    if can_act_for(user, collection_round.organisation):
        return True
    return _is_active(user) and collection_round.driver_id == user.pk  # type: ignore[union-attr]

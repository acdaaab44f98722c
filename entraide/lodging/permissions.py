"""Who may do what with lodging: hosts, the desk of a territory, associations that book."""

from entraide.accounts.models import Viewer
from entraide.lodging.models import Booking, Place
from entraide.organisations.models import Organisation, Territory
from entraide.organisations.permissions import ACTING_STATUSES
from entraide.organisations.selectors import member_role


def _active(user: Viewer | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_desk(user: Viewer | None, territory: Territory) -> bool:
    """Return True for the desk of a territory: staff, and the territory's moderators."""
    if not _active(user):
        return False
    if user.is_staff:  # type: ignore[union-attr]
        return True
    return territory.moderators.filter(pk=user.pk).exists()  # type: ignore[union-attr]


def is_desk_anywhere(user: Viewer | None) -> bool:
    """Return True for staff and the moderators of any territory."""
    if not _active(user):
        return False
    return bool(user.is_staff or user.moderated_territories.exists())  # type: ignore[union-attr]


def _acting_member(user: Viewer | None, organisation: Organisation) -> bool:
    if organisation.status not in ACTING_STATUSES:
        return False
    return member_role(user, organisation) is not None


def can_host(user: Viewer | None, host: Organisation) -> bool:
    """Return True for the host's members (and its territory's desk): they publish places."""
    return is_desk(user, host.territory) or _acting_member(user, host)


def can_manage_place(user: Viewer | None, place: Place) -> bool:
    """Return True for the place's hosts and its territory's desk."""
    return is_desk(user, place.territory) or _acting_member(user, place.host)


def can_book_for(user: Viewer | None, association: Organisation) -> bool:
    """Return True for the association's members, and for the desk booking for a caller."""
    if association.kind != Organisation.Kind.ASSOCIATION:
        return False
    return is_desk(user, association.territory) or _acting_member(user, association)


def can_change_booking(user: Viewer | None, booking: Booking) -> bool:
    """Return True for the association that booked and the desk: confirm, extend, cancel."""
    return can_book_for(user, booking.association) or is_desk(user, booking.place.territory)

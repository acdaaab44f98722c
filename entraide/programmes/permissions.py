"""Who may do what with programmes: authors, coordinators, operators and members."""

from entraide.accounts.models import Viewer
from entraide.organisations.permissions import can_manage_missions
from entraide.programmes.models import Cohort, Enrolment, Programme


def _active(user: Viewer | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_author(user: Viewer | None, programme: Programme) -> bool:
    """Return True for the organisation's staff (administrators, mission managers) and staff."""
    return can_manage_missions(user, programme.organisation)


def is_operator(user: Viewer | None) -> bool:
    """Return True for the phone line's operators (who enrol callers) and staff."""
    return _active(user) and bool(user.is_operator or user.is_staff)  # type: ignore[union-attr]


def can_coordinate(user: Viewer | None, cohort: Cohort) -> bool:
    """Return True for the cohort's coordinator and the programme's authors."""
    if not _active(user):
        return False
    return cohort.coordinator_id == user.pk or can_author(user, cohort.programme)  # type: ignore[union-attr]


def can_act_for(user: Viewer | None, enrolment: Enrolment) -> bool:
    """Return True for the member, an operator on their behalf, and their coordinator."""
    if not _active(user):
        return False
    if enrolment.user_id == user.pk or is_operator(user):  # type: ignore[union-attr]
        return True
    return enrolment.cohort is not None and can_coordinate(user, enrolment.cohort)

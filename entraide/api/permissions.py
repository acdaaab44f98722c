"""Who may call what: roles are flags on the user, a volunteer is a user with a profile."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from entraide.accounts.models import Viewer
from entraide.help_requests.models import HelpRequest


def is_operator(user: Viewer | None) -> bool:
    """Return True for operators of the phone line and staff."""
    return bool(user and user.is_authenticated and (user.is_operator or user.is_staff))


def is_volunteer(user: Viewer | None) -> bool:
    """Return True when the user has a volunteer profile."""
    return bool(user and user.is_authenticated and hasattr(user, "volunteer_profile"))


def sees_contact_details(user: Viewer | None, help_request: HelpRequest) -> bool:
    """Return True for the only people who may see a requester's address, phone and email."""
    if not (user and user.is_authenticated):
        return False
    return is_operator(user) or help_request.taken_by_id == user.pk


class IsOperator(BasePermission):
    """Allow operators and staff."""

    message = _("Only operators of the phone line can do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        """Return True for operators and staff."""
        return is_operator(request.user)


class IsVolunteer(BasePermission):
    """Allow users who have a volunteer profile."""

    message = _("Only volunteers can do this. Complete your volunteer profile first.")

    def has_permission(self, request: Request, view: Any) -> bool:
        """Return True for users with a volunteer profile."""
        return is_volunteer(request.user)


class IsVerifiedVolunteer(IsVolunteer):
    """Allow volunteers whose email address is confirmed: only they may see or take requests."""

    message = _(
        "Confirm your email address first: follow the link we emailed you, or ask for a new "
        "one on the website (your dashboard has a button for it)."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        """Return True for volunteers with a confirmed email address."""
        return (
            super().has_permission(request, view)
            and getattr(request.user, "email_verified_at", None) is not None
        )

"""Who must log in with a second factor, and the pages an unverified session may still open.

Staff, operators and moderators see requesters' contacts, verify organisations and change
roles: with TWO_FACTOR_REQUIRED (on by default), their session does nothing else until it
is verified with a code from an authenticator app (TOTP) or a recovery code. Other domains
add their own privileged people (those who can move money) with `register_requirement`.
"""

from collections.abc import Callable

from django.conf import settings

from entraide.accounts.models import User

_requirements: list[Callable[[User], bool]] = []


def register_requirement(check: Callable[[User], bool]) -> None:
    """Add a rule naming more people who must use a second factor (called from ready())."""
    if check not in _requirements:
        _requirements.append(check)


def requires_two_factor(user: object) -> bool:
    """Return True when this signed-in person must verify a second factor."""
    if not settings.TWO_FACTOR_REQUIRED or not isinstance(user, User) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser or user.is_operator or user.is_moderator:
        return True
    return any(check(user) for check in _requirements)


def is_verified(user: object) -> bool:
    """Return True when the session was verified with a second factor (django-otp)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())

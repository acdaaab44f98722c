"""The user a request acts for, typed as a User once a login is required."""

from typing import Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from entraide.accounts.models import User


class WithUser(Protocol):
    """A page's or the back office's request: anything that carries `user`."""

    @property
    def user(self) -> User | AnonymousUser:
        """The logged-in user, or the anonymous one."""


def current_user(request: WithUser) -> User:
    """Return the logged-in user of a request that requires one; refuse (403) an anonymous one."""
    user = request.user
    if not isinstance(user, User):
        # Views that call this are behind login_required, so this is a safety net, not a flow.
        raise PermissionDenied
    return user

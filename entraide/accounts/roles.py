"""Which roles a person holds and where each one's home is: each app registers its own.

accounts sits below the apps that give people their roles (volunteers, organisations,
companies, operators), so it cannot ask them; each registers its role(s) from its
AppConfig.ready(), like the outbox's email kinds:

    class OperatorsConfig(AppConfig):
        def ready(self) -> None:
            roles.register(
                roles.Role(
                    name="operator",
                    label=_("Operator"),
                    icon="phone",
                    home=lambda user: reverse("operators:console"),
                    has_role=lambda user: user.is_operator,
                    priority=60,
                )
            )

`accounts:home` sends a person to the home of the role they chose last (User.preferred_role)
or, if they never chose or no longer hold it, of the highest-priority role they hold.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from entraide.accounts.models import User


T = TypeVar("T")


@dataclass(frozen=True)
class Role:
    """One role: its name, how it is shown, where its home is, and who holds it."""

    name: str
    label: "StrOrPromise"
    icon: str  # a name of the icon set, shown next to the label where icons are available
    home: Callable[["User"], str]  # the URL of this person's home for the role
    has_role: Callable[["User"], bool]  # at most a query or two: the header asks every page
    priority: int = 0  # without a preference, the highest-priority role held is the home


_ROLES: dict[str, Role] = {}


def register(*roles: Role) -> None:
    """Add roles; registering two different roles under one name is a mistake."""
    for role in roles:
        known = _ROLES.get(role.name)
        if known is not None and known != role:
            raise ImproperlyConfigured(f"Two roles are named {role.name!r}.")
        _ROLES[role.name] = role


def unregister(name: str) -> None:
    """Remove a role (tests that register their own use this to clean up)."""
    _ROLES.pop(name, None)


def get(name: str) -> Role | None:
    """Return the registered role with this name, or None."""
    return _ROLES.get(name)


def only_one(values: Iterable[T]) -> T | None:
    """Return the single value (a home for one organisation), or None for none or several."""
    first_two = list(islice(values, 2))
    return first_two[0] if len(first_two) == 1 else None


def roles_of(user: "User") -> list[Role]:
    """Return the roles the user holds, highest priority first (one predicate per role)."""
    if not user.is_authenticated or not user.is_active:
        return []
    ordered = sorted(_ROLES.values(), key=lambda role: (-role.priority, role.name))
    return [role for role in ordered if role.has_role(user)]


def current_role(user: "User", held: list[Role]) -> Role | None:
    """Return the role the user chose last if they still hold it, else their first one."""
    for role in held:
        if role.name == user.preferred_role:
            return role
    return held[0] if held else None


# Staff's role: the back office, their home only when they hold no other role.
BACK_OFFICE = Role(
    name="staff",
    label=_("Back office"),
    icon="settings",
    home=lambda user: reverse("admin:index"),
    has_role=lambda user: user.is_staff,
    priority=0,
)

"""The header's role switcher: the roles the person holds and the one in use."""

from dataclasses import dataclass
from typing import Any

from django import template

from entraide.accounts.models import User
from entraide.accounts.roles import Role, current_role, roles_of

register = template.Library()


@dataclass(frozen=True)
class RoleMenu:
    """The roles a person holds, highest priority first, and the current one."""

    roles: list[Role]
    current: Role | None


# Pages may include the switcher more than once (header, phone menu): ask once per request.
_CACHE_ATTRIBUTE = "_entraide_role_menu"


@register.simple_tag(takes_context=True)
def role_menu(context: dict[str, Any]) -> RoleMenu:
    """Return the logged-in person's roles and current role (empty for anybody else)."""
    request = context.get("request")
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return RoleMenu(roles=[], current=None)
    held = roles_of(user)
    menu = RoleMenu(roles=held, current=current_role(user, held))
    if request is not None:
        setattr(request, _CACHE_ATTRIBUTE, menu)
    return menu

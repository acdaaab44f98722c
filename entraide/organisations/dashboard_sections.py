"""'My organisations' lists the person's memberships; higher apps add their own cards to it.

Companies know who works for them (organisations cannot import companies), so the companies
app registers a section from its AppConfig.ready() that shows each employee their company.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from entraide.accounts.models import User


@dataclass(frozen=True)
class DashboardSection:
    """Cards added to 'My organisations': what they list and the template that shows them."""

    name: str
    template: str  # rendered with `items`, the person's list, within the page's card list
    items: Callable[[User], Sequence[Any]]  # one query: the page is everyone's landing list


_SECTIONS: dict[str, DashboardSection] = {}


def register(section: DashboardSection) -> None:
    """Add a section; two different sections with one name are a mistake."""
    if _SECTIONS.get(section.name, section) != section:
        raise ImproperlyConfigured(f"Two sections of 'My organisations' are {section.name!r}.")
    _SECTIONS[section.name] = section


def sections_for(user: User) -> list[tuple[DashboardSection, Sequence[Any]]]:
    """Return each registered section with the person's items, leaving out empty ones."""
    found = ((section, section.items(user)) for section in sorted(_SECTIONS.values(), key=str))
    return [(section, items) for section, items in found if items]

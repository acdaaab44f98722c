"""The moderators' page gathers what each domain waits for them to decide, one section each.

Organisations own moderation (moderators cover territories), but missions, and the domains to
come, have their own things to review. Each registers a queue from its AppConfig.ready(), so
the page lists them without organisations importing any of those domains.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from entraide.accounts.models import User


@dataclass(frozen=True)
class ModerationQueue:
    """One section of the moderators' page: what it lists, and the template that shows it."""

    name: str
    template: str  # rendered with `items`, the moderator's list, and the page's context
    items: Callable[[User], Iterable[Any]]
    order: int = 100  # sections are shown by order, then name


_QUEUES: dict[str, ModerationQueue] = {}


def register(queue: ModerationQueue) -> None:
    """Add a section to the moderators' page; registering the same name twice is a mistake."""
    known = _QUEUES.get(queue.name)
    if known is not None and known != queue:
        raise ImproperlyConfigured(f"Two moderation queues are named {queue.name!r}.")
    _QUEUES[queue.name] = queue


def unregister(name: str) -> None:
    """Remove a section (tests that register their own use this to clean up)."""
    _QUEUES.pop(name, None)


@dataclass(frozen=True)
class ModerationSection:
    """A queue with the items waiting for one moderator."""

    queue: ModerationQueue
    items: Iterable[Any]


def sections_for(moderator: User) -> list[ModerationSection]:
    """Return each registered queue with what waits for this moderator, in display order."""
    ordered = sorted(_QUEUES.values(), key=lambda queue: (queue.order, queue.name))
    return [ModerationSection(queue, queue.items(moderator)) for queue in ordered]

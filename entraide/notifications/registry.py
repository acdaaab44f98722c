"""Which emails exist: each domain app registers its own kinds, the outbox knows none of them.

A domain declares its kinds in its `emails.py` and registers them from its AppConfig.ready():

    KINDS = (EmailKind("mission_published"), EmailKind("goods_offer", context=offer_context))

    class GoodsConfig(AppConfig):
        def ready(self) -> None:
            registry.register(*emails.KINDS)

A kind's templates are `notifications/email/<name>_subject.txt` and `<name>.txt` (and an
optional `<name>.html`), kept in the domain's own templates folder.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from entraide.accounts.models import User
    from entraide.notifications.models import Notification

# How a recipient chose to hear about digestible emails (the values every store must use).
IMMEDIATE = "immediate"
DIGEST = "digest"
NONE = "none"


class UnknownEmailKindError(LookupError):
    """A message names an email kind that no app registered."""


@dataclass(frozen=True)
class Digest:
    """How a digestible kind joins its recipient's daily digest instead of going out alone."""

    # The kind of the daily email that gathers these messages (registered by the same app).
    kind: str
    # The JSON the digest's context keeps for one gathered message.
    item: Callable[["Notification"], dict[str, Any]]
    # The waiting messages still worth telling about; the others are skipped, not digested.
    still_relevant: Callable[[QuerySet["Notification"]], QuerySet["Notification"]]


@dataclass(frozen=True)
class EmailKind:
    """One kind of email: its name (and templates), its context and how it may be stopped."""

    name: str
    # Extra template context read at delivery time, over the stored JSON and the site's links.
    context: Callable[["Notification"], dict[str, Any]] | None = None
    # The email carries the recipient's one-click unsubscribe link (if they have preferences).
    unsubscribable: bool = False
    # Set for kinds that wait for the daily digest of a recipient who chose it.
    digest: Digest | None = None

    @property
    def template_base(self) -> str:
        """Return the path of the templates without their ending."""
        return f"notifications/email/{self.name}"


@dataclass(frozen=True)
class Preferences:
    """Where recipients keep their choice of immediate emails, a daily digest or none."""

    # Lookup from a user to the choice, e.g. "volunteer_profile__notification_mode".
    mode_path: str
    label: "StrOrPromise"
    choices: Callable[[], Sequence[tuple[str, "StrOrPromise"]]]
    # Saves a choice: set_mode(user=…, mode=…); raises ValidationError for a refused one.
    set_mode: Callable[..., object]

    @property
    def related_path(self) -> str:
        """Return the relations between a user and the choice ("" when it is on the user)."""
        return "__".join(self.mode_path.split("__")[:-1])

    def mode_of(self, user: "User") -> str | None:
        """Return the user's choice, or None when they have none (not a volunteer, say)."""
        value: Any = user
        for part in self.mode_path.split("__"):
            # A missing one-to-one row raises an AttributeError subclass: no choice.
            value = getattr(value, part, None)
            if value is None:
                return None
        return str(value)


_kinds: dict[str, EmailKind] = {}
_preferences: list[Preferences] = []


def register(*kinds: EmailKind) -> None:
    """Make these kinds sendable; registering the same kind twice is harmless."""
    for kind in kinds:
        known = _kinds.get(kind.name)
        if known is not None and known != kind:
            raise ImproperlyConfigured(f"Two apps register the email kind {kind.name!r}.")
        _kinds[kind.name] = kind


def unregister(*names: str) -> None:
    """Forget these kinds (tests that register a kind of their own clean up with this)."""
    for name in names:
        _kinds.pop(name, None)


def kind(name: str) -> EmailKind:
    """Return the registered kind of this name, or raise UnknownEmailKindError."""
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownEmailKindError(
            f"No app registered the email kind {name!r}: declare it in the emails.py of the "
            "app that sends it and register it from that app's AppConfig.ready()."
        ) from None


def kinds() -> list[EmailKind]:
    """Return every registered kind, by name."""
    return [_kinds[name] for name in sorted(_kinds)]


def register_preferences(preferences: Preferences) -> None:
    """Tell the outbox where recipients keep their choice (one app owns it)."""
    if _preferences and _preferences[0] != preferences:
        raise ImproperlyConfigured("Two apps register where recipients keep their email choice.")
    _preferences[:] = [preferences]


def preferences() -> Preferences | None:
    """Return where recipients keep their choice, or None when no app registered it."""
    return _preferences[0] if _preferences else None


# What every email shows of where its recipient lives: a higher app (organisations) knows the
# recipient's territory, the outbox does not. The callable returns "time_zone" (the zone the
# email's times are shown in) and any values every template may use (the phone line).
_recipient_context: list[Callable[["User | None"], dict[str, Any]]] = []


def register_recipient_context(context: Callable[["User | None"], dict[str, Any]]) -> None:
    """Tell the outbox how to find a recipient's time zone and local details (one app)."""
    _recipient_context[:] = [context]


def recipient_context(recipient: "User | None") -> dict[str, Any]:
    """Return the recipient's local details for an email ({} when no app registered them)."""
    return _recipient_context[0](recipient) if _recipient_context else {}

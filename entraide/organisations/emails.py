"""The emails about organisations, and what every email shows of its recipient's territory."""

from typing import TYPE_CHECKING, Any

from entraide.notifications.registry import EmailKind
from entraide.organisations.context_processors import phone_line_for
from entraide.organisations.selectors import territory_of

if TYPE_CHECKING:
    from entraide.accounts.models import User

KINDS = tuple(
    EmailKind(name)
    for name in (
        "organisation_invitation",
        "organisation_reinstated",
        "organisation_rejected",
        "organisation_suspended",
        "organisation_verified",
        "organisation_waiting",
    )
)


def recipient_context(recipient: "User | None") -> dict[str, Any]:
    """Return the recipient's territory's time zone and phone line, for every email."""
    territory = territory_of(recipient)
    return {
        "time_zone": territory.zone if territory is not None else None,
        "phone_line": phone_line_for(territory),
    }

"""The emails about organisations: their context is stored whole when they are queued."""

from entraide.notifications.registry import EmailKind

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

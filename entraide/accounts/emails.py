"""The emails about accounts: never stopped by preferences, their context stored whole."""

from entraide.notifications.registry import EmailKind

KINDS = tuple(
    EmailKind(name)
    for name in ("account_invitation", "account_password_reset", "account_verify_email")
)

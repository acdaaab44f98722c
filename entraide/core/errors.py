"""The errors services raise (views, the API and commands map them to messages), and checks."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A business rule refused the operation; `message` is translated and safe to show."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ConflictError(DomainError):
    """Somebody else changed the object first (for example, took the request)."""

    def __init__(self, message: str, *, code: str = "conflict") -> None:
        super().__init__(message, code=code)


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    """Return a ValidationError's messages by field ("__all__" for the rest)."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


REASON_MAX_LENGTH = 500


def clean_reason(reason: str | None, *, missing: str | None, too_long: str | None = None) -> str:
    """Return a decision's reason stripped, or raise a `reason` field error.

    `missing` is the message when the reason is required and empty (None: optional);
    `too_long` replaces the default message beyond REASON_MAX_LENGTH characters.
    """
    reason = (reason or "").strip()
    if not reason and missing is not None:
        raise ValidationError({"reason": [missing]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": [too_long or _("Use at most 500 characters.")]})
    return reason

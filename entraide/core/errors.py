"""The errors services raise (views, the API and commands map them to messages), and checks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A business rule refused the operation; `message` is translated and safe to show.

    The subclass says what kind of refusal it is, which the API and the pages turn into
    a status: a plain DomainError is bad input (400).
    """

    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code


class PermissionDeniedError(DomainError):
    """The actor's role does not allow this operation (403)."""

    default_code = "forbidden"


class NotFoundError(DomainError):
    """The object does not exist, or the actor may not know that it does (404)."""

    default_code = "not_found"


class ConflictError(DomainError):
    """Somebody else changed the object first (for example, took the request) (409)."""

    default_code = "conflict"


def refusal_message(error: DomainError) -> str:
    """Return the message a page shows for a refusal; raise Django's 403 or 404 for those kinds."""
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(error.message) from error
    if isinstance(error, NotFoundError):
        raise Http404(error.message) from error
    return error.message


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

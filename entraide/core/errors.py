"""The one error type that services raise; views, the API and commands map it to a message."""

from django.core.exceptions import ValidationError


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

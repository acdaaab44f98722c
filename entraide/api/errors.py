"""One handler maps domain and validation errors to JSON the same way everywhere."""

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from entraide.api.lockout import LockedOut
from entraide.api.pagination import InvalidPage
from entraide.api.parsers import BodyTooLarge, UnreadableBody
from entraide.core.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    validation_messages,
)

# The most specific kind wins: a subclass of ConflictError still answers 409.
STATUS_BY_ERROR: dict[type[DomainError], int] = {
    PermissionDeniedError: status.HTTP_403_FORBIDDEN,
    NotFoundError: status.HTTP_404_NOT_FOUND,
    ConflictError: status.HTTP_409_CONFLICT,
    DomainError: status.HTTP_400_BAD_REQUEST,
}


def domain_error_status(error: DomainError) -> int:
    """Return the HTTP status of a domain error's kind."""
    for kind in type(error).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn domain errors, Django's ValidationError, unreadable bodies and pages into JSON."""
    # Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS and
    # _FILES) raise while DRF reads the body; left alone they become an HTML 400 page.
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = UnreadableBody(_("The body holds too many fields."), code="too_many_fields")
    if isinstance(exc, BodyTooLarge | UnreadableBody | InvalidPage):
        return Response(
            {"detail": str(exc.detail), "code": exc.get_codes()}, status=exc.status_code
        )
    if isinstance(exc, LockedOut):
        return Response(
            {"detail": str(exc.detail), "code": exc.default_code},
            status=exc.status_code,
            headers={"Retry-After": str(exc.wait_seconds)},
        )
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message, "code": exc.code}, status=domain_error_status(exc))
    if isinstance(exc, DjangoValidationError):
        return Response(validation_messages(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)

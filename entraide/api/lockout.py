"""The API's answer to a locked-out log-in (its own module: authentication and errors use it)."""

from rest_framework import exceptions, status


class LockedOut(exceptions.APIException):
    """Too many failed log-ins for this address: 429 with Retry-After, like a rate limit."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, *, wait_seconds: int, detail: str) -> None:
        super().__init__(detail=detail, code=self.default_code)
        self.wait_seconds = wait_seconds

"""Rate limits for the endpoints that anybody can call."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from entraide.api.permissions import is_operator


class HelpRequestCreateThrottle(SimpleRateThrottle):
    """Limit new requests per visitor (by IP) or per account; operators are never limited."""

    scope = "help_request_create"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        """Return the key counting this caller's requests, or None to let operators through."""
        # Operators type dozens of requests an hour for callers: limiting them would
        # silence the phone line exactly when it is busiest.
        if is_operator(request.user):
            return None
        if request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

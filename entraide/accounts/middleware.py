"""Hold a privileged session at the second-factor pages until it is verified."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from entraide.accounts.two_factor import is_verified, requires_two_factor

# What an unverified session may still open: the second factor's pages, log-out, static
# files and the language switch (matched after the /<lang>/ prefix).
OPEN_PREFIXES = ("accounts/two-factor/", "accounts/logout/", "i18n/")


def _is_open(path: str) -> bool:
    """Return True for a path an unverified privileged session may open."""
    if path.startswith(settings.STATIC_URL) or path == "/favicon.ico":
        return True
    parts = path.lstrip("/").split("/", 1)
    rest = (
        parts[1] if len(parts) == 2 and parts[0] in dict(settings.LANGUAGES) else path.lstrip("/")
    )
    return rest.startswith(OPEN_PREFIXES)


class TwoFactorMiddleware:
    """Send staff, operators and moderators to their second factor before anything else.

    After django-otp's OTPMiddleware (which says whether the session is verified). The API's
    HTTP Basic is refused for these people in entraide.api.authentication; a session on the
    API gets 403 here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Pass the request on, or hold it at the second-factor page."""
        user = getattr(request, "user", None)
        if requires_two_factor(user) and not is_verified(user) and not _is_open(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _("Confirm your log-in with your second factor first."),
                        "code": "two_factor_required",
                    },
                    status=403,
                )
            target = reverse("accounts:two_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

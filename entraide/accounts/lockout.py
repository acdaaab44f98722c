"""Brute-force lockout of log-ins (django-axes): whose attempts count, and the answer when locked.

Failures count per email address, whatever the form (the log-in page, the back office's, the
API's HTTP Basic), so that guessing one account's password from many machines is stopped
too. The lock applies to addresses with no account just the same, which keeps the answer
from telling whether an account exists.
"""

from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def attempted_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """Return the email address tried, lower-cased as accounts store it ("" when none)."""
    tried: Any = None
    if credentials:
        tried = credentials.get("username") or credentials.get("email")
    if tried is None and request is not None:
        tried = getattr(request, "POST", {}).get("username")
    return str(tried or "").strip().lower()[:254]


def _minutes(request: HttpRequest) -> int:
    """Return the whole minutes a lock lasts (at least one)."""
    cool_off = get_cool_off(request) or timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return max(1, int(cool_off.total_seconds() // 60))


def lockout_message(minutes: int) -> str:
    """Return the sentence a locked-out person reads, in their language."""
    return ngettext(
        "Too many failed log-ins for this email address. Try again in %(minutes)d minute, "
        "or reset your password.",
        "Too many failed log-ins for this email address. Try again in %(minutes)d minutes, "
        "or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def locked_out_response(
    request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """Answer 429 with Retry-After: JSON on the API, a translated page elsewhere."""
    minutes = _minutes(request)
    message = lockout_message(minutes)
    answer: HttpResponse
    if request.path_info.startswith("/api/"):
        answer = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        answer = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    answer["Retry-After"] = str(minutes * 60)
    return answer

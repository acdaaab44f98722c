"""Refuse, at the door, input no database column can hold."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


class RejectNulMiddleware:
    """Answer 404 to a path, and 400 to a query string, that holds a NUL character.

    PostgreSQL text cannot contain NUL, so looking one up (a token in the URL, a search
    term) would fail with a server error; forms and the API already refuse NUL in fields,
    and the session store ignores a session cookie that holds one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Refuse the request before any lookup, or pass it on."""
        api = request.path_info.startswith("/api/")
        if NUL in request.path_info:
            if api:
                return JsonResponse({"detail": _("No such page."), "code": "not_found"}, status=404)
            raise Http404(_("No such page."))
        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            message = _("A parameter of this address holds a character we refuse.")
            if api:
                return JsonResponse({"detail": message, "code": "invalid_characters"}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

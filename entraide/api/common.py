"""Pieces shared by every API view: authentication order and looking up a request."""

import uuid

from django.http import Http404
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from entraide.accounts.models import User
from entraide.api.authentication import ApiKeyAuthentication, BasicAuthentication
from entraide.core.numbers import whole_number
from entraide.help_requests.models import HelpRequest

# The largest id a database integer column holds: a larger one would overflow the query.
MAX_ID = 2**63 - 1


def id_or_404(value: str) -> int:
    """Return the numeric id in a URL, or raise Http404 for anything no row can have."""
    number = whole_number(str(value))  # at most 18 digits: always within MAX_ID
    if number is None or number <= 0:
        raise Http404
    return number


class ApiView(APIView):
    """Base view: HTTP Basic first so that a missing login answers 401, not 403."""

    authentication_classes = [BasicAuthentication, ApiKeyAuthentication, SessionAuthentication]


def help_request_or_404(public_id: str) -> HelpRequest:
    """Return the request with this public id, or raise Http404 (also for a malformed id)."""
    try:
        parsed = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    try:
        return HelpRequest.objects.select_related("taken_by").get(public_id=parsed)
    except HelpRequest.DoesNotExist as exc:
        raise Http404 from exc


def current_user(request: Request) -> User:
    """Return the logged-in user (views call this only behind an authenticated permission)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user

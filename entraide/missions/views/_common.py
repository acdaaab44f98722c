"""What the missions pages share: calling a service, reading ids, error summaries, access."""

from typing import cast

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from entraide.accounts.models import User
from entraide.core.numbers import whole_number
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_manage_missions


def _pk(value: str | None) -> int | None:
    """Return a posted id as a number, or None (then nothing is found) when it is not one."""
    return whole_number(value)


def _user(request: HttpRequest) -> User:
    """Return the signed-in person (the views that call this require a log-in)."""
    return cast(User, request.user)


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    """Return the organisation if the signed-in person manages its missions, else 404."""
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), slug=slug)
    if not can_manage_missions(request.user, organisation):
        raise Http404
    return organisation

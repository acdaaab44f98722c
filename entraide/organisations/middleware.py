"""Each page in its viewer's territory: its time zone for every time shown, its phone line."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from entraide.organisations.selectors import territory_of


class TerritoryMiddleware:
    """Set `request.territory` (None when unknown) and show times in its time zone.

    Visitors without a territory (anonymous requesters, volunteers of no organisation) see
    the deployment's TIME_ZONE, which Django uses when no zone is active.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Activate the territory's zone for this request only."""
        territory = territory_of(getattr(request, "user", None))
        request.territory = territory  # type: ignore[attr-defined]
        if territory is None:
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(territory.zone)
        try:
            return self.get_response(request)
        finally:
            # The thread serves other people next: do not leave this zone active.
            timezone.deactivate()

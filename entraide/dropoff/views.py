"""Pages of drop-off points: the public list and map, one point's page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from entraide.dropoff import selectors


def points(request: HttpRequest) -> HttpResponse:
    """Every drop-off point, on a list and a map, with whether it is open and has room."""
    now = timezone.now()
    found = list(selectors.points_public())
    rows = [(point, point.is_open_at(now)) for point in found]
    return render(
        request,
        "dropoff/points.html",
        {"rows": rows, "markers": selectors.map_markers(found)},
    )


def point(request: HttpRequest, pk: int) -> HttpResponse:
    """A point's address, hours this week, categories, accessibility and room now."""
    found = selectors.point_public(pk)
    now = timezone.now()
    return render(
        request,
        "dropoff/point.html",
        {
            "point": found,
            "open_now": found.is_open_at(now),
            "week": selectors.point_week(found, now),
            "markers": selectors.map_markers([found]),
        },
    )

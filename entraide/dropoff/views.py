"""Pages of drop-off points: the public list and map, the nearest suitable point, one point."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from entraide.core.csv_files import csv_download, spreadsheet_safe
from entraide.core.pages import error_summary
from entraide.core.places import place_from_input
from entraide.dropoff import exports, selectors
from entraide.dropoff.forms import NearestForm
from entraide.dropoff.models import DropoffPoint
from entraide.dropoff.nearest import Answer


def points(request: HttpRequest) -> HttpResponse:
    """The drop-off points on a list and a map, and the nearest open ones with room."""
    now = timezone.now()
    form = NearestForm(request.GET or None)
    answer = _nearest(form, now) if form.is_bound else None
    points = selectors.points_public()
    if form.is_bound and form.is_valid() and form.cleaned_data["category"] is not None:
        points = points.filter(categories=form.cleaned_data["category"])
    found = list(points)
    rows = [(point, point.is_open_at(now)) for point in found]
    return render(
        request,
        "dropoff/points.html",
        {
            "form": form,
            "error_summary": error_summary(form),
            "answer": answer,
            "rows": rows,
            "markers": selectors.map_markers(found),
        },
    )


def _nearest(form: NearestForm, now: datetime) -> Answer[DropoffPoint] | None:
    """Return the nearest suitable points for the form's place, or None with its errors."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    lat, lon = data["lat"], data["lon"]
    if lat is None or lon is None:
        try:
            place = place_from_input(
                address=data["address"],
                postcode=data["postcode"],
                town=data["town"],
                country=data["country"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
            return None
        lat, lon = place.lat, place.lon
    return selectors.nearest_points(lat=lat, lon=lon, category=data["category"], moment=now)


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


def points_geojson(request: HttpRequest) -> JsonResponse:
    """Every point as open data (GeoJSON, HSDS field names in the properties)."""
    response = JsonResponse(exports.geojson(list(selectors.points_public())))
    response["Content-Type"] = "application/geo+json"
    return response


def points_csv(request: HttpRequest) -> HttpResponse:
    """Every point as open data (CSV, HSDS column names)."""
    rows = (
        [
            spreadsheet_safe(value) if isinstance(value, str) else value
            for value in exports.record(point).values()
        ]
        for point in selectors.points_public()
    )
    return csv_download("dropoff-points.csv", exports.COLUMNS, rows)

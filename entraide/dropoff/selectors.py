"""Reads of drop-off points: the public list, one point with its week of hours, the nearest."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.nearby import Near, rows_near
from entraide.core.places import place_from_input
from entraide.dropoff import hours
from entraide.dropoff.models import DropoffPoint, PickupRequest, PickupRequestStatus
from entraide.dropoff.nearest import Answer, Candidate, nearest_by_rings
from entraide.goods.models import Category
from entraide.matching.geo import box_degrees, cells_within, haversine_km
from entraide.organisations.permissions import ACTING_STATUSES

# A wide ring (or one near a pole) covers more grid cells than SQLite takes variables in one
# query; beyond this many cells the read filters on the latitudes alone (still exact).
MAX_CELLS = 2000


@dataclass(frozen=True)
class Day:
    """One day of a point's week: its date, opening ranges and whether it is an exception."""

    day: date
    ranges: list[hours.Range]
    is_exception: bool
    is_closed: bool


def points_public() -> "QuerySet[DropoffPoint]":
    """Return every point with what its public pages show, in one query per relation."""
    return DropoffPoint.objects.select_related("territory", "organisation").prefetch_related(
        "categories", "opening_ranges", "opening_exceptions"
    )


def point_public(pk: int) -> DropoffPoint:
    """Return one point for its public page, or raise Http404."""
    return get_object_or_404(points_public(), pk=pk)


def point_week(point: DropoffPoint, moment: datetime | None = None) -> list[Day]:
    """Return the seven days from the point's local today with their hours."""
    moment = moment or timezone.now()
    today = moment.astimezone(point.territory.zone).date()
    week = hours.week_of(today, point.weekly_hours(), point.exception_hours())
    return [
        Day(day, [] if point.is_closed_on(day) else ranges, special, point.is_closed_on(day))
        for day, ranges, special in week
    ]


def map_markers(points: list[DropoffPoint]) -> list[dict[str, object]]:
    """Return the markers of the map.js list for these points (those with a position)."""
    return [
        {"lat": p.lat, "lon": p.lon, "label": p.name, "url": p.get_absolute_url()}
        for p in points
        if p.has_position
    ]


def nearest_points(
    *,
    lat: float,
    lon: float,
    category: Category | None,
    moment: datetime,
    limit: int = 3,
) -> Answer[DropoffPoint]:
    """Return the nearest points open now with room for the category, and those skipped."""

    def fetch(radius_km: float) -> list[Candidate[DropoffPoint]]:
        return [
            Candidate(
                point=near.row,
                distance_km=near.distance_km or 0.0,
                open_now=near.row.is_open_at(moment),
                has_room=near.row.has_room,
                takes_category=category is None
                or any(c.pk == category.pk for c in near.row.categories.all()),
            )
            for near in _points_within(lat, lon, radius_km)
        ]

    return nearest_by_rings(fetch, limit=limit)


def open_pickup_requests() -> "QuerySet[PickupRequest]":
    """Return the points' pickup requests staff still have to plan, oldest first."""
    return PickupRequest.objects.filter(status=PickupRequestStatus.REQUESTED).select_related(
        "point__organisation", "point__territory"
    )


def donor_position(
    *,
    lat: float | None,
    lon: float | None,
    address: str = "",
    postcode: str = "",
    town: str = "",
    country: str = "",
) -> tuple[float, float]:
    """Return the donor's position: the browser's, else the place typed (ValidationError)."""
    if lat is not None and lon is not None:
        return lat, lon
    place = place_from_input(address=address, postcode=postcode, town=town, country=country)
    return place.lat, place.lon


def _points_within(lat: float, lon: float, radius_km: float) -> list[Near[DropoffPoint]]:
    """Return every point within radius_km of the position, with its distance."""
    if len(cells_within(lat, lon, radius_km)) <= MAX_CELLS:
        return rows_near(points_public(), lat=lat, lon=lon, radius_km=radius_km)
    dlat, _dlon = box_degrees(lat, radius_km)
    band = points_public().filter(lat__gte=lat - dlat, lat__lte=lat + dlat, lon__isnull=False)
    found = []
    for point in band:
        distance = haversine_km(lat, lon, float(point.lat or 0), float(point.lon or 0))
        if distance <= radius_km:
            found.append(Near(point, distance))
    return found


def points_hosted_by(user: User) -> list[DropoffPoint]:
    """Return the points the person hosts, for 'My organisations' (one query)."""
    return list(
        DropoffPoint.objects.filter(
            organisation__memberships__user=user,
            organisation__status__in=ACTING_STATUSES,
        )
        .order_by("name", "id")
        .distinct()
    )

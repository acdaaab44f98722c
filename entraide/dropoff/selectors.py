"""Reads of drop-off points: the public list, one point with its week of hours, the nearest."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.nearby import rows_near
from entraide.core.places import place_from_input
from entraide.dropoff import hours
from entraide.dropoff.models import (
    DropoffPoint,
    FillLevel,
    OpeningException,
    OpeningRange,
    PickupRequest,
    PickupRequestStatus,
    PointStatus,
)
from entraide.dropoff.nearest import MAX_SKIPPED, Answer, Candidate, Located, walk_rings
from entraide.goods.models import Category
from entraide.organisations.models import Territory
from entraide.organisations.permissions import ACTING_STATUSES


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
    """Return the nearest points open now with room for the category, and those skipped.

    The walk reads light rows (position, fill level, closure, the category as a flag, the
    day's hours); only the points the answer lists are loaded, with what their pages show.
    """
    walk = _LightWalk(category, moment)
    light = walk_rings(
        lambda radius_km: walk.locate(lat, lon, radius_km),
        walk.judge,
        limit=limit,
        max_skipped=MAX_SKIPPED,
    )
    points = points_public().in_bulk([c.point for c in [*light.found, *light.skipped]])

    def loaded(candidates: list[Candidate[int]]) -> list[Candidate[DropoffPoint]]:
        return [
            Candidate(
                point=point,
                distance_km=c.distance_km,
                open_now=point.is_open_at(moment),
                has_room=point.has_room,
                takes_category=category is None
                or any(k.pk == category.pk for k in point.categories.all()),
            )
            for c in candidates
            if (point := points.get(c.point)) is not None
        ]

    return Answer(loaded(light.found), loaded(light.skipped), light.radius_km, light.skipped_more)


class _LightWalk:
    """The rings' light rows and their verdicts, as DropoffPoint.is_open_at and has_room give."""

    def __init__(self, category: Category | None, moment: datetime) -> None:
        takes: Exists | Value = Value(True)
        if category is not None:
            links = DropoffPoint.categories.through.objects
            takes = Exists(links.filter(dropoffpoint_id=OuterRef("pk"), category_id=category.pk))
        self.rows = DropoffPoint.objects.annotate(takes=takes).values_list(
            "pk",
            "lat",
            "lon",
            "fill_level",
            "status",
            "closed_until",
            "territory__time_zone",
            "takes",
        )
        self.moment = moment
        self.seen: dict[int, tuple[Any, ...]] = {}
        self.local: dict[str, tuple[ZoneInfo, date]] = {}

    def locate(self, lat: float, lon: float, radius_km: float) -> list[Located[int]]:
        """Return every point within the ring, with a guess from its row (hours unread)."""
        found = []
        for near in rows_near(
            self.rows, lat=lat, lon=lon, radius_km=radius_km, position=lambda r: (r[1], r[2])
        ):
            row = near.row
            self.seen[row[0]] = row
            closed = self._closed(row)
            guess = bool(row[7]) and row[3] != FillLevel.FULL and not closed
            found.append(Located(row[0], near.distance_km or 0.0, guess))
        return found

    def judge(self, batch: Sequence[Located[int]]) -> list[Candidate[int]]:
        """Return each located point's verdict, reading the hours of the promising ones.

        A point that is full, closed for the day or does not take the category is skipped
        whatever its hours, so its hours are not read: its "closed now" reason is left out
        here and given by the loaded point if the answer lists it.
        """
        keys = [row.key for row in batch if row.promising]
        weekly, dated = self._hours(keys) if keys else ({}, {})
        verdicts = []
        for located in batch:
            row = self.seen[located.key]
            zone, _day = self._local(row[6])
            open_now = not self._closed(row) and (
                not located.promising
                or hours.is_open_at(
                    self.moment, zone, weekly.get(row[0], {}), dated.get(row[0], {})
                )
            )
            verdicts.append(
                Candidate(row[0], located.distance_km, open_now, row[3] != FillLevel.FULL, row[7])
            )
        return verdicts

    def _hours(
        self, keys: list[int]
    ) -> tuple[
        dict[int, dict[int, list[hours.Range]]], dict[int, dict[date, list[hours.Range] | None]]
    ]:
        """Return the points' weekly ranges and exceptions of the moment's local days."""
        days = {day for _zone, day in self.local.values()}
        weekly: dict[int, dict[int, list[hours.Range]]] = {}
        for pk, weekday, opens, closes in OpeningRange.objects.filter(
            point_id__in=keys, weekday__in={d.weekday() for d in days}
        ).values_list("point_id", "weekday", "opens", "closes"):
            weekly.setdefault(pk, {}).setdefault(weekday, []).append(hours.Range(opens, closes))
        dated: dict[int, dict[date, list[hours.Range] | None]] = {}
        for pk, on_date, closed, starts, ends in OpeningException.objects.filter(
            point_id__in=keys, on_date__in=days
        ).values_list("point_id", "on_date", "closed", "opens", "closes"):
            # As DropoffPoint.exception_hours: a closed day wins over special hours.
            day_ranges = dated.setdefault(pk, {})
            if closed:
                day_ranges[on_date] = None
            elif (kept := day_ranges.setdefault(on_date, [])) is not None and starts and ends:
                kept.append(hours.Range(starts, ends))
        return weekly, dated

    def _local(self, time_zone: str) -> tuple[ZoneInfo, date]:
        """Return the zone and the moment's local date there (the territory's rule for zones)."""
        if time_zone not in self.local:
            zone = Territory(time_zone=time_zone).zone
            self.local[time_zone] = (zone, self.moment.astimezone(zone).date())
        return self.local[time_zone]

    def _closed(self, row: tuple[Any, ...]) -> bool:
        """Return True when the point is temporarily closed today (DropoffPoint.is_closed_on)."""
        _pk, _lat, _lon, _fill, status, until, time_zone, _takes = row
        _zone, day = self._local(time_zone)
        return bool(status == PointStatus.CLOSED and (until is None or day <= until))


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

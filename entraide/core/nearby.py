"""Rows within radius_km of a point: indexed grid cells and a box in SQL, then exact distance.

Help requests, volunteer profiles and missions store their grid cell (`cell`, indexed) beside
`lat` and `lon` (see core.models.PlaceFields). `within_reach` narrows a read to the cells and
the box around a circle, a superset of it; `rows_near` then measures the great-circle
distance, which drops the corners, and orders the rows nearest first.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from entraide.matching.geo import CELL_DEG, box_degrees, cells_within, haversine_km

RowT = TypeVar("RowT")
_KEPT = "near_kept"
# A wide circle (or one near a pole) covers more grid cells than SQLite takes variables in
# one query; beyond this many cells the box alone narrows the read (still a superset).
MAX_CELLS = 2000


@dataclass(frozen=True)
class Near(Generic[RowT]):
    """A row found near a point, and how far it is (None for a kept row without a position)."""

    row: RowT
    distance_km: float | None


def _position_of(row: Any) -> tuple[float | None, float | None]:
    """Return the position of a model row."""
    return row.lat, row.lon


def rows_near(
    queryset: "QuerySet[Any, RowT]",
    *,
    lat: float,
    lon: float,
    radius_km: float,
    keep: Q | None = None,
    limit: int | None = None,
    nearest_first: bool = True,
    position: Callable[[RowT], tuple[float | None, float | None]] = _position_of,
) -> list[Near[RowT]]:
    """Return the rows within radius_km of the point with their distance, in one query.

    Rows of a model queryset that match `keep` come back whatever their distance (a request
    offered to the volunteer, a remote mission). At most `limit` rows are read, in the
    queryset's order; the result is then sorted nearest first unless `nearest_first` is False.
    `position` reads the position of a `values_list()` row.
    """
    reach = within_reach(lat, lon, radius_km)
    if keep is not None:
        queryset = queryset.filter(reach | keep).annotate(
            **{_KEPT: ExpressionWrapper(keep, output_field=BooleanField())}
        )
    else:
        queryset = queryset.filter(reach)
    rows = queryset if limit is None else queryset[:limit]
    found: list[Near[RowT]] = []
    for row in rows:
        row_lat, row_lon = position(row)
        distance = None
        if row_lat is not None and row_lon is not None:
            distance = haversine_km(lat, lon, row_lat, row_lon)
        within = distance is not None and distance <= radius_km
        if within or (keep is not None and getattr(row, _KEPT)):
            found.append(Near(row, distance))
    if nearest_first:
        # Stable: rows at the same distance keep the queryset's order.
        found.sort(key=lambda near: (near.distance_km is None, near.distance_km or 0.0))
    return found


def within_reach(lat: float, lon: float, radius_km: float) -> Q:
    """Return a filter for rows that may lie within radius_km of the point (never fewer)."""
    dlat, dlon = box_degrees(lat, radius_km)
    latitudes = Q(lat__gte=lat - dlat, lat__lte=lat + dlat)
    if dlon >= 180.0:
        # The circle may reach every longitude (near a pole, or huge): the latitudes suffice,
        # where a list of cells would name every cell of those rows.
        return latitudes
    box = latitudes & _longitudes(lon, dlon)
    # At most this many cells (counted before they are listed: a country-wide circle has
    # tens of thousands, and listing them would cost more than the read).
    if (2 * dlat / CELL_DEG + 2) * (2 * dlon / CELL_DEG + 2) > MAX_CELLS:
        return box
    return Q(cell__in=cells_within(lat, lon, radius_km)) & box


def _longitudes(lon: float, dlon: float) -> Q:
    """Return the filter for longitudes within dlon of lon, across the antimeridian too."""
    west, east = lon - dlon, lon + dlon
    if west < -180.0:
        return Q(lon__gte=west + 360.0) | Q(lon__lte=east)
    if east > 180.0:
        return Q(lon__gte=west) | Q(lon__lte=east - 360.0)
    return Q(lon__gte=west, lon__lte=east)

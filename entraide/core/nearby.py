"""The database side of "within radius_km of a point": indexed grid cells and a bounding box.

Help requests, volunteer profiles and missions store their grid cell (`cell`, indexed) beside
`lat` and `lon`. `within_reach` narrows a read to the cells and the box around a circle, a
superset of it; the caller then measures the great-circle distance, which drops the corners.
"""

from django.db.models import Q

from entraide.matching.geo import box_degrees, cells_within


def within_reach(lat: float, lon: float, radius_km: float) -> Q:
    """Return a filter for rows that may lie within radius_km of the point (never fewer)."""
    dlat, dlon = box_degrees(lat, radius_km)
    latitudes = Q(lat__gte=lat - dlat, lat__lte=lat + dlat)
    if dlon >= 180.0:
        # The circle may reach every longitude (near a pole, or huge): the latitudes suffice,
        # where a list of cells would name every cell of those rows.
        return latitudes
    return Q(cell__in=cells_within(lat, lon, radius_km)) & latitudes & _longitudes(lon, dlon)


def _longitudes(lon: float, dlon: float) -> Q:
    """Return the filter for longitudes within dlon of lon, across the antimeridian too."""
    west, east = lon - dlon, lon + dlon
    if west < -180.0:
        return Q(lon__gte=west + 360.0) | Q(lon__lte=east)
    if east > 180.0:
        return Q(lon__gte=west) | Q(lon__lte=east - 360.0)
    return Q(lon__gte=west, lon__lte=east)

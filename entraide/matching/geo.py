"""Great-circle distances, grid cells for spatial pre-filtering, and public rounding."""

import math

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088
# A grid cell is CELL_DEG degrees on each side (about 5.5 km north-south); the database
# indexes a volunteer's cell so a radius query reads only the few cells it covers.
CELL_DEG = 0.05
_CELLS_PER_ROW = int(round(360 / CELL_DEG))
# Beyond this latitude a circle's box spans every longitude (the box formula diverges there).
POLAR_LAT = 89.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def cell_of(lat: float, lon: float) -> int:
    """Return the integer id of the grid cell that holds a point."""
    row = int(math.floor((lat + 90.0) / CELL_DEG))
    col = int(math.floor((lon + 180.0) / CELL_DEG)) % _CELLS_PER_ROW
    return row * _CELLS_PER_ROW + col


def box_degrees(lat: float, radius_km: float) -> tuple[float, float]:
    """Return the half-height and half-width, in degrees, of a box holding a circle.

    The half-width is 180 (every longitude) when the circle comes within a degree of a pole.
    """
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    if abs(lat) + dlat >= POLAR_LAT:
        return dlat, 180.0
    # Measured at the circle's edge nearest the pole, where a degree of longitude is shortest.
    cos_lat = math.cos(math.radians(abs(lat) + dlat))
    return dlat, min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)))


def cells_within(lat: float, lon: float, radius_km: float) -> list[int]:
    """Return the ids of every grid cell that may hold a point within radius_km."""
    dlat, dlon = box_degrees(lat, radius_km)
    row_min = int(math.floor((max(-90.0, lat - dlat) + 90.0) / CELL_DEG))
    row_max = int(math.floor((min(89.999999, lat + dlat) + 90.0) / CELL_DEG))
    col_min = int(math.floor((lon - dlon + 180.0) / CELL_DEG))
    col_max = int(math.floor((lon + dlon + 180.0) / CELL_DEG))
    cols = {c % _CELLS_PER_ROW for c in range(col_min, col_max + 1)}
    return [row * _CELLS_PER_ROW + col for row in range(row_min, row_max + 1) for col in cols]


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """Return the point km away from (lat, lon) along a bearing (degrees from north)."""
    phi, lmb, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    delta = km / EARTH_RADIUS_KM
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lmb2 = lmb + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    lon2 = (math.degrees(lmb2) + 540.0) % 360.0 - 180.0
    return math.degrees(phi2), lon2


def round_position(lat: float, lon: float, precision_m: int = 500) -> tuple[float, float]:
    """Snap a point to a grid of about precision_m metres so it cannot be pinpointed.

    The longitude's step is taken at the snapped latitude: taken at the exact one, the
    snapped longitude would move by about a metre per 12 m of latitude and give it away.
    """
    step_lat = precision_m / 111_320.0
    snapped_lat = round(round(lat / step_lat) * step_lat, 5)
    step_lon = precision_m / (111_320.0 * max(math.cos(math.radians(snapped_lat)), 1e-6))
    return snapped_lat, round(round(lon / step_lon) * step_lon, 5)


def haversine_km_many(
    lat_rad: float, lon_rad: float, lats_rad: NDArray[np.float64], lons_rad: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return great-circle distances in km from one point to many, all in radians."""
    dphi = lats_rad - lat_rad
    dlmb = lons_rad - lon_rad
    a = np.sin(dphi / 2) ** 2 + math.cos(lat_rad) * np.cos(lats_rad) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def haversine_km_pairs(
    lats1_rad: NDArray[np.float64],
    lons1_rad: NDArray[np.float64],
    lats2_rad: NDArray[np.float64],
    lons2_rad: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return great-circle distances in km between paired points, all in radians."""
    dphi = lats2_rad - lats1_rad
    dlmb = lons2_rad - lons1_rad
    a = np.sin(dphi / 2) ** 2 + np.cos(lats1_rad) * np.cos(lats2_rad) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def unit_vectors(
    lats_deg: NDArray[np.float64], lons_deg: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return points as 3-D unit vectors, where straight-line distance grows with arc length."""
    lat = np.radians(lats_deg)
    lon = np.radians(lons_deg)
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def chord_of_km(distance_km: float) -> float:
    """Return the straight-line distance between unit vectors that are distance_km apart."""
    angle = min(math.pi, distance_km / EARTH_RADIUS_KM)
    return 2.0 * math.sin(angle / 2.0)

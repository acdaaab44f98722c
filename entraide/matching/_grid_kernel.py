"""The compiled inner loop of single nearest-helper queries (numba), with a flag for NumPy.

A query spends most of its time in per-call overhead when written with NumPy on small arrays;
this loop reads a grid window cell row by cell row in one compiled call instead. It returns a
superset of the answer (the k nearest plus near-ties, by its own arithmetic, with slack); the
caller re-measures those few with `haversine_km_many`, so the result is exactly the NumPy one.

Without numba, `AVAILABLE` is False and the index uses its NumPy window search.
"""

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088
GRID_DEG = 0.005
GRID_ROWS = int(round(180 / GRID_DEG))
GRID_COLS = int(round(360 / GRID_DEG))
# Slack between this loop's distances and NumPy's: relative, and absolute in km (unit-vector
# chords lose about 1e-12 km to cancellation, whatever the distance).
_REL = 1e-9
_ABS_KM = 1e-9

numba: Any
try:
    import numba

    AVAILABLE = True
except ImportError:  # pragma: no cover - numba is a pinned dependency
    numba = None
    AVAILABLE = False


def _jit(function: Callable[..., Any]) -> Callable[..., Any]:
    if numba is None:  # pragma: no cover
        return function
    # cache=True keeps the machine code on disk, so only the first process pays the compile.
    return numba.njit(cache=True, nogil=True)(function)  # type: ignore[no-any-return]


@_jit
def _row(lat: float) -> int:
    return min(GRID_ROWS - 1, int(math.floor((lat + 90.0) / GRID_DEG)))


@_jit
def _col(lon: float) -> int:
    return int(math.floor((lon + 180.0) / GRID_DEG)) % GRID_COLS


@_jit
def _chord_of_km(distance_km: float) -> float:
    angle = min(math.pi, distance_km / EARTH_RADIUS_KM)
    return 2.0 * math.sin(angle / 2.0)


@_jit
def grid_nearest(
    keys: NDArray[np.int64],
    row_starts: NDArray[np.int64],
    positions: NDArray[np.intp],
    xs: NDArray[np.float64],
    ys: NDArray[np.float64],
    zs: NDArray[np.float64],
    language_bits: NDArray[np.uint64],
    language_need: np.uint64,
    kind_bits: NDArray[np.uint64],
    kind_need: np.uint64,
    alive: NDArray[np.bool_],
    use_alive: bool,
    language_ok: NDArray[np.bool_],
    use_language_ok: bool,
    kind_ok: NDArray[np.bool_],
    use_kind_ok: bool,
    lat: float,
    lon: float,
    k: int,
    radius_km: float,
    share: float,
) -> NDArray[np.intp]:
    """Return static positions that surely include the k nearest eligible within radius_km.

    Grows a window around the point (as `_Grid.window` does) until k eligible helpers lie
    within the circle the window is sure to contain, or the window covers the radius.
    Arrays are in grid order except `alive`, `language_ok` and `kind_ok` (static positions,
    read only for the few helpers that are close enough). A helper passes a filter when its
    bits share one with the need (0 = no filter), and its flag is set when `use_*` is True.
    """
    out_cap = 64
    out_pos = np.empty(out_cap, dtype=np.intp)
    out_km = np.empty(out_cap, dtype=np.float64)
    if keys.shape[0] == 0:
        return out_pos[:0]
    lat_rad, lon_rad = math.radians(lat), math.radians(lon)
    cos_lat = math.cos(lat_rad)
    qx, qy, qz = cos_lat * math.cos(lon_rad), cos_lat * math.sin(lon_rad), math.sin(lat_rad)
    # Start with the window expected to hold about 2k eligible helpers at the local density.
    row = _row(lat)
    key = row * GRID_COLS + _col(lon)
    in_row = keys[row_starts[row] : row_starts[row + 1]]
    in_cell = np.searchsorted(in_row, key, side="right") - np.searchsorted(in_row, key, side="left")
    cell_km2 = (GRID_DEG * 111.2) ** 2 * max(math.cos(math.radians(lat)), 1e-3)
    density = max(in_cell, 1) / cell_km2
    half_km = min(radius_km, max(0.2, math.sqrt(2 * k / share / density) / 2))
    count = 0
    while True:
        count = 0
        sure = 0
        h = min(half_km, radius_km)
        keep_km = h * (1 + _REL) + _ABS_KM
        sure_km = h * (1 - _REL) - _ABS_KM
        bound = _chord_of_km(keep_km) * (1 + _REL) + 1e-12
        bound2 = bound * bound
        # The window: grid rows and columns that may hold a point within half_km.
        dlat = math.degrees(half_km / EARTH_RADIUS_KM) * (1 + 1e-9) + 1e-9
        lat_min, lat_max = max(-90.0, lat - dlat), min(90.0, lat + dlat)
        row_min, row_max = _row(lat_min), _row(lat_max)
        ratio = math.sin(min(math.pi / 2, half_km / EARTH_RADIUS_KM)) / max(
            math.cos(math.radians(max(abs(lat_min), abs(lat_max)))), 1e-12
        )
        a1, b1, a2, b2 = 0, GRID_COLS - 1, 0, -1
        if not (ratio >= 1.0 or lat_max >= 90.0 or lat_min <= -90.0):
            # The tightest longitude span of a spherical cap (Matuschek's bounding box).
            dlon = math.degrees(math.asin(ratio)) * (1 + 1e-9) + 1e-9
            if lon - dlon < -180.0:
                a1, b1 = 0, _col(lon + dlon)
                a2, b2 = _col(lon - dlon + 360.0), GRID_COLS - 1
            elif lon + dlon >= 180.0:
                a1, b1 = _col(lon - dlon), GRID_COLS - 1
                a2, b2 = 0, _col(lon + dlon - 360.0)
            else:
                a1, b1 = _col(lon - dlon), _col(lon + dlon)
        for row in range(row_min, row_max + 1):
            for part in range(2):
                a, b = (a1, b1) if part == 0 else (a2, b2)
                if b < a:
                    continue
                # Binary search within one grid row only: a short, cache-friendly span.
                first, last = row_starts[row], row_starts[row + 1]
                if first == last:
                    continue
                in_row = keys[first:last]
                lo = first + np.searchsorted(in_row, row * GRID_COLS + a, side="left")
                hi = first + np.searchsorted(in_row, row * GRID_COLS + b, side="right")
                for j in range(lo, hi):
                    if language_need != 0 and (language_bits[j] & language_need) == 0:
                        continue
                    if kind_need != 0 and (kind_bits[j] & kind_need) == 0:
                        continue
                    dx, dy, dz = xs[j] - qx, ys[j] - qy, zs[j] - qz
                    d2 = dx * dx + dy * dy + dz * dz
                    if d2 > bound2:
                        continue
                    p = positions[j]
                    if use_alive and not alive[p]:
                        continue
                    if use_language_ok and not language_ok[p]:
                        continue
                    if use_kind_ok and not kind_ok[p]:
                        continue
                    km = 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(d2) / 2.0))
                    if km > keep_km:
                        continue
                    if count == out_cap:
                        out_cap *= 2
                        grown_pos = np.empty(out_cap, dtype=np.intp)
                        grown_km = np.empty(out_cap, dtype=np.float64)
                        grown_pos[:count] = out_pos[:count]
                        grown_km[:count] = out_km[:count]
                        out_pos, out_km = grown_pos, grown_km
                    out_pos[count] = p
                    out_km[count] = km
                    count += 1
                    if km <= sure_km:
                        sure += 1
        if half_km >= radius_km or sure >= k:
            break
        half_km = min(radius_km, half_km * 2)
    if count > k:
        # Keep the k nearest and whatever may tie with the k-th once measured by NumPy.
        kth = np.partition(out_km[:count].copy(), k - 1)[k - 1]
        limit = kth * (1 + _REL) + _ABS_KM
        kept = 0
        for i in range(count):
            if out_km[i] <= limit:
                out_pos[kept] = out_pos[i]
                kept += 1
        count = kept
    return out_pos[:count].copy()

"""A latitude/longitude grid of the helpers, scanned cell by cell by the compiled loop."""

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from entraide.matching import _grid_kernel
from entraide.matching.geo import EARTH_RADIUS_KM

# Single queries walk a fine latitude/longitude grid in one compiled call (or, without numba,
# a handful of vectorised NumPy calls), where one k-d tree call alone costs about 0.2 ms of
# overhead. Batches use the tree.
GRID_DEG = _grid_kernel.GRID_DEG


_GRID_ROWS = _grid_kernel.GRID_ROWS


_GRID_COLS = _grid_kernel.GRID_COLS


@dataclass(frozen=True, slots=True)
class _Grid:
    """Helpers sorted by grid cell; `positions` are static positions in that order.

    Their unit vectors are stored in the same order, so the compiled loop reads memory in
    sequence and looks up a helper's filters only when it is close enough.
    """

    keys: NDArray[np.int64]
    row_starts: NDArray[np.int64]  # where each grid row starts in keys (one more at the end)
    positions: NDArray[np.intp]
    xs: NDArray[np.float64]
    ys: NDArray[np.float64]
    zs: NDArray[np.float64]
    language_bits: NDArray[np.uint64]
    kind_bits: NDArray[np.uint64]

    @classmethod
    def build(
        cls,
        lat_rad: NDArray[np.float64],
        lon_rad: NDArray[np.float64],
        xyz: NDArray[np.float64],
        bits: tuple[NDArray[np.uint64], NDArray[np.uint64]],
        positions: NDArray[np.intp],
    ) -> "_Grid":
        keys = _cell_keys(np.degrees(lat_rad[positions]), np.degrees(lon_rad[positions]))
        order = np.argsort(keys, kind="stable")
        ordered = positions[order]
        keys = keys[order]
        row_starts = np.searchsorted(
            keys, np.arange(_GRID_ROWS + 1, dtype=np.int64) * _GRID_COLS, side="left"
        ).astype(np.int64)
        points = xyz[ordered]
        return cls(
            keys,
            row_starts,
            ordered,
            np.ascontiguousarray(points[:, 0]),
            np.ascontiguousarray(points[:, 1]),
            np.ascontiguousarray(points[:, 2]),
            bits[0][ordered],
            bits[1][ordered],
        )

    @property
    def size(self) -> int:
        return len(self.keys)

    def window(self, lat: float, lon: float, half_km: float) -> NDArray[np.intp]:
        """Return the positions in every cell that may hold a point within half_km."""
        dlat = math.degrees(half_km / EARTH_RADIUS_KM) * (1 + 1e-9) + 1e-9
        lat_min, lat_max = max(-90.0, lat - dlat), min(90.0, lat + dlat)
        row_min = _row(lat_min)
        row_max = _row(lat_max)
        ratio = math.sin(min(math.pi / 2, half_km / EARTH_RADIUS_KM)) / max(
            math.cos(math.radians(max(abs(lat_min), abs(lat_max)))), 1e-12
        )
        if ratio >= 1.0 or lat_max >= 90.0 or lat_min <= -90.0:
            col_ranges = [(0, _GRID_COLS - 1)]
        else:
            # The tightest longitude span of a spherical cap (Matuschek's bounding box).
            dlon = math.degrees(math.asin(ratio)) * (1 + 1e-9) + 1e-9
            first, last = _col(lon - dlon), _col(lon + dlon)
            if lon - dlon < -180.0:
                col_ranges = [(0, last), (_col(lon - dlon + 360.0), _GRID_COLS - 1)]
            elif lon + dlon >= 180.0:
                col_ranges = [(first, _GRID_COLS - 1), (0, _col(lon + dlon - 360.0))]
            else:
                col_ranges = [(first, last)]
        rows = np.arange(row_min, row_max + 1, dtype=np.int64) * _GRID_COLS
        lows = np.concatenate([rows + a for a, _ in col_ranges])
        highs = np.concatenate([rows + b for _, b in col_ranges])
        starts = np.searchsorted(self.keys, lows, side="left")
        ends = np.searchsorted(self.keys, highs, side="right")
        counts = ends - starts
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, dtype=np.intp)
        # Concatenate the slices [start, end) without a Python loop.
        steps = np.ones(total, dtype=np.intp)
        nonempty = counts > 0
        heads = np.cumsum(counts[nonempty]) - counts[nonempty]
        starts_ne, ends_ne = starts[nonempty], ends[nonempty]
        steps[0] = starts_ne[0]
        steps[heads[1:]] = starts_ne[1:] - ends_ne[:-1] + 1
        return self.positions[np.cumsum(steps)]

    def cell_count(self, lat: float, lon: float) -> int:
        """Return how many helpers share the cell of a point."""
        key = _row(lat) * _GRID_COLS + _col(lon)
        return int(np.searchsorted(self.keys, key, side="right") - np.searchsorted(self.keys, key))


def _row(lat: float) -> int:
    return min(_GRID_ROWS - 1, int(math.floor((lat + 90.0) / GRID_DEG)))


def _col(lon: float) -> int:
    return int(math.floor((lon + 180.0) / GRID_DEG)) % _GRID_COLS


def _cell_keys(lats: NDArray[np.float64], lons: NDArray[np.float64]) -> NDArray[np.int64]:
    rows = np.minimum(np.floor((lats + 90.0) / GRID_DEG).astype(np.int64), _GRID_ROWS - 1)
    cols = np.floor((lons + 180.0) / GRID_DEG).astype(np.int64) % _GRID_COLS
    return rows * _GRID_COLS + cols

"""An exact nearest-helper index: a k-d tree on 3-D unit vectors plus filters and a delta buffer.

Straight-line (chord) distance between unit vectors grows with great-circle distance, so the
tree finds candidates in the right order; every answer is then re-checked with the haversine
formula and ties are broken by helper id, giving exactly what a brute-force scan would.
"""

import math
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from entraide.matching import _grid_kernel
from entraide.matching.geo import chord_of_km, haversine_km_many, unit_vectors
from entraide.matching.index.filters import _ANY_BIT, _bit_array, _bit_table
from entraide.matching.index.grid import GRID_DEG, _Grid
from entraide.matching.index.tree import _CHORD_SLACK, _ids_array, _Tree
from entraide.matching.types import Helper, HelperId

# Filter values accepted by fewer than this share of helpers get their own tree, so a query
# for a rare language does not wade through thousands of neighbours who cannot help.
SUBINDEX_MAX_SHARE = 0.25


SUBINDEX_MIN_SIZE = 2_000


def _warm_up() -> None:
    """Compile the query loop once per process (or load it from numba's on-disk cache)."""
    global _WARM
    if _WARM or not _grid_kernel.AVAILABLE:
        return
    _WARM = True  # first, as the tiny index below is built through here too
    index = HelperIndex([Helper(0, 0.0, 0.0, languages=frozenset({"fr"}))])
    index.nearest(0.0, 0.0, k=1, radius_km=1.0, language="fr", kind="any")


_WARM = False


# A big index compiles the query loop while it is built, so no query pays for it; a small one
# (built per request, often only for k=None queries, which use the k-d tree) leaves it to the
# first query that needs it. Compiling takes seconds; loading numba's disk cache, about 0.4 s.
_WARM_UP_MIN_HELPERS = 50_000


class HelperIndex:
    """Find the nearest helpers to a point, exactly, with language and kind filters."""

    def __init__(self, helpers: Iterable[Helper], *, delta_limit: int = 4_096) -> None:
        self._delta_limit = delta_limit
        self._build(list(helpers))

    @classmethod
    def from_helpers(cls, helpers: Iterable[Helper]) -> "HelperIndex":
        """Build an index over the given helpers."""
        return cls(helpers)

    # Building -----------------------------------------------------------------------------

    def _build(self, helpers: list[Helper]) -> None:
        seen: set[HelperId] = set()
        for helper in helpers:
            if helper.id in seen:
                raise ValueError(f"helper id {helper.id!r} appears twice")
            seen.add(helper.id)
        helpers.sort(key=lambda h: h.id)  # type: ignore[arg-type, return-value]
        self._helpers: list[Helper] = helpers
        n = len(helpers)
        self._ids = _ids_array([h.id for h in helpers])
        lats = np.fromiter((h.lat for h in helpers), dtype=np.float64, count=n)
        lons = np.fromiter((h.lon for h in helpers), dtype=np.float64, count=n)
        self._lat_rad = np.radians(lats)
        self._lon_rad = np.radians(lons)
        self._capacity = np.fromiter((h.capacity for h in helpers), dtype=np.int64, count=n)
        self._alive = np.ones(n, dtype=bool)
        self._alive_count = n
        self._position_of: dict[HelperId, int] = {h.id: i for i, h in enumerate(helpers)}
        self._language_any = np.fromiter((not h.languages for h in helpers), dtype=bool, count=n)
        self._kind_any = np.fromiter((not h.kinds for h in helpers), dtype=bool, count=n)
        self._language_accepts = self._accept_masks(helpers, "languages", self._language_any)
        self._kind_accepts = self._accept_masks(helpers, "kinds", self._kind_any)
        # Shares of helpers passing each filter, counted once: summing masks per query is O(n).
        self._language_counts = {v: int(m.sum()) for v, m in self._language_accepts.items()}
        self._kind_counts = {v: int(m.sum()) for v, m in self._kind_accepts.items()}
        self._language_any_count = int(self._language_any.sum())
        self._kind_any_count = int(self._kind_any.sum())
        xyz = unit_vectors(lats, lons) if n else np.zeros((0, 3))
        self._language_bit = _bit_table(self._language_counts)
        self._kind_bit = _bit_table(self._kind_counts)
        self._bits = (
            _bit_array(self._language_any, self._language_accepts, self._language_bit),
            _bit_array(self._kind_any, self._kind_accepts, self._kind_bit),
        )
        if n >= _WARM_UP_MIN_HELPERS:
            _warm_up()
        everyone = np.arange(n, dtype=np.intp)
        self._main = _Tree(
            cKDTree(xyz, balanced_tree=False, compact_nodes=False),
            None,
            _Grid.build(self._lat_rad, self._lon_rad, xyz, self._bits, everyone),
        )
        self._language_trees = self._subtrees(xyz, self._language_accepts)
        self._kind_trees = self._subtrees(xyz, self._kind_accepts)
        self._delta: dict[HelperId, Helper] = {}

    @staticmethod
    def _accept_masks(
        helpers: list[Helper], attribute: str, any_mask: NDArray[np.bool_]
    ) -> dict[str, NDArray[np.bool_]]:
        rows: dict[str, list[int]] = {}
        for i, helper in enumerate(helpers):
            for value in getattr(helper, attribute):
                rows.setdefault(value, []).append(i)
        masks = {}
        for value, positions in rows.items():
            mask = any_mask.copy()
            mask[positions] = True
            masks[value] = mask
        return masks

    def _subtrees(
        self, xyz: NDArray[np.float64], masks: dict[str, NDArray[np.bool_]]
    ) -> dict[str, _Tree]:
        trees = {}
        n = len(xyz)
        for value, mask in masks.items():
            count = int(mask.sum())
            if count >= SUBINDEX_MIN_SIZE and count < SUBINDEX_MAX_SHARE * n:
                positions = np.flatnonzero(mask)
                trees[value] = _Tree(
                    cKDTree(xyz[positions], balanced_tree=False),
                    positions,
                    _Grid.build(self._lat_rad, self._lon_rad, xyz, self._bits, positions),
                )
        return trees

    # Changes ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._alive_count + len(self._delta)

    def __contains__(self, helper_id: object) -> bool:
        if not isinstance(helper_id, int | str):
            return False
        position = self._position_of.get(helper_id)
        in_static = position is not None and bool(self._alive[position])
        return in_static or helper_id in self._delta

    def upsert(self, helper: Helper) -> None:
        """Add or replace a helper; the next query sees the change."""
        if len(self._ids) and isinstance(helper.id, str) != (self._ids.dtype.kind == "U"):
            raise TypeError("helper ids must be all integers or all strings")
        position = self._position_of.get(helper.id)
        if position is not None and self._alive[position]:
            self._alive[position] = False
            self._alive_count -= 1
        self._delta[helper.id] = helper
        if len(self._delta) > self._delta_limit:
            self._merge()

    def remove(self, helper_id: HelperId) -> None:
        """Remove a helper; removing an unknown id raises KeyError."""
        position = self._position_of.get(helper_id)
        found = False
        if position is not None and self._alive[position]:
            self._alive[position] = False
            self._alive_count -= 1
            found = True
        if self._delta.pop(helper_id, None) is not None:
            found = True
        if not found:
            raise KeyError(helper_id)

    def _merge(self) -> None:
        # Rebuilding is O(n log n) but happens once per delta_limit changes, so it is amortised.
        kept = [h for h, alive in zip(self._helpers, self._alive, strict=True) if alive]
        self._build(kept + list(self._delta.values()))

    def helper(self, helper_id: HelperId) -> Helper:
        """Return the current helper with this id."""
        if helper_id in self._delta:
            return self._delta[helper_id]
        position = self._position_of.get(helper_id)
        if position is None or not self._alive[position]:
            raise KeyError(helper_id)
        return self._helpers[position]

    # Queries ------------------------------------------------------------------------------

    def _filter_mask(
        self, positions: NDArray[np.intp], language: str | None, kind: str | None
    ) -> NDArray[np.bool_]:
        mask = self._alive[positions]
        if language is not None:
            accepts = self._language_accepts.get(language, self._language_any)
            mask &= accepts[positions]
        if kind is not None:
            accepts = self._kind_accepts.get(kind, self._kind_any)
            mask &= accepts[positions]
        return mask

    def _tree_and_share(self, language: str | None, kind: str | None) -> tuple[_Tree, float]:
        """Pick the smallest tree that holds every helper who may pass the filters."""
        n = max(1, len(self._ids))
        best, share = self._main, self._alive_count / n
        for value, trees, counts, any_count in (
            (language, self._language_trees, self._language_counts, self._language_any_count),
            (kind, self._kind_trees, self._kind_counts, self._kind_any_count),
        ):
            if value is None:
                continue
            share *= counts.get(value, any_count) / n
            tree = trees.get(value)
            if tree is not None and tree.size < best.size:
                best = tree
        # Expected share of the chosen tree's rows that pass every filter.
        return best, max(share * n / max(1, best.size), 1e-6)

    def _static_candidates(
        self,
        xyz: NDArray[np.float64],
        lat_rad: float,
        lon_rad: float,
        k: int | None,
        radius_km: float,
        language: str | None,
        kind: str | None,
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Return static positions and distances that surely include the k nearest."""
        tree, share = self._tree_and_share(language, kind)
        if tree.size == 0:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        bound = chord_of_km(radius_km) * (1 + _CHORD_SLACK) + 1e-12
        if k is None:
            rows = np.asarray(tree.tree.query_ball_point(xyz, bound), dtype=np.intp)
            return self._keep(tree, rows, lat_rad, lon_rad, radius_km, language, kind)
        m = min(tree.size, int(math.ceil(k / share * 1.5)) + 8)
        while True:
            chords, rows = tree.tree.query(xyz, k=m, distance_upper_bound=bound)
            chords = np.atleast_1d(chords)
            rows = np.atleast_1d(rows)
            found = rows < tree.size
            exhausted = not bool(found[-1]) or m >= tree.size
            positions, distances = self._keep(
                tree, rows[found], lat_rad, lon_rad, radius_km, language, kind
            )
            if exhausted or len(positions) >= k:
                break
            m = min(tree.size, m * 4)
        if not exhausted:
            # Points beyond the m fetched may tie with the k-th; fetch everything that close.
            kth = float(np.partition(distances, k - 1)[k - 1])
            kth_chord = chord_of_km(kth) * (1 + _CHORD_SLACK) + 1e-12
            if float(chords[-1]) <= kth_chord:
                rows = np.asarray(tree.tree.query_ball_point(xyz, kth_chord), dtype=np.intp)
                positions, distances = self._keep(
                    tree, rows, lat_rad, lon_rad, radius_km, language, kind
                )
        return positions, distances

    def _grid_candidates(
        self,
        lat: float,
        lon: float,
        k: int,
        radius_km: float,
        language: str | None,
        kind: str | None,
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Return static positions and distances that surely include the k nearest.

        Grows a window around the point until k eligible helpers lie within the circle the
        window is sure to contain, or the window covers the whole radius.
        """
        tree, share = self._tree_and_share(language, kind)
        grid = tree.grid
        if grid.size == 0:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        lat_rad, lon_rad = math.radians(lat), math.radians(lon)
        if _grid_kernel.AVAILABLE:
            found = self._compiled_candidates(grid, lat, lon, k, radius_km, language, kind, share)
            # The loop's own arithmetic only narrows the field; NumPy gives the distances.
            distances = haversine_km_many(
                lat_rad, lon_rad, self._lat_rad[found], self._lon_rad[found]
            )
            if len(distances) and distances.max() > radius_km:
                within = distances <= radius_km
                return found[within], distances[within]
            return found, distances
        # Start with the window expected to hold about 2k eligible helpers at the local density.
        cell_km2 = (GRID_DEG * 111.2) ** 2 * max(math.cos(math.radians(lat)), 1e-3)
        density = max(grid.cell_count(lat, lon), 1) / cell_km2
        half_km = min(radius_km, max(0.2, math.sqrt(2 * k / share / density) / 2))
        while True:
            rows = grid.window(lat, lon, half_km)
            positions = rows[self._filter_mask(rows, language, kind)]
            distances = haversine_km_many(
                lat_rad, lon_rad, self._lat_rad[positions], self._lon_rad[positions]
            )
            # Only points within half_km are sure to have all been seen.
            sure = distances <= min(half_km, radius_km)
            if half_km >= radius_km or int(sure.sum()) >= k:
                return positions[sure], distances[sure]
            half_km = min(radius_km, half_km * 2)

    def _compiled_candidates(
        self,
        grid: _Grid,
        lat: float,
        lon: float,
        k: int,
        radius_km: float,
        language: str | None,
        kind: str | None,
        share: float,
    ) -> NDArray[np.intp]:
        language_need, language_ok = self._need(
            language, self._language_bit, self._language_accepts, self._language_any
        )
        kind_need, kind_ok = self._need(kind, self._kind_bit, self._kind_accepts, self._kind_any)
        return _grid_kernel.grid_nearest(  # type: ignore[no-any-return]
            grid.keys,
            grid.row_starts,
            grid.positions,
            grid.xs,
            grid.ys,
            grid.zs,
            grid.language_bits,
            language_need,
            grid.kind_bits,
            kind_need,
            self._alive,
            self._alive_count < len(self._alive),
            self._alive if language_ok is None else language_ok,
            language_ok is not None,
            self._alive if kind_ok is None else kind_ok,
            kind_ok is not None,
            lat,
            lon,
            k,
            radius_km,
            share,
        )

    @staticmethod
    def _need(
        value: str | None,
        table: dict[str, int],
        accepts: dict[str, NDArray[np.bool_]],
        any_mask: NDArray[np.bool_],
    ) -> tuple[np.uint64, NDArray[np.bool_] | None]:
        """Return the filter bits to look for, or the boolean array of a rare value."""
        if value is None:
            return np.uint64(0), None
        bit = table.get(value)
        if bit is not None:
            return np.uint64((1 << bit) | (1 << _ANY_BIT)), None
        mask = accepts.get(value)
        if mask is None:  # nobody names this value: only helpers who accept anything pass
            return np.uint64(1 << _ANY_BIT), None
        return np.uint64(0), mask

    def _keep(
        self,
        tree: _Tree,
        rows: NDArray[np.intp],
        lat_rad: float,
        lon_rad: float,
        radius_km: float,
        language: str | None,
        kind: str | None,
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        positions = rows if tree.positions is None else tree.positions[rows]
        positions = positions[self._filter_mask(positions, language, kind)]
        distances = haversine_km_many(
            lat_rad, lon_rad, self._lat_rad[positions], self._lon_rad[positions]
        )
        within = distances <= radius_km
        return positions[within], distances[within]

    def nearest(
        self,
        lat: float,
        lon: float,
        k: int | None = 10,
        radius_km: float = 5.0,
        language: str | None = None,
        kind: str | None = None,
    ) -> list[tuple[HelperId, float]]:
        """Return up to k (helper id, km) within radius_km, nearest first, ties by id.

        k=None returns every helper within the radius.
        """
        if k is not None and k < 1:
            raise ValueError("k must be at least 1")
        if not (radius_km >= 0 and math.isfinite(radius_km)):
            raise ValueError("radius_km must be a finite, non-negative number")
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise ValueError("the point is not a valid latitude and longitude")
        lat_rad, lon_rad = math.radians(lat), math.radians(lon)
        if k is None:
            xyz = unit_vectors(np.array([lat]), np.array([lon]))[0]
            positions, distances = self._static_candidates(
                xyz, lat_rad, lon_rad, k, radius_km, language, kind
            )
        else:
            positions, distances = self._grid_candidates(lat, lon, k, radius_km, language, kind)
        found: list[tuple[HelperId, float]]
        if k is not None:
            # A few candidates: plain Python sorts them faster than NumPy calls would. Helpers
            # are stored in id order, so ties by position are ties by id.
            helpers = self._helpers
            nearest = sorted(zip(distances.tolist(), positions.tolist(), strict=True))[:k]
            found = [(helpers[p].id, d) for d, p in nearest]
        else:
            ids = self._ids[positions]
            order = np.lexsort((ids, distances))
            found = [
                (i.item(), float(d)) for i, d in zip(ids[order], distances[order], strict=True)
            ]
        if self._delta:
            found.extend(self._delta_candidates(lat_rad, lon_rad, radius_km, language, kind))
            found.sort(key=lambda pair: (pair[1], pair[0]))  # type: ignore[arg-type,return-value]
            if k is not None:
                found = found[:k]
        return found

    def _delta_candidates(
        self,
        lat_rad: float,
        lon_rad: float,
        radius_km: float,
        language: str | None,
        kind: str | None,
    ) -> list[tuple[HelperId, float]]:
        helpers = [h for h in self._delta.values() if h.accepts(language, kind)]
        if not helpers:
            return []
        lats = np.radians(np.fromiter((h.lat for h in helpers), dtype=np.float64))
        lons = np.radians(np.fromiter((h.lon for h in helpers), dtype=np.float64))
        distances = haversine_km_many(lat_rad, lon_rad, lats, lons)
        return [(h.id, float(d)) for h, d in zip(helpers, distances, strict=True) if d <= radius_km]

"""Optimal batch assignment: match as many needs as possible, then minimise total distance.

The candidate graph links each need to its nearest eligible helpers within the radius, each
helper expanded into `capacity` slots. A maximum matching splits it into its Dulmage-Mendelsohn
parts, which no maximum matching crosses; in each part one side is covered by every maximum
matching, so each connected component is a plain full matching for SciPy's LAPJVsp, and
maximum cardinality comes first and distance second with no penalty costs.

Keeping only a few nearest candidates per need keeps the graph small. It is safe: if a need
ends up with a free slot among its kept helpers (or kept every candidate), no optimal matching
needs a farther helper for it, since swapping to the free nearer slot never costs more.
Needs that fail that check get more candidates and the problem is solved again.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import (
    breadth_first_order,
    connected_components,
    maximum_bipartite_matching,
    min_weight_full_bipartite_matching,
)

from entraide.matching.geo import chord_of_km, haversine_km, haversine_km_pairs, unit_vectors
from entraide.matching.index import _CHORD_SLACK, HelperIndex
from entraide.matching.types import Helper, HelperId, Need

INITIAL_CANDIDATES = 8
BATCH_ROWS = 100
# Needs keep every eligible helper in the radius when, on average, they number
# at most FULL_RADIUS_FACTOR times the candidate budget (measured on FULL_RADIUS_SAMPLE needs).
FULL_RADIUS_FACTOR = 4
FULL_RADIUS_SAMPLE = 64

Pairing = tuple[HelperId, HelperId, float]


@dataclass(frozen=True, slots=True)
class PairExplanation:
    """Why a need and a helper may (or may not) be paired."""

    need_id: HelperId
    helper_id: HelperId
    distance_km: float
    radius_km: float
    within_radius: bool
    language_ok: bool
    kind_ok: bool

    @property
    def allowed(self) -> bool:
        """Return True when every rule holds."""
        return self.within_radius and self.language_ok and self.kind_ok


def explain(need: Need, helper: Helper, radius_km: float) -> PairExplanation:
    """Explain a pairing: its distance and which of the filters held."""
    distance = haversine_km(need.lat, need.lon, helper.lat, helper.lon)
    return PairExplanation(
        need_id=need.id,
        helper_id=helper.id,
        distance_km=distance,
        radius_km=radius_km,
        within_radius=distance <= radius_km,
        language_ok=helper.speaks(need.language),
        kind_ok=helper.does(need.kind),
    )


@dataclass(slots=True)
class _Edges:
    rows: NDArray[np.intp]  # need row
    positions: NDArray[np.intp]  # helper position in the index
    distances: NDArray[np.float64]


def _check(needs: Sequence[Need], radius_km: float) -> list[Need]:
    if not (math.isfinite(radius_km) and radius_km >= 0):
        raise ValueError("radius_km must be a finite, non-negative number")
    ordered = sorted(needs, key=lambda n: n.id)  # type: ignore[arg-type, return-value]
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.id == after.id:
            raise ValueError(f"need id {before.id!r} appears twice")
    return ordered


def _candidates(
    index: HelperIndex,
    needs: Sequence[Need],
    rows: NDArray[np.intp],
    k: int | None,
    radius_km: float,
) -> tuple[_Edges, NDArray[np.bool_]]:
    """Return each listed need's k nearest eligible helpers, and whether any were left out."""
    edge_rows: list[NDArray[np.intp]] = []
    edge_positions: list[NDArray[np.intp]] = []
    edge_distances: list[NDArray[np.float64]] = []
    truncated = np.zeros(len(rows), dtype=bool)
    bound = chord_of_km(radius_km) * (1 + _CHORD_SLACK) + 1e-12
    if k is not None and len(rows) and _few_within_radius(index, needs, rows, bound, k):
        k = None
    groups: dict[tuple[str | None, str | None], list[int]] = {}
    for slot, row in enumerate(rows):
        need = needs[row]
        groups.setdefault((need.language, need.kind), []).append(slot)
    for (language, kind), slots_list in groups.items():
        slots = np.asarray(slots_list, dtype=np.intp)
        group_rows = rows[slots]
        lats = np.array([needs[r].lat for r in group_rows])
        lons = np.array([needs[r].lon for r in group_rows])
        xyz = unit_vectors(lats, lons)
        lat_rad, lon_rad = np.radians(lats), np.radians(lons)
        tree, share = index._tree_and_share(language, kind)
        if tree.size == 0:
            continue
        if k is None:
            lists = tree.tree.query_ball_point(xyz, bound)
            counts = np.fromiter((len(x) for x in lists), dtype=np.intp, count=len(lists))
            flat = np.fromiter(
                (r for x in lists for r in x), dtype=np.intp, count=int(counts.sum())
            )
            owner = np.repeat(np.arange(len(slots)), counts)
            positions = flat if tree.positions is None else tree.positions[flat]
            keep = index._filter_mask(positions, language, kind)
            owner, positions = owner[keep], positions[keep]
            distances = haversine_km_pairs(
                lat_rad[owner], lon_rad[owner], index._lat_rad[positions], index._lon_rad[positions]
            )
            within = distances <= radius_km
            edge_rows.append(group_rows[owner[within]])
            edge_positions.append(positions[within])
            edge_distances.append(distances[within])
            continue
        pending = np.arange(len(slots))
        m = min(tree.size, int(math.ceil(k / share * 1.5)) + 8)
        while len(pending):
            chords, found_rows = tree.tree.query(
                xyz[pending], k=m, distance_upper_bound=bound, workers=-1
            )
            chords = chords.reshape(len(pending), -1)
            found_rows = found_rows.reshape(len(pending), -1)
            found = found_rows < tree.size
            safe_rows = np.where(found, found_rows, 0)
            positions = safe_rows if tree.positions is None else tree.positions[safe_rows]
            eligible = found & index._filter_mask(positions.ravel(), language, kind).reshape(
                positions.shape
            )
            distances = np.full(positions.shape, np.inf)
            r_idx, c_idx = np.nonzero(eligible)
            distances[r_idx, c_idx] = haversine_km_pairs(
                lat_rad[pending[r_idx]],
                lon_rad[pending[r_idx]],
                index._lat_rad[positions[r_idx, c_idx]],
                index._lon_rad[positions[r_idx, c_idx]],
            )
            distances[distances > radius_km] = np.inf
            counts = np.isfinite(distances).sum(axis=1)
            exhausted = ~found[:, -1] | (m >= tree.size)
            done = exhausted | (counts >= k)
            if done.any():
                d_done = distances[done]
                order = np.argsort(d_done, axis=1, kind="stable")[:, :k]
                d_kept = np.take_along_axis(d_done, order, axis=1)
                p_kept = np.take_along_axis(positions[done], order, axis=1)
                finite = np.isfinite(d_kept)
                owner_rows = np.broadcast_to(group_rows[pending[done]][:, None], d_kept.shape)
                edge_rows.append(owner_rows[finite])
                edge_positions.append(p_kept[finite])
                edge_distances.append(d_kept[finite])
                truncated[slots[pending[done]]] = ~exhausted[done] | (counts[done] > k)
            pending = pending[~done]
            m = min(tree.size, m * 4)
    if not edge_rows:
        empty = np.zeros(0, dtype=np.intp)
        return _Edges(empty, empty.copy(), np.zeros(0)), truncated
    return (
        _Edges(
            np.concatenate(edge_rows).astype(np.intp),
            np.concatenate(edge_positions).astype(np.intp),
            np.concatenate(edge_distances),
        ),
        truncated,
    )


def _few_within_radius(
    index: HelperIndex, needs: Sequence[Need], rows: NDArray[np.intp], bound: float, k: int
) -> bool:
    """Tell whether needs have so few eligible helpers in the radius that all may be kept.

    Keeping all of them leaves nothing to widen: on a tight supply, one larger solve is
    cheaper than the several rounds of widening a small k would take. The count comes from a
    sample of the needs: helpers within the radius times the share that passes the need's
    filters.
    """
    sample = [needs[r] for r in rows[:: max(1, len(rows) // FULL_RADIUS_SAMPLE)]]
    xyz = unit_vectors(np.array([n.lat for n in sample]), np.array([n.lon for n in sample]))
    inside = index._main.tree.query_ball_point(xyz, bound, return_length=True)
    shares = []
    for need in sample:
        tree, share = index._tree_and_share(need.language, need.kind)
        shares.append(share * tree.size / max(1, index._main.size))
    return float(np.mean(inside * np.asarray(shares))) <= FULL_RADIUS_FACTOR * k


def _slot_graph(
    edges: _Edges, capacity: NDArray[np.int64], n_needs: int
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Expand helpers into capacity slots: return (rows, cols, edge of each, helper of each col)."""
    helpers, local = np.unique(edges.positions, return_inverse=True)
    degree = np.bincount(local, minlength=len(helpers))
    # A helper never needs more slots than it has candidate needs.
    slots = np.minimum(capacity[helpers], degree)
    first_slot = np.concatenate(([0], np.cumsum(slots)[:-1]))
    per_edge = slots[local]
    edge_of = np.repeat(np.arange(len(local)), per_edge)
    offsets = np.arange(len(edge_of)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    cols = first_slot[local][edge_of] + offsets
    helper_of_col = np.repeat(helpers, slots)
    return edges.rows[edge_of], cols, edge_of, helper_of_col


def _fix_uncontested(
    edges: _Edges, capacity: NDArray[np.int64], n_needs: int
) -> tuple[NDArray[np.intp], NDArray[np.bool_], NDArray[np.int64]]:
    """Settle needs whose nearest helper has room for everyone who may want it.

    Returns each need's fixed edge (or -1), which edges are left to solve, and the helpers'
    capacity left. If helper h has at least as many slots as needs linked to it, and h is need
    a's nearest candidate, some optimal matching pairs a with h: in any optimal matching h
    keeps a free slot for a, and moving a there loses no match and adds no km. Settling a
    lowers the demand on a's other helpers, which may settle more needs, so this repeats.
    """
    fixed = np.full(n_needs, -1, dtype=np.intp)
    # The nearest edge of each need, ties by helper position so the result is deterministic.
    order = np.lexsort((edges.positions, edges.distances, edges.rows))
    has_edge, first_index = np.unique(edges.rows[order], return_index=True)
    nearest = order[first_index]
    nearest_helper = edges.positions[nearest]
    left = capacity.copy()
    degree = np.bincount(edges.positions, minlength=len(capacity))
    open_rows = np.ones(len(has_edge), dtype=bool)
    active = np.ones(len(edges.rows), dtype=bool)
    while True:
        settle = open_rows & (left[nearest_helper] >= degree[nearest_helper])
        if not settle.any():
            break
        open_rows &= ~settle
        fixed[has_edge[settle]] = nearest[settle]
        np.subtract.at(left, nearest_helper[settle], 1)
        leaving = active & (fixed[edges.rows] >= 0)
        active &= ~leaving
        degree -= np.bincount(edges.positions[leaving], minlength=len(capacity))
    return fixed, active, left


def _solve(edges: _Edges, capacity: NDArray[np.int64], n_needs: int) -> NDArray:
    """Return, for each need row, the index of its chosen edge or -1 when unmatched."""
    if len(edges.rows) == 0:
        return np.full(n_needs, -1, dtype=np.intp)
    choice, active, left = _fix_uncontested(edges, capacity, n_needs)
    kept = np.flatnonzero(active)
    rest = _Edges(edges.rows[kept], edges.positions[kept], edges.distances[kept])
    rest_choice = _solve_contested(rest, left, n_needs)
    solved = rest_choice >= 0
    choice[solved] = kept[rest_choice[solved]]
    return choice


def _solve_contested(edges: _Edges, capacity: NDArray[np.int64], n_needs: int) -> NDArray:
    """Solve the min-cost maximum matching part by part, component by component."""
    choice = np.full(n_needs, -1, dtype=np.intp)
    if len(edges.rows) == 0:
        return choice
    rows, cols, edge_of, helper_of_col = _slot_graph(edges, capacity, n_needs)
    n_slots = len(helper_of_col)
    # Weights must be positive (a zero would read as "no edge"), hence the +1 on distances;
    # within a part every maximum matching has the same number of edges, so it changes nothing.
    weights = edges.distances[edge_of] + 1.0
    row_part, col_part = _dulmage_mendelsohn(rows, cols, n_needs, n_slots)
    # No maximum matching uses an edge between two parts, so each part is solved on its own,
    # and each side that every maximum matching covers is matched in full: no "unmatched"
    # columns, whose huge cost made the solver search far before giving up on a need.
    inside = np.flatnonzero(row_part[rows] == col_part[cols])
    rows, cols, edge_of, weights = rows[inside], cols[inside], edge_of[inside], weights[inside]
    # Needs that share no helper, even indirectly, are independent problems; solving each
    # component on its own is much faster than one large sparse assignment.
    adjacency = csr_matrix(
        (np.ones(len(rows)), (rows, n_needs + cols)), shape=(n_needs + n_slots,) * 2
    )
    _, labels = connected_components(adjacency, directed=False)
    row_label = labels[:n_needs]
    edge_label = row_label[rows]
    rows_in = np.bincount(row_label, minlength=labels.max() + 1)
    # A need alone in its component simply takes its nearest slot.
    alone = rows_in[edge_label] == 1
    if alone.any():
        e_alone = np.flatnonzero(alone)
        order = e_alone[np.lexsort((cols[e_alone], weights[e_alone], rows[e_alone]))]
        first = np.unique(rows[order], return_index=True)[1]
        choice[rows[order[first]]] = edge_of[order[first]]
    # Components of one part are solved together, in batches of about BATCH_ROWS needs: one
    # call per tiny component would spend its time in call overhead, one call for everything
    # in long searches.
    part_of_label = _part_of_label(labels, row_part, n_needs)
    for part in (_SURPLUS_NEEDS, _SURPLUS_SLOTS, _PERFECT):
        shared = np.flatnonzero(~alone & (row_part[rows] == part))
        if len(shared) == 0:
            continue
        shared = shared[np.argsort(edge_label[shared], kind="stable")]
        label_rows = np.where((rows_in > 1) & (part_of_label == part), rows_in, 0)
        batch_of_label = (np.cumsum(label_rows) - label_rows) // BATCH_ROWS
        batches = batch_of_label[edge_label[shared]]
        bounds = np.flatnonzero(np.diff(batches)) + 1
        for piece in np.split(shared, bounds):
            chosen = piece[
                _solve_component(rows[piece], cols[piece], weights[piece], part == _SURPLUS_NEEDS)
            ]
            choice[rows[chosen]] = edge_of[chosen]
    return choice


_SURPLUS_NEEDS, _SURPLUS_SLOTS, _PERFECT = 0, 1, 2


def _part_of_label(
    labels: NDArray[np.int32], row_part: NDArray[np.int8], n_needs: int
) -> NDArray[np.int8]:
    """Return the part of each component (its needs all lie in one part)."""
    part = np.full(labels.max() + 1, _PERFECT, dtype=np.int8)
    part[labels[:n_needs]] = row_part
    return part


def _reached(
    tails: NDArray[np.intp], heads: NDArray[np.intp], starts: NDArray[np.intp], size: int
) -> NDArray[np.bool_]:
    """Return which of `size` nodes a walk from `starts` along the arcs tail -> head reaches."""
    source = np.full(len(starts), size, dtype=np.intp)
    graph = csr_matrix(
        (
            np.ones(len(tails) + len(starts)),
            (np.concatenate((tails, source)), np.concatenate((heads, starts))),
        ),
        shape=(size + 1, size + 1),
    )
    order = breadth_first_order(graph, size, directed=True, return_predecessors=False)
    seen = np.zeros(size + 1, dtype=bool)
    seen[order] = True
    return seen[:size]


def _dulmage_mendelsohn(
    rows: NDArray[np.intp], cols: NDArray[np.intp], n_rows: int, n_cols: int
) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
    """Split a bipartite graph into its Dulmage-Mendelsohn parts; return each side's part.

    From any maximum matching (Hopcroft-Karp): rows reachable from an unmatched row by an
    alternating path, with the columns they reach, form the part with surplus rows (every
    maximum matching covers its columns); columns reachable from an unmatched column, with
    their rows, the part with surplus columns (it covers its rows); the rest is perfectly
    matched in every maximum matching. These parts do not depend on the matching chosen.
    """
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows, n_cols))
    mate_of_row = maximum_bipartite_matching(graph, perm_type="column")
    mate_of_col = np.full(n_cols, -1, dtype=np.intp)
    matched = np.flatnonzero(mate_of_row >= 0)
    mate_of_col[mate_of_row[matched]] = matched
    # Alternating steps: row -> any column -> the row matched to it (and the mirror image).
    via_col = mate_of_col[cols]
    step = via_col >= 0
    surplus_rows = _reached(rows[step], via_col[step], np.flatnonzero(mate_of_row < 0), n_rows)
    via_row = mate_of_row[rows]
    step = via_row >= 0
    surplus_cols = _reached(cols[step], via_row[step], np.flatnonzero(mate_of_col < 0), n_cols)
    row_part = np.full(n_rows, _PERFECT, dtype=np.int8)
    col_part = np.full(n_cols, _PERFECT, dtype=np.int8)
    row_part[surplus_rows] = _SURPLUS_NEEDS
    col_part[mate_of_row[surplus_rows & (mate_of_row >= 0)]] = _SURPLUS_NEEDS
    col_part[surplus_cols] = _SURPLUS_SLOTS
    row_part[mate_of_col[surplus_cols & (mate_of_col >= 0)]] = _SURPLUS_SLOTS
    return row_part, col_part


def _solve_component(
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    weights: NDArray[np.float64],
    by_columns: bool,
) -> NDArray[np.intp]:
    """Return the positions (into the given edges) of a min-cost matching covering one side.

    The rows are covered, or the columns when `by_columns` (the part with surplus needs).
    """
    local_rows, row_index = np.unique(rows, return_inverse=True)
    local_cols, col_index = np.unique(cols, return_inverse=True)
    n, m = len(local_rows), len(local_cols)
    if by_columns:
        graph = csr_matrix((weights, (col_index, row_index)), shape=(m, n))
        col_ind, row_ind = min_weight_full_bipartite_matching(graph)
    else:
        graph = csr_matrix((weights, (row_index, col_index)), shape=(n, m))
        row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    # Every (row, column) pair is unique, so a sorted key finds the edge each choice came from.
    keys = row_index.astype(np.int64) * m + col_index
    order = np.argsort(keys)
    wanted = row_ind.astype(np.int64) * m + col_ind
    return order[np.searchsorted(keys, wanted, sorter=order)]


def assign(
    needs: Sequence[Need],
    helpers: Sequence[Helper] | HelperIndex,
    radius_km: float = 5.0,
    *,
    initial_candidates: int = INITIAL_CANDIDATES,
) -> list[Pairing]:
    """Pair needs with helpers: most needs matched, then least total km; sorted by need id.

    Returns (need id, helper id, km). Deterministic for the same input.
    """
    ordered = _check(needs, radius_km)
    index = helpers if isinstance(helpers, HelperIndex) else HelperIndex.from_helpers(helpers)
    if index._delta:
        index._merge()
    if not ordered or len(index) == 0:
        return []
    n = len(ordered)
    limits = np.full(n, max(1, initial_candidates), dtype=np.int64)
    edges = _Edges(np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp), np.zeros(0))
    truncated = np.zeros(n, dtype=bool)
    todo = np.arange(n, dtype=np.intp)
    while True:
        # Widened needs get their new candidates in place of the old ones.
        kept = ~np.isin(edges.rows, todo)
        parts = [_Edges(edges.rows[kept], edges.positions[kept], edges.distances[kept])]
        for k_value in np.unique(limits[todo]):
            rows = todo[limits[todo] == k_value]
            found, cut = _candidates(index, ordered, rows, int(k_value), radius_km)
            truncated[rows] = cut
            parts.append(found)
        # Edges grouped by need, each need's in the order its search returned them.
        all_rows = np.concatenate([p.rows for p in parts])
        order = np.argsort(all_rows, kind="stable")
        edges = _Edges(
            all_rows[order],
            np.concatenate([p.positions for p in parts])[order],
            np.concatenate([p.distances for p in parts])[order],
        )
        choice = _solve(edges, index._capacity, n)
        load = np.bincount(edges.positions[choice[choice >= 0]], minlength=len(index._capacity))
        spare = load[edges.positions] < index._capacity[edges.positions]
        has_spare = np.zeros(n, dtype=bool)
        has_spare[edges.rows[spare]] = True
        todo = np.flatnonzero(truncated & ((choice < 0) | ~has_spare)).astype(np.intp)
        if len(todo) == 0:
            break
        limits[todo] *= 4
    matched = np.flatnonzero(choice >= 0)
    chosen = choice[matched]
    helper_ids = index._ids[edges.positions[chosen]].tolist()
    distances = edges.distances[chosen].tolist()
    return [
        (ordered[row].id, helper_id, distance)
        for row, helper_id, distance in zip(matched.tolist(), helper_ids, distances, strict=True)
    ]


def _full_graph(
    needs: Sequence[Need], helpers: Sequence[Helper] | HelperIndex, radius_km: float
) -> tuple[list[Need], HelperIndex, _Edges]:
    ordered = _check(needs, radius_km)
    index = helpers if isinstance(helpers, HelperIndex) else HelperIndex.from_helpers(helpers)
    if index._delta:
        index._merge()
    rows = np.arange(len(ordered), dtype=np.intp)
    edges, _ = _candidates(index, ordered, rows, None, radius_km)
    return ordered, index, edges


def assign_greedy(
    needs: Sequence[Need], helpers: Sequence[Helper] | HelperIndex, radius_km: float = 5.0
) -> list[Pairing]:
    """Pair needs with helpers the naive way: shortest allowed pair first, until none is left."""
    ordered, index, edges = _full_graph(needs, helpers, radius_km)
    order = np.lexsort((edges.positions, edges.rows, edges.distances))
    load = np.zeros(len(index._capacity), dtype=np.int64)
    taken = np.zeros(len(ordered), dtype=bool)
    result: list[Pairing] = []
    for e in order:
        row, position = edges.rows[e], edges.positions[e]
        if taken[row] or load[position] >= index._capacity[position]:
            continue
        taken[row] = True
        load[position] += 1
        result.append((ordered[row].id, index._ids[position].item(), float(edges.distances[e])))
    result.sort(key=lambda pairing: pairing[0])  # type: ignore[arg-type, return-value]
    return result


def maximum_matchable(
    needs: Sequence[Need], helpers: Sequence[Helper] | HelperIndex, radius_km: float = 5.0
) -> int:
    """Return the largest number of needs any assignment can match (Hopcroft-Karp)."""
    ordered, index, edges = _full_graph(needs, helpers, radius_km)
    if len(edges.rows) == 0:
        return 0
    rows, cols, _, helper_of_col = _slot_graph(edges, index._capacity, len(ordered))
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ordered), len(helper_of_col)))
    matching = maximum_bipartite_matching(graph, perm_type="column")
    return int((matching >= 0).sum())

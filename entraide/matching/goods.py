"""Goods allocation: the most kilograms delivered, then the fewest kg x km, then fairness.

A lot may go to a need of the same category when the need's collection circle reaches it
(haversine), the lot keeps until the pickup day, and a chilled or frozen category only goes to a
need with cold storage. A lot is never over-allocated and a need never over-served.

Divisible lots form a transportation problem solved exactly as a min-cost maximum flow
(OR-Tools' `SimpleMinCostFlow.solve_max_flow_with_min_cost`) with integer kilograms and an
integer cost per kilogram `M * metres + fairness`; see `_unit_costs` for why the fairness term
never changes the optimum in kilograms or in kg x metres. A component holding an indivisible lot
(all of it to one need, or nothing) is an integer programme: CP-SAT solves it exactly in three
stages (kilograms, then kg x metres, then fairness), each fixed before the next.

Pruning keeps the result optimal because it only drops what no feasible allocation may use:
edges are built per category with a KD-tree on the lots, only within each need's radius, and
the graph splits into connected components that share no lot and no need, so solving each
(or all of them side by side) gives the same optimum as the whole graph.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from entraide.matching.geo import chord_of_km, haversine_km_pairs, unit_vectors
from entraide.matching.goods_duals import violations

# Relative slack on chord radii: chords and haversines may disagree by an ulp; the exact
# haversine test on each candidate decides.
_CHORD_SLACK = 1e-9
# Integer costs stay below this once OR-Tools scales them by the number of nodes (it checks
# the range and refuses larger costs); 2**62 leaves headroom under int64.
_COST_LIMIT = 2**62
_NEVER = date.max.toordinal()
# The pruned solve starts from each need's and each lot's NEAREST shortest edges; the duals
# then bring in any omitted edge that could improve it (goods_duals).
NEAREST = 6


@dataclass(frozen=True, slots=True)
class GoodsLot:
    """What a donor offers (or what is left of it), in whole kilograms."""

    id: str
    category: str
    kg: int
    lat: float
    lon: float
    use_by: date | None = None
    divisible: bool = True  # False: all of it to one need or nothing


@dataclass(frozen=True, slots=True)
class GoodsNeed:
    """What an association asks for (or what is left of it), and where it can collect."""

    id: str
    category: str
    kg: int
    lat: float
    lon: float
    radius_km: float
    pickup_on: date  # a lot is eligible only if its use_by is None or on or after this day
    recent_kg: int = 0  # kg received recently: less comes first among equals
    cold_storage: bool = True  # False: the cold categories are refused


@dataclass(frozen=True, slots=True)
class GoodsAllocation:
    """Kilograms of one lot given to one need, and how far apart they are."""

    lot_id: str
    need_id: str
    kg: int
    km: float


@dataclass(frozen=True, slots=True)
class GoodsResult:
    """An allocation with its total kilograms and its total kg x km."""

    allocations: tuple[GoodsAllocation, ...]
    kg: int
    kg_km: float


@dataclass(frozen=True, slots=True)
class _Edges:
    """Eligible lot-need pairs as parallel arrays (indexes into the input sequences)."""

    lot: NDArray[np.int64]
    need: NDArray[np.int64]
    km: NDArray[np.float64]
    cap: NDArray[np.int64]


def _validate(lots: Sequence[GoodsLot], needs: Sequence[GoodsNeed]) -> None:
    for kind, items in (("lot", lots), ("need", needs)):
        seen: set[str] = set()
        for item in items:
            if isinstance(item.kg, bool) or not isinstance(item.kg, int) or item.kg < 0:
                raise ValueError(f"{kind} {item.id}: kg must be a whole number >= 0")
            if item.id in seen:
                raise ValueError(f"{kind} {item.id}: the id appears twice")
            seen.add(item.id)
    for need in needs:
        if not need.radius_km >= 0:
            raise ValueError(f"need {need.id}: radius_km must be >= 0")


class _Arrays:
    """The lots' and needs' fields as NumPy arrays, read once."""

    def __init__(self, lots: Sequence[GoodsLot], needs: Sequence[GoodsNeed]) -> None:
        self.lat_l = np.radians(np.array([x.lat for x in lots], dtype=np.float64))
        self.lon_l = np.radians(np.array([x.lon for x in lots], dtype=np.float64))
        self.kg_l = np.array([x.kg for x in lots], dtype=np.int64)
        self.use_by = np.array(
            [_NEVER if x.use_by is None else x.use_by.toordinal() for x in lots], dtype=np.int64
        )
        self.divisible = np.array([x.divisible for x in lots], dtype=bool)
        self.lat_n = np.radians(np.array([x.lat for x in needs], dtype=np.float64))
        self.lon_n = np.radians(np.array([x.lon for x in needs], dtype=np.float64))
        self.kg_n = np.array([x.kg for x in needs], dtype=np.int64)
        self.radius = np.array([x.radius_km for x in needs], dtype=np.float64)
        self.pickup = np.array([x.pickup_on.toordinal() for x in needs], dtype=np.int64)


def _edge_caps(
    arrays: _Arrays, lot: NDArray[np.int64], need: NDArray[np.int64], max_share: float | None
) -> NDArray[np.int64]:
    """Return how many kilograms of each edge's lot its need may receive in this run."""
    lot_kg, need_kg = arrays.kg_l[lot], arrays.kg_n[need]
    cap = np.minimum(lot_kg, need_kg)
    if max_share is not None:
        # At least a kilogram, or a cap below one kilogram would forbid small lots entirely.
        share = np.maximum(1, np.floor(max_share * lot_kg).astype(np.int64))
        cap = np.minimum(cap, share)
    # Whole or nothing: the share cap cannot split an indivisible lot, so it does not apply.
    whole = np.where(need_kg >= lot_kg, lot_kg, 0)
    return np.where(arrays.divisible[lot], cap, whole)


def _eligible_needs(
    needs: Sequence[GoodsNeed], cold_categories: frozenset[str]
) -> dict[str, list[int]]:
    by_category: dict[str, list[int]] = defaultdict(list)
    for j, need in enumerate(needs):
        if need.kg <= 0 or (need.category in cold_categories and not need.cold_storage):
            continue
        by_category[need.category].append(j)
    return by_category


# Brute force compares this many pairs at a time, to bound its memory.
_BRUTE_PAIRS = 2_000_000


def _candidate_edges(
    lots: Sequence[GoodsLot],
    needs: Sequence[GoodsNeed],
    cold_categories: frozenset[str],
    max_share: float | None,
    *,
    spatial: bool,
) -> _Edges:
    """Return every eligible pair: via a KD-tree per category, or by brute force (spatial=False)."""
    arrays = _Arrays(lots, needs)
    lots_by_category: dict[str, list[int]] = defaultdict(list)
    for i, lot in enumerate(lots):
        if lot.kg > 0:
            lots_by_category[lot.category].append(i)
    parts: list[_Edges] = []
    for category, need_ids in _eligible_needs(needs, cold_categories).items():
        lot_ids = lots_by_category.get(category)
        if not lot_ids:
            continue
        li = np.array(lot_ids, dtype=np.int64)
        nj = np.array(need_ids, dtype=np.int64)
        if spatial:
            lot_vecs = unit_vectors(np.degrees(arrays.lat_l[li]), np.degrees(arrays.lon_l[li]))
            need_vecs = unit_vectors(np.degrees(arrays.lat_n[nj]), np.degrees(arrays.lon_n[nj]))
            chords = np.array([chord_of_km(r) for r in arrays.radius[nj]])
            found = cKDTree(lot_vecs).query_ball_point(need_vecs, r=chords * (1 + _CHORD_SLACK))
            counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
            if counts.sum() > 0:
                hits = np.concatenate([np.asarray(f, dtype=np.int64) for f in found])
                parts.append(_filter_edges(arrays, li[hits], np.repeat(nj, counts), max_share))
        else:
            step = max(1, _BRUTE_PAIRS // len(li))
            for start in range(0, len(nj), step):
                chunk = nj[start : start + step]
                lot_idx, need_idx = np.tile(li, len(chunk)), np.repeat(chunk, len(li))
                parts.append(_filter_edges(arrays, lot_idx, need_idx, max_share))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Edges(empty, empty, np.zeros(0), empty)
    return _Edges(
        np.concatenate([p.lot for p in parts]),
        np.concatenate([p.need for p in parts]),
        np.concatenate([p.km for p in parts]),
        np.concatenate([p.cap for p in parts]),
    )


def _filter_edges(
    arrays: _Arrays, lot: NDArray[np.int64], need: NDArray[np.int64], max_share: float | None
) -> _Edges:
    """Keep the pairs within the radius whose lot keeps until the pickup day."""
    km = haversine_km_pairs(
        arrays.lat_l[lot], arrays.lon_l[lot], arrays.lat_n[need], arrays.lon_n[need]
    )
    keep = (km <= arrays.radius[need]) & (arrays.use_by[lot] >= arrays.pickup[need])
    lot, need, km = lot[keep], need[keep], km[keep]
    cap = _edge_caps(arrays, lot, need, max_share)
    keep = cap > 0
    return _Edges(lot[keep], need[keep], km[keep], cap[keep])


def fairness_ranks(needs: Sequence[GoodsNeed]) -> NDArray[np.int64]:
    """Return each need's dense rank of recent_kg over the whole input (0 = least received)."""
    recent = np.array([n.recent_kg for n in needs], dtype=np.int64)
    _, ranks = np.unique(recent, return_inverse=True)
    return ranks.astype(np.int64)


def _kg_per_component(
    ends: NDArray[np.int64], component: NDArray[np.int64], n_components: int, kg: list[int]
) -> NDArray[np.int64]:
    """Return the kilograms of the lots (or needs) at the edges' ends, summed per component."""
    # Every edge of a lot (or need) lies in one component: writing each edge's is enough.
    where = np.full(len(kg), -1, dtype=np.int64)
    where[ends] = component
    used = where >= 0
    weights = np.array(kg, dtype=np.float64)[used]
    return np.bincount(where[used], weights=weights, minlength=n_components).astype(np.int64)


def _unit_costs(
    edges: _Edges,
    component: NDArray[np.int64],
    n_components: int,
    lots: Sequence[GoodsLot],
    needs: Sequence[GoodsNeed],
    ranks: NDArray[np.int64],
    n_nodes: int,
) -> NDArray[np.int64]:
    """Return the integer cost per kilogram of each edge: M_c * metres + fairness rank.

    Why the fairness term cannot change the primary optimum: in a component c, any flow moves at
    most F_c = min(kg offered, kg asked) kilograms, so its fairness total sum(x_e * rank_e) lies
    in [0, F_c * R_c] with R_c the largest rank there. With M_c = F_c * R_c + 1, two maximum flows
    x and y whose kg x metres differ, D(y) >= D(x) + 1 (integers), have costs
    C(y) - C(x) = M_c * (D(y) - D(x)) + fair(y) - fair(x) >= M_c - F_c * R_c = 1 > 0:
    the cheapest flow has the least kg x metres, and among those the least fairness total.
    Components share no edge, so the total cost is their sum and each is minimised on its own.
    When M_c * metres would exceed OR-Tools' cost range, ranks are merged into fewer buckets
    (coarser fairness, never a different kilogram or kg x metre optimum).
    """
    metres = np.rint(edges.km * 1000.0).astype(np.int64)
    rank = ranks[edges.need].copy()
    lot_kg = _kg_per_component(edges.lot, component, n_components, [x.kg for x in lots])
    need_kg = _kg_per_component(edges.need, component, n_components, [x.kg for x in needs])
    flow = np.minimum(lot_kg, need_kg)
    top_rank = np.zeros(n_components, dtype=np.int64)
    top_metres = np.zeros(n_components, dtype=np.int64)
    np.maximum.at(top_rank, component, rank)
    np.maximum.at(top_metres, component, metres)
    # Largest M_c (hence rank bucket count) that keeps (M_c * metres + rank) * (nodes + 1) in range.
    room = _COST_LIMIT // (n_nodes + 2) // (top_metres + 1) - 1
    buckets = np.maximum(0, np.minimum(top_rank, (room - 1) // np.maximum(flow, 1)))
    coarse = buckets < top_rank
    if coarse.any():
        rank = np.where(
            coarse[component], rank * buckets[component] // np.maximum(top_rank[component], 1), rank
        )
        top_rank = buckets
    big_m = flow * top_rank + 1
    return big_m[component] * metres + rank


# Components are solved in batches of about this many edges: one solve per large component
# (OR-Tools is much faster on several small graphs than on their union), small ones together.
_BATCH_EDGES = 50_000


def _solve_flow(
    edges: _Edges,
    costs: NDArray[np.int64],
    lot_kg: NDArray[np.int64],
    need_kg: NDArray[np.int64],
    component: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Return the kilograms on each edge of a min-cost maximum flow, component by component."""
    flows = np.zeros(len(edges.lot), dtype=np.int64)
    order = np.argsort(component, kind="stable")
    bounds = np.flatnonzero(np.diff(component[order])) + 1
    start = 0
    for stop in [*bounds.tolist(), len(order)]:
        if stop - start < _BATCH_EDGES and stop != len(order):
            continue
        batch = order[start:stop]
        flows[batch] = _solve_batch(
            edges.lot[batch], edges.need[batch], edges.cap[batch], costs[batch], lot_kg, need_kg
        )
        start = stop
    return flows


def _solve_batch(
    lot: NDArray[np.int64],
    need: NDArray[np.int64],
    cap: NDArray[np.int64],
    costs: NDArray[np.int64],
    lot_kg: NDArray[np.int64],
    need_kg: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Return the kilograms on each edge of one min-cost maximum flow (OR-Tools)."""
    from ortools.graph.python import min_cost_flow  # imported here: loading it takes a while

    lot_nodes, lot_at = np.unique(lot, return_inverse=True)
    need_nodes, need_at = np.unique(need, return_inverse=True)
    solver = min_cost_flow.SimpleMinCostFlow()
    # Nodes: this batch's lots, then its needs; supplies bound what each offers and asks.
    solver.add_arcs_with_capacity_and_unit_cost(lot_at, need_at + len(lot_nodes), cap, costs)
    solver.set_nodes_supplies(
        np.arange(len(lot_nodes) + len(need_nodes)),
        np.concatenate([lot_kg[lot_nodes], -need_kg[need_nodes]]),
    )
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return np.asarray(solver.flows(np.arange(len(lot))), dtype=np.int64)


def _solve_integer(
    edges: _Edges,
    lots: Sequence[GoodsLot],
    needs: Sequence[GoodsNeed],
    ranks: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Return the kilograms on each edge of one component holding an indivisible lot (CP-SAT)."""
    from ortools.sat.python import cp_model  # imported here: loading it takes a while

    model = cp_model.CpModel()
    x: list[cp_model.LinearExprT] = []
    picks: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for e in range(len(edges.lot)):
        lot = lots[int(edges.lot[e])]
        if lot.divisible:
            x.append(model.new_int_var(0, int(edges.cap[e]), f"x{e}"))
        else:
            pick = model.new_bool_var(f"z{e}")
            picks[int(edges.lot[e])].append(pick)
            x.append(lot.kg * pick)
    by_lot: dict[int, list[int]] = defaultdict(list)
    by_need: dict[int, list[int]] = defaultdict(list)
    for e in range(len(edges.lot)):
        by_lot[int(edges.lot[e])].append(e)
        by_need[int(edges.need[e])].append(e)
    for i, es in by_lot.items():
        model.add(sum(x[e] for e in es) <= lots[i].kg)
    for chosen in picks.values():
        model.add_at_most_one(chosen)
    for j, es in by_need.items():
        model.add(sum(x[e] for e in es) <= needs[j].kg)
    metres = np.rint(edges.km * 1000.0).astype(np.int64)
    stages = [
        (sum(x), True),
        (sum(int(metres[e]) * x[e] for e in range(len(x))), False),
        (sum(int(ranks[edges.need[e]]) * x[e] for e in range(len(x))), False),
    ]
    solver = cp_model.CpSolver()
    # One worker: the machine is shared, and a single worker makes the run reproducible.
    solver.parameters.num_workers = 1
    for objective, maximise in stages:
        if maximise:
            model.maximize(objective)
        else:
            model.minimize(objective)
        status = solver.solve(model)
        if status != cp_model.OPTIMAL:
            raise RuntimeError(f"CP-SAT failed with status {solver.status_name(status)}")
        # Fix this stage's optimum before optimising the next.
        model.add(objective == round(solver.objective_value))
    return np.array([solver.value(v) for v in x], dtype=np.int64)


def _components(edges: _Edges, n_lots: int, n_needs: int) -> tuple[int, NDArray[np.int64]]:
    """Return the number of connected components and the component of each edge."""
    n = n_lots + n_needs
    graph = coo_matrix(
        (np.ones(len(edges.lot), dtype=np.int8), (edges.lot, edges.need + n_lots)), shape=(n, n)
    ).tocsr()
    _, labels = connected_components(graph, directed=False)
    used = np.zeros(len(labels), dtype=bool)
    used[labels[edges.lot]] = True
    renumber = np.cumsum(used) - 1
    component = renumber[labels[edges.lot]]
    return int(used.sum()), component.astype(np.int64)


def _solve(
    lots: Sequence[GoodsLot],
    needs: Sequence[GoodsNeed],
    edges: _Edges,
    *,
    split: bool,
    nearest: int | None,
) -> GoodsResult:
    if len(edges.lot) == 0:
        return GoodsResult(allocations=(), kg=0, kg_km=0.0)
    ranks = fairness_ranks(needs)
    if split:
        n_components, component = _components(edges, len(lots), len(needs))
    else:
        n_components, component = 1, np.zeros(len(edges.lot), dtype=np.int64)
    indivisible = ~np.array([x.divisible for x in lots], dtype=bool)[edges.lot]
    hard = np.zeros(n_components, dtype=bool)
    hard[component[indivisible]] = True
    flows = np.zeros(len(edges.lot), dtype=np.int64)
    easy = ~hard[component]
    if easy.any():
        sub = _subset(edges, easy)
        _, sub_component = np.unique(component[easy], return_inverse=True)
        costs = _unit_costs(
            sub,
            sub_component.astype(np.int64),
            int(sub_component.max()) + 1,
            lots,
            needs,
            ranks,
            len(lots) + len(needs),
        )
        flows[easy] = _solve_priced(
            sub, costs, sub_component.astype(np.int64), lots, needs, nearest
        )
    for c in np.flatnonzero(hard):
        mask = component == c
        flows[mask] = _solve_integer(_subset(edges, mask), lots, needs, ranks)
    return _result(lots, needs, edges, flows)


def _nearest_edges(edges: _Edges, nearest: int) -> NDArray[np.bool_]:
    """Return which edges are among the `nearest` shortest of their need or of their lot."""
    kept = np.zeros(len(edges.lot), dtype=bool)
    # One float key sorts by end, then by distance: rounding may swap two near-equal distances,
    # which only changes where the pricing starts, never the optimum it reaches.
    fraction = edges.km / (float(edges.km.max(initial=0.0)) * 1.001 + 1.0)
    for end in (edges.need, edges.lot):
        order = np.argsort(end + fraction)
        ends = end[order]
        first = np.searchsorted(ends, ends, side="left")
        kept[order[np.arange(len(order)) - first < nearest]] = True
    return kept


def _solve_priced(
    edges: _Edges,
    costs: NDArray[np.int64],
    component: NDArray[np.int64],
    lots: Sequence[GoodsLot],
    needs: Sequence[GoodsNeed],
    nearest: int | None,
) -> NDArray[np.int64]:
    """Solve on each need's and lot's nearest edges, adding omitted ones the duals price in."""
    lot_kg = np.array([x.kg for x in lots], dtype=np.int64)
    need_kg = np.array([x.kg for x in needs], dtype=np.int64)
    if nearest is None:
        return _solve_flow(edges, costs, lot_kg, need_kg, component)
    kept = _nearest_edges(edges, nearest)
    flows = np.zeros(len(edges.lot), dtype=np.int64)
    again = np.ones(int(component.max()) + 1, dtype=bool)
    while True:
        # Only the components that received new edges are solved again; the others keep theirs.
        redo = kept & again[component]
        flows[redo] = _solve_flow(
            _subset(edges, redo), costs[redo], lot_kg, need_kg, component[redo]
        )
        # goods_duals' docstring says why an empty set of violations proves the flow optimal.
        bad = violations(
            edges.lot, edges.need, edges.cap, costs, kept, flows[kept], lot_kg, need_kg
        )
        if not bad.any():
            return flows
        kept |= bad
        again[:] = False
        again[component[bad]] = True


def _subset(edges: _Edges, mask: NDArray[np.bool_]) -> _Edges:
    return _Edges(edges.lot[mask], edges.need[mask], edges.km[mask], edges.cap[mask])


def _result(
    lots: Sequence[GoodsLot], needs: Sequence[GoodsNeed], edges: _Edges, flows: NDArray[np.int64]
) -> GoodsResult:
    used = np.flatnonzero(flows > 0)
    # Lots in input order, then needs in input order: the same input gives the same file.
    used = used[np.lexsort((edges.need[used], edges.lot[used]))]
    allocations = tuple(
        GoodsAllocation(
            lot_id=lots[int(edges.lot[e])].id,
            need_id=needs[int(edges.need[e])].id,
            kg=int(flows[e]),
            km=float(edges.km[e]),
        )
        for e in used
    )
    return GoodsResult(
        allocations=allocations,
        kg=int(flows.sum()),
        kg_km=float(np.dot(flows[used], edges.km[used])),
    )


def allocate_goods(
    lots: Iterable[GoodsLot],
    needs: Iterable[GoodsNeed],
    *,
    cold_categories: frozenset[str] = frozenset(),
    max_share: float | None = None,
) -> GoodsResult:
    """Return the allocation with the most kg, then the least kg x km, then the fairest."""
    lots, needs = list(lots), list(needs)
    _validate(lots, needs)
    edges = _candidate_edges(lots, needs, cold_categories, max_share, spatial=True)
    return _solve(lots, needs, edges, split=True, nearest=NEAREST)


def allocate_goods_nearest(
    lots: Iterable[GoodsLot],
    needs: Iterable[GoodsNeed],
    nearest: int,
    *,
    cold_categories: frozenset[str] = frozenset(),
    max_share: float | None = None,
) -> GoodsResult:
    """Return allocate_goods' optimum, starting from another number of nearest edges (tests)."""
    lots, needs = list(lots), list(needs)
    _validate(lots, needs)
    edges = _candidate_edges(lots, needs, cold_categories, max_share, spatial=True)
    return _solve(lots, needs, edges, split=True, nearest=nearest)


def allocate_goods_unpruned(
    lots: Iterable[GoodsLot],
    needs: Iterable[GoodsNeed],
    *,
    cold_categories: frozenset[str] = frozenset(),
    max_share: float | None = None,
) -> GoodsResult:
    """Return the same optimum from every pair tested by brute force and one solve (a baseline)."""
    lots, needs = list(lots), list(needs)
    _validate(lots, needs)
    edges = _candidate_edges(lots, needs, cold_categories, max_share, spatial=False)
    return _solve(lots, needs, edges, split=False, nearest=None)


def greedy_goods(
    lots: Iterable[GoodsLot],
    needs: Iterable[GoodsNeed],
    *,
    cold_categories: frozenset[str] = frozenset(),
) -> GoodsResult:
    """Return the nearest-first allocation: pairs by distance, each taking what it can."""
    lots, needs = list(lots), list(needs)
    _validate(lots, needs)
    edges = _candidate_edges(lots, needs, cold_categories, None, spatial=True)
    lot_left = np.array([lot.kg for lot in lots], dtype=np.int64)
    need_left = np.array([need.kg for need in needs], dtype=np.int64)
    flows = np.zeros(len(edges.lot), dtype=np.int64)
    for e in np.argsort(edges.km, kind="stable"):
        i, j = edges.lot[e], edges.need[e]
        if lots[i].divisible:
            kg = min(lot_left[i], need_left[j])
        else:
            kg = lot_left[i] if lot_left[i] == lots[i].kg <= need_left[j] else 0
        if kg > 0:
            flows[e] = kg
            lot_left[i] -= kg
            need_left[j] -= kg
    return _result(lots, needs, edges, flows)


def check_goods(
    lots: Iterable[GoodsLot],
    needs: Iterable[GoodsNeed],
    allocations: Iterable[GoodsAllocation],
    *,
    cold_categories: frozenset[str] = frozenset(),
    max_share: float | None = None,
) -> list[str]:
    """Return every rule an allocation breaks (empty when it respects them all)."""
    lots_by_id = {lot.id: lot for lot in lots}
    needs_by_id = {need.id: need for need in needs}
    given: dict[str, int] = defaultdict(int)
    received: dict[str, int] = defaultdict(int)
    pairs: dict[str, set[str]] = defaultdict(set)
    problems = []
    for a in allocations:
        lot, need = lots_by_id.get(a.lot_id), needs_by_id.get(a.need_id)
        if lot is None or need is None:
            problems.append(f"{a.lot_id} -> {a.need_id}: unknown lot or need")
            continue
        where = f"{a.lot_id} -> {a.need_id}"
        if a.kg <= 0:
            problems.append(f"{where}: {a.kg} kg is not a positive amount")
        if lot.category != need.category:
            problems.append(f"{where}: {lot.category} is not {need.category}")
        km = float(
            haversine_km_pairs(
                *np.radians(np.array([[lot.lat], [lot.lon], [need.lat], [need.lon]]))
            )[0]
        )
        if km > need.radius_km * (1 + _CHORD_SLACK):
            problems.append(f"{where}: {km:.3f} km is beyond the {need.radius_km} km radius")
        if lot.use_by is not None and lot.use_by < need.pickup_on:
            problems.append(f"{where}: used by {lot.use_by}, collected on {need.pickup_on}")
        if lot.category in cold_categories and not need.cold_storage:
            problems.append(f"{where}: {lot.category} needs cold storage")
        if not lot.divisible and a.kg != lot.kg:
            problems.append(f"{where}: {a.kg} kg of an indivisible {lot.kg} kg lot")
        share = None if max_share is None else max(1, math.floor(max_share * lot.kg))
        if lot.divisible and share is not None and a.kg > share:
            problems.append(f"{where}: {a.kg} kg is more than the share of {lot.kg} kg")
        given[a.lot_id] += a.kg
        received[a.need_id] += a.kg
        pairs[a.lot_id].add(a.need_id)
    for lot_id, kg in given.items():
        if kg > lots_by_id[lot_id].kg:
            problems.append(f"lot {lot_id}: {kg} kg given of {lots_by_id[lot_id].kg} kg")
        if not lots_by_id[lot_id].divisible and len(pairs[lot_id]) > 1:
            problems.append(f"lot {lot_id}: an indivisible lot goes to several needs")
    for need_id, kg in received.items():
        if kg > needs_by_id[need_id].kg:
            problems.append(f"need {need_id}: {kg} kg received of {needs_by_id[need_id].kg} kg")
    return problems

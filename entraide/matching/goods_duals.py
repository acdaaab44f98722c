"""Optimality certificate of a min-cost maximum flow, to price the edges a pruned solve left out.

The pruned graph keeps only each need's and each lot's nearest candidates. Its optimal flow x
is also optimal on the whole candidate graph when adding the omitted edges creates neither
(a) an augmenting path: S, the nodes the source reaches in the residual graph, does not contain
the sink, and no omitted edge runs from S to outside S, so S stays closed and x stays maximum;
nor (b) a negative cycle: with potentials pi that give every residual arc a non-negative
reduced cost (shortest distances from a virtual root, Bellman-Ford), an omitted edge whose
reduced cost c + pi(lot) - pi(need) is also non-negative keeps pi feasible, so no cycle through
any set of omitted edges can be negative. An edge failing (a) or (b) is added and the pruned
graph solved again (column generation) until none fails: the result is then exact.
"""

from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order


@numba.njit(cache=True)  # type: ignore[misc]
def _potentials(n_nodes: int, tails: Any, heads: Any, costs: Any) -> Any:  # pragma: no cover
    """Return shortest distances from a virtual root joined to every node by a free arc (SPFA)."""
    order = np.argsort(tails)
    starts = np.zeros(n_nodes + 1, dtype=np.int64)
    for a in range(len(tails)):
        starts[tails[a] + 1] += 1
    for v in range(n_nodes):
        starts[v + 1] += starts[v]
    dist = np.zeros(n_nodes, dtype=np.int64)
    queue = np.arange(n_nodes + 1, dtype=np.int64)
    queued = np.ones(n_nodes, dtype=np.bool_)
    head, tail, size = 0, n_nodes, n_nodes + 1
    while head != tail:
        u = queue[head]
        head = (head + 1) % size
        queued[u] = False
        for k in range(starts[u], starts[u + 1]):
            a = order[k]
            v = heads[a]
            if dist[u] + costs[a] < dist[v]:
                dist[v] = dist[u] + costs[a]
                if not queued[v]:
                    queued[v] = True
                    queue[tail] = v
                    tail = (tail + 1) % size
    return dist


def violations(
    lot: NDArray[np.int64],
    need: NDArray[np.int64],
    cap: NDArray[np.int64],
    cost: NDArray[np.int64],
    kept: NDArray[np.bool_],
    flow: NDArray[np.int64],
    lot_kg: NDArray[np.int64],
    need_kg: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Return which omitted edges could improve the flow on the kept ones (see the module)."""
    n_lots, n_needs = len(lot_kg), len(need_kg)
    source, sink = n_lots + n_needs, n_lots + n_needs + 1
    k_lot, k_need, k_cost, k_cap = lot[kept], need[kept] + n_lots, cost[kept], cap[kept]
    given = np.bincount(k_lot, weights=flow, minlength=n_lots).astype(np.int64)
    taken = np.bincount(k_need - n_lots, weights=flow, minlength=n_needs).astype(np.int64)
    lots, needs = np.arange(n_lots), np.arange(n_needs) + n_lots
    fwd, back = flow < k_cap, flow > 0
    free_lot, used_lot = given < lot_kg, given > 0
    free_need, used_need = taken < need_kg, taken > 0
    tails = np.concatenate(
        [
            k_lot[fwd],
            k_need[back],
            np.full(free_lot.sum(), source),
            lots[used_lot],
            needs[free_need],
            np.full(used_need.sum(), sink),
        ]
    )
    heads = np.concatenate(
        [
            k_need[fwd],
            k_lot[back],
            lots[free_lot],
            np.full(used_lot.sum(), source),
            np.full(free_need.sum(), sink),
            needs[used_need],
        ]
    )
    costs = np.concatenate(
        [k_cost[fwd], -k_cost[back], np.zeros(len(tails) - fwd.sum() - back.sum(), dtype=np.int64)]
    )
    n_nodes = n_lots + n_needs + 2
    pi = _potentials(
        n_nodes, tails.astype(np.int64), heads.astype(np.int64), costs.astype(np.int64)
    )
    graph = csr_matrix(
        (np.ones(len(tails), dtype=np.int8), (tails, heads)), shape=(n_nodes, n_nodes)
    )
    reached = np.zeros(n_nodes, dtype=bool)
    reached[breadth_first_order(graph, source, directed=True, return_predecessors=False)] = True
    out_lot, out_need = lot[~kept], need[~kept] + n_lots
    bad = (cost[~kept] + pi[out_lot] - pi[out_need] < 0) | (reached[out_lot] & ~reached[out_need])
    result = np.zeros(len(lot), dtype=bool)
    result[np.flatnonzero(~kept)[bad]] = True
    return result

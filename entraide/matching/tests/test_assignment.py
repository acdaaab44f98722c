"""assign() matches as many needs as possible, then minimises the total distance."""

import itertools
import random

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from entraide.matching import Helper, Need, assign, assign_greedy, explain, maximum_matchable
from entraide.matching.assignment import (
    _candidates,
    _dulmage_mendelsohn,
    _Edges,
    _fix_uncontested,
    _full_graph,
    _slot_graph,
    _solve,
    _solve_contested,
)
from entraide.matching.tests.test_index import KINDS, LANGUAGES, random_helpers


def random_needs(rng: random.Random, n: int, spread: float = 0.2) -> list[Need]:
    return [
        Need(
            1000 + i,
            50.8 + rng.random() * spread,
            4.3 + rng.random() * spread,
            language=rng.choice([None, *LANGUAGES]),
            kind=rng.choice([None, *KINDS]),
        )
        for i in range(n)
    ]


def check_valid(
    pairs: list[tuple[int | str, int | str, float]],
    needs: list[Need],
    helpers: list[Helper],
    radius_km: float,
) -> None:
    by_need = {n.id: n for n in needs}
    by_helper = {h.id: h for h in helpers}
    assert len({need_id for need_id, _, _ in pairs}) == len(pairs)
    for helper in helpers:
        assert sum(1 for _, h, _ in pairs if h == helper.id) <= helper.capacity
    for need_id, helper_id, distance in pairs:
        why = explain(by_need[need_id], by_helper[helper_id], radius_km)
        assert why.allowed
        assert distance == pytest.approx(why.distance_km)


def brute_force_best(
    needs: list[Need], helpers: list[Helper], radius_km: float
) -> tuple[int, float]:
    options: list[list[int | str | None]] = []
    for need in needs:
        allowed = [None] + [h.id for h in helpers if explain(need, h, radius_km).allowed]
        options.append(allowed)
    best = (0, 0.0)
    by_helper = {h.id: h for h in helpers}
    for combo in itertools.product(*options):
        chosen = [c for c in combo if c is not None]
        if any(chosen.count(h) > by_helper[h].capacity for h in set(chosen)):
            continue
        total = sum(
            explain(n, by_helper[c], radius_km).distance_km
            for n, c in zip(needs, combo, strict=True)
            if c is not None
        )
        if (len(chosen), -total) > (best[0], -best[1]):
            best = (len(chosen), total)
    return best


def test_it_finds_the_cheapest_maximum_matching_on_tiny_cases() -> None:
    rng = random.Random(5)
    for _ in range(60):
        helpers = random_helpers(rng, rng.randint(1, 4), spread=0.05)
        needs = random_needs(rng, rng.randint(1, 5), spread=0.05)
        pairs = assign(needs, helpers, radius_km=3.0, initial_candidates=1)
        check_valid(pairs, needs, helpers, 3.0)
        count, total = brute_force_best(needs, helpers, 3.0)
        assert len(pairs) == count
        assert sum(d for _, _, d in pairs) == pytest.approx(total, abs=1e-9)


def test_it_matches_as_many_as_a_maximum_bipartite_matching() -> None:
    rng = random.Random(9)
    for _ in range(15):
        helpers = random_helpers(rng, rng.randint(50, 300))
        needs = random_needs(rng, rng.randint(50, 400))
        pairs = assign(needs, helpers, radius_km=2.0, initial_candidates=2)
        check_valid(pairs, needs, helpers, 2.0)
        assert len(pairs) == maximum_matchable(needs, helpers, radius_km=2.0)
        assert len(pairs) >= len(assign_greedy(needs, helpers, radius_km=2.0))


def test_it_gives_the_same_total_whatever_the_candidate_budget() -> None:
    rng = random.Random(13)
    helpers = random_helpers(rng, 200)
    needs = random_needs(rng, 300)
    few = assign(needs, helpers, radius_km=2.5, initial_candidates=1)
    many = assign(needs, helpers, radius_km=2.5, initial_candidates=10_000)
    assert len(few) == len(many)
    assert sum(d for _, _, d in few) == pytest.approx(sum(d for _, _, d in many))


def test_it_is_deterministic() -> None:
    rng = random.Random(21)
    helpers = random_helpers(rng, 200)
    needs = random_needs(rng, 250)
    first = assign(needs, helpers, radius_km=2.0)
    again = assign(list(reversed(needs)), list(reversed(helpers)), radius_km=2.0)
    assert first == again


def test_it_respects_capacity_and_beats_greedy_on_a_known_trap() -> None:
    # Greedy gives the shared helper to the closest need and strands the other one.
    helpers = [Helper("a", 50.0, 4.0), Helper("b", 50.0, 4.03)]
    needs = [Need("x", 50.0, 3.99), Need("y", 50.0, 4.005)]
    assert len(assign_greedy(needs, helpers, radius_km=2.0)) == 1
    pairs = assign(needs, helpers, radius_km=2.0)
    assert [(n, h) for n, h, _ in pairs] == [("x", "a"), ("y", "b")]
    double = [Helper("a", 50.0, 4.0, capacity=2)]
    assert len(assign(needs, double, radius_km=2.0)) == 2


def test_it_explains_which_filter_failed() -> None:
    why = explain(
        Need(1, 50.0, 4.0, language="nl", kind="call"),
        Helper(2, 50.0, 4.01, languages=frozenset({"fr"})),
        radius_km=5.0,
    )
    assert (why.within_radius, why.language_ok, why.kind_ok, why.allowed) == (
        True,
        False,
        True,
        False,
    )


def test_it_rejects_duplicate_needs_and_bad_radius() -> None:
    helpers = [Helper(1, 50.0, 4.0)]
    with pytest.raises(ValueError):
        assign([Need(1, 50.0, 4.0), Need(1, 50.0, 4.0)], helpers)
    with pytest.raises(ValueError):
        assign([Need(1, 50.0, 4.0)], helpers, radius_km=float("nan"))
    assert assign([], helpers) == []


def test_it_settles_uncontested_needs_without_changing_the_optimum() -> None:
    rng = random.Random(17)
    helpers = random_helpers(rng, 150)
    needs = random_needs(rng, 300)
    ordered, index, edges = _full_graph(needs, helpers, 2.0)
    fixed, active, left = _fix_uncontested(edges, index._capacity, len(ordered))
    # Both paths run: some needs are settled at once, others go to the solver.
    assert (fixed >= 0).any()
    assert active.any()
    assert (left >= 0).all()
    reduced = _solve(edges, index._capacity, len(ordered))
    plain = _solve_contested(edges, index._capacity, len(ordered))
    assert (reduced >= 0).sum() == (plain >= 0).sum()
    chosen = reduced[reduced >= 0]
    assert edges.distances[chosen].sum() == pytest.approx(edges.distances[plain[plain >= 0]].sum())
    load: dict[int, int] = {}
    for position in edges.positions[chosen]:
        load[position] = load.get(position, 0) + 1
    assert all(count <= index._capacity[p] for p, count in load.items())


def one_scipy_call(edges: _Edges, capacity: np.ndarray, n_needs: int, radius_km: float) -> float:
    """Solve with one call and a private costly "unmatched" column per need; return the cost."""
    rows, cols, edge_of, helper_of_col = _slot_graph(edges, capacity, n_needs)
    m = len(helper_of_col)
    unmatched = (radius_km + 1.0) * (n_needs + 1) + 1.0
    graph = csr_matrix(
        (
            np.concatenate((edges.distances[edge_of] + 1.0, np.full(n_needs, unmatched))),
            (
                np.concatenate((rows, np.arange(n_needs))),
                np.concatenate((cols, m + np.arange(n_needs))),
            ),
        ),
        shape=(n_needs, m + n_needs),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    return float(graph[row_ind, col_ind].sum())


def test_it_solves_the_parts_apart_as_one_scipy_call_would() -> None:
    rng = random.Random(29)
    for _ in range(20):
        helpers = [
            Helper(h.id, h.lat, h.lon, rng.randint(1, 3), h.languages, h.kinds)
            for h in random_helpers(rng, rng.randint(20, 120))
        ]
        needs = random_needs(rng, rng.randint(20, 200))
        ordered, index, edges = _full_graph(needs, helpers, 2.0)
        n = len(ordered)
        choice = _solve_contested(edges, index._capacity, n)
        chosen = choice[choice >= 0]
        load = np.bincount(edges.positions[chosen], minlength=len(index._capacity))
        assert (load <= index._capacity).all()
        assert (edges.rows[chosen] == np.flatnonzero(choice >= 0)).all()
        if len(edges.rows) == 0:
            continue
        unmatched = (2.0 + 1.0) * (n + 1) + 1.0
        cost = (edges.distances[chosen] + 1.0).sum() + unmatched * (n - chosen.size)
        assert cost == pytest.approx(one_scipy_call(edges, index._capacity, n, 2.0), abs=1e-6)


def test_it_finds_the_same_parts_from_any_maximum_matching() -> None:
    rng = np.random.default_rng(31)
    parts_seen: set[int] = set()
    for _ in range(30):
        n_rows, n_cols = rng.integers(5, 40, size=2)
        pairs = np.unique(
            rng.integers(0, [n_rows, n_cols], size=(int(rng.integers(5, 80)), 2)), axis=0
        )
        rows, cols = pairs[:, 0], pairs[:, 1]
        row_part, col_part = _dulmage_mendelsohn(rows, cols, n_rows, n_cols)
        # Renumbered rows and columns lead Hopcroft-Karp to another maximum matching.
        row_perm, col_perm = rng.permutation(n_rows), rng.permutation(n_cols)
        other_rows, other_cols = _dulmage_mendelsohn(row_perm[rows], col_perm[cols], n_rows, n_cols)
        assert (other_rows[row_perm] == row_part).all()
        assert (other_cols[col_perm] == col_part).all()
        parts_seen.update(row_part[rows].tolist())
    assert parts_seen == {0, 1, 2}


def test_it_keeps_every_helper_in_the_radius_only_when_they_are_few() -> None:
    rng = random.Random(37)
    sparse = (random_needs(rng, 200, spread=0.5), random_helpers(rng, 100, spread=0.5))
    dense = (random_needs(rng, 200, spread=0.1), random_helpers(rng, 900, spread=0.1))
    for (needs, helpers), all_kept in ((sparse, True), (dense, False)):
        ordered, index, full = _full_graph(needs, helpers, 2.0)
        rows = np.arange(len(ordered), dtype=np.intp)
        kept, truncated = _candidates(index, ordered, rows, 2, 2.0)
        assert len(full.rows) > 0
        assert truncated.any() != all_kept
        assert (len(kept.rows) == len(full.rows)) == all_kept
        # Either way, the optimum is the one found with every candidate.
        few = assign(needs, helpers, radius_km=2.0, initial_candidates=2)
        many = assign(needs, helpers, radius_km=2.0, initial_candidates=100_000)
        assert len(few) == len(many) == maximum_matchable(needs, helpers, radius_km=2.0)
        assert sum(d for _, _, d in few) == pytest.approx(sum(d for _, _, d in many))

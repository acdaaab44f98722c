"""allocate_goods() delivers the most kg, then the least kg x km, then favours the least served."""

import itertools
import random
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from entraide.matching.geo import haversine_km
from entraide.matching.goods import (
    GoodsAllocation,
    GoodsLot,
    GoodsNeed,
    GoodsResult,
    allocate_goods,
    allocate_goods_nearest,
    allocate_goods_unpruned,
    check_goods,
    fairness_ranks,
    greedy_goods,
)

DAY = date(2026, 3, 2)
CATEGORIES = ("fresh", "dry", "hygiene")


def lot(id, kg, lat=48.85, lon=2.35, **kw):
    return GoodsLot(id=id, category=kw.pop("category", "dry"), kg=kg, lat=lat, lon=lon, **kw)


def need(id, kg, lat=48.85, lon=2.35, radius_km=10.0, **kw):
    return GoodsNeed(
        id=id,
        category=kw.pop("category", "dry"),
        kg=kg,
        lat=lat,
        lon=lon,
        radius_km=radius_km,
        pickup_on=kw.pop("pickup_on", DAY),
        **kw,
    )


def given_kg(result: GoodsResult) -> dict[tuple[str, str], int]:
    return {(a.lot_id, a.need_id): a.kg for a in result.allocations}


def kg_metres(result: GoodsResult) -> int:
    return sum(a.kg * round(a.km * 1000) for a in result.allocations)


def fairness(result: GoodsResult, needs: list[GoodsNeed]) -> int:
    ranks = dict(zip((n.id for n in needs), fairness_ranks(needs), strict=True))
    return sum(a.kg * int(ranks[a.need_id]) for a in result.allocations)


def random_instance(rng: random.Random, n_lots: int, n_needs: int, indivisible: float = 0.0):
    lots = [
        lot(
            f"L{i}",
            rng.randint(1, 40),
            48.8 + rng.random() * 0.3,
            2.2 + rng.random() * 0.4,
            category=rng.choice(CATEGORIES),
            use_by=rng.choice([None, DAY - timedelta(days=1), DAY, DAY + timedelta(days=3)]),
            divisible=rng.random() >= indivisible,
        )
        for i in range(n_lots)
    ]
    needs = [
        need(
            f"N{j}",
            rng.randint(1, 60),
            48.8 + rng.random() * 0.3,
            2.2 + rng.random() * 0.4,
            radius_km=rng.choice([2.0, 5.0, 8.0, 15.0]),
            category=rng.choice(CATEGORIES),
            pickup_on=rng.choice([DAY, DAY + timedelta(days=1)]),
            recent_kg=rng.choice([0, 0, 10, 25, 100]),
            cold_storage=rng.random() < 0.7,
        )
        for j in range(n_needs)
    ]
    return lots, needs


def lp_optimum(lots, needs, cold, max_share):
    """Return (kg, kg x metres) of the LP relaxation solved in two stages: integral here (TU)."""
    pairs = []
    for i, a in enumerate(lots):
        for j, b in enumerate(needs):
            km = haversine_km(a.lat, a.lon, b.lat, b.lon)
            if (
                a.category == b.category
                and km <= b.radius_km
                and (a.use_by is None or a.use_by >= b.pickup_on)
                and not (a.category in cold and not b.cold_storage)
            ):
                cap = min(a.kg, b.kg)
                if max_share is not None:
                    cap = min(cap, max(1, int(max_share * a.kg)))
                pairs.append((i, j, round(km * 1000), cap))
    if not pairs:
        return 0, 0
    rows = np.zeros((len(lots) + len(needs), len(pairs)))
    for e, (i, j, _, _) in enumerate(pairs):
        rows[i, e] = 1
        rows[len(lots) + j, e] = 1
    bounds_rhs = [x.kg for x in lots] + [x.kg for x in needs]
    caps = [(0, p[3]) for p in pairs]
    first = linprog(-np.ones(len(pairs)), A_ub=rows, b_ub=bounds_rhs, bounds=caps, method="highs")
    kg = round(-first.fun)
    second = linprog(
        np.array([p[2] for p in pairs], dtype=float),
        A_ub=rows,
        b_ub=bounds_rhs,
        A_eq=np.ones((1, len(pairs))),
        b_eq=[kg],
        bounds=caps,
        method="highs",
    )
    return kg, round(second.fun)


def test_it_returns_nothing_for_empty_inputs():
    assert allocate_goods([], []) == GoodsResult(allocations=(), kg=0, kg_km=0.0)
    assert allocate_goods([lot("a", 5)], []).kg == 0
    assert allocate_goods([], [need("x", 5)]).kg == 0


def test_it_splits_a_lot_between_two_needs():
    result = allocate_goods([lot("a", 10)], [need("x", 6), need("y", 6, lon=2.36)])
    assert result.kg == 10
    assert given_kg(result) == {("a", "x"): 6, ("a", "y"): 4}


def test_it_gives_a_need_larger_than_all_lots_everything():
    result = allocate_goods([lot("a", 3), lot("b", 4, lat=48.86)], [need("x", 100)])
    assert given_kg(result) == {("a", "x"): 3, ("b", "x"): 4}
    assert result.kg == 7


def test_it_excludes_a_lot_beyond_the_radius():
    far = lot("far", 10, lat=48.85 + 0.1)  # about 11 km north
    assert haversine_km(far.lat, far.lon, 48.85, 2.35) > 10
    assert allocate_goods([far], [need("x", 10, radius_km=10)]).kg == 0
    assert allocate_goods([far], [need("x", 10, radius_km=12)]).kg == 10


def test_it_excludes_a_lot_used_by_before_the_pickup():
    lots = [lot("old", 10, use_by=DAY - timedelta(days=1)), lot("ok", 10, use_by=DAY, lat=48.9)]
    result = allocate_goods(lots, [need("x", 20)])
    assert given_kg(result) == {("ok", "x"): 10}


def test_it_refuses_cold_categories_to_needs_without_cold_storage():
    lots = [lot("ice", 10, category="frozen")]
    warm = need("warm", 10, category="frozen", cold_storage=False)
    cold = need("cold", 10, category="frozen", lat=48.9)
    assert allocate_goods(lots, [warm], cold_categories=frozenset({"frozen"})).kg == 0
    assert allocate_goods(lots, [warm]).kg == 10
    result = allocate_goods(lots, [warm, cold], cold_categories=frozenset({"frozen"}))
    assert given_kg(result) == {("ice", "cold"): 10}


def test_it_never_matches_different_categories():
    assert allocate_goods([lot("a", 5, category="books")], [need("x", 5)]).kg == 0


def test_it_prefers_the_nearer_need_when_kilograms_tie():
    lots = [lot("a", 10)]
    result = allocate_goods(lots, [need("far", 10, lat=48.9), need("near", 10, lat=48.86)])
    assert given_kg(result) == {("a", "near"): 10}


def test_it_goes_farther_when_that_delivers_more_kilograms():
    # Lot a is near both needs, lot b only reaches x: a must serve y so b can serve x.
    lots = [lot("a", 10), lot("b", 10, lat=48.85 - 0.06)]
    needs = [need("x", 10, lat=48.85 - 0.01, radius_km=6), need("y", 10, lat=48.85 + 0.03)]
    result = allocate_goods(lots, needs)
    assert result.kg == 20
    assert given_kg(result) == {("a", "y"): 10, ("b", "x"): 10}


def test_it_favours_the_need_that_received_less_among_equals():
    lots = [lot("a", 10)]
    # Same place, same distance: only recent_kg tells them apart, whatever the input order.
    for order in (1, -1):
        needs = [need("served", 10, recent_kg=50), need("hungry", 10, recent_kg=0)][::order]
        assert given_kg(allocate_goods(lots, needs)) == {("a", "hungry"): 10}


def test_it_does_not_let_fairness_add_distance():
    lots = [lot("a", 10)]
    needs = [need("near", 10, lat=48.851, recent_kg=500), need("far", 10, lat=48.86)]
    assert given_kg(allocate_goods(lots, needs)) == {("a", "near"): 10}


def test_it_caps_one_need_share_of_a_lot():
    lots = [lot("a", 10)]
    result = allocate_goods(lots, [need("x", 10), need("y", 10, lat=48.86)], max_share=0.5)
    assert given_kg(result) == {("a", "x"): 5, ("a", "y"): 5}
    assert allocate_goods(lots, [need("x", 10)], max_share=0.5).kg == 5
    assert allocate_goods([lot("one", 1)], [need("x", 1)], max_share=0.5).kg == 1


def test_it_gives_an_indivisible_lot_whole_or_not_at_all():
    lots = [lot("sofa", 10, divisible=False)]
    result = allocate_goods(lots, [need("small", 6), need("big", 10, lat=48.9)])
    assert given_kg(result) == {("sofa", "big"): 10}
    assert allocate_goods(lots, [need("small", 9), need("other", 9)]).kg == 0


def test_it_mixes_indivisible_and_divisible_lots_exactly():
    lots = [lot("sofa", 8, divisible=False), lot("rice", 5, lat=48.851)]
    needs = [need("x", 8), need("y", 5, lat=48.852)]
    result = allocate_goods(lots, needs)
    assert result.kg == 13
    assert given_kg(result) == {("sofa", "x"): 8, ("rice", "y"): 5}


def test_it_rejects_bad_input():
    with pytest.raises(ValueError, match="kg"):
        allocate_goods([lot("a", -1)], [need("x", 5)])
    with pytest.raises(ValueError, match="twice"):
        allocate_goods([lot("a", 1), lot("a", 2)], [need("x", 5)])


def test_the_checker_finds_every_broken_rule():
    lots = [lot("a", 10, use_by=DAY - timedelta(days=1)), lot("s", 5, divisible=False)]
    needs = [need("x", 4, radius_km=1, category="dry", cold_storage=False)]
    far = GoodsAllocation("a", "x", 11, 0.0)
    problems = check_goods(lots, needs, [far], cold_categories=frozenset({"dry"}), max_share=0.5)
    text = "\n".join(problems)
    for word in ("used by", "cold storage", "share", "given of", "received of"):
        assert word in text
    assert check_goods([lot("a", 1, lat=49)], needs, [GoodsAllocation("a", "x", 1, 0.0)])
    assert "indivisible" in "\n".join(check_goods(lots, needs, [GoodsAllocation("s", "x", 2, 0)]))
    assert check_goods(lots, needs, [GoodsAllocation("zz", "x", 1, 0)]) == [
        "zz -> x: unknown lot or need"
    ]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    n_lots=st.integers(1, 25),
    n_needs=st.integers(1, 12),
    share=st.sampled_from([None, 0.5, 0.3]),
)
def test_it_matches_the_unpruned_solve_and_the_lp_optimum(seed, n_lots, n_needs, share):
    rng = random.Random(seed)
    lots, needs = random_instance(rng, n_lots, n_needs)
    cold = frozenset({"fresh"})
    pruned = allocate_goods(lots, needs, cold_categories=cold, max_share=share)
    whole = allocate_goods_unpruned(lots, needs, cold_categories=cold, max_share=share)
    assert check_goods(lots, needs, pruned.allocations, cold_categories=cold, max_share=share) == []
    assert (pruned.kg, kg_metres(pruned)) == lp_optimum(lots, needs, cold, share)
    assert (pruned.kg, kg_metres(pruned), fairness(pruned, needs)) == (
        whole.kg,
        kg_metres(whole),
        fairness(whole, needs),
    )
    assert pruned.kg_km == pytest.approx(sum(a.kg * a.km for a in pruned.allocations))
    greedy = greedy_goods(lots, needs, cold_categories=cold)
    assert check_goods(lots, needs, greedy.allocations, cold_categories=cold) == []
    if share is None:
        assert greedy.kg <= pruned.kg


def best_by_enumeration(lots, needs):
    """Return the best (kg, -kg x metres) over every way to place indivisible lots."""
    best = (0, 0)
    for choice in itertools.product(range(len(needs) + 1), repeat=len(lots)):
        left = [n.kg for n in needs]
        kg = metres = 0
        for a, j in zip(lots, choice, strict=True):
            if j == len(needs):
                continue
            b = needs[j]
            km = haversine_km(a.lat, a.lon, b.lat, b.lon)
            if a.category != b.category or km > b.radius_km or left[j] < a.kg:
                break
            if a.use_by is not None and a.use_by < b.pickup_on:
                break
            left[j] -= a.kg
            kg += a.kg
            metres += a.kg * round(km * 1000)
        else:
            best = max(best, (kg, -metres))
    return best


@pytest.mark.parametrize("seed", range(25))
def test_it_places_indivisible_lots_as_well_as_enumeration(seed):
    rng = random.Random(seed)
    lots, needs = random_instance(rng, rng.randint(1, 5), rng.randint(1, 3), indivisible=1.0)
    needs = [GoodsNeed(**{**_fields(n), "cold_storage": True}) for n in needs]
    result = allocate_goods(lots, needs)
    assert check_goods(lots, needs, result.allocations) == []
    assert (result.kg, -kg_metres(result)) == best_by_enumeration(lots, needs)


def _fields(n: GoodsNeed) -> dict:
    return {f: getattr(n, f) for f in GoodsNeed.__dataclass_fields__}


def test_greedy_takes_the_nearest_pair_first_and_can_lose_kilograms():
    lots = [lot("a", 10), lot("b", 10, lat=48.85 - 0.06)]
    needs = [need("x", 10, lat=48.85 - 0.01, radius_km=6), need("y", 10, lat=48.85 + 0.03)]
    greedy = greedy_goods(lots, needs)
    assert given_kg(greedy) == {("a", "x"): 10}
    assert allocate_goods(lots, needs).kg == 20


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), nearest=st.integers(1, 3), share=st.sampled_from([None, 0.5]))
def test_the_dual_check_makes_nearest_pruning_exact(seed, nearest, share):
    rng = random.Random(seed)
    lots, needs = random_instance(rng, rng.randint(5, 40), rng.randint(2, 15))
    cold = frozenset({"fresh"})
    pruned = allocate_goods_nearest(lots, needs, nearest, cold_categories=cold, max_share=share)
    whole = allocate_goods_unpruned(lots, needs, cold_categories=cold, max_share=share)
    assert check_goods(lots, needs, pruned.allocations, cold_categories=cold, max_share=share) == []
    assert (pruned.kg, kg_metres(pruned), fairness(pruned, needs)) == (
        whole.kg,
        kg_metres(whole),
        fairness(whole, needs),
    )


def test_it_brings_back_a_far_edge_the_nearest_pruning_left_out():
    # Each need keeps only its nearest lot (a); b is needed for y to be served at all.
    lots = [lot("a", 10), lot("b", 10, lat=48.85 + 0.05)]
    needs = [need("x", 10, lat=48.85 - 0.01), need("y", 10, lat=48.851)]
    assert allocate_goods_nearest(lots, needs, 1).kg == 20

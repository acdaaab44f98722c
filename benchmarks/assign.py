"""Benchmark `assign` against greedy nearest-first and one plain SciPy solve of the same graph.

    python -m benchmarks.assign [--cases covid,tight,10k,100k] [--repeats 3] [--before FILE]

--before times, in the same run, the `assign` of another version of
entraide/matching/assignment.py (for instance one taken with `git show`), to compare.

Cases: 800 requests x 7,000 volunteers in Belgium (Covid-Solidarity's size); a tight supply
of 5,000 x 5,000 single-capacity volunteers; 10,000 x 100,000 and 100,000 x 1,000,000 over
France and Belgium. All within 5 km, with language and kind filters.
"""

import argparse
import importlib.util
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from benchmarks.common import command_line, write_section
from entraide.matching import (
    HelperIndex,
    Need,
    assign,
    assign_greedy,
    maximum_matchable,
    synthetic,
)
from entraide.matching.assignment import _full_graph, _slot_graph

RADIUS_KM = 5.0
CASES = {
    "covid": ("800 x 7,000 (Belgium)", 800, 7_000, ("BE",), False),
    "tight": ("5,000 x 5,000 tight supply (Belgium, capacity 1)", 5_000, 5_000, ("BE",), True),
    "10k": ("10,000 x 100,000 (France + Belgium)", 10_000, 100_000, ("BE", "FR"), False),
    "100k": ("100,000 x 1,000,000 (France + Belgium)", 100_000, 1_000_000, ("BE", "FR"), False),
}
# Building the full candidate graph for the greedy baseline and the maximum-matching check is
# far bigger than assign's pruned graph at this size; it is skipped there (and said so).
FULL_GRAPH_MAX_HELPERS = 100_000


def plain_scipy(needs: list[Need], index: HelperIndex, radius_km: float) -> tuple[int, float]:
    """Solve the full candidate graph in one SciPy call; return (matched, total km).

    What a user would write: every allowed pair within the radius, helpers expanded into
    capacity slots, and a private "unmatched" column per need costing more than any
    rerouting could save, so `min_weight_full_bipartite_matching` (LAPJVsp) finds the most
    needs matched, then the fewest km.
    """
    ordered, index, edges = _full_graph(needs, index, radius_km)
    n = len(ordered)
    rows, cols, edge_of, helper_of_col = _slot_graph(edges, index._capacity, n)
    m = len(helper_of_col)
    unmatched = (radius_km + 1.0) * (n + 1) + 1.0
    # +1: SciPy reads a zero weight as no edge.
    weights = np.concatenate((edges.distances[edge_of] + 1.0, np.full(n, unmatched)))
    graph = csr_matrix(
        (weights, (np.concatenate((rows, np.arange(n))), np.concatenate((cols, m + np.arange(n))))),
        shape=(n, m + n),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = col_ind < m
    return int(real.sum()), float(graph[row_ind[real], col_ind[real]].sum() - real.sum())


def timed(repeats: int, call: Callable[[], object]) -> tuple[object, float, float]:
    """Run `call` `repeats` times; return its last result and the median wall and CPU seconds."""
    walls, cpus = [], []
    result: object = None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return result, statistics.median(walls), statistics.median(cpus)


def load_assign(path: str) -> Callable[..., list[tuple[object, object, float]]]:
    """Load `assign` from another version of the assignment module."""
    spec = importlib.util.spec_from_file_location("assignment_before", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.assign  # type: ignore[no-any-return]


def run_case(
    key: str, repeats: int, before: Callable[..., list[tuple[object, object, float]]] | None
) -> dict[str, object]:
    """Measure one case and return its figures."""
    label, n_needs, n_helpers, countries, tight = CASES[key]
    helpers = synthetic.helpers(n_helpers, seed=11, countries=countries)
    if tight:
        helpers = [replace(h, capacity=1) for h in helpers]
    needs = synthetic.needs(n_needs, seed=12, countries=countries)
    started = time.perf_counter()
    index = HelperIndex.from_helpers(helpers)
    build = time.perf_counter() - started
    pairs, seconds, cpu_seconds = timed(repeats, lambda: assign(needs, index, RADIUS_KM))
    assert isinstance(pairs, list)
    row: dict[str, object] = {
        "case": label,
        "index_s": build,
        "assign_s": seconds,
        "assign_cpu_s": cpu_seconds,
        "matched": len(pairs),
        "total_km": sum(d for _, _, d in pairs),
    }
    if before is not None:
        old, row["before_s"], _ = timed(repeats, lambda: before(needs, index, RADIUS_KM))
        assert isinstance(old, list)
        # The same optimum: as many matched, the same km (to rounding).
        row["before_same"] = len(old) == len(pairs) and math.isclose(
            sum(d for _, _, d in old), sum(d for _, _, d in pairs), rel_tol=1e-9
        )
    if n_helpers <= FULL_GRAPH_MAX_HELPERS:
        greedy, row["greedy_s"], _ = timed(repeats, lambda: assign_greedy(needs, index, RADIUS_KM))
        assert isinstance(greedy, list)
        row["greedy_matched"] = len(greedy)
        row["greedy_km"] = sum(d for _, _, d in greedy)
        plain, row["scipy_s"], _ = timed(repeats, lambda: plain_scipy(needs, index, RADIUS_KM))
        assert isinstance(plain, tuple)
        row["scipy_matched"], row["scipy_km"] = plain
        row["maximum"] = maximum_matchable(needs, index, RADIUS_KM)
    row["needs"] = n_needs
    print(row, flush=True)
    return row


def table(rows: list[dict[str, object]]) -> str:
    """Return the Markdown table of the measured cases."""
    lines = [
        "| case | assign s | assign CPU s | before s | plain SciPy s | greedy s | matched "
        "| maximum possible "
        "| greedy matched | gain (points) | km per match (assign / SciPy / greedy) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        needs = int(r["needs"])  # type: ignore[call-overload]
        matched = int(r["matched"])  # type: ignore[call-overload]
        km = float(r["total_km"]) / max(1, matched)  # type: ignore[arg-type]
        if "maximum" in r:
            greedy = int(r["greedy_matched"])  # type: ignore[call-overload]
            gain = 100 * (matched - greedy) / needs
            greedy_km = float(r["greedy_km"]) / max(1, greedy)  # type: ignore[arg-type]
            scipy_km = float(r["scipy_km"]) / max(1, int(r["scipy_matched"]))  # type: ignore[arg-type, call-overload]
            times = f"{r['scipy_s']:.2f} | {r['greedy_s']:.2f}"
            extra = (
                f"{r['maximum']:,} | {greedy:,} ({100 * greedy / needs:.1f}%) | {gain:+.2f} "
                f"| {km:.3f} / {scipy_km:.3f} / {greedy_km:.3f}"
            )
        else:
            times = "not run | not run"
            extra = f"not checked | not run | - | {km:.3f} / - / -"
        if "before_s" in r:
            before = f"{r['before_s']:.2f}" + ("" if r["before_same"] else " (other result)")
        else:
            before = "not run"
        lines.append(
            f"| {r['case']} | {r['assign_s']:.2f} | {r['assign_cpu_s']:.2f} | {before} | {times} "
            f"| {matched:,} ({100 * matched / needs:.1f}%) | {extra} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the chosen cases and write the section of docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--before", help="another version of entraide/matching/assignment.py")
    args = parser.parse_args()
    before = load_assign(args.before) if args.before else None
    rows = [run_case(key.strip(), args.repeats, before) for key in args.cases.split(",")]
    body = (
        "## Batch assignment\n\n"
        f"`{command_line()}`\n\n"
        f"Radius {RADIUS_KM:g} km, language and kind filters, volunteers' capacity 1 to 3 "
        "(1 in the tight case). Times are the median of "
        f"{args.repeats} runs, wall-clock for the whole call (candidate search and solving), "
        "with the helper index already built; CPU is the process's time on both cores "
        "(`time.process_time`: the k-d tree queries use two threads). Before = the `assign` "
        "given with `--before`, timed in the same run on the same index. Plain SciPy = every "
        "allowed pair within the radius (the same k-d tree search), helpers expanded into "
        'capacity slots, a private costly "unmatched" column per request, and one '
        "`scipy.sparse.csgraph.min_weight_full_bipartite_matching` call: exact, like `assign`. "
        "Greedy = shortest allowed pair first. Maximum possible = Hopcroft-Karp (`scipy.sparse."
        "csgraph.maximum_bipartite_matching`) on the full capacity-expanded candidate graph. "
        "At 100,000 x 1,000,000 the full graph is too large for these three.\n\n" + table(rows)
    )
    write_section("assign", body)
    print(table(rows))


if __name__ == "__main__":
    main()

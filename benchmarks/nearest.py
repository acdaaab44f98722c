"""Benchmark `HelperIndex.nearest` against a NumPy scan, scikit-learn's BallTree and PostGIS KNN.

    python -m benchmarks.nearest --sizes 100000,1000000,10000000 [--postgis-max 1000000]

Every engine answers the same queries (k=10 within 5 km, with the request's language and
kind) on the same population-clustered helpers. PostGIS runs in a throw-away cluster in a
temporary folder (Debian's PostgreSQL 15 + PostGIS 3.3, listening on 127.0.0.1 only).
"""

import argparse
import gc
import io
import math
import time
from collections.abc import Callable

import numpy as np

from benchmarks.common import (
    command_line,
    percentiles_ms,
    rss_mib,
    throwaway_postgres,
    write_section,
)
from entraide.matching import HelperIndex, synthetic
from entraide.matching.geo import EARTH_RADIUS_KM, haversine_km_many
from entraide.matching.types import Helper, Need

K = 10
RADIUS_KM = 5.0
Query = Callable[[Need], list[tuple[object, float]]]


def masks(helpers: list[Helper]) -> dict[tuple[str, str | None], np.ndarray]:
    """Return boolean arrays of which helpers accept each language and each kind."""
    result: dict[tuple[str, str | None], np.ndarray] = {}
    lang_any = np.fromiter((not h.languages for h in helpers), dtype=bool, count=len(helpers))
    kind_any = np.fromiter((not h.kinds for h in helpers), dtype=bool, count=len(helpers))
    values = {("language", v) for h in helpers[:50_000] for v in h.languages}
    values |= {("kind", v) for h in helpers[:50_000] for v in h.kinds}
    for attribute, value in sorted(values):
        base = lang_any if attribute == "language" else kind_any
        field = "languages" if attribute == "language" else "kinds"
        hit = np.fromiter(
            (value in getattr(h, field) for h in helpers), dtype=bool, count=len(helpers)
        )
        result[(attribute, value)] = base | hit
    result[("language", None)] = lang_any
    result[("kind", None)] = kind_any
    return result


def numpy_scan(helpers: list[Helper]) -> Query:
    """Return a brute-force query: haversine to every helper, filter, partial sort."""
    lat = np.radians([h.lat for h in helpers])
    lon = np.radians([h.lon for h in helpers])
    ids = np.arange(len(helpers))
    accept = masks(helpers)

    def query(need: Need) -> list[tuple[object, float]]:
        d = haversine_km_many(math.radians(need.lat), math.radians(need.lon), lat, lon)
        ok = d <= RADIUS_KM
        if need.language:
            ok &= accept.get(("language", need.language), accept[("language", None)])
        if need.kind:
            ok &= accept.get(("kind", need.kind), accept[("kind", None)])
        found = np.flatnonzero(ok)
        order = np.lexsort((ids[found], d[found]))[:K]
        return [(int(ids[found[i]]), float(d[found[i]])) for i in order]

    return query


def ball_tree(helpers: list[Helper]) -> tuple[Query, float]:
    """Return a BallTree (haversine) query that over-fetches until K helpers pass the filters."""
    from sklearn.neighbors import BallTree

    started = time.perf_counter()
    points = np.radians([[h.lat, h.lon] for h in helpers])
    tree = BallTree(points, metric="haversine")
    build = time.perf_counter() - started
    accept = masks(helpers)
    n = len(helpers)

    def query(need: Need) -> list[tuple[object, float]]:
        ok = np.ones(n, dtype=bool)
        if need.language:
            ok = ok & accept.get(("language", need.language), accept[("language", None)])
        if need.kind:
            ok = ok & accept.get(("kind", need.kind), accept[("kind", None)])
        m = 4 * K
        point = np.radians([[need.lat, need.lon]])
        while True:
            distances, rows = tree.query(point, k=min(m, n))
            km = distances[0] * EARTH_RADIUS_KM
            keep = ok[rows[0]] & (km <= RADIUS_KM)
            if keep.sum() >= K or km[-1] > RADIUS_KM or m >= n:
                found: list[tuple[object, float]] = [
                    (int(r), float(d)) for r, d in zip(rows[0][keep], km[keep], strict=True)
                ]
                return found[:K]
            m *= 4

    return query, build


def _nearest_query(index: HelperIndex) -> Query:
    def query(need: Need) -> list[tuple[object, float]]:
        return index.nearest(  # type: ignore[return-value]
            need.lat, need.lon, k=K, radius_km=RADIUS_KM, language=need.language, kind=need.kind
        )

    return query


Timing = tuple[float, list[float], list[float]]


def time_queries(query: Query, needs: list[Need], repeats: int = 1) -> Timing:
    """Run every query `repeats` times (after a warm-up); return times in ms.

    Returns the wall-clock median over all runs, then the wall-clock p99 and the CPU p99 of
    each run. The CPU time of the querying thread leaves out time the process spent
    descheduled, which on a shared 2-core machine is most of the wall-clock tail.
    """
    for need in needs[:20]:
        query(need)
    everything: list[float] = []
    p99s, cpu_p99s = [], []
    for _ in range(repeats):
        durations = []
        cpu = []
        for need in needs:
            started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
            query(need)
            cpu.append((time.thread_time_ns() - started_cpu) / 1e9)
            durations.append((time.perf_counter_ns() - started) / 1e9)
        everything.extend(durations)
        p99s.append(percentiles_ms(durations)[1])
        cpu_p99s.append(percentiles_ms(cpu)[1])
    return percentiles_ms(everything)[0], p99s, cpu_p99s


def postgis(
    helpers: list[Helper], needs: list[Need], settings: dict[str, str], repeats: int
) -> tuple[Timing, float]:
    """Load the helpers into PostGIS, build a GiST index, and time the same KNN queries."""
    import psycopg

    with psycopg.connect(autocommit=True, **settings) as connection:  # type: ignore[arg-type]
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        connection.execute("DROP TABLE IF EXISTS helpers")
        connection.execute(
            "CREATE TABLE helpers (id integer PRIMARY KEY, geog geography(Point, 4326), "
            "languages text[], kinds text[])"
        )
        buffer = io.StringIO()
        for h in helpers:
            languages = "{" + ",".join(sorted(h.languages)) + "}"
            kinds = "{" + ",".join(sorted(h.kinds)) + "}"
            buffer.write(f"{h.id}\tSRID=4326;POINT({h.lon} {h.lat})\t{languages}\t{kinds}\n")
        started = time.perf_counter()
        with connection.cursor().copy("COPY helpers FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        connection.execute("CREATE INDEX helpers_geog ON helpers USING gist (geog)")
        connection.execute("VACUUM ANALYZE helpers")
        build = time.perf_counter() - started
        sql = (
            "SELECT id, ST_Distance(geog, q, false) / 1000 FROM helpers, "
            "(SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS q) p "
            "WHERE ST_DWithin(geog, q, %(m)s, false) "
            "AND (%(language)s::text IS NULL OR languages = '{}' OR %(language)s = ANY(languages)) "
            "AND (%(kind)s::text IS NULL OR kinds = '{}' OR %(kind)s = ANY(kinds)) "
            "ORDER BY geog <-> q LIMIT %(k)s"
        )
        cursor = connection.cursor()

        def query(need: Need) -> list[tuple[object, float]]:
            cursor.execute(
                sql,
                {
                    "lon": need.lon,
                    "lat": need.lat,
                    "m": RADIUS_KM * 1000,
                    "language": need.language,
                    "kind": need.kind,
                    "k": K,
                },
                prepare=True,
            )
            return cursor.fetchall()

        timing = time_queries(query, needs, repeats)
        connection.execute("DROP TABLE helpers")
    return timing, build


def run(
    sizes: list[int],
    queries: int,
    scan_queries: int,
    postgis_max: int,
    settings: dict[str, str] | None,
    repeats: int,
) -> str:
    """Measure every engine at every size and return the Markdown table."""
    rows: list[tuple[str, int, float, list[float], list[float], float, str]] = []
    needs = synthetic.needs(queries, seed=99)
    for n in sizes:
        helpers = synthetic.helpers(n, seed=7)
        gc.collect()
        before = rss_mib()
        started = time.perf_counter()
        index = HelperIndex.from_helpers(helpers)
        build = time.perf_counter() - started
        grown_mib = rss_mib() - before
        ours = time_queries(_nearest_query(index), needs, repeats)
        rows.append(("entraide HelperIndex", n, *ours, build, f"{grown_mib:,.0f} MiB"))
        print(rows[-1], flush=True)
        del index
        gc.collect()
        scan = numpy_scan(helpers)
        rows.append(("NumPy scan", n, *time_queries(scan, needs[:scan_queries]), math.nan, "-"))
        print(rows[-1], flush=True)
        del scan
        query, tree_build = ball_tree(helpers)
        rows.append(
            ("scikit-learn BallTree", n, *time_queries(query, needs, repeats), tree_build, "-")
        )
        print(rows[-1], flush=True)
        del query
        gc.collect()
        if settings is not None and n <= postgis_max:
            (median, p99s, _), pg_build = postgis(helpers, needs, settings, repeats)
            rows.append(("PostGIS KNN (GiST)", n, median, p99s, [], pg_build, "-"))
            print(rows[-1], flush=True)
        del helpers
        gc.collect()
    lines = [
        "| engine | helpers | median ms | p99 ms, each run | p99 CPU ms, each run | build s "
        "| index memory |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for engine, n, median, p99s, cpu99s, build, memory in rows:
        p99_runs = " / ".join(f"{v:.3f}" for v in p99s)
        cpu_runs = " / ".join(f"{v:.3f}" for v in cpu99s) or "-"
        built = "-" if math.isnan(build) else f"{build:.1f}"
        lines.append(
            f"| {engine} | {n:,} | {median:.3f} | {p99_runs} | {cpu_runs} | {built} | {memory} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments, start a throw-away PostGIS if wanted, and write the section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--scan-queries", type=int, default=200)
    parser.add_argument("--postgis-max", type=int, default=1_000_000)
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed runs per engine (the NumPy scan runs once)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.postgis_max > 0:
        with throwaway_postgres() as settings:
            table = run(
                sizes, args.queries, args.scan_queries, args.postgis_max, settings, args.repeats
            )
    else:
        table = run(sizes, args.queries, args.scan_queries, 0, None, args.repeats)
    body = (
        "## Nearest helpers\n\n"
        f"`{command_line()}`\n\n"
        f"One query = the {K} nearest helpers within {RADIUS_KM:g} km who speak the request's "
        "language and do its kind of help, exact great-circle distance. "
        f"{args.queries:,} queries per engine ({args.scan_queries} for the NumPy scan), "
        f"one at a time, {args.repeats} timed runs per engine (one for the NumPy scan); the "
        "median pools every run, the p99 columns give each run's. CPU is the querying "
        "thread's own time (`time.thread_time_ns`). PostGIS times include the round trip to "
        "a local server; its CPU time is spent in the server, so only wall-clock is shown.\n\n"
        + table
    )
    write_section("nearest", body)
    print(table)


if __name__ == "__main__":
    main()

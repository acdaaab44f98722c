"""Benchmark "the nearest open drop-off point with room for this category" against PostGIS KNN.

    python -m benchmarks.dropoff_nearest [--points 50000] [--queries 1000] [--write]

N drop-off points spread over France where people live (a national network: dense in the
cities, sparse in the countryside), with the opening hours of town halls and shops (some with
a lunch break, some on Saturdays only), dated exceptions (a holiday, special hours), some full,
some temporarily closed, and several accepted categories each. Each query asks for the 3
nearest points open at a moment of the working week, with room, for one category, from a place
where people live (a fifth from any town centre, however small).

Measured: `entraide.dropoff.selectors.nearest_points`, what the pages and the API call, on SQLite
(/tmp/dropoff-N.sqlite3, kept between runs) and on a throwaway PostgreSQL cluster, each in its
own process; beside it, on the PostgreSQL data, what a PostGIS user would write: a geography
column with a GiST index, `ORDER BY geog <-> point LIMIT k` filtering the category and the room
in SQL, the open-now check on the rows it returns, k growing until enough points are suitable.
Every answer is checked against a brute-force walk of every point (found and skipped), the two
databases' answers against each other, and PostGIS's found points against entraide's.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from benchmarks.common import command_line, throwaway_postgres, write_section
from entraide.dropoff.nearest import MAX_SKIPPED

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.config.settings")
BATCH = 5000
LIMIT = 3
TARGET_MS = 5.0
ZONE = ZoneInfo("Europe/Paris")
# The week the queries are asked in: Monday 14 to Saturday 19 December 2026.
MONDAY = date(2026, 12, 14)
HOLIDAY = MONDAY + timedelta(days=1)  # some points close all day on the Tuesday
SPECIAL = MONDAY + timedelta(days=5)  # some open 10:00-16:00 only on the Saturday
# Accepted by a point with this probability; asked for in queries with the second one.
CATEGORIES = {
    "textile": (0.85, 0.5),
    "books": (0.5, 0.25),
    "baby": (0.3, 0.1),
    "hygiene": (0.2, 0.1),
    "furniture": (0.1, 0.05),
}
# Weekly hours (weekdays, ranges) and the share of points that keep them.
SCHEDULES: list[tuple[float, range, list[tuple[clock, clock]]]] = [
    (0.30, range(0, 5), [(clock(8, 30), clock(12)), (clock(13, 30), clock(17))]),
    (0.15, range(0, 5), [(clock(8, 30), clock(17))]),
    (0.35, range(1, 6), [(clock(10), clock(19))]),
    (0.15, range(0, 6), [(clock(9, 30), clock(12, 30)), (clock(14), clock(18, 30))]),
    (0.05, range(5, 6), [(clock(9), clock(13))]),
]
SHARE_FULL, SHARE_CLOSED, SHARE_HOLIDAY, SHARE_SPECIAL = 0.08, 0.03, 0.05, 0.05


@dataclass(frozen=True)
class Query:
    """One donor's question: where, which category, when."""

    lat: float
    lon: float
    category: str
    moment: datetime


def setup(database_url: str) -> None:
    """Point Django at the benchmark database and bring its schema up to date."""
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n: int, seed: int) -> None:
    """Insert n drop-off points with their categories and hours, unless they are there."""
    from django.db import transaction

    from entraide.dropoff.models import DropoffPoint, OpeningException, OpeningRange
    from entraide.goods.models import Category
    from entraide.matching import synthetic
    from entraide.matching.geo import cell_of
    from entraide.organisations.models import Organisation, Territory

    if DropoffPoint.objects.count() >= n:
        return
    territory, _ = Territory.objects.get_or_create(
        name="Bench France", defaults={"country": "FR", "time_zone": "Europe/Paris"}
    )
    host, _ = Organisation.objects.get_or_create(
        slug="bench-host",
        defaults={
            "name": "Bench host",
            "kind": "association",
            "town": "Paris",
            "territory": territory,
        },
    )
    categories = {c.code: c.pk for c in Category.objects.filter(code__in=CATEGORIES)}
    rng = np.random.default_rng(seed)
    lats, lons, _town = synthetic.scatter(rng, synthetic.towns(("FR",)), n)
    accepts = {code: rng.random(n) < share for code, (share, _) in CATEGORIES.items()}
    schedule = rng.choice(len(SCHEDULES), size=n, p=[s[0] for s in SCHEDULES])
    draw = rng.random((n, 4))
    closed_until = [MONDAY + timedelta(days=2), MONDAY + timedelta(days=30), None]
    with transaction.atomic():
        for start in range(0, n, BATCH):
            rows = range(start, min(start + BATCH, n))
            points = []
            for i in rows:
                closed = bool(draw[i, 1] < SHARE_CLOSED)
                points.append(
                    DropoffPoint(
                        organisation=host,
                        territory=territory,
                        name=f"Point {i:06d}",
                        address=f"{i} rue du Banc",
                        postcode="75000",
                        town="Bench",
                        country="FR",
                        lat=float(lats[i]),
                        lon=float(lons[i]),
                        cell=cell_of(float(lats[i]), float(lons[i])),
                        fill_level="full" if draw[i, 0] < SHARE_FULL else "half",
                        status="closed" if closed else "open",
                        closed_reason="Inventaire" if closed else "",
                        closed_until=closed_until[i % 3] if closed else None,
                    )
                )
            DropoffPoint.objects.bulk_create(points)
            links, ranges, exceptions = [], [], []
            for i, point in zip(rows, points, strict=True):
                codes = [c for c in CATEGORIES if accepts[c][i]] or ["textile"]
                links += [
                    DropoffPoint.categories.through(
                        dropoffpoint_id=point.pk, category_id=categories[c]
                    )
                    for c in codes
                ]
                _share, weekdays, hours = SCHEDULES[schedule[i]]
                ranges += [
                    OpeningRange(point=point, weekday=d, opens=o, closes=c)
                    for d in weekdays
                    for o, c in hours
                ]
                if draw[i, 2] < SHARE_HOLIDAY:
                    exceptions.append(OpeningException(point=point, on_date=HOLIDAY, closed=True))
                if draw[i, 3] < SHARE_SPECIAL:
                    exceptions.append(
                        OpeningException(
                            point=point,
                            on_date=SPECIAL,
                            closed=False,
                            opens=clock(10),
                            closes=clock(16),
                        )
                    )
            DropoffPoint.categories.through.objects.bulk_create(links)
            OpeningRange.objects.bulk_create(ranges)
            OpeningException.objects.bulk_create(exceptions)


def make_queries(count: int, seed: int) -> list[Query]:
    """Return the donors' questions: places, categories and moments, the same in every run."""
    from entraide.matching import synthetic

    rng = np.random.default_rng(seed)
    france = synthetic.towns(("FR",))
    lats, lons, _town = synthetic.scatter(rng, france, count)
    anywhere = rng.random(count) < 0.2
    towns = rng.integers(0, len(france.lats), size=count)
    codes = list(CATEGORIES)
    asked = rng.choice(len(codes), size=count, p=[w for _, w in CATEGORIES.values()])
    days = rng.integers(0, 6, size=count)
    minutes = rng.integers(9 * 60, 18 * 60 + 30, size=count)
    found = []
    for i in range(count):
        local = datetime.combine(MONDAY + timedelta(days=int(days[i])), clock(), ZONE)
        moment = (local + timedelta(minutes=int(minutes[i]))).astimezone(ZoneInfo("UTC"))
        lat, lon = (
            (float(france.lats[towns[i]]), float(france.lons[towns[i]]))
            if anywhere[i]
            else (float(lats[i]), float(lons[i]))
        )
        found.append(Query(lat, lon, codes[asked[i]], moment))
    return found


class BruteForce:
    """Every point in memory as plain values; an answer walks all of them nearest first."""

    def __init__(self) -> None:
        from entraide.dropoff.models import DropoffPoint, OpeningException, OpeningRange

        rows = list(
            DropoffPoint.objects.order_by("name", "id").values_list(
                "id", "lat", "lon", "fill_level", "status", "closed_until"
            )
        )
        self.ids = np.array([r[0] for r in rows])
        self.lat = np.array([r[1] for r in rows])
        self.lon = np.array([r[2] for r in rows])
        self.state = {r[0]: (r[3], r[4], r[5]) for r in rows}
        self.categories: dict[int, set[str]] = {}
        for pk, code in DropoffPoint.categories.through.objects.values_list(
            "dropoffpoint_id", "category__code"
        ):
            self.categories.setdefault(pk, set()).add(code)
        self.weekly, self.exceptions = opening_hours(
            OpeningRange.objects.values_list("point_id", "weekday", "opens", "closes"),
            OpeningException.objects.values_list(
                "point_id", "on_date", "closed", "opens", "closes"
            ),
        )

    def reasons(self, pk: int, query: Query) -> tuple[str, ...]:
        """Return why the point cannot take the donation (nearest.py's order of reasons)."""
        fill, status, until = self.state[pk]
        local_day = query.moment.astimezone(ZONE).date()
        closed = status == "closed" and (until is None or local_day <= until)
        is_open = not closed and open_at(self, pk, query.moment)
        return tuple(
            reason
            for reason, ok in (
                ("closed", is_open),
                ("full", fill != "full"),
                ("category", query.category in self.categories.get(pk, set())),
            )
            if not ok
        )

    def answer(self, query: Query) -> dict[str, Any]:
        """Return the exact answer: the LIMIT nearest suitable points and the closer skipped."""
        from entraide.matching.geo import haversine_km

        rough = haversine_np(query.lat, query.lon, self.lat, self.lon)
        # Exact distances (the function entraide uses) for every point the rough ones may
        # order before the 500 km edge; ties keep the name-then-id order of the points.
        candidates = np.flatnonzero(rough <= 500.001)
        exact = [
            (haversine_km(query.lat, query.lon, self.lat[i], self.lon[i]), i) for i in candidates
        ]
        exact = sorted((d, i) for d, i in exact if d <= 500.0)
        found: list[list[Any]] = []
        skipped: list[list[Any]] = []
        more = 0
        for distance, i in exact:
            if len(found) == LIMIT:
                break
            pk = int(self.ids[i])
            reasons = self.reasons(pk, query)
            if not reasons:
                found.append([pk, round(distance, 6)])
            elif len(skipped) < MAX_SKIPPED:
                skipped.append([pk, list(reasons)])
            else:
                more += 1
        return {"found": found, "skipped": skipped, "skipped_more": more}


def opening_hours(
    ranges: Any, exceptions: Any
) -> tuple[dict[int, dict[int, list[Any]]], dict[int, dict[date, Any]]]:
    """Return weekly ranges and dated exceptions by point, as dropoff.hours reads them."""
    from entraide.dropoff.hours import Range

    weekly: dict[int, dict[int, list[Any]]] = {}
    for pk, weekday, opens, closes in ranges:
        weekly.setdefault(pk, {}).setdefault(weekday, []).append(Range(opens, closes))
    dated: dict[int, dict[date, Any]] = {}
    for pk, on_date, closed, opens, closes in exceptions:
        days = dated.setdefault(pk, {})
        if closed:
            days[on_date] = None
        elif days.get(on_date, []) is not None:
            days.setdefault(on_date, []).append(Range(opens, closes))
    return weekly, dated


def open_at(hours_of: Any, pk: int, moment: datetime) -> bool:
    """Return True when the point's hours say it is open at the moment."""
    from entraide.dropoff import hours

    return hours.is_open_at(
        moment, ZONE, hours_of.weekly.get(pk, {}), hours_of.exceptions.get(pk, {})
    )


def haversine_np(lat: float, lon: float, lats: Any, lons: Any) -> Any:
    """Return great-circle distances in km from one point to many (NumPy)."""
    from entraide.matching.geo import EARTH_RADIUS_KM

    phi1, phi2 = np.radians(lat), np.radians(lats)
    a = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lons - lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def entraide_answer(query: Query, categories: dict[str, Any]) -> dict[str, Any]:
    """Return what entraide answers, in the brute force's shape."""
    from entraide.dropoff.selectors import nearest_points

    answer = nearest_points(
        lat=query.lat,
        lon=query.lon,
        category=categories[query.category],
        moment=query.moment,
        limit=LIMIT,
    )
    return {
        "found": [[c.point.pk, round(c.distance_km, 6)] for c in answer.found],
        "skipped": [[c.point.pk, list(c.reasons)] for c in answer.skipped],
        "skipped_more": answer.skipped_more,
    }


class PostGIS:
    """The same points in PostGIS: a geography column, a GiST index and KNN queries."""

    SQL = (
        "SELECT p.id, ST_Distance(p.geog, q.g, false) / 1000, p.status, p.closed_until "
        "FROM dropoff_dropoffpoint p, "
        "(SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS g) q "
        "WHERE p.fill_level <> 'full' AND EXISTS (SELECT 1 FROM dropoff_dropoffpoint_categories c "
        "WHERE c.dropoffpoint_id = p.id AND c.category_id = %(category)s) "
        "ORDER BY p.geog <-> q.g LIMIT %(k)s"
    )
    HOURS = (
        "SELECT point_id, weekday, opens, closes FROM dropoff_openingrange "
        "WHERE point_id = ANY(%(ids)s) AND weekday = %(weekday)s"
    )
    EXCEPTIONS = (
        "SELECT point_id, on_date, closed, opens, closes FROM dropoff_openingexception "
        "WHERE point_id = ANY(%(ids)s) AND on_date = %(day)s"
    )

    def __init__(self, settings: dict[str, str]) -> None:
        import psycopg

        self.connection = psycopg.connect(autocommit=True, **settings)  # type: ignore[arg-type]
        self.connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        started = time.perf_counter()
        self.connection.execute(
            "ALTER TABLE dropoff_dropoffpoint ADD COLUMN IF NOT EXISTS geog geography(Point, 4326)"
        )
        self.connection.execute(
            "UPDATE dropoff_dropoffpoint SET geog = "
            "ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography"
        )
        self.connection.execute(
            "CREATE INDEX IF NOT EXISTS dropoff_point_geog "
            "ON dropoff_dropoffpoint USING gist (geog)"
        )
        self.connection.execute("VACUUM ANALYZE dropoff_dropoffpoint")
        self.build_s = time.perf_counter() - started
        self.cursor = self.connection.cursor()

    def answer(self, query: Query, category_id: int) -> dict[str, Any]:
        """Return the LIMIT nearest suitable points: KNN rows, then the open-now check."""
        local = query.moment.astimezone(ZONE)
        k = 4 * LIMIT
        while True:
            self.cursor.execute(
                self.SQL,
                {"lon": query.lon, "lat": query.lat, "category": category_id, "k": k},
                prepare=True,
            )
            rows = [r for r in self.cursor.fetchall() if r[1] <= 500.0]
            open_rows = [r for r in rows if r[2] != "closed" or (r[3] and local.date() > r[3])]
            ids = [r[0] for r in open_rows]
            self.cursor.execute(self.HOURS, {"ids": ids, "weekday": local.weekday()}, prepare=True)
            ranges = self.cursor.fetchall()
            self.cursor.execute(self.EXCEPTIONS, {"ids": ids, "day": local.date()}, prepare=True)
            weekly, exceptions = opening_hours(ranges, self.cursor.fetchall())
            hours_of = _Hours(weekly, exceptions)
            found = [[r[0], round(r[1], 6)] for r in open_rows if open_at(hours_of, r[0], local)]
            if len(found) >= LIMIT or len(rows) < k:
                return {"found": found[:LIMIT]}
            k *= 4


@dataclass(frozen=True)
class _Hours:
    weekly: dict[int, dict[int, list[Any]]]
    exceptions: dict[int, dict[date, Any]]


def timed(call: Callable[[Query], Any], queries: list[Query]) -> tuple[list[float], list[Any]]:
    """Return how long each query took (seconds) and its answers, after a warm-up."""
    for query in queries[:20]:
        call(query)
    seconds, answers = [], []
    for query in queries:
        started = time.perf_counter()
        answer = call(query)
        seconds.append(time.perf_counter() - started)
        answers.append(answer)
    return seconds, answers


def percentiles(seconds: list[float]) -> list[float]:
    """Return p50, p95 and p99 in milliseconds."""
    return percentiles_of([s * 1000 for s in seconds])


def percentiles_of(values: list[float] | list[int]) -> list[float]:
    """Return p50, p95 and p99 of the values."""
    return [float(v) for v in np.percentile(np.asarray(values, dtype=float), [50, 95, 99])]


def same_found(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Return True when two answers found the same points, in order, at the same distances.

    Distances agree to 1 cm (PostGIS's sphere has a radius 3 cm shorter than entraide's); two
    points at the same distance may come in either order.
    """
    if len(a["found"]) != len(b["found"]):
        return False
    pairs = list(zip(a["found"], b["found"], strict=True))
    return all(abs(da - db) < 1e-5 for (_, da), (_, db) in pairs) and (
        sorted(p for p, _ in a["found"]) == sorted(p for p, _ in b["found"])
    )


def child(args: argparse.Namespace) -> None:
    """Measure one database (and PostGIS beside it on PostgreSQL); print JSON on the last line."""
    setup(args.database_url)
    from django.db import connection

    from entraide.dropoff.models import DropoffPoint
    from entraide.goods.models import Category

    started = time.perf_counter()
    populate(args.points, args.seed)
    load_s = time.perf_counter() - started
    categories = {c.code: c for c in Category.objects.filter(code__in=CATEGORIES)}
    queries = make_queries(args.queries, args.seed + 1)
    seconds, answers = timed(lambda q: entraide_answer(q, categories), queries)
    brute = BruteForce()
    expected = [brute.answer(q) for q in queries]
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "points": DropoffPoint.objects.count(),
        "load_s": load_s,
        "entraide": percentiles(seconds),
        "exact": sum(a == e for a, e in zip(answers, expected, strict=True)),
        "answers": answers,
        "found_per_query": float(np.mean([len(a["found"]) for a in answers])),
        "skipped_per_query": percentiles_of(
            [len(a["skipped"]) + a["skipped_more"] for a in answers]
        ),
        "postgis": None,
    }
    if connection.vendor == "postgresql" and args.postgis:
        postgis = postgis_available(connection)
        if postgis:
            settings = json.loads(args.postgis)
            knn = PostGIS(settings)
            ids = {code: c.pk for code, c in categories.items()}
            knn_seconds, knn_answers = timed(lambda q: knn.answer(q, ids[q.category]), queries)
            result["postgis"] = {
                "timings": percentiles(knn_seconds),
                "build_s": knn.build_s,
                "agree": sum(same_found(a, b) for a, b in zip(answers, knn_answers, strict=True)),
            }
        else:
            result["postgis"] = "absent"
    print(json.dumps(result))


def postgis_available(connection: Any) -> bool:
    """Return True when the PostGIS extension can be created in this cluster."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
        return cursor.fetchone() is not None


def measure(args: argparse.Namespace, database_url: str, postgis: str = "") -> dict[str, Any]:
    """Run the measurement for one database in its own process (Django binds one database)."""
    command = [sys.executable, "-m", "benchmarks.dropoff_nearest", "--child"]
    command += ["--points", str(args.points), "--queries", str(args.queries)]
    command += ["--seed", str(args.seed), "--database-url", database_url, "--postgis", postgis]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def table(results: list[dict[str, Any]], queries: int) -> tuple[str, list[str]]:
    """Return the Markdown table and the notes on agreement."""
    lines = [
        "| database | points | engine | p50 ms | p95 ms | p99 ms | p99 < 5 ms |",
        "|---|---:|---|---:|---:|---:|---|",
    ]
    notes = []
    for r in results:
        rows = [("entraide `nearest_points`", r["entraide"])]
        if isinstance(r["postgis"], dict):
            rows.append(("PostGIS KNN (GiST), k grown", r["postgis"]["timings"]))
        for engine, (p50, p95, p99) in rows:
            verdict = "yes" if p99 < TARGET_MS else "**no**"
            lines.append(
                f"| {r['vendor']} | {r['points']:,} | {engine} | {p50:.2f} | {p95:.2f} | "
                f"{p99:.2f} | {verdict} |"
            )
        notes.append(
            f"{r['vendor']}: {r['exact']:,} of {queries:,} answers equal to the brute-force walk "
            f"(found, skipped with reasons, count of the others); {r['found_per_query']:.2f} "
            "points found per answer on average; "
            "closer points skipped per answer (listed and counted): median "
            f"{r['skipped_per_query'][0]:.0f}, p95 {r['skipped_per_query'][1]:.0f}, "
            f"p99 {r['skipped_per_query'][2]:.0f} (at most {MAX_SKIPPED} listed)."
        )
        if isinstance(r["postgis"], dict):
            notes.append(
                f"PostGIS: {r['postgis']['agree']:,} of {queries:,} answers found the same points "
                f"as entraide on PostgreSQL (geography column and GiST index built in "
                f"{r['postgis']['build_s']:.1f} s)."
            )
        elif r["postgis"] == "absent":
            notes.append("PostGIS is not installed in this PostgreSQL: its side was not run.")
    if len(results) == 2:
        a, b = (r["answers"] for r in results)
        agree = sum(x == y for x, y in zip(a, b, strict=True))
        notes.append(f"SQLite and PostgreSQL gave the same answer to {agree:,} of {queries:,}.")
    return "\n".join(lines), notes


def main() -> None:
    """Measure on SQLite and on a throwaway PostgreSQL, print the table, optionally write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--postgis", default="", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true", help="write docs/performance.md")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    started_load = os.getloadavg()[0]
    results = []
    for vendor in args.databases.split(","):
        if vendor == "sqlite":
            results.append(measure(args, f"sqlite:////tmp/dropoff-{args.points}.sqlite3"))
        elif vendor == "postgresql":
            with throwaway_postgres() as pg:
                url = f"postgres://{pg['user']}@{pg['host']}:{pg['port']}/{pg['dbname']}"
                results.append(measure(args, url, json.dumps(pg)))
        else:
            parser.error(f"unknown database {vendor!r}")
        print({k: v for k, v in results[-1].items() if k != "answers"}, flush=True)
    text, notes = table(results, args.queries)
    print(text)
    print("\n".join(notes))
    print(f"load average at the start: {started_load:.1f}, at the end: {os.getloadavg()[0]:.1f}")
    if args.write:
        body = (
            "## Nearest drop-off point (issue 12)\n\n"
            f"`{command_line()}`\n\n" + text + "\n\n" + "\n".join(f"- {n}" for n in notes)
        )
        write_section("dropoff_nearest", body)


if __name__ == "__main__":
    main()

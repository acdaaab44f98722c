"""Benchmark the goods web reads with many lots in the database, beside a naive query.

Measures, with N open lots (France- and Belgium-like density) and 2,000 open needs:
- "lots near me" (`goods.selectors.lots_near`, 5 km): indexed grid cells, status and category,
  a box, then exact distances — against a naive read of every open lot in the box;
- "allocation proposal for one new lot" (`goods.dispatch.proposals_for`): the needs whose
  circle reaches the lot, then the core — against reading every open need of the category.

    python -m benchmarks.goods_web --lots 1000000 --write

Measures SQLite (/tmp/goods-N.sqlite3, kept between runs) and a throwaway PostgreSQL cluster
(`--databases sqlite` for one), each in its own process; writes docs/performance.md with --write.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from benchmarks.common import command_line, percentiles_ms, throwaway_postgres, write_section

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.config.settings")
BATCH = 5000
NEEDS = 2000
QUERIES = 300


def setup(database_url: str) -> None:
    """Point Django at the benchmark database and bring its schema up to date."""
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n: int, seed: int) -> None:
    """Insert n open lots of one donor and NEEDS open needs, unless they are there already."""
    from django.db import transaction
    from django.utils import timezone

    from entraide.goods.models import Category, Lot, Need
    from entraide.matching import synthetic
    from entraide.matching.geo import cell_of
    from entraide.organisations.models import Organisation, Territory

    if Lot.objects.count() >= n:
        return
    territory, _ = Territory.objects.get_or_create(name="Bench", country="BE")
    donor, _ = Organisation.objects.get_or_create(
        slug="bench-donor",
        defaults={
            "name": "Bench donor",
            "kind": "company",
            "town": "Paris",
            "territory": territory,
        },
    )
    categories = list(Category.objects.filter(needs_cold=False))
    places = synthetic.helpers(n + NEEDS, seed=seed)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(categories), size=n + NEEDS)
    kgs = rng.integers(5, 200, size=n + NEEDS)
    today = timezone.localdate()
    with transaction.atomic():
        for start in range(0, n, BATCH):
            Lot.objects.bulk_create(
                [
                    Lot(
                        donor_organisation=donor,
                        category=categories[picks[i]],
                        quantity=Decimal(int(kgs[i])),
                        weight_kg=Decimal(int(kgs[i])),
                        kg_open=Decimal(int(kgs[i])),
                        status="offered",
                        channel="command",
                        town="Bench",
                        lat=places[i].lat,
                        lon=places[i].lon,
                        cell=cell_of(places[i].lat, places[i].lon),
                    )
                    for i in range(start, min(start + BATCH, n))
                ]
            )
        Need.objects.bulk_create(
            [
                Need(
                    organisation=donor,
                    category=categories[picks[i]],
                    kg=int(kgs[i]),
                    kg_open=int(kgs[i]),
                    by_date=today + timedelta(days=7),
                    radius_km=Decimal("15"),
                    channel="command",
                    town="Bench",
                    lat=places[i].lat,
                    lon=places[i].lon,
                    cell=cell_of(places[i].lat, places[i].lon),
                )
                for i in range(n, n + NEEDS)
            ]
        )


def naive_near(lat: float, lon: float, radius_km: float) -> list[Any]:
    """Return the open lots within radius_km by a box on lat/lon and distances in Python."""
    from entraide.goods.models import LOT_OPEN_STATUSES, Lot
    from entraide.matching.geo import box_degrees, haversine_km

    dlat, dlon = box_degrees(lat, radius_km)
    rows = Lot.objects.filter(
        status__in=LOT_OPEN_STATUSES,
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    ).values_list("pk", "lat", "lon")
    found = [(haversine_km(lat, lon, a or 0.0, b or 0.0), pk) for pk, a, b in rows]
    return sorted(f for f in found if f[0] <= radius_km)[:50]


def naive_proposal(lot: Any) -> Any:
    """Return the core's allocation of one lot against every open need of its category."""
    from django.utils import timezone

    from entraide.goods.models import NEED_OPEN_STATUSES, Need
    from entraide.matching.goods import GoodsLot, GoodsNeed, allocate_goods

    needs = Need.objects.filter(status__in=NEED_OPEN_STATUSES, category=lot.category_id)
    today = timezone.localdate()
    return allocate_goods(
        [
            GoodsLot(
                str(lot.pk), str(lot.category_id), int(lot.kg_open), lot.lat or 0.0, lot.lon or 0.0
            )
        ],
        [
            GoodsNeed(
                str(n.pk),
                str(n.category_id),
                n.kg_open,
                n.lat or 0.0,
                n.lon or 0.0,
                float(n.radius_km),
                today,
            )
            for n in needs
        ],
    )


def timed(calls: list[Any]) -> list[float]:
    """Return how long each call took, in seconds."""
    seconds = []
    for call in calls:
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return seconds


def run(args: argparse.Namespace) -> list[str]:
    """Measure both reads and their naive alternatives; return Markdown table rows."""
    from django.db import connection
    from django.utils import timezone

    from entraide.goods import dispatch, selectors
    from entraide.goods.models import Lot

    populate(args.lots, args.seed)
    rng = np.random.default_rng(args.seed + 1)
    total = Lot.objects.count()
    sample = list(
        Lot.objects.select_related("category", "donor_organisation__territory").filter(
            pk__in=[int(i) for i in rng.integers(1, total, size=QUERIES)]
        )
    )
    points = [(lot.lat, lot.lon) for lot in sample]
    now = timezone.now()
    cases = {
        "lots near me, 5 km (`lots_near`)": [
            lambda p=p: selectors.lots_near(lat=p[0], lon=p[1], radius_km=5) for p in points
        ],
        "NAIVE: lat/lon box, distances in Python": [
            lambda p=p: naive_near(p[0], p[1], 5) for p in points
        ],
        "proposal for one new lot (`dispatch.proposals_for`)": [
            lambda lot=lot: dispatch.proposals_for(lots=[lot], now=now) for lot in sample
        ],
        "NAIVE: every open need of the category, then the core": [
            lambda lot=lot: naive_proposal(lot) for lot in sample
        ],
    }
    rows = []
    for label, calls in cases.items():
        median, p99 = percentiles_ms(timed(calls))
        rows.append(f"| {connection.vendor} | {total:,} | {label} | {median:.1f} | {p99:.1f} |")
    return rows


def child(args: argparse.Namespace) -> None:
    """Measure one database and print its table rows as JSON on the last line."""
    setup(args.database_url)
    print(json.dumps(run(args)))


def measure(args: argparse.Namespace, database_url: str) -> list[str]:
    """Run the measurement for one database in its own process (Django binds one database)."""
    command = [sys.executable, "-m", "benchmarks.goods_web", "--child"]
    command += ["--lots", str(args.lots), "--seed", str(args.seed), "--database-url", database_url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rows: list[str] = json.loads(output.strip().splitlines()[-1])
    return rows


def main() -> None:
    """Measure on SQLite and on a throwaway PostgreSQL, print the rows, optionally write them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lots", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true", help="write docs/performance.md")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    started_load = os.getloadavg()[0]
    rows = []
    for vendor in args.databases.split(","):
        if vendor == "sqlite":
            rows += measure(args, f"sqlite:////tmp/goods-{args.lots}.sqlite3")
        elif vendor == "postgresql":
            with throwaway_postgres() as pg:
                url = f"postgres://{pg['user']}@{pg['host']}:{pg['port']}/{pg['dbname']}"
                rows += measure(args, url)
        else:
            parser.error(f"unknown database {vendor!r}")
    table = "\n".join(
        [
            "| database | lots | read | median (ms) | p99 (ms) |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    print(table)
    print(f"load average at the start: {started_load:.1f}, at the end: {os.getloadavg()[0]:.1f}")
    if args.write:
        body = (
            "## Goods web reads (issue 11)\n\n"
            f"`{command_line()}`: {QUERIES} reads at the places of random lots, "
            f"{NEEDS:,} open needs with a 15 km radius, the same rows on SQLite and on a "
            "throwaway PostgreSQL cluster.\n\n" + table
        )
        write_section("goods_web", body)


if __name__ == "__main__":
    main()

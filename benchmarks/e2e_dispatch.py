"""End to end in the web app: from a help request being saved to its first wave being queued.

Fills a separate database with verified volunteers placed where people live in Belgium and
France, then, at population-weighted places, saves requests with the real service
(`help_request_create`) and sends their first wave with the real dispatcher
(`dispatch_next_wave`), timing both. Side by side, a clearly labelled NAIVE BASELINE does
what most platforms do: one plain bounding-box query on lat/lon (no spatial index), distances
in Python, the nearest volunteers who speak the language get the email.

Reproduce (see docs/performance-web.md):

    python benchmarks/e2e_dispatch.py --database-url sqlite:////tmp/e2e-100k.sqlite3 \
        --volunteers 100000
    python benchmarks/e2e_dispatch.py \
        --database-url postgres://postgres@127.0.0.1:5433/e2e_1m --volunteers 1000000

The first run on an empty database migrates and populates it; later runs reuse it.
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import numpy as np

# Settings are read from the environment once, at django.setup(): set them before.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.config.settings")
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

BATCH = 5000
# The vocabulary of the synthetic helpers, mapped to the web app's kinds of help.
KIND_OF_SYNTHETIC = {
    "shopping": "groceries",
    "pharmacy": "pharmacy",
    "errands": "errand",
    "phone_call": "phone_call",
    "transport": "errand",
    "dog_walking": "other",
}
RADIUS_KM_WEIGHTS = {2: 0.15, 3: 0.45, 5: 0.25, 10: 0.15}
NOTIFICATION_MODE_WEIGHTS = {"immediate": 0.85, "digest": 0.10, "none": 0.05}
URGENCY_WEIGHTS = {"within_hours": 0.2, "today": 0.4, "this_week": 0.25, "flexible": 0.15}
PAUSED_SHARE = 0.03
PART_TIME_SHARE = 0.3


@dataclass(frozen=True)
class Place:
    """Where and what one benchmark request asks for."""

    lat: float
    lon: float
    language: str
    kind: str
    urgency: str
    with_email: bool


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="measured requests")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--populate-only", action="store_true", help="fill the database, stop")
    parser.add_argument("--json", default="", help="also write the results to this file")
    return parser.parse_args()


def setup(database_url: str) -> None:
    """Point Django at the benchmark database and bring its schema up to date."""
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n: int, seed: int) -> float:
    """Insert n verified volunteers (users + profiles) in batches; return the seconds taken."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.db import transaction
    from django.utils import timezone

    from entraide.accounts.models import User
    from entraide.matching import synthetic
    from entraide.matching.geo import cell_of
    from entraide.volunteers.models import ALWAYS_AVAILABLE, VolunteerProfile

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    helpers = synthetic.helpers(n, seed=seed)
    radii = rng.choice(list(RADIUS_KM_WEIGHTS), size=n, p=list(RADIUS_KM_WEIGHTS.values()))
    modes = rng.choice(
        list(NOTIFICATION_MODE_WEIGHTS), size=n, p=list(NOTIFICATION_MODE_WEIGHTS.values())
    )
    paused = rng.random(n) < PAUSED_SHARE
    part_time = rng.random(n) < PART_TIME_SHARE
    # A part-time volunteer is free in about half of the 21 (weekday, period) slots.
    part_masks = (rng.random((n, 21)) < 0.5) @ (1 << np.arange(21))
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, n, BATCH):
            chunk = helpers[start : start + BATCH]
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"v{start + i}@bench.invalid",
                        email=f"v{start + i}@bench.invalid",
                        password=UNUSABLE_PASSWORD_PREFIX,
                        language=_user_language(h.languages),
                        email_verified_at=now,
                    )
                    for i, h in enumerate(chunk)
                ],
                batch_size=BATCH,
            )
            VolunteerProfile.objects.bulk_create(
                [
                    VolunteerProfile(
                        user_id=user.pk,
                        lat=h.lat,
                        lon=h.lon,
                        cell=cell_of(h.lat, h.lon),
                        radius_km=int(radii[start + i]),
                        languages=sorted(h.languages),
                        kinds=sorted({KIND_OF_SYNTHETIC[k] for k in h.kinds}),
                        availability=(
                            int(part_masks[start + i]) if part_time[start + i] else ALWAYS_AVAILABLE
                        ),
                        max_open_requests=h.capacity,
                        is_paused=bool(paused[start + i]),
                        notification_mode=str(modes[start + i]),
                        consented_at=now,
                    )
                    for i, (user, h) in enumerate(zip(users, chunk, strict=True))
                ],
                batch_size=BATCH,
            )
    _analyse()
    return time.perf_counter() - started


def _user_language(languages: frozenset[str]) -> str:
    for code in ("nl", "fr", "en"):
        if code in languages:
            return code
    return "fr"


def _analyse() -> None:
    """Refresh the planner's statistics, as autovacuum would after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def places(n: int, seed: int) -> list[Place]:
    """Return n request places drawn where people live, with language, kind and urgency."""
    from entraide.matching import synthetic

    rng = np.random.default_rng(seed + 1)
    urgencies = rng.choice(list(URGENCY_WEIGHTS), size=n, p=list(URGENCY_WEIGHTS.values()))
    with_email = rng.random(n) < 0.5
    return [
        Place(
            need.lat,
            need.lon,
            need.language or "fr",
            KIND_OF_SYNTHETIC[need.kind or "shopping"],
            str(urgencies[i]),
            bool(with_email[i]),
        )
        for i, need in enumerate(synthetic.needs(n, seed=seed + 1))
    ]


def create(place: Place, index: int) -> Any:
    """Save one request through the service every channel uses."""
    from entraide.help_requests.services import help_request_create

    return help_request_create(
        kind=place.kind,
        requester_name="Benchmark requester",
        town="Benchmark town",
        consent=True,
        channel="web",
        details="Benchmark request",
        urgency=place.urgency,
        languages=[place.language],
        requester_phone="+32 470 12 34 56",
        requester_email=f"requester{index}@bench.invalid" if place.with_email else "",
        lat=place.lat,
        lon=place.lon,
    )


def naive_dispatch(help_request_id: int) -> int:
    """NAIVE BASELINE: bounding box on lat/lon, distances in Python, email the nearest.

    What most platforms do: one query for every volunteer in the box around the widest circle
    (lat/lon carry no index, so the database scans the table), exact distances and the
    language/kind filter in Python, then the same writes as the real dispatcher (offers, state,
    event, one email each). It knows nothing of capacity, availability or fairness. Returns
    how many volunteers were read.
    """
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from entraide.accounts.models import User
    from entraide.help_requests.models import HelpRequest, HelpRequestEvent, Offer, Status
    from entraide.matching.geo import EARTH_RADIUS_KM, haversine_km
    from entraide.notifications.services import notify
    from entraide.volunteers.models import VolunteerProfile

    radius_km = settings.MATCHING_MAX_RADIUS_KM
    first_radius_km = float(settings.MATCHING_WAVE_RADII_KM[0])
    wave_size = int(settings.MATCHING_WAVE_SIZES[0])
    with transaction.atomic():
        hr = HelpRequest.objects.select_for_update().get(pk=help_request_id)
        dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
        dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * math.cos(math.radians(hr.lat))))
        rows = VolunteerProfile.objects.filter(
            lat__range=(hr.lat - dlat, hr.lat + dlat),
            lon__range=(hr.lon - dlon, hr.lon + dlon),
            is_paused=False,
            user__is_active=True,
            user__email_verified_at__isnull=False,
        ).values_list("user_id", "lat", "lon", "radius_km", "languages", "kinds")
        wanted = set(hr.languages)
        nearby = []
        read = 0
        for user_id, lat, lon, own_radius_km, languages, kinds in rows:
            read += 1
            if lat is None or lon is None:
                continue
            distance_km = haversine_km(hr.lat, hr.lon, lat, lon)
            if distance_km > min(own_radius_km, radius_km):
                continue
            if languages and not wanted & set(languages):
                continue
            if kinds and hr.kind not in kinds:
                continue
            nearby.append((distance_km, user_id))
        nearby.sort()
        # Closest circle first, then the widest: the same reach as the real dispatcher.
        chosen = [c for c in nearby if c[0] <= first_radius_km][:wave_size] or nearby[:wave_size]
        now = timezone.now()
        Offer.objects.bulk_create(
            [
                Offer(help_request=hr, volunteer_id=uid, wave=1, distance_km=round(d, 2))
                for d, uid in chosen
            ]
        )
        HelpRequest.objects.filter(pk=hr.pk).update(
            status=Status.OFFERED,
            wave=1,
            next_wave_at=now + timedelta(minutes=settings.MATCHING_WAVE_DELAY_MINUTES),
            updated_at=now,
        )
        HelpRequestEvent.objects.create(
            help_request=hr,
            kind=HelpRequestEvent.Kind.WAVE_SENT,
            channel="system",
            from_status=hr.status,
            to_status=Status.OFFERED,
            data={"wave": 1, "volunteer_ids": [uid for _d, uid in chosen], "baseline": True},
        )
        volunteers = User.objects.in_bulk([uid for _d, uid in chosen])
        for distance_km, uid in chosen:
            notify(
                template="help_request_offer",
                context={"help_request_id": hr.pk, "distance_km": round(distance_km, 1)},
                dedupe_key=f"help_request:{hr.pk}:offer:{uid}",
                recipient=volunteers[uid],
                about=hr,
            )
    return read


def queued(help_request_id: int) -> tuple[int, int]:
    """Return (offers written, notifications waiting in the outbox) for one request."""
    from entraide.help_requests.models import HelpRequest, Offer
    from entraide.notifications.models import Notification

    help_request = HelpRequest(pk=help_request_id)
    return (
        Offer.objects.filter(help_request_id=help_request_id).count(),
        Notification.objects.about(help_request)
        .filter(recipient__isnull=False)
        .exclude(status=Notification.Status.SKIPPED)
        .count(),
    )


def rows_in_widest_cells(lat: float, lon: float) -> int:
    """Return how many profiles sit in the grid cells the widest wave reads (outside timing)."""
    from django.conf import settings

    from entraide.matching.geo import cells_within
    from entraide.volunteers.models import VolunteerProfile

    cells = cells_within(lat, lon, settings.MATCHING_MAX_RADIUS_KM)
    return VolunteerProfile.objects.filter(cell__in=cells).count()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return (wall-clock milliseconds, result) of one call; keep its CPU time in CPU_MS."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = fn()
    CPU_MS.append((time.process_time() - cpu_started) * 1000.0)
    return (time.perf_counter() - started) * 1000.0, result


# CPU time of this process per timed call: on a busy machine wall-clock time also counts the
# waits for a core, CPU time does not (with SQLite it includes the database's own work).
CPU_MS: list[float] = []


def summary(values: list[float]) -> dict[str, float]:
    """Return median, p90, p99 and max of a list of milliseconds."""
    array = np.array(values)
    return {
        "median": float(np.percentile(array, 50)),
        "p90": float(np.percentile(array, 90)),
        "p99": float(np.percentile(array, 99)),
        "max": float(array.max()),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Populate if needed, then measure the real path and the baseline request by request."""
    setup(args.database_url)
    from django.db import connection

    from entraide.help_requests.dispatch import dispatch_next_wave
    from entraide.volunteers.models import VolunteerProfile

    existing = VolunteerProfile.objects.count()
    populate_s = None
    if existing == 0:
        populate_s = populate(args.volunteers, args.seed)
    elif existing != args.volunteers:
        sys.exit(f"the database holds {existing} volunteers, not {args.volunteers}")
    if args.populate_only:
        return {"volunteers": args.volunteers, "populate_seconds": populate_s}
    load_before = os.getloadavg()
    total = args.warmup + args.requests
    samples: dict[str, list[float]] = {
        "dispatch": [],
        "create_dispatch": [],
        "baseline": [],
        "dispatch_cpu": [],
        "baseline_cpu": [],
    }
    offers, emails, cell_rows, baseline_rows, escalated = [], [], [], [], 0
    # Each configuration gets fresh places; the same place serves the real path and the baseline.
    run_seed = args.seed * 1000 + zlib.crc32(args.database_url.encode()) % 1000
    for index, place in enumerate(places(total, run_seed)):
        create_ms, hr = timed(partial(create, place, index))
        dispatch_ms, _ = timed(partial(dispatch_next_wave, hr.pk))
        dispatch_cpu_ms = CPU_MS[-1]
        baseline_hr = create(place, index)
        baseline_ms, read = timed(partial(naive_dispatch, baseline_hr.pk))
        if index < args.warmup:
            continue
        n_offers, n_emails = queued(hr.pk)
        if n_offers == 0:
            escalated += 1
        samples["dispatch"].append(dispatch_ms)
        samples["create_dispatch"].append(create_ms + dispatch_ms)
        samples["baseline"].append(baseline_ms)
        samples["dispatch_cpu"].append(dispatch_cpu_ms)
        samples["baseline_cpu"].append(CPU_MS[-1])
        offers.append(n_offers)
        emails.append(n_emails)
        cell_rows.append(rows_in_widest_cells(place.lat, place.lon))
        baseline_rows.append(read)
    from django_tasks_db.models import DBTaskResult

    return {
        "database": connection.vendor,
        "database_version": _database_version(),
        "volunteers": args.volunteers,
        "requests": args.requests,
        "warmup": args.warmup,
        "populate_seconds": populate_s,
        "ms": {name: summary(values) for name, values in samples.items()},
        "offers_per_request": statistics.mean(offers),
        "emails_queued_per_request": statistics.mean(emails),
        "escalated": escalated,
        "rows_in_widest_cells": {
            "median": statistics.median(cell_rows),
            "max": max(cell_rows),
        },
        "baseline_rows_read": {
            "median": statistics.median(baseline_rows),
            "max": max(baseline_rows),
        },
        "tasks_queued": DBTaskResult.objects.count(),
        "python": platform.python_version(),
        # Other work on the machine inflates every figure: say how busy it was.
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
    }


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return str(cursor.fetchone()[0])


def markdown(result: dict[str, Any]) -> str:
    """Return the result as Markdown table rows."""
    labels = {
        "dispatch": "saved → first wave queued (`dispatch_next_wave`)",
        "create_dispatch": "save + first wave (`help_request_create` + dispatch)",
        "baseline": "NAIVE BASELINE: bounding box, distances in Python",
        "dispatch_cpu": "CPU time of this process: dispatch",
        "baseline_cpu": "CPU time of this process: NAIVE BASELINE",
    }
    lines = []
    for key, label in labels.items():
        s = result["ms"][key]
        lines.append(
            f"| {result['database']} | {result['volunteers']:,} | {label} | "
            f"{s['median']:.1f} | {s['p90']:.1f} | {s['p99']:.1f} | {s['max']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run one configuration and print its results."""
    args = parse_args()
    result = run(args)
    print(json.dumps(result, indent=2))
    if "ms" in result:
        print(markdown(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()

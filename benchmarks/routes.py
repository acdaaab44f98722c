"""Benchmark `plan_routes` (nearest neighbour + 2-opt + relocate) against nearest neighbour alone.

    python -m benchmarks.routes [--stops 300] [--vehicles 10] [--repeats 3] [--no-write]

Stops are spread like Paris and its inner suburbs (denser in the centre: a normal spread with
a standard deviation of 4 km, clipped at 15 km), seeded; a third of them have a two-hour window
between 8:00 and 16:00, loads of 5 to 120 kg and 0.05 to 1 m³, 6 minutes of service each.
Vans leave a depot near the Gare de Lyon at 8:00, are back by 18:00, carry 2,500 kg and 20 m³ at
an effective 18 km/h. Seconds are wall-clock from the lists of stops and vehicles to the plan.
"""

import argparse
import math
import statistics
import time

import numpy as np

from benchmarks.common import command_line, write_section
from entraide.matching.routes import Depot, RoutePlan, Stop, Vehicle, plan_routes, plan_violations

TARGET_S = 2.0
DEPOT = Depot(48.8443, 2.3744)
PARIS = (48.8566, 2.3522)


def instance(n_stops: int, n_vehicles: int, seed: int) -> tuple[list[Vehicle], list[Stop]]:
    """Return vans and stops spread like Paris."""
    rng = np.random.default_rng(seed)
    km = np.clip(rng.normal(0.0, 4.0, (n_stops, 2)), -15.0, 15.0)
    lat = PARIS[0] + km[:, 0] / 111.2
    lon = PARIS[1] + km[:, 1] / (111.2 * math.cos(math.radians(PARIS[0])))
    kg = rng.uniform(5.0, 120.0, n_stops).round(1)
    m3 = rng.uniform(0.05, 1.0, n_stops).round(2)
    windowed = rng.random(n_stops) < 1 / 3
    opens = rng.integers(8, 15, n_stops) * 60
    stops = [
        Stop(
            f"S{i}",
            float(lat[i]),
            float(lon[i]),
            weight_kg=float(kg[i]),
            volume_m3=float(m3[i]),
            window=(float(opens[i]), float(opens[i] + 120)) if windowed[i] else None,
            service_min=6.0,
        )
        for i in range(n_stops)
    ]
    vehicles = [
        Vehicle(f"V{k}", 480.0, 1080.0, capacity_kg=2500.0, capacity_m3=20.0, speed_kmh=18.0)
        for k in range(n_vehicles)
    ]
    return vehicles, stops


def timed(repeats: int, vehicles: list[Vehicle], stops: list[Stop]) -> tuple[RoutePlan, float]:
    """Return the plan and the median wall-clock seconds over repeats."""
    walls = []
    plan = None
    for _ in range(repeats):
        started = time.perf_counter()
        plan = plan_routes(DEPOT, vehicles, stops)
        walls.append(time.perf_counter() - started)
    assert plan is not None
    return plan, statistics.median(walls)


def main() -> None:
    """Run the benchmark and write its section of docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stops", type=int, default=300)
    parser.add_argument("--vehicles", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print, leave the docs alone")
    args = parser.parse_args()
    vehicles, stops = instance(args.stops, args.vehicles, seed=12)
    plan, seconds = timed(args.repeats, vehicles, stops)
    nn_started = time.perf_counter()
    nn_plan = plan_routes(DEPOT, vehicles, stops, improve=False)
    nn_seconds = time.perf_counter() - nn_started
    problems = plan_violations(DEPOT, vehicles, stops, plan)
    served = sum(len(r.stops) for r in plan.routes)
    used = sum(1 for r in plan.routes if r.stops)
    nn_used = sum(1 for r in nn_plan.routes if r.stops)
    gain = 100 * (plan.nearest_neighbour_km - plan.total_km) / plan.nearest_neighbour_km
    body = (
        "## Collection rounds (route planning)\n\n"
        f"`{command_line()}`\n\n"
        f"{args.stops} stops spread like Paris (normal, 4 km standard deviation), a third with a "
        "two-hour window, 5-120 kg and 0.05-1 m³ each, 6 minutes of service; "
        f"{args.vehicles} vans of 2,500 kg and 20 m³ from 8:00 to 18:00 at 18 km/h from one "
        "depot. Great-circle km (road distance is approximated). Seconds are wall-clock "
        f"(median of {args.repeats}); the machine is shared with other work while this runs, "
        "so they are an upper bound.\n\n"
        "| method | seconds | stops served | vans used | total km | km per stop |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        f"| nearest neighbour alone | {nn_seconds:.2f} | {plan.nearest_neighbour_served} "
        f"| {nn_used} | {plan.nearest_neighbour_km:,.1f} "
        f"| {plan.nearest_neighbour_km / max(1, plan.nearest_neighbour_served):.2f} |\n"
        f"| plan_routes (nearest neighbour, 2-opt, relocate, insertion of the left-out) "
        f"| {seconds:.2f} | {served} | {used} | {plan.total_km:,.1f} "
        f"| {plan.total_km / max(1, served):.2f} |\n\n"
        f"Unplaced: {len(plan.unplaced)}. "
        f"km against nearest neighbour alone: {-gain:+.1f}% "
        f"while serving {served - plan.nearest_neighbour_served:+d} stops: the km the local "
        "search saves pay for the stops nearest neighbour left out (no van could still reach "
        "them in their window or its day), inserted where they cost the least. "
        f"Windows, capacities and working days checked on the plan: {len(problems)} broken. "
        f"Target < {TARGET_S:g} s: " + ("met." if seconds < TARGET_S else "**not met**.")
    )
    print(body, flush=True)
    if not args.no_write:
        write_section("routes", body)


if __name__ == "__main__":
    main()

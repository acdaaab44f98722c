"""Collection rounds: routes from one depot for several vehicles, with capacities and windows.

    plan = plan_routes(Depot(lat, lon), [Vehicle(...), ...], [Stop(...), ...])

Times are minutes counted from any origin the caller chooses (the goods rounds use minutes
after midnight of the round's day); distances are great-circle kilometres (haversine), which
approximate road distance from below (a city's roads are typically 1.3 to 1.4 times longer),
so a vehicle's `speed_kmh` is an effective straight-line speed and the ETAs are estimates.

A vehicle leaves the depot at `start_min`, must be back by `end_min`, and carries at most
`capacity_kg` and `capacity_m3` (None: no limit in that unit). A stop with a window must be
reached by the window's close (a vehicle arriving early waits for the opening); its service
then lasts `service_min`. Nothing in a plan ever breaks a window, a capacity or a working day:
`plan_violations` checks a plan and the tests run it on every plan they make.

Construction is nearest neighbour, one vehicle after the other (each takes the nearest stop it
can still serve until none is left); improvement then alternates 2-opt inside each route and
relocation of one stop (inside its route or into another) and accepts only moves that shorten
the total and stay feasible, so the result is never longer than the nearest-neighbour plan
over the same stops. Stops nearest neighbour left out are then inserted where they cost the
least, if some route can take them. Ties are broken by input order: the same input always
gives the same plan.

A stop that cannot be placed is reported with one reason: `TOO_HEAVY` (no vehicle can carry
it), `OUT_OF_DAY` (its window lies outside every vehicle's working day, or going there and
back does not fit in it), `WINDOW_UNREACHABLE` (no vehicle leaving at its start time arrives
before the window closes) or `NO_ROOM` (it fits alone, but the vehicles are full or their day
is over with the other stops).
"""

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from entraide.matching.geo import haversine_km_pairs

TOO_HEAVY = "too_heavy"
OUT_OF_DAY = "out_of_day"
WINDOW_UNREACHABLE = "window_unreachable"
NO_ROOM = "no_room"
# A move must save more than this many km: float noise must not make improvement loop.
_EPS_KM = 1e-9
# Improvement stops after this many rounds of 2-opt + relocate even if moves remain (a guard;
# on the benchmark it converges in a handful).
_MAX_ROUNDS = 50


@dataclass(frozen=True)
class Depot:
    """Where every vehicle leaves from and comes back to."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Vehicle:
    """A vehicle with its capacities, working day (minutes) and effective speed."""

    id: Hashable
    start_min: float
    end_min: float
    capacity_kg: float | None = None
    capacity_m3: float | None = None
    speed_kmh: float = 20.0


@dataclass(frozen=True)
class Stop:
    """A place to collect a load at, with an optional window (open, close) in minutes."""

    id: Hashable
    lat: float
    lon: float
    weight_kg: float = 0.0
    volume_m3: float = 0.0
    window: tuple[float, float] | None = None
    service_min: float = 0.0


@dataclass(frozen=True)
class PlannedStop:
    """A stop in a route: arrival, start and end of service (minutes), km from the previous."""

    stop_id: Hashable
    arrival_min: float
    service_start_min: float
    departure_min: float
    km_from_previous: float


@dataclass(frozen=True)
class Route:
    """One vehicle's ordered stops, its km (back to the depot included) and return time."""

    vehicle_id: Hashable
    stops: tuple[PlannedStop, ...]
    km: float
    return_min: float
    weight_kg: float
    volume_m3: float


@dataclass(frozen=True)
class Unplaced:
    """A stop no route serves, with why."""

    stop_id: Hashable
    reason: str


@dataclass(frozen=True)
class RoutePlan:
    """Routes (one per vehicle, in input order), unplaced stops and km against nearest neighbour.

    `nearest_neighbour_km` is the total of the construction alone, which served
    `nearest_neighbour_served` stops (possibly fewer than the plan, see the module docstring).
    """

    routes: tuple[Route, ...]
    unplaced: tuple[Unplaced, ...]
    total_km: float
    nearest_neighbour_km: float
    nearest_neighbour_served: int


class _Problem:
    """The instance as arrays: node 0 is the depot, node i + 1 is stop i."""

    def __init__(self, depot: Depot, vehicles: Sequence[Vehicle], stops: Sequence[Stop]):
        self.vehicles = list(vehicles)
        self.stops = list(stops)
        lat = np.radians(np.array([depot.lat] + [s.lat for s in stops], dtype=np.float64))
        lon = np.radians(np.array([depot.lon] + [s.lon for s in stops], dtype=np.float64))
        n = len(lat)
        i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        self.km: NDArray[np.float64] = haversine_km_pairs(lat[i], lon[i], lat[j], lon[j])
        self.kg = np.array([0.0] + [s.weight_kg for s in stops])
        self.m3 = np.array([0.0] + [s.volume_m3 for s in stops])
        self.open = np.array([-math.inf] + [s.window[0] if s.window else -math.inf for s in stops])
        self.close = np.array([math.inf] + [s.window[1] if s.window else math.inf for s in stops])
        self.service = np.array([0.0] + [s.service_min for s in stops])

    def fits(self, v: Vehicle, kg: float, m3: float) -> bool:
        """Return whether a load fits a vehicle's capacities."""
        return (v.capacity_kg is None or kg <= v.capacity_kg + 1e-9) and (
            v.capacity_m3 is None or m3 <= v.capacity_m3 + 1e-9
        )

    def schedule(self, v: Vehicle, nodes: Sequence[int]) -> list[PlannedStop] | None:
        """Return the timed stops of a route, or None when it breaks a window or the day."""
        per_km = 60.0 / v.speed_kmh
        t, at, out = v.start_min, 0, []
        for node in nodes:
            leg = float(self.km[at, node])
            arrival = t + leg * per_km
            if arrival > self.close[node] + 1e-9:
                return None
            start = max(arrival, float(self.open[node]))
            t = start + float(self.service[node])
            out.append(PlannedStop(self.stops[node - 1].id, arrival, start, t, leg))
            at = node
        if t + float(self.km[at, 0]) * per_km > v.end_min + 1e-9:
            return None
        return out

    def feasible(self, v: Vehicle, nodes: Sequence[int]) -> bool:
        """Return whether a route keeps the vehicle's capacities, windows and day."""
        idx = list(nodes)
        if not self.fits(v, float(self.kg[idx].sum()), float(self.m3[idx].sum())):
            return False
        return self.schedule(v, nodes) is not None

    def route_km(self, nodes: Sequence[int]) -> float:
        """Return a route's km from the depot back to the depot."""
        path = [0, *nodes, 0]
        return float(self.km[path[:-1], path[1:]].sum())

    def alone_reason(self, node: int) -> str | None:
        """Return why a stop cannot be served even alone, or None when some vehicle can."""
        kg, m3 = float(self.kg[node]), float(self.m3[node])
        carriers = [v for v in self.vehicles if self.fits(v, kg, m3)]
        if not carriers:
            return TOO_HEAVY
        if any(self.schedule(v, [node]) is not None for v in carriers):
            return None
        in_day = [
            v for v in carriers if self.close[node] >= v.start_min and self.open[node] <= v.end_min
        ]
        late = [
            v
            for v in in_day
            if v.start_min + self.km[0, node] * 60.0 / v.speed_kmh > self.close[node] + 1e-9
        ]
        return WINDOW_UNREACHABLE if in_day and len(late) == len(in_day) else OUT_OF_DAY


def _nearest_neighbour(p: _Problem, candidates: list[int]) -> list[list[int]]:
    """Return one route per vehicle, each built by taking the nearest stop it can serve."""
    left = np.zeros(len(p.kg), dtype=bool)
    left[candidates] = True
    routes: list[list[int]] = []
    for v in p.vehicles:
        per_km = 60.0 / v.speed_kmh
        cap_kg = math.inf if v.capacity_kg is None else v.capacity_kg + 1e-9
        cap_m3 = math.inf if v.capacity_m3 is None else v.capacity_m3 + 1e-9
        route: list[int] = []
        at, t, kg, m3 = 0, v.start_min, 0.0, 0.0
        while left.any():
            arrival = t + p.km[at] * per_km
            start = np.maximum(arrival, p.open)
            back = start + p.service + p.km[:, 0] * per_km
            ok = (
                left
                & (arrival <= p.close + 1e-9)
                & (back <= v.end_min + 1e-9)
                & (kg + p.kg <= cap_kg)
                & (m3 + p.m3 <= cap_m3)
            )
            if not ok.any():
                break
            # argmin returns the first of equal distances: ties go to input order.
            node = int(np.argmin(np.where(ok, p.km[at], np.inf)))
            route.append(node)
            left[node] = False
            t = float(start[node] + p.service[node])
            kg += float(p.kg[node])
            m3 += float(p.m3[node])
            at = node
        routes.append(route)
    return routes


def _two_opt(p: _Problem, v: Vehicle, route: list[int]) -> bool:
    """Reverse segments of a route while that shortens it and stays feasible."""
    improved_any, improved = False, True
    while improved:
        improved = False
        path = [0, *route, 0]
        for i in range(1, len(path) - 2):
            for j in range(i + 1, len(path) - 1):
                a, b, c, d = path[i - 1], path[i], path[j], path[j + 1]
                gain = p.km[a, b] + p.km[c, d] - p.km[a, c] - p.km[b, d]
                if gain <= _EPS_KM:
                    continue
                candidate = route[: i - 1] + route[i - 1 : j][::-1] + route[j:]
                if p.schedule(v, candidate) is not None:
                    route[:] = candidate
                    improved = improved_any = True
                    break
            if improved:
                break
    return improved_any


def _insertion_costs(p: _Problem, route: list[int], node: int) -> NDArray[np.float64]:
    """Return the km added by inserting a node before each position of a route (and at its end)."""
    before = np.array([0, *route])
    after = np.array([*route, 0])
    return p.km[before, node] + p.km[node, after] - p.km[before, after]


def _relocate(p: _Problem, routes: list[list[int]]) -> bool:
    """Move single stops to where they cost less (same route or another), feasibly."""
    improved_any = False
    for r, route in enumerate(routes):
        pos = 0
        while pos < len(route):
            node = route[pos]
            prev = route[pos - 1] if pos > 0 else 0
            nxt = route[pos + 1] if pos + 1 < len(route) else 0
            saving = p.km[prev, node] + p.km[node, nxt] - p.km[prev, nxt]
            shorter = route[:pos] + route[pos + 1 :]
            moved = False
            for q, other in enumerate(routes):
                base = shorter if q == r else other
                costs = _insertion_costs(p, base, node)
                for k in np.argsort(costs, kind="stable"):
                    if costs[k] - saving >= -_EPS_KM:
                        break
                    candidate = base[:k] + [node] + base[k:]
                    if q == r and candidate == route:
                        continue
                    if p.feasible(p.vehicles[q], candidate) and (
                        q == r or p.schedule(p.vehicles[r], shorter) is not None
                    ):
                        if q == r:
                            route[:] = candidate
                        else:
                            route[:] = shorter
                            other[:] = candidate
                        moved = improved_any = True
                        break
                if moved:
                    break
            if not moved:
                pos += 1
    return improved_any


def _insert_left_out(p: _Problem, routes: list[list[int]], nodes: list[int]) -> list[int]:
    """Insert each left-out stop where it costs the least feasibly; return those still out."""
    still_out = []
    for node in nodes:
        best: tuple[float, int, int] | None = None
        for q, route in enumerate(routes):
            costs = _insertion_costs(p, route, node)
            for k in np.argsort(costs, kind="stable"):
                if best is not None and costs[k] >= best[0]:
                    break
                if p.feasible(p.vehicles[q], route[:k] + [node] + route[k:]):
                    best = (float(costs[k]), q, int(k))
                    break
        if best is None:
            still_out.append(node)
        else:
            _, q, k = best
            routes[q].insert(k, node)
    return still_out


def _improve(p: _Problem, routes: list[list[int]]) -> None:
    """Alternate 2-opt and relocation until neither shortens the plan."""
    for _ in range(_MAX_ROUNDS):
        changed = False
        for v, route in zip(p.vehicles, routes, strict=True):
            changed |= _two_opt(p, v, route)
        changed |= _relocate(p, routes)
        if not changed:
            return


def plan_routes(
    depot: Depot, vehicles: Sequence[Vehicle], stops: Sequence[Stop], *, improve: bool = True
) -> RoutePlan:
    """Return routes serving as many stops as nearest neighbour allows, improved by local search."""
    p = _Problem(depot, vehicles, stops)
    unplaced: dict[int, str] = {}
    candidates = []
    for node in range(1, len(stops) + 1):
        reason = p.alone_reason(node)
        if reason is None:
            candidates.append(node)
        else:
            unplaced[node] = reason
    routes = _nearest_neighbour(p, candidates)
    nn_km = sum(p.route_km(r) for r in routes)
    nn_served = sum(len(r) for r in routes)
    served = {n for r in routes for n in r}
    left_out = [n for n in candidates if n not in served]
    if improve:
        _improve(p, routes)
        if left_out:
            left_out = _insert_left_out(p, routes, left_out)
            _improve(p, routes)
    for node in left_out:
        unplaced[node] = NO_ROOM
    planned = []
    for v, route in zip(p.vehicles, routes, strict=True):
        timed = p.schedule(v, route)
        assert timed is not None  # every move kept the route feasible
        km = p.route_km(route)
        back = (timed[-1].departure_min if timed else v.start_min) + (
            float(p.km[route[-1], 0]) * 60.0 / v.speed_kmh if route else 0.0
        )
        planned.append(
            Route(
                v.id,
                tuple(timed),
                km,
                back,
                float(p.kg[route].sum()) if route else 0.0,
                float(p.m3[route].sum()) if route else 0.0,
            )
        )
    return RoutePlan(
        routes=tuple(planned),
        unplaced=tuple(Unplaced(stops[n - 1].id, unplaced[n]) for n in sorted(unplaced)),
        total_km=sum(r.km for r in planned),
        nearest_neighbour_km=nn_km,
        nearest_neighbour_served=nn_served,
    )


def plan_violations(
    depot: Depot, vehicles: Sequence[Vehicle], stops: Sequence[Stop], plan: RoutePlan
) -> list[str]:
    """Return every way a plan breaks a capacity, window, working day or the stop list."""
    p = _Problem(depot, vehicles, stops)
    node_of = {s.id: i + 1 for i, s in enumerate(stops)}
    problems = []
    seen: list[Hashable] = [s.stop_id for r in plan.routes for s in r.stops]
    seen += [u.stop_id for u in plan.unplaced]
    if sorted(map(repr, seen)) != sorted(repr(s.id) for s in stops):
        problems.append("stops are not each served or reported exactly once")
    for v, route in zip(vehicles, plan.routes, strict=True):
        nodes = [node_of[s.stop_id] for s in route.stops]
        if not p.fits(v, float(p.kg[nodes].sum()), float(p.m3[nodes].sum())):
            problems.append(f"vehicle {v.id!r} over capacity")
        timed = p.schedule(v, nodes)
        if timed is None:
            problems.append(f"vehicle {v.id!r} breaks a window or its working day")
        elif [t.service_start_min for t in timed] != [s.service_start_min for s in route.stops]:
            problems.append(f"vehicle {v.id!r} reports wrong times")
        if abs(p.route_km(nodes) - route.km) > 1e-6:
            problems.append(f"vehicle {v.id!r} reports wrong km")
    return problems

"""Replay a crisis and compare matching policies on the same people, requests and behaviour.

Volunteers and requests are drawn where people live (see `synthetic`). Requests arrive over
weeks; volunteers read notifications after a delay and accept with a probability that falls
as they receive more of them; some give a request back. Every policy sees exactly the same
random draws (each volunteer's reaction to each request is fixed by the seed), so the
differences come from the policies alone.
"""

import heapq
import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from entraide.matching import synthetic
from entraide.matching.assignment import assign
from entraide.matching.geo import haversine_km
from entraide.matching.index import HelperIndex
from entraide.matching.types import Helper, Need
from entraide.matching.waves import Candidate, WavePolicy, plan_wave

MINUTES_PER_DAY = 24 * 60
ALWAYS = (1 << 21) - 1
POLICIES = ("email_everyone", "nearest_waves", "optimal_batch")


@dataclass(frozen=True)
class Scenario:
    """A crisis to replay, and the behavioural assumptions it is replayed with."""

    name: str
    countries: tuple[str, ...]
    volunteers: int
    requests: int
    weeks: int
    seed: int = 1
    radius_km: float = 5.0  # reach of the email blast and of the batch
    mean_response_probability: float = 0.25  # chance a fresh volunteer says yes to one message
    median_read_minutes: float = 120.0  # half the messages are read within this delay
    fatigue_messages: float = 10.0  # after this many messages in 7 days, willingness halves
    give_back_probability: float = 0.08
    task_days: float = 2.0  # how long an accepted request keeps a volunteer busy
    give_up_days: float = 7.0  # an open request nobody took is counted unmatched after this
    batch_every_minutes: int = 60
    offer_timeout_minutes: int = 240
    wave_policy: WavePolicy = field(default_factory=WavePolicy)


PRESETS: dict[str, Scenario] = {
    "covid-solidarity": Scenario(
        name="covid-solidarity",
        countries=("BE",),
        volunteers=7_000,
        requests=800,
        weeks=8,
        # With 10 km, emailing everyone matches about 90% of requests, as Covid-Solidarity did.
        radius_km=10.0,
    ),
    "tiny": Scenario(name="tiny", countries=("BE",), volunteers=400, requests=40, weeks=1),
    "national": Scenario(
        name="national", countries=("BE", "FR"), volunteers=100_000, requests=10_000, weeks=8
    ),
}


@dataclass
class _Request:
    need: Need
    arrival: float
    asked: set[int] = field(default_factory=set)
    notifications: int = 0
    helper: int | None = None
    first_accept: float | None = None
    distance_km: float | None = None
    wave: int = 1
    offered_to: int | None = None
    closed: bool = False


@dataclass
class PolicyResult:
    """What one policy achieved on the scenario."""

    policy: str
    requests: int
    matched: int
    match_rate: float
    hours_to_first_acceptance_median: float | None
    hours_to_first_acceptance_p90: float | None
    distance_km_median: float | None
    notifications_per_request: float
    gini_notifications: float
    gini_tasks: float
    max_messages_one_volunteer: int


def gini(values: list[int] | np.ndarray) -> float:
    """Return the Gini coefficient of non-negative values (0 = perfectly even)."""
    array = np.sort(np.asarray(values, dtype=np.float64))
    if len(array) == 0 or array.sum() == 0:
        return 0.0
    n = len(array)
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * array).sum()) / (n * array.sum()) - (n + 1) / n)


class _World:
    """The people and requests of a scenario, and each person's fixed reactions."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.helpers = synthetic.helpers(
            scenario.volunteers, seed=scenario.seed, countries=scenario.countries
        )
        needs = synthetic.needs(
            scenario.requests, seed=scenario.seed + 1, countries=scenario.countries
        )
        rng = np.random.default_rng(scenario.seed + 2)
        # Requests pile up in the first weeks and tail off (a Beta(2, 4) arrival curve).
        arrivals = np.sort(rng.beta(2.0, 4.0, len(needs))) * scenario.weeks * 7 * MINUTES_PER_DAY
        self.requests = list(zip(arrivals.tolist(), needs, strict=True))
        mean = scenario.mean_response_probability
        # Some volunteers answer almost everything, many rarely do: a Beta with that mean.
        self.willingness = rng.beta(2.0, 2.0 * (1 - mean) / mean, len(self.helpers))
        self.index = HelperIndex.from_helpers(self.helpers)
        self.by_id = {h.id: h for h in self.helpers}
        self.need_by_id = {int(n.id): n for n in needs}

    def reaction(
        self, volunteer: int, request: int, attempt: int, purpose: int = 0
    ) -> tuple[float, float]:
        """Return (minutes until the message is read, a uniform draw for saying yes)."""
        rng = np.random.default_rng([self.scenario.seed, purpose, volunteer, request, attempt])
        read = float(rng.lognormal(math.log(self.scenario.median_read_minutes), 1.0))
        return read, float(rng.random())


class _Run:
    """One policy replayed over the world; an event queue in minutes since the start."""

    def __init__(self, world: _World, policy: str) -> None:
        self.world = world
        self.s = world.scenario
        self.policy = policy
        self.events: list[tuple[float, int, str, tuple[int, ...]]] = []
        self.sequence = 0
        self.requests: dict[int, _Request] = {}
        self.busy: dict[int, int] = defaultdict(int)  # open tasks per volunteer
        self.messages: dict[int, list[float]] = defaultdict(list)
        self.tasks: dict[int, int] = defaultdict(int)
        self.cooldown: dict[int, float] = {}

    def push(self, time: float, kind: str, *payload: int) -> None:
        self.sequence += 1
        heapq.heappush(self.events, (time, self.sequence, kind, payload))

    def recent(self, volunteer: int, now: float) -> int:
        week_ago = now - 7 * MINUTES_PER_DAY
        return sum(1 for t in self.messages[volunteer] if t >= week_ago)

    def free(self, volunteer: int) -> bool:
        return self.busy[volunteer] < self.world.by_id[volunteer].capacity

    def notify(self, now: float, request: _Request, volunteer: int) -> None:
        request.notifications += 1
        request.asked.add(volunteer)
        self.messages[volunteer].append(now)
        attempt = sum(1 for t in self.messages[volunteer] if t >= request.arrival)
        read, _ = self.world.reaction(volunteer, int(request.need.id), attempt)
        self.push(now + read, "read", int(request.need.id), volunteer, attempt)

    def on_read(self, now: float, request: _Request, volunteer: int, attempt: int) -> None:
        if request.closed or request.helper is not None or not self.free(volunteer):
            return
        if self.policy == "optimal_batch" and request.offered_to != volunteer:
            return
        _, draw = self.world.reaction(volunteer, int(request.need.id), attempt)
        fatigue = 1.0 / (1.0 + self.recent(volunteer, now) / self.s.fatigue_messages)
        if draw >= self.world.willingness[volunteer] * fatigue:
            return
        helper = self.world.by_id[volunteer]
        request.helper = volunteer
        request.offered_to = None
        if request.first_accept is None:
            request.first_accept = now
        request.distance_km = _distance(request.need, helper)
        self.busy[volunteer] += 1
        self.tasks[volunteer] += 1
        give_back = self.world.reaction(volunteer, int(request.need.id), attempt, purpose=1)[1]
        if give_back < self.s.give_back_probability:
            self.push(now + 12 * 60, "give_back", int(request.need.id), volunteer)
        else:
            self.push(
                now + self.s.task_days * MINUTES_PER_DAY, "done", int(request.need.id), volunteer
            )

    def dispatch(self, now: float, request: _Request) -> None:
        need = request.need
        if self.policy == "email_everyone":
            for volunteer, _ in self.world.index.nearest(
                need.lat,
                need.lon,
                k=None,
                radius_km=self.s.radius_km,
                language=need.language,
                kind=need.kind,
            ):
                if volunteer not in request.asked:
                    self.notify(now, request, int(volunteer))
        elif self.policy == "nearest_waves":
            self.next_wave(now, request)

    def next_wave(self, now: float, request: _Request) -> None:
        policy = self.s.wave_policy
        need = request.need
        found = self.world.index.nearest(need.lat, need.lon, k=None, radius_km=policy.max_radius_km)
        candidates = []
        for volunteer, distance in found:
            helper = self.world.by_id[int(volunteer)]
            candidates.append(
                Candidate(
                    id=int(volunteer),
                    distance_km=distance,
                    radius_km=policy.max_radius_km,
                    languages=helper.languages,
                    kinds=helper.kinds,
                    availability=ALWAYS,
                    open_count=self.busy[int(volunteer)],
                    capacity=helper.capacity,
                    recent_offers=self.recent(int(volunteer), now),
                )
            )
        plan = plan_wave(
            candidates,
            wave=request.wave,
            already_asked=frozenset(request.asked),
            policy=policy,
            languages=frozenset({need.language}) if need.language else frozenset(),
            kind=need.kind,
            needed_periods=frozenset(),
        )
        if plan.escalate:
            # Operators take escalated requests and relaunch them the next day from wave 1.
            request.wave = 1
            request.asked.clear()
            self.push(now + MINUTES_PER_DAY, "wave", int(need.id))
            return
        for volunteer in plan.volunteer_ids:
            self.notify(now, request, volunteer)
        request.wave = plan.wave + 1
        self.push(
            now + (plan.next_wave_after_minutes or policy.delay_minutes), "wave", int(need.id)
        )

    def batch(self, now: float) -> None:
        open_requests = [
            r
            for r in self.requests.values()
            if not r.closed and r.helper is None and r.offered_to is None
        ]
        if open_requests:
            offered = {r.offered_to for r in self.requests.values() if r.offered_to is not None}
            # Only volunteers within reach of an open request can be paired; skip the rest.
            nearby = {
                int(volunteer)
                for r in open_requests
                for volunteer, _ in self.world.index.nearest(
                    r.need.lat, r.need.lon, k=None, radius_km=self.s.radius_km
                )
            }
            pool = []
            for volunteer in sorted(nearby - offered):
                h = self.world.by_id[volunteer]
                if self.free(volunteer) and self.cooldown.get(volunteer, -1.0) < now:
                    pool.append(replace(h, capacity=h.capacity - self.busy[volunteer]))
            for need_id, helper_id, _ in assign(
                [r.need for r in open_requests], pool, self.s.radius_km
            ):
                volunteer = int(helper_id)
                request = self.requests[int(need_id)]
                request.offered_to = int(volunteer)
                self.notify(now, request, int(volunteer))
                self.push(
                    now + self.s.offer_timeout_minutes,
                    "offer_timeout",
                    int(need_id),
                    int(volunteer),
                )
        if self.events or open_requests:
            self.push(now + self.s.batch_every_minutes, "batch")

    def run(self) -> PolicyResult:
        for arrival, need in self.world.requests:
            self.push(arrival, "arrive", int(need.id))
        if self.policy == "optimal_batch":
            self.push(0.0, "batch")
        end = (self.s.weeks * 7 + self.s.give_up_days + 1) * MINUTES_PER_DAY
        while self.events:
            now, _, kind, payload = heapq.heappop(self.events)
            if now > end:
                break
            if kind == "batch":
                self.batch(now)
                continue
            request = self.requests.get(payload[0]) if kind != "arrive" else None
            if kind == "arrive":
                request = _Request(need=self.world.need_by_id[payload[0]], arrival=now)
                self.requests[payload[0]] = request
                self.push(now + self.s.give_up_days * MINUTES_PER_DAY, "give_up", payload[0])
                self.dispatch(now, request)
                continue
            assert request is not None
            if kind == "read":
                self.on_read(now, request, payload[1], payload[2])
            elif kind == "wave":
                if not request.closed and request.helper is None:
                    self.next_wave(now, request)
            elif kind == "offer_timeout":
                if request.offered_to == payload[1] and request.helper is None:
                    request.offered_to = None
                    self.cooldown[payload[1]] = now + MINUTES_PER_DAY
            elif kind == "give_back":
                self.busy[payload[1]] -= 1
                request.helper = None
                request.distance_km = None
                if not request.closed:
                    self.dispatch(now, request)
            elif kind == "done":
                self.busy[payload[1]] -= 1
                request.closed = True
            elif kind == "give_up" and request.helper is None:
                request.closed = True
        return self.result()

    def result(self) -> PolicyResult:
        requests = list(self.requests.values())
        matched = [r for r in requests if r.helper is not None]
        waits = [(r.first_accept - r.arrival) / 60 for r in requests if r.first_accept is not None]
        distances = [r.distance_km for r in matched if r.distance_km is not None]
        volunteers = [int(h.id) for h in self.world.helpers]
        message_counts = [len(self.messages[v]) for v in volunteers]
        return PolicyResult(
            policy=self.policy,
            requests=len(requests),
            matched=len(matched),
            match_rate=round(len(matched) / len(requests), 4) if requests else 0.0,
            hours_to_first_acceptance_median=_round(np.median(waits)) if waits else None,
            hours_to_first_acceptance_p90=_round(np.percentile(waits, 90)) if waits else None,
            distance_km_median=_round(np.median(distances)) if distances else None,
            notifications_per_request=round(
                sum(r.notifications for r in requests) / max(1, len(requests)), 2
            ),
            gini_notifications=round(gini(message_counts), 3),
            gini_tasks=round(gini([self.tasks[v] for v in volunteers]), 3),
            max_messages_one_volunteer=max(message_counts, default=0),
        )


def _round(value: float) -> float:
    return round(float(value), 2)


def _distance(need: Need, helper: Helper) -> float:
    return haversine_km(need.lat, need.lon, helper.lat, helper.lon)


@dataclass
class SimulationResult:
    """Every policy's figures for one scenario."""

    scenario: Scenario
    results: list[PolicyResult]

    def as_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        scenario = asdict(self.scenario)
        scenario["wave_policy"] = asdict(self.scenario.wave_policy)
        return {"scenario": scenario, "policies": [asdict(r) for r in self.results]}


def simulate(scenario: Scenario, policies: tuple[str, ...] = POLICIES) -> SimulationResult:
    """Replay the scenario under each policy and return their figures side by side."""
    unknown = set(policies) - set(POLICIES)
    if unknown:
        raise ValueError(f"unknown policies: {sorted(unknown)}")
    world = _World(scenario)
    return SimulationResult(scenario, [_Run(world, p).run() for p in policies])


def with_overrides(scenario: Scenario, **changes: Any) -> Scenario:
    """Return the scenario with some fields changed (None values are ignored)."""
    return replace(scenario, **{k: v for k, v in changes.items() if v is not None})

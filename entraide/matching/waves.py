"""The notification-wave policy: who is asked to take a request, and when to widen the circle.

Pure functions over plain values: the web app adapts its models to `Candidate` in
`entraide.help_requests.dispatch`, the only place that calls this module.
"""

from collections.abc import Iterable
from dataclasses import dataclass

# The day is cut into three periods (first hour, last hour exclusive), in local time; a
# volunteer's availability has one bit per (weekday, period) at index weekday * 3 + period.
PERIOD_HOURS: tuple[tuple[int, int], ...] = ((8, 12), (12, 18), (18, 21))
PERIODS_PER_DAY = len(PERIOD_HOURS)
DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class WavePolicy:
    """How many volunteers each wave asks, how far it reaches, and how long it waits."""

    wave_sizes: tuple[int, ...] = (3, 6, 12)
    radii_km: tuple[float, ...] = (3.0, 6.0, 12.0)
    delay_minutes: int = 15
    fairness_km_per_recent_offer: float = 0.5

    def __post_init__(self) -> None:
        if not self.wave_sizes or len(self.wave_sizes) != len(self.radii_km):
            raise ValueError("wave_sizes and radii_km must be non-empty and of the same length")
        if any(size < 1 for size in self.wave_sizes):
            raise ValueError("every wave must ask at least one volunteer")
        if any(b < a for a, b in zip(self.radii_km, self.radii_km[1:], strict=False)):
            raise ValueError("radii_km must never shrink from one wave to the next")

    @property
    def wave_count(self) -> int:
        """Return the number of waves before a request goes to the operators."""
        return len(self.wave_sizes)

    @property
    def max_radius_km(self) -> float:
        """Return the radius of the widest wave."""
        return self.radii_km[-1]


@dataclass(frozen=True)
class Candidate:
    """One volunteer as the policy sees them, already measured against one request."""

    id: int
    distance_km: float
    radius_km: float
    languages: frozenset[str]
    kinds: frozenset[str]
    availability: int
    open_count: int
    capacity: int
    recent_offers: int


@dataclass(frozen=True)
class WavePlan:
    """The wave to send now: who to ask, how far it reached, and what happens next."""

    wave: int
    radius_km: float
    volunteer_ids: tuple[int, ...]
    next_wave_after_minutes: int | None
    escalate: bool


def is_eligible(
    c: Candidate,
    *,
    languages: frozenset[str],
    kind: str | None,
    max_distance_km: float,
    needed_periods: frozenset[int],
) -> bool:
    """Return True when the volunteer can be asked to take this request."""
    if c.distance_km > min(c.radius_km, max_distance_km):
        return False
    if c.languages and languages and not (c.languages & languages):
        return False
    if c.kinds and kind is not None and kind not in c.kinds:
        return False
    if c.open_count >= c.capacity:
        return False
    return not needed_periods or any((c.availability >> bit) & 1 for bit in needed_periods)


def score(c: Candidate, policy: WavePolicy) -> float:
    """Return the candidate's score: distance plus a penalty per recent offer (lower is better)."""
    # Without the penalty the volunteer who lives closest to a busy area gets every email;
    # each recent offer counts as if they lived a little further away.
    return c.distance_km + policy.fairness_km_per_recent_offer * c.recent_offers


def rank(candidates: Iterable[Candidate], policy: WavePolicy) -> list[Candidate]:
    """Return the candidates best first: lowest score, ties broken by id."""
    return sorted(candidates, key=lambda c: (score(c, policy), c.id))


def plan_wave(
    candidates: Iterable[Candidate],
    *,
    wave: int,
    already_asked: frozenset[int],
    policy: WavePolicy,
    languages: frozenset[str],
    kind: str | None,
    needed_periods: frozenset[int],
) -> WavePlan:
    """Plan wave number `wave` (1-based) for one request.

    A wave whose circle holds nobody new is skipped for the next, wider one. After the last
    wave, or when nobody eligible is left within the widest circle, the plan escalates: the
    request goes to the operators' queue.
    """
    if wave < 1:
        raise ValueError("waves are numbered from 1")
    pool = [c for c in candidates if c.id not in already_asked]
    for number in range(wave, policy.wave_count + 1):
        radius_km = policy.radii_km[number - 1]
        eligible = [
            c
            for c in pool
            if is_eligible(
                c,
                languages=languages,
                kind=kind,
                max_distance_km=radius_km,
                needed_periods=needed_periods,
            )
        ]
        if eligible:
            chosen = rank(eligible, policy)[: policy.wave_sizes[number - 1]]
            return WavePlan(
                wave=number,
                radius_km=radius_km,
                volunteer_ids=tuple(c.id for c in chosen),
                next_wave_after_minutes=policy.delay_minutes,
                escalate=False,
            )
    return WavePlan(
        wave=wave,
        radius_km=policy.max_radius_km,
        volunteer_ids=(),
        next_wave_after_minutes=None,
        escalate=True,
    )


def period_of_hour(hour: int) -> int | None:
    """Return the period (0 morning, 1 afternoon, 2 evening) holding `hour`, or None at night."""
    for period, (first, last) in enumerate(PERIOD_HOURS):
        if first <= hour < last:
            return period
    return None


def _day_periods(weekday: int, first_period: int = 0) -> frozenset[int]:
    """Return the availability bits of one weekday, from `first_period` to the evening."""
    return frozenset(weekday * PERIODS_PER_DAY + p for p in range(first_period, PERIODS_PER_DAY))


def _periods_from(now_weekday: int, now_hour: int, count: int) -> frozenset[int]:
    """Return the next `count` periods starting with the one under way (or the next one)."""
    bits: list[int] = []
    day, hour = now_weekday, now_hour
    current = period_of_hour(hour)
    if current is None:
        if hour >= PERIOD_HOURS[-1][1]:
            day = (day + 1) % DAYS_PER_WEEK
        current = 0
    bit = day * PERIODS_PER_DAY + current
    for offset in range(count):
        bits.append((bit + offset) % (DAYS_PER_WEEK * PERIODS_PER_DAY))
    return frozenset(bits)


def needed_periods(
    urgency: str, needed_on_weekday: int | None, now_weekday: int, now_hour: int
) -> frozenset[int]:
    """Return the availability bits in which the help is needed (empty means any time).

    "within_hours" needs the period under way and the next one; "today" needs what is left
    of today (tomorrow once the evening is over); otherwise the day asked for, or any time.
    """
    if urgency == "within_hours":
        return _periods_from(now_weekday, now_hour, 2)
    if urgency == "today":
        current = period_of_hour(now_hour)
        if current is not None:
            return _day_periods(now_weekday, current)
        if now_hour < PERIOD_HOURS[0][0]:
            return _day_periods(now_weekday)
        return _day_periods((now_weekday + 1) % DAYS_PER_WEEK)
    if needed_on_weekday is not None:
        return _day_periods(needed_on_weekday)
    return frozenset()

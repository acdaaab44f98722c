"""The nearest suitable drop-off points, and why closer ones were skipped: pure, no Django.

A point is suitable when it is open now, has room and takes the category. The candidates
come from widening rings around the donor (`nearest_by_rings`); `pick` walks one ring's
candidates nearest first.

Why the rings give the exact answer: `fetch(radius)` returns every point within `radius` km
(core.nearby.rows_near measures the great-circle distance of every row its cells and box
let through, and the box is a superset of the circle). If `limit` suitable points lie
within the ring, any suitable point left out is farther than the ring, hence farther than
each one kept: they are the `limit` nearest suitable points of the whole table. Otherwise
the next, wider ring is read; after the widest, what was found is all there is within it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# Rings in km: a town's points are a few km apart; the widest covers a country.
RINGS_KM = (2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0)

CLOSED, FULL, CATEGORY = "closed", "full", "category"


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """A point within reach: its distance and what may make it unsuitable."""

    point: T
    distance_km: float
    open_now: bool
    has_room: bool
    takes_category: bool

    @property
    def reasons(self) -> tuple[str, ...]:
        """Return why the point cannot take the donation now (empty when it can)."""
        return tuple(
            reason
            for reason, ok in (
                (CLOSED, self.open_now),
                (FULL, self.has_room),
                (CATEGORY, self.takes_category),
            )
            if not ok
        )


@dataclass(frozen=True)
class Answer(Generic[T]):
    """The nearest suitable points, and the closer ones skipped with their reasons."""

    found: list[Candidate[T]]
    skipped: list[Candidate[T]]
    radius_km: float


def pick(candidates: Sequence[Candidate[T]], *, limit: int, radius_km: float) -> Answer[T]:
    """Return up to `limit` suitable candidates nearest first and those skipped before them.

    A skipped candidate is one closer than the last one found (or any, when none is found).
    Ties keep the order given.
    """
    ordered = sorted(candidates, key=lambda c: c.distance_km)
    found: list[Candidate[T]] = []
    skipped: list[Candidate[T]] = []
    for candidate in ordered:
        if len(found) == limit:
            break
        (skipped if candidate.reasons else found).append(candidate)
    return Answer(found, skipped, radius_km)


def nearest_by_rings(
    fetch: Callable[[float], Sequence[Candidate[T]]],
    *,
    limit: int,
    rings: Sequence[float] = RINGS_KM,
) -> Answer[T]:
    """Return the `limit` nearest suitable points, reading wider rings until enough are found."""
    answer: Answer[T] = Answer([], [], 0.0)
    for radius in rings:
        answer = pick(fetch(radius), limit=limit, radius_km=radius)
        if len(answer.found) >= limit:
            return answer
    return answer

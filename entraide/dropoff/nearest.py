"""The nearest suitable drop-off points, and why closer ones were skipped: pure, no Django.

A point is suitable when it is open now, has room and takes the category. `walk_rings`
reads widening rings around the donor: `locate(radius)` returns every point within the ring
as a light row (its key, its distance and a guess of whether it may be suitable), and the
rows are walked nearest first; `judge` loads a batch of them and tells for each whether it is
suitable and why not. Only what the answer shows is loaded: the points found, those skipped
before them, and the rest of the last batch.

Why the rings give the exact answer: `locate(radius)` returns every point within `radius`
km (core.nearby.rows_near measures the great-circle distance of every row its cells and box
let through, and the box is a superset of the circle). A ring's rows farther than the
previous ring are exactly those the previous ring did not hold, so walking each ring's new
rows nearest first walks all the points nearest first. If `limit` suitable points lie
within the ring, any suitable point left out is farther than the ring, hence farther than
each one kept: they are the `limit` nearest suitable points of the whole table. Otherwise
the next, wider ring is read; after the widest, what was found is all there is within it.
The guess only sizes the batches (enough rows to hold the suitable points still missing if
the guess is right); whether a point is suitable is always `judge`'s answer.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K")

# Rings in km: a town's points are a few km apart; the widest covers a country.
RINGS_KM = (2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0)
# At most this many points are loaded at once (SQLite takes a bounded number of variables);
# each further batch of one answer asks for twice as many, so a long walk takes few reads.
MAX_BATCH = 500
# The pages and the API list this many of the closer points skipped, nearest first, and
# count the others: past a few, a list of closed or full points helps nobody, and loading
# each one with what its line shows is most of an answer's time.
MAX_SKIPPED = 5

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
    # Closer points skipped beyond those listed (the list stops at `max_skipped`).
    skipped_more: int = 0


def pick(candidates: Sequence[Candidate[T]], *, limit: int, radius_km: float) -> Answer[T]:
    """Return up to `limit` suitable candidates nearest first and those skipped before them.

    A skipped candidate is one closer than the last one found (or any, when none is found).
    Ties keep the order given.
    """
    return nearest_by_rings(lambda _radius: candidates, limit=limit, rings=(radius_km,))


@dataclass(frozen=True)
class Located(Generic[K]):
    """A point within a ring, before it is loaded: its key, distance and a guess."""

    key: K
    distance_km: float
    # May be suitable (has room, takes the category, not closed for the day): sizes batches.
    promising: bool = True


def walk_rings(
    locate: Callable[[float], Sequence[Located[K]]],
    judge: Callable[[Sequence[Located[K]]], Sequence[Candidate[T]]],
    *,
    limit: int,
    rings: Sequence[float] = RINGS_KM,
    max_skipped: int | None = None,
) -> Answer[T]:
    """Return the `limit` nearest suitable points, walking wider rings until enough are found.

    `judge` returns a candidate for each located row it is given, in their order (it may drop
    a row whose point has gone). Ties keep the order `locate` gives. The skipped points are
    listed nearest first, at most `max_skipped` of them; the others are counted.
    """
    found: list[Candidate[T]] = []
    skipped: list[Candidate[T]] = []
    # The first batch asks for twice the promising rows needed: some will be closed by their
    # hours, which the guess does not read, and a second batch costs more than a longer one.
    more, inner, wanted = 0, -1.0, 2
    for radius in rings:
        fresh = sorted(
            (row for row in locate(radius) if row.distance_km > inner),
            key=lambda row: row.distance_km,
        )
        inner, start = radius, 0
        while start < len(fresh) and len(found) < limit:
            end = _batch_end(fresh, start, (limit - len(found)) * wanted)
            for candidate in judge(fresh[start:end]):
                if len(found) == limit:
                    break
                if not candidate.reasons:
                    found.append(candidate)
                elif max_skipped is None or len(skipped) < max_skipped:
                    skipped.append(candidate)
                else:
                    more += 1
            start, wanted = end, wanted * 2
        if len(found) >= limit:
            return Answer(found, skipped, radius, more)
    return Answer(found, skipped, max(inner, 0.0), more)


def _batch_end(rows: Sequence[Located[K]], start: int, promising: int) -> int:
    """Return the end of the shortest batch from start holding this many promising rows."""
    end = start
    while end < len(rows) and end - start < MAX_BATCH and promising > 0:
        promising -= rows[end].promising
        end += 1
    return end


def nearest_by_rings(
    fetch: Callable[[float], Sequence[Candidate[T]]],
    *,
    limit: int,
    rings: Sequence[float] = RINGS_KM,
) -> Answer[T]:
    """Return the `limit` nearest suitable points when a ring's candidates are cheap to build."""
    return walk_rings(
        lambda radius: [Located(c, c.distance_km, not c.reasons) for c in fetch(radius)],
        lambda rows: [row.key for row in rows],
        limit=limit,
        rings=rings,
    )

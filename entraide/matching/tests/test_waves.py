"""The wave policy, tested without a database."""

import random
from dataclasses import replace
from typing import Any

import pytest

from entraide.matching.waves import (
    Candidate,
    WavePlan,
    WavePolicy,
    is_eligible,
    needed_periods,
    plan_wave,
    rank,
)

ALWAYS = (1 << 21) - 1
POLICY = WavePolicy()
ANY = frozenset[int]()


def candidate(id: int, distance_km: float, **overrides: Any) -> Candidate:  # noqa: A002
    """Return a candidate who fits any French request, `distance_km` away."""
    values: dict[str, Any] = {
        "id": id,
        "distance_km": distance_km,
        "radius_km": 20.0,
        "languages": frozenset({"fr"}),
        "kinds": frozenset[str](),
        "availability": ALWAYS,
        "open_count": 0,
        "capacity": 2,
        "recent_offers": 0,
    }
    values.update(overrides)
    return Candidate(**values)


def eligible(c: Candidate, **overrides: Any) -> bool:
    """Return is_eligible for a French groceries request within 10 km, at any time."""
    kwargs: dict[str, Any] = {
        "languages": frozenset({"fr"}),
        "kind": "groceries",
        "max_distance_km": 10.0,
        "needed_periods": ANY,
    }
    kwargs.update(overrides)
    return is_eligible(c, **kwargs)


def plan(
    candidates: list[Candidate],
    *,
    wave: int = 1,
    already_asked: set[int] | frozenset[int] = frozenset(),
    policy: WavePolicy = POLICY,
    **overrides: Any,
) -> WavePlan:
    """Return plan_wave for a French groceries request needed at any time."""
    kwargs: dict[str, Any] = {
        "languages": frozenset({"fr"}),
        "kind": "groceries",
        "needed_periods": ANY,
    }
    kwargs.update(overrides)
    return plan_wave(
        candidates, wave=wave, already_asked=frozenset(already_asked), policy=policy, **kwargs
    )


def test_it_accepts_a_volunteer_who_fits() -> None:
    assert eligible(candidate(1, 2.0))


def test_it_refuses_a_volunteer_beyond_their_own_radius() -> None:
    assert not eligible(candidate(1, 4.0, radius_km=3.0))
    assert eligible(candidate(1, 3.0, radius_km=3.0))


def test_it_refuses_a_volunteer_beyond_the_wave_radius() -> None:
    assert not eligible(candidate(1, 4.0), max_distance_km=3.0)


def test_it_requires_a_shared_language() -> None:
    dutch = candidate(1, 1.0, languages=frozenset({"nl"}))
    assert not eligible(dutch)
    assert eligible(dutch, languages=frozenset({"fr", "nl"}))


def test_it_takes_a_volunteer_without_languages_as_speaking_any() -> None:
    assert eligible(candidate(1, 1.0, languages=frozenset()))


def test_it_filters_on_the_kinds_a_volunteer_chose() -> None:
    pharmacy_only = candidate(1, 1.0, kinds=frozenset({"pharmacy"}))
    assert not eligible(pharmacy_only)
    assert eligible(pharmacy_only, kind="pharmacy")
    assert eligible(candidate(1, 1.0, kinds=frozenset()), kind="pharmacy")


def test_it_refuses_a_volunteer_at_capacity() -> None:
    assert not eligible(candidate(1, 1.0, open_count=2, capacity=2))
    assert eligible(candidate(1, 1.0, open_count=1, capacity=2))


def test_it_requires_availability_in_one_needed_period() -> None:
    monday_morning_only = candidate(1, 1.0, availability=1 << 0)
    assert eligible(monday_morning_only, needed_periods=frozenset({0, 1}))
    assert not eligible(monday_morning_only, needed_periods=frozenset({1, 2}))
    assert eligible(monday_morning_only, needed_periods=ANY)


def test_it_ranks_by_distance_then_id() -> None:
    ranked = rank([candidate(3, 2.0), candidate(1, 2.0), candidate(2, 1.0)], POLICY)
    assert [c.id for c in ranked] == [2, 1, 3]


def test_it_pushes_back_volunteers_who_were_asked_recently() -> None:
    busy = candidate(1, 1.0, recent_offers=4)  # score 1 + 0.5 * 4 = 3
    fresh = candidate(2, 2.5)
    assert [c.id for c in rank([busy, fresh], POLICY)] == [2, 1]
    no_fairness = replace(POLICY, fairness_km_per_recent_offer=0.0)
    assert [c.id for c in rank([busy, fresh], no_fairness)] == [1, 2]


def test_it_asks_the_closest_volunteers_first() -> None:
    candidates = [candidate(i, 0.5 * i) for i in range(1, 10)]
    first = plan(candidates)
    assert first.wave == 1
    assert first.radius_km == 3.0
    assert first.volunteer_ids == (1, 2, 3)
    assert first.next_wave_after_minutes == 15
    assert not first.escalate


def test_it_widens_the_circle_wave_after_wave() -> None:
    candidates = [candidate(i, float(i)) for i in range(1, 13)]
    second = plan(candidates, wave=2, already_asked={1, 2, 3})
    assert second.radius_km == 6.0
    assert second.volunteer_ids == (4, 5, 6)
    third = plan(candidates, wave=3, already_asked={1, 2, 3, 4, 5, 6})
    assert third.radius_km == 12.0
    assert third.volunteer_ids == (7, 8, 9, 10, 11, 12)


def test_it_skips_an_empty_wave_for_the_next_wider_one() -> None:
    result = plan([candidate(1, 5.0)], wave=1)
    assert result.wave == 2
    assert result.volunteer_ids == (1,)
    assert not result.escalate


def test_it_never_asks_the_same_volunteer_twice() -> None:
    result = plan([candidate(1, 1.0), candidate(2, 2.0)], wave=2, already_asked={1})
    assert result.volunteer_ids == (2,)


def test_it_escalates_after_the_last_wave() -> None:
    result = plan([candidate(1, 1.0)], wave=4)
    assert result.escalate
    assert result.volunteer_ids == ()
    assert result.next_wave_after_minutes is None


def test_it_escalates_when_nobody_is_left() -> None:
    result = plan([candidate(1, 1.0), candidate(2, 30.0)], wave=1, already_asked={1})
    assert result.escalate
    assert result.volunteer_ids == ()


def test_it_waits_after_the_last_wave_before_escalating() -> None:
    result = plan([candidate(1, 10.0)], wave=3)
    assert result.volunteer_ids == (1,)
    assert not result.escalate
    assert result.next_wave_after_minutes == 15


def test_it_is_deterministic_whatever_the_input_order() -> None:
    candidates = [candidate(i, (i * 7) % 11 * 0.5, recent_offers=i % 3) for i in range(1, 40)]
    expected = plan(candidates, wave=2)
    shuffled = list(candidates)
    random.Random(4).shuffle(shuffled)
    assert plan(shuffled, wave=2) == expected


def test_it_refuses_an_inconsistent_policy() -> None:
    with pytest.raises(ValueError):
        WavePolicy(wave_sizes=(3, 6), radii_km=(3.0,))
    with pytest.raises(ValueError):
        WavePolicy(wave_sizes=(3, 6), radii_km=(6.0, 3.0))


@pytest.mark.parametrize(
    ("hour", "expected"),
    [
        (9, {0, 1}),  # Monday morning and afternoon
        (13, {1, 2}),  # Monday afternoon and evening
        (19, {2, 3}),  # Monday evening and Tuesday morning
        (23, {3, 4}),  # tomorrow morning and afternoon
        (6, {0, 1}),  # before the morning starts
    ],
)
def test_it_needs_the_next_two_periods_within_hours(hour: int, expected: set[int]) -> None:
    assert needed_periods("within_hours", None, 0, hour) == frozenset(expected)


def test_it_needs_the_rest_of_the_day_today() -> None:
    assert needed_periods("today", None, 2, 14) == frozenset({7, 8})
    assert needed_periods("today", None, 2, 7) == frozenset({6, 7, 8})
    assert needed_periods("today", None, 6, 22) == frozenset({0, 1, 2})


def test_it_needs_the_day_asked_for_when_not_urgent() -> None:
    assert needed_periods("this_week", 4, 0, 10) == frozenset({12, 13, 14})
    assert needed_periods("flexible", None, 0, 10) == frozenset()


def test_it_wraps_from_sunday_evening_to_monday_morning() -> None:
    assert needed_periods("within_hours", None, 6, 20) == frozenset({20, 0})

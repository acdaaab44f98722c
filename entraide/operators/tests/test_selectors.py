"""Reads of the phone line: caller look-up, queue, candidates, call-backs, counters."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from entraide.help_requests.models import Status
from entraide.operators import selectors
from entraide.operators.models import Call, Callback
from entraide.testing.factories import (
    BRUSSELS,
    PARIS,
    HelpRequestFactory,
    UserFactory,
    VolunteerProfileFactory,
)

pytestmark = pytest.mark.django_db

KM_PER_DEGREE_LAT = 111.195


def volunteer(km_north: float, languages: list[str], **profile_kwargs):
    """Return a volunteer `km_north` kilometres north of central Brussels."""
    user = UserFactory.create()
    VolunteerProfileFactory.create(
        user=user,
        lat=BRUSSELS[0] + km_north / KM_PER_DEGREE_LAT,
        lon=BRUSSELS[1],
        languages=languages,
        **profile_kwargs,
    )
    return user


def call(operator, outcome="listening", phone="+32470123456", **kwargs):
    """Insert one logged call."""
    return Call.objects.create(
        operator=operator, direction="in", phone=phone, outcome=outcome, **kwargs
    )


@pytest.mark.parametrize(
    "typed", ["0470 12 34 56", "+32 470 12 34 56", "0032470123456", "+32470123456", "0470/12.34.56"]
)
def test_it_finds_a_caller_however_the_number_is_typed(typed, charlie):
    earlier = HelpRequestFactory.create(requester_phone="+32470123456")
    HelpRequestFactory.create(requester_phone="+32470999999")
    call(charlie)

    history = selectors.caller_lookup(phone=typed)

    assert history.phone == "+32470123456"
    assert history.requests == [earlier]
    assert len(history.calls) == 1


def test_it_refuses_text_that_is_not_a_phone_number(db):
    with pytest.raises(ValidationError):
        selectors.caller_lookup(phone="hello")


def test_it_returns_earlier_requests_of_any_status_newest_first(alice):
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        old = HelpRequestFactory.create(status=Status.CANCELLED)
    taken = HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice)

    history = selectors.caller_lookup(phone="0470123456")

    assert history.requests == [taken, old]
    assert history.active_requests == [taken]
    assert history.is_known


def test_it_knows_when_a_number_never_called(db):
    history = selectors.caller_lookup(phone="0470123456")

    assert not history.is_known
    assert history.active_requests == []


def test_it_orders_the_queue_by_urgency_then_age(alice):
    start = timezone.now() - timedelta(hours=5)
    with time_machine.travel(start, tick=False):
        old_flexible = HelpRequestFactory.create(urgency="flexible")
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        old_today = HelpRequestFactory.create(urgency="today")
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        new_today = HelpRequestFactory.create(urgency="today", status=Status.OFFERED)
        HelpRequestFactory.create(urgency="within_hours", status=Status.TAKEN, taken_by=alice)
        HelpRequestFactory.create(urgency="within_hours", status=Status.CANCELLED)
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        urgent = HelpRequestFactory.create(urgency="within_hours")

    queue = list(selectors.queue_requests())

    assert queue == [urgent, old_today, new_today, old_flexible]


def test_it_flags_requests_no_volunteer_answered(db):
    escalated = HelpRequestFactory.create(escalated_at=timezone.now())
    waiting = HelpRequestFactory.create()

    # The flag is an annotation, which mypy cannot see through the selector.
    flags = {hr.pk: hr.is_escalated for hr in selectors.queue_requests()}  # type: ignore[attr-defined]

    assert flags == {escalated.pk: True, waiting.pk: False}


def test_it_offers_only_volunteers_who_speak_the_requests_language(alice, bob):
    help_request = HelpRequestFactory.create(languages=["nl"])

    candidates = selectors.assign_candidates(help_request=help_request)

    assert [c.user for c in candidates] == [bob]
    assert candidates[0].shared_languages == ["nl"]


def test_it_offers_the_nearest_volunteers_first_with_their_distance(db):
    far = volunteer(9, ["fr"])
    near = volunteer(1, ["fr", "nl"])
    middle = volunteer(4, ["fr"])
    volunteer(20, ["fr"])
    help_request = HelpRequestFactory.create(languages=["fr"])

    candidates = selectors.assign_candidates(help_request=help_request)

    assert [c.user for c in candidates] == [near, middle, far]
    assert [c.distance_km for c in candidates] == [1.0, 4.0, 9.0]
    assert [c.within_own_radius for c in candidates] == [True, True, False]


def test_it_leaves_out_volunteers_in_another_city(db):
    user = UserFactory.create()
    VolunteerProfileFactory.create(user=user, lat=PARIS[0], lon=PARIS[1], languages=["fr"])
    help_request = HelpRequestFactory.create(languages=["fr"])

    assert selectors.assign_candidates(help_request=help_request) == []


def test_it_leaves_out_volunteers_who_hold_as_many_requests_as_they_can(db):
    busy = volunteer(1, ["fr"], max_open_requests=1)
    free = volunteer(2, ["fr"], max_open_requests=2)
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=busy)
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=free)
    HelpRequestFactory.create(status=Status.DONE, taken_by=busy)
    help_request = HelpRequestFactory.create(languages=["fr"])

    candidates = selectors.assign_candidates(help_request=help_request)

    assert [(c.user, c.held) for c in candidates] == [(free, 1)]


@time_machine.travel("2026-03-10 10:00 +01:00", tick=False)
def test_it_leaves_out_paused_volunteers(db):
    volunteer(1, ["fr"], is_paused=True)
    volunteer(1, ["fr"], paused_until=date(2026, 3, 10))
    back = volunteer(2, ["fr"], paused_until=date(2026, 3, 9))
    help_request = HelpRequestFactory.create(languages=["fr"])

    candidates = selectors.assign_candidates(help_request=help_request)

    assert [c.user for c in candidates] == [back]


@time_machine.travel("2026-03-10 10:00 +01:00", tick=False)
def test_it_lists_the_callbacks_still_to_make_today(charlie):
    now = timezone.now()
    overdue = Callback.objects.create(
        phone="+32470123456", due_at=now - timedelta(hours=1), created_by=charlie
    )
    later_today = Callback.objects.create(
        phone="+32470123457", due_at=now + timedelta(hours=8), created_by=charlie
    )
    Callback.objects.create(
        phone="+32470123458", due_at=now + timedelta(days=1), created_by=charlie
    )
    Callback.objects.create(
        phone="+32470123459",
        due_at=now - timedelta(hours=2),
        created_by=charlie,
        done_at=now,
        done_by=charlie,
    )

    assert list(selectors.callbacks_due()) == [overdue, later_today]


def test_it_counts_calls_today_this_week_by_operator_and_outcome(
    charlie, dave, django_assert_num_queries
):
    # Wednesday 11 March 2026; the week started on Monday the 9th.
    with time_machine.travel("2026-03-08 12:00 +01:00", tick=False):
        call(charlie)  # Sunday: last week
    with time_machine.travel("2026-03-09 09:00 +01:00", tick=False):
        call(dave, outcome="new_request")
    with time_machine.travel("2026-03-11 00:30 +01:00", tick=False):
        call(charlie, outcome="new_request")
    with time_machine.travel("2026-03-11 15:00 +01:00", tick=False):
        call(charlie)
        call(charlie, outcome="new_request")
        call(dave, outcome="new_request")

        # One grouped read for both periods, one for the operators' names.
        with translation.override("en"), django_assert_num_queries(2):
            stats = selectors.call_stats()

    assert stats.today.total == 4
    assert stats.this_week.total == 5
    assert stats.today.by_operator == [("Charlie", 3), ("Dave", 1)]
    assert stats.today.by_outcome == [("New request entered", 3), ("Listening, no request", 1)]
    assert stats.this_week.by_operator == [("Charlie", 3), ("Dave", 2)]

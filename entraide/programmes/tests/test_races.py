"""Volunteers enrolling at once for the last seat of a cohort: one gets it.

On SQLite the test database takes one writer at a time; the PostgreSQL run is the one that
would catch seats counted outside the programme's row lock.
"""

import functools

import pytest

from entraide.programmes.models import Enrolment
from entraide.programmes.tests.conftest import enrol
from entraide.testing.concurrency import run_at_once
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_enrolments_at_once_for_the_last_seat_of_a_cohort_give_it_to_one(programme, paris):
    programme.coordinators.filter(user__email="cyril@example.org").delete()
    first, second = (enrol(programme, UserFactory.create(), paris) for _ in range(2))
    cohort = first.cohort
    assert second.cohort == cohort  # one seat of three left, and no coordinator for another

    # Several at once, so that without the lock their transactions surely overlap.
    late = [UserFactory.create() for _ in range(6)]
    outcomes = run_at_once([functools.partial(enrol, programme, user, paris) for user in late])

    statuses = sorted(outcome.status for outcome in outcomes if isinstance(outcome, Enrolment))
    assert statuses == ["placed"] + ["waiting"] * 5
    assert cohort.enrolments.filter(status="placed").count() == 3

"""Limits that must hold when several people act at the same moment (real threads, PostgreSQL).

On SQLite the test database takes one writer at a time, so these pass there without proving
much; the PostgreSQL run of the suite is the one that would catch a check made outside its lock.
"""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.missions import services
from entraide.missions.models import Application, MissionEvent, MissionSlot, SavedSearch
from entraide.missions.services import MAX_SAVED_SEARCHES
from entraide.missions.tests.factories import ApplicationFactory, MissionSlotFactory
from entraide.testing.concurrency import run_at_once
from entraide.testing.factories import UserFactory, VolunteerProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_gives_a_slots_last_place_to_exactly_one_of_four_accepts(frank, mission):
    slot = MissionSlotFactory.create(mission=mission, capacity=1)
    applications = [ApplicationFactory.create(slot=slot) for _ in range(4)]

    def accept(application_pk: int) -> Callable[[], object]:
        return lambda: services.application_accept(
            application=Application.objects.get(pk=application_pk),
            actor=User.objects.get(pk=frank.pk),
        )

    outcomes = run_at_once([accept(a.pk) for a in applications])

    assert sum(isinstance(o, Application) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, DomainError)] == ["slot_full"] * 3
    assert MissionSlot.objects.get(pk=slot.pk).accepted_count == 1
    assert Application.objects.filter(status="accepted").count() == 1


@override_settings(MISSIONS_PROPOSALS_PER_DAY=2)
def test_it_keeps_the_daily_proposal_limit_when_managers_propose_at_once(frank, mission):
    people = []
    for _ in range(5):
        person = UserFactory.create()
        VolunteerProfileFactory.create(user=person, lat=50.8467, lon=4.3725, languages=["fr"])
        people.append(person)

    def propose(volunteer_pk: int) -> Callable[[], object]:
        return lambda: services.mission_propose(
            mission=mission,
            volunteer=User.objects.get(pk=volunteer_pk),
            actor=User.objects.get(pk=frank.pk),
        )

    outcomes = run_at_once([propose(p.pk) for p in people])

    assert sum(isinstance(o, MissionEvent) for o in outcomes) == 2
    assert [o.code for o in outcomes if isinstance(o, DomainError)] == ["limit"] * 3
    assert mission.events.filter(kind="proposed").count() == 2


def test_it_keeps_the_saved_search_limit_when_searches_are_saved_at_once(alice):
    for number in range(MAX_SAVED_SEARCHES - 1):
        SavedSearch.objects.create(user=alice, name=f"Search {number}", params={})

    def save(name: str) -> Callable[[], object]:
        return lambda: services.saved_search_create(
            user=User.objects.get(pk=alice.pk), name=name, params={"q": name}
        )

    outcomes = run_at_once([save(f"New {number}") for number in range(4)])

    assert sum(isinstance(o, SavedSearch) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 3
    assert SavedSearch.objects.filter(user=alice).count() == MAX_SAVED_SEARCHES


def test_it_refuses_the_same_name_saved_twice_at_once_with_a_field_error(alice):
    outcomes = run_at_once(
        [
            lambda: services.saved_search_create(
                user=User.objects.get(pk=alice.pk), name="Food", params={"q": "food"}
            )
            for _ in range(3)
        ]
    )

    assert sum(isinstance(o, SavedSearch) for o in outcomes) == 1
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert [list(r.message_dict) for r in refusals] == [["name"], ["name"]]
    assert SavedSearch.objects.filter(user=alice, name="Food").count() == 1


def test_it_marks_the_mission_full_when_its_last_two_places_go_at_once(frank, mission):
    # Two slots, one place each: each accept alone still sees the other slot open, so the
    # mission's "full" status holds only if the second one looks again after the first.
    slots = [MissionSlotFactory.create(mission=mission, capacity=1) for _ in range(2)]
    applications = [ApplicationFactory.create(slot=slot) for slot in slots]

    def accept(application_pk: int) -> Callable[[], object]:
        return lambda: services.application_accept(
            application=Application.objects.get(pk=application_pk),
            actor=User.objects.get(pk=frank.pk),
        )

    for round_number in range(1, 4):
        outcomes = run_at_once([accept(a.pk) for a in applications])

        assert all(isinstance(o, Application) for o in outcomes)
        mission.refresh_from_db()
        assert mission.status == "full"
        assert MissionEvent.objects.filter(mission=mission, kind="full").count() == round_number
        # Free both places again for the next round.
        for application in applications:
            services.application_withdraw(
                application=Application.objects.get(pk=application.pk),
                volunteer=application.volunteer,
            )
        Application.objects.filter(pk__in=[a.pk for a in applications]).update(status="pending")

"""Many associations booking the last beds of a place at once: exactly the capacity wins.

Each racer is a different association with its own quota, so no quota row orders them: only
the place's row lock (and behind it the Night ledger's unique bed) keeps them apart. On SQLite
the test database takes one writer at a time; the PostgreSQL run is the one that catches a
count made outside the lock.
"""

import pytest

from entraide.accounts.models import User
from entraide.core.errors import ConflictError
from entraide.lodging import services
from entraide.lodging.models import Booking, Night, Place
from entraide.lodging.tests.conftest import book, organisation, place, today
from entraide.organisations.models import Organisation
from entraide.testing.concurrency import run_at_once
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def racers(paris, desk, count: int) -> list[tuple[int, int]]:
    """Return (association, member) ids of so many associations, each with its own quota."""
    made = []
    for n in range(count):
        member = UserFactory.create(email=f"racer{n}@example.org")
        association = organisation(paris, f"Association {n}", Organisation.Kind.ASSOCIATION, member)
        services.quota_set(
            association=association,
            month=today().replace(day=1),
            nights=10,
            actor=desk,
            channel="web",
        )
        made.append((association.pk, member.pk))
    return made


def attempt(place_pk: int, association_pk: int, member_pk: int):
    return lambda: book(
        Place.objects.select_related("territory", "host").get(pk=place_pk),
        Organisation.objects.get(pk=association_pk),
        User.objects.get(pk=member_pk),
        guest_reference=f"R{association_pk}",
    )


def test_many_bookings_racing_for_the_last_bed_exactly_one_wins(
    dorm, abri, amina, quota, paris, desk
):
    for reference in ("A", "B", "C"):
        book(dorm, abri, amina, guest_reference=reference)

    outcomes = run_at_once([attempt(dorm.pk, *racer) for racer in racers(paris, desk, 8)])

    assert sum(isinstance(o, Booking) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 7
    assert Night.objects.filter(place=dorm, date=today()).count() == 4


def test_many_bookings_racing_for_an_empty_pool_fill_it_exactly(dorm, paris, desk):
    outcomes = run_at_once([attempt(dorm.pk, *racer) for racer in racers(paris, desk, 10)])

    assert sum(isinstance(o, Booking) for o in outcomes) == dorm.capacity
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 10 - dorm.capacity
    assert sorted(Night.objects.filter(place=dorm).values_list("bed", flat=True)) == [1, 2, 3, 4]


def test_as_many_bookings_as_beds_racing_at_once_all_get_one(hotel, hugo, paris, desk):
    # Without the place's lock they would count the same free beds and collide on one.
    pool = place(hotel, hugo, name="Dortoir B", unit="beds", capacity=6)

    outcomes = run_at_once([attempt(pool.pk, *racer) for racer in racers(paris, desk, 6)])

    assert [type(o) for o in outcomes] == [Booking] * 6
    assert sorted(Night.objects.filter(place=pool).values_list("bed", flat=True)) == [*range(1, 7)]


def test_two_bookings_racing_for_a_room_one_wins(room, paris, desk):
    outcomes = run_at_once([attempt(room.pk, *racer) for racer in racers(paris, desk, 2)])

    assert sum(isinstance(o, Booking) for o in outcomes) == 1
    assert Booking.objects.filter(place=room).count() == 1

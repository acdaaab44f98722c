"""Two hosts asking for a pickup of the same point at once: exactly one request is made.
Two donors booking the last place of a home-collection slot: exactly one gets it.

On SQLite the test database takes one writer at a time; the PostgreSQL run is the one that
would catch a check made outside the point's row lock.
"""

import pytest

from entraide.accounts.models import User
from entraide.core.errors import ConflictError
from entraide.dropoff import services
from entraide.dropoff.models import (
    CollectionBooking,
    CollectionBookingEvent,
    DropoffPoint,
    PickupRequest,
)
from entraide.dropoff.tests.conftest import book, sofa_and_wardrobe
from entraide.organisations.models import Membership
from entraide.organisations.tests.factories import MembershipFactory
from entraide.testing.concurrency import run_at_once
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_hosts_asking_for_a_pickup_at_once_make_one_request(point, mairie, hana):
    karim = UserFactory.create(email="karim@example.org")
    MembershipFactory(organisation=mairie, user=karim, role=Membership.Role.ADMINISTRATOR)

    def ask(user_pk: int):
        return lambda: services.point_request_pickup(
            point=DropoffPoint.objects.select_related("organisation").get(pk=point.pk),
            actor=User.objects.get(pk=user_pk),
            channel="web",
        )

    outcomes = run_at_once([ask(hana.pk), ask(karim.pk)])

    assert sum(isinstance(o, PickupRequest) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 1
    assert PickupRequest.objects.filter(point=point).count() == 1
    assert point.events.filter(kind="pickup_requested").count() == 1


def test_two_donors_booking_the_last_place_of_a_slot_one_gets_it(slot):
    book(slot, email="first@example.org")  # one place of two left

    def booking(email: str):
        return lambda: book(slot, email=email, estimate=sofa_and_wardrobe())

    outcomes = run_at_once([booking("nadia@example.org"), booking("omar@example.org")])

    assert sum(isinstance(o, CollectionBooking) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 1
    assert CollectionBooking.objects.filter(slot=slot, status="booked").count() == 2
    assert CollectionBookingEvent.objects.filter(kind="booked").count() == 2

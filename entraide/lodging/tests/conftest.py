"""Personas of the lodging tests.

paris     the Paris territory (Europe/Paris)
hotel     "Hôtel du Canal", a verified company in Paris; hugo is a member (a host)
room      a double room of the hotel, open every night
dorm      a pool of 4 beds of the hotel
office    "Bureaux Lumière"'s meeting room: 2 beds, Monday to Friday evenings 20:00-07:30
abri      "Abri Solidaire", a verified association in Paris; amina is a member
desk      a moderator of Paris: the desk (codes, quotas, phone bookings)
quota     30 nights this month for Abri Solidaire in Paris
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from entraide.lodging import services
from entraide.lodging.models import Booking, BookingCode, Place, Quota
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.testing.factories import PARIS, UserFactory

ZONE = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def midday():
    """Run each test at midday on a Wednesday in Paris, so weekday windows are predictable."""
    today = datetime.now(ZONE).date()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7)
    with time_machine.travel(datetime.combine(wednesday, time(12), ZONE), tick=False):
        yield


def today() -> date:
    """Return today in Paris (a Wednesday, see midday)."""
    return datetime.now(ZONE).date()


@pytest.fixture
def paris(db):
    return TerritoryFactory(name="Paris", country="FR", time_zone="Europe/Paris")


def organisation(paris, name: str, kind: str, member) -> Organisation:
    made = OrganisationFactory.create(
        name=name,
        kind=kind,
        territory=paris,
        status=Organisation.Status.VERIFIED,
        lat=PARIS[0],
        lon=PARIS[1],
        town="Paris",
        postcode="75011",
        country="FR",
    )
    MembershipFactory(organisation=made, user=member, role=Membership.Role.ADMINISTRATOR)
    return made


@pytest.fixture
def hugo(db):
    return UserFactory(email="hugo@example.org", first_name="Hugo", language="fr")


@pytest.fixture
def amina(db):
    return UserFactory(email="amina@example.org", first_name="Amina", language="fr")


@pytest.fixture
def eve(db):
    return UserFactory(email="eve@example.org", first_name="Eve")


@pytest.fixture
def desk(paris):
    user = UserFactory(email="desk@example.org", first_name="Dominique")
    paris.moderators.add(user)
    return user


@pytest.fixture
def hotel(paris, hugo) -> Organisation:
    return organisation(paris, "Hôtel du Canal", Organisation.Kind.COMPANY, hugo)


@pytest.fixture
def abri(paris, amina) -> Organisation:
    return organisation(paris, "Abri Solidaire", Organisation.Kind.ASSOCIATION, amina)


def place(host, actor, **changes) -> Place:
    arguments = {
        "host": host,
        "name": "Chambre 12",
        "kind": "double",
        "unit": "room",
        "capacity": 2,
        "postcode": "75011",
        "town": "Paris",
        "country": "FR",
        "checklist": ["bed", "shower"],
        "actor": actor,
        "channel": "web",
        **changes,
    }
    return services.place_save(**arguments)


@pytest.fixture
def room(hotel, hugo) -> Place:
    return place(hotel, hugo)


@pytest.fixture
def dorm(hotel, hugo) -> Place:
    return place(hotel, hugo, name="Dortoir", kind="single", unit="beds", capacity=4)


@pytest.fixture
def office(paris, hugo) -> Place:
    company = organisation(paris, "Bureaux Lumière", Organisation.Kind.COMPANY, hugo)
    made = place(company, hugo, name="Salle Lumière", kind="single", unit="beds", capacity=2)
    services.place_set_windows(
        place=made,
        windows=[(day, time(20), time(7, 30)) for day in range(5)],
        actor=hugo,
        channel="web",
    )
    return made


@pytest.fixture
def quota(abri, desk) -> Quota:
    """30 nights this month and next (a stay may run past the month's end)."""
    first = today().replace(day=1)
    services.quota_set(
        association=abri,
        month=(first + timedelta(days=32)).replace(day=1),
        nights=30,
        actor=desk,
        channel="web",
    )
    return services.quota_set(association=abri, month=first, nights=30, actor=desk, channel="web")


@pytest.fixture
def code(abri, desk) -> BookingCode:
    return services.code_create(
        association=abri,
        nights=5,
        expires_on=today() + timedelta(days=30),
        actor=desk,
        channel="web",
    )


def book(place: Place, association, actor, **changes) -> Booking:
    """Hold nights from tonight (changes override) for a guest reference."""
    arguments = {
        "place": place,
        "association": association,
        "guest_reference": "AS-2041",
        "first_night": today(),
        "nights": 1,
        "actor": actor,
        "channel": "web",
        **changes,
    }
    return services.booking_hold(**arguments)

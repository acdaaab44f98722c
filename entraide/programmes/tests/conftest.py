"""Personas of the programmes' tests.

paris       the Paris territory (Europe/Paris); montreal one in America/Montreal
makesense   a verified association; alice is its administrator (an author)
programme   "ré_action", published (version 1): two challenges, seven days in FR and EN
            (no Dutch), cohorts of 3; carla and cyril are its coordinators
vera, victor, wendy   volunteers (no role)
otto        an operator of the phone line
The clock is frozen on Monday 2 March 2026, 10:00 in Paris.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.programmes import services
from entraide.programmes.models import DAY_NUMBERS, Programme
from entraide.testing.factories import UserFactory

MONDAY = date(2026, 3, 2)
NEXT_MONDAY = date(2026, 3, 9)
PARIS_ZONE = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def monday_morning():
    """Freeze the clock on a Monday at 10:00 in Paris (the start week of MONDAY)."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=PARIS_ZONE), tick=False):
        yield


@pytest.fixture
def paris(db):
    return TerritoryFactory(name="Paris", country="FR", time_zone="Europe/Paris")


@pytest.fixture
def montreal(db):
    return TerritoryFactory(name="Montréal", country="CA", time_zone="America/Montreal")


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.org", first_name="Alice")


@pytest.fixture
def makesense(paris, alice):
    organisation = OrganisationFactory(
        name="makesense", territory=paris, status=Organisation.Status.VERIFIED
    )
    MembershipFactory(organisation=organisation, user=alice, role=Membership.Role.ADMINISTRATOR)
    return organisation


def write_days(programme: Programme, author, languages=("fr", "en")) -> None:
    """Give every day a subject, a body and an action in these languages."""
    for day in programme.days.all():
        texts = {}
        for code in languages:
            texts[f"subject_{code}"] = f"[{code}] Jour {day.number}"
            texts[f"body_{code}"] = f"[{code}] Bonjour {{{{ first_name }}}}, jour {day.number}."
            texts[f"action_{code}"] = f"[{code}] Action {day.number}"
        services.day_update(day=day, texts=texts, actor=author)


@pytest.fixture
def draft(makesense, alice):
    programme = services.programme_create(
        organisation=makesense,
        title="ré_action",
        call_time=time(18, 30),
        cohort_size=3,
        actor=alice,
    )
    services.challenge_add(programme=programme, title="Rompre l'isolement", actor=alice)
    services.challenge_add(programme=programme, title="Soutenir les aidants", actor=alice)
    write_days(programme, alice)
    assert programme.days.count() == len(DAY_NUMBERS)
    return programme


@pytest.fixture
def carla(db):
    return UserFactory(email="carla@example.org", first_name="Carla")


@pytest.fixture
def cyril(db):
    return UserFactory(email="cyril@example.org", first_name="Cyril")


@pytest.fixture
def programme(draft, alice, carla, cyril):
    services.programme_publish(programme=draft, actor=alice)
    services.coordinator_add(programme=draft, user=carla, actor=alice)
    services.coordinator_add(programme=draft, user=cyril, actor=alice)
    return draft


@pytest.fixture
def vera(db):
    return UserFactory(email="vera@example.org", first_name="Vera", language="fr")


@pytest.fixture
def victor(db):
    return UserFactory(email="victor@example.org", first_name="Victor", language="en")


@pytest.fixture
def wendy(db):
    return UserFactory(email="wendy@example.org", first_name="Wendy", language="nl")


@pytest.fixture
def otto(db):
    return UserFactory(email="otto@example.org", first_name="Otto", is_operator=True)


def enrol(programme, user, territory, *, week=MONDAY, language="fr", actor=None):
    """Enrol `user` through the service, on the web."""
    return services.enrol(
        programme=programme,
        user=user,
        start_week=week,
        language=language,
        territory=territory,
        actor=actor or user,
        channel="web",
    )

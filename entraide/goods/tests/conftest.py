"""Personas of the goods tests.

brussels   the Brussels territory
shop       "Boulangerie du Sablon", a verified company giving surplus; sam administers it
restos     "Les Restos du Quartier", a verified association with a cold room; alice administers it
epicerie   "Épicerie Solidaire", a verified association without cold storage; bob administers it
olga       an operator (acts for callers by phone)
eve        a person with no organisation
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.testing.factories import BRUSSELS, UserFactory


@pytest.fixture
def brussels(db):
    """Return the Brussels territory."""
    return TerritoryFactory(name="Bruxelles-Capitale", time_zone="Europe/Brussels")


def _organisation(name: str, kind: str, territory, admin, lat_offset: float) -> Organisation:
    organisation = OrganisationFactory.create(
        name=name,
        kind=kind,
        territory=territory,
        status=Organisation.Status.VERIFIED,
        lat=BRUSSELS[0] + lat_offset,
        lon=BRUSSELS[1],
        town="Bruxelles",
        postcode="1000",
    )
    MembershipFactory(organisation=organisation, user=admin, role=Membership.Role.ADMINISTRATOR)
    return organisation


@pytest.fixture
def sam(db):
    return UserFactory(email="sam@example.org", first_name="Sam", language="fr")


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.org", first_name="Alice", language="en")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.org", first_name="Bob", language="nl")


@pytest.fixture
def olga(db):
    return UserFactory(email="olga@example.org", first_name="Olga", is_operator=True)


@pytest.fixture
def eve(db):
    return UserFactory(email="eve@example.org", first_name="Eve")


@pytest.fixture
def shop(brussels, sam) -> Organisation:
    return _organisation("Boulangerie du Sablon", "company", brussels, sam, 0.0)


@pytest.fixture
def restos(brussels, alice) -> Organisation:
    return _organisation("Les Restos du Quartier", "association", brussels, alice, 0.01)


@pytest.fixture
def epicerie(brussels, bob) -> Organisation:
    return _organisation("Épicerie Solidaire", "association", brussels, bob, 0.02)


@pytest.fixture
def window():
    """Return a pickup window from in an hour to in five hours."""
    now = timezone.now()
    return (now + timedelta(hours=1), now + timedelta(hours=5))


@pytest.fixture
def media(settings, tmp_path):
    """Store uploads in a folder of this test's own, so that tests see only their files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

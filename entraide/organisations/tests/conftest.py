"""Personas of the organisations' tests.

brussels     the Brussels-Capital territory; mona moderates it
wallonia     another territory; walter moderates it (and nothing in Brussels)
restos       "Les Restos du Quartier", an association in Brussels waiting for verification,
             administered by alice (a volunteer who also acts for the association)
"""

import pytest

from entraide.organisations.models import Membership, Organisation, Territory
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import UserFactory


@pytest.fixture
def brussels(db) -> Territory:
    """Return the Brussels territory."""
    return Territory.objects.create(name="Bruxelles-Capitale", country="BE")


@pytest.fixture
def wallonia(db) -> Territory:
    """Return the Walloon territory."""
    return Territory.objects.create(name="Wallonie", country="BE")


@pytest.fixture
def mona(brussels):
    """Return the moderator of the Brussels territory."""
    user = UserFactory(email="mona@example.org", first_name="Mona", language="en")
    brussels.moderators.add(user)
    return user


@pytest.fixture
def walter(wallonia):
    """Return the moderator of the Walloon territory only."""
    user = UserFactory(email="walter@example.org", first_name="Walter", language="fr")
    wallonia.moderators.add(user)
    return user


@pytest.fixture
def restos(brussels, alice) -> Organisation:
    """Return a pending Brussels association administered by alice."""
    organisation = OrganisationFactory.create(
        name="Les Restos du Quartier", slug="les-restos-du-quartier", territory=brussels
    )
    MembershipFactory(organisation=organisation, user=alice, role=Membership.Role.ADMINISTRATOR)
    return organisation

"""Missions personas: an association, its mission manager, and a territory moderator.

frank   mission manager of "Les Restos du Cœur" (verified), in Brussels
grace   moderator of the Brussels territory (not a member of any organisation)
alice, bob (volunteers) come from the project's conftest.
"""

import pytest

from entraide.missions.tests.factories import (
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.testing.factories import UserFactory


@pytest.fixture
def restos(db):
    """Return a verified association in Brussels."""
    return OrganisationFactory.create(name="Les Restos du Cœur", slug="restos")


@pytest.fixture
def frank(restos):
    """Return the mission manager of the association."""
    user = UserFactory.create(email="frank@example.org", first_name="Frank", language="en")
    MembershipFactory.create(organisation=restos, user=user)
    return user


@pytest.fixture
def grace(db):
    """Return the moderator of the Brussels territory."""
    user = UserFactory.create(email="grace@example.org", first_name="Grace")
    TerritoryFactory.create().moderators.add(user)
    return user


@pytest.fixture
def mission(restos):
    """Return a published mission of the association."""
    return MissionFactory.create(organisation=restos, title="Meals on wheels")


@pytest.fixture
def slot(mission):
    """Return an upcoming two-place slot of the mission."""
    return MissionSlotFactory.create(mission=mission, capacity=2)

"""Personas of the drop-off tests.

paris      the Paris territory (Europe/Paris); brussels the Brussels one (Europe/Brussels)
mairie     "Mairie du 11e", a verified town hall in Paris; hana is a member (a host)
staff      a staff member (sets up points for any organisation)
eve        a person with no organisation
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from entraide.dropoff import services
from entraide.dropoff.models import DropoffPoint
from entraide.goods.tests.factories import category
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.testing.factories import PARIS, UserFactory


@pytest.fixture(autouse=True)
def midday():
    """Run each test at midday today in Paris: points "open all day" close at 23:59."""
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    with time_machine.travel(datetime.combine(today, time(12), ZoneInfo("Europe/Paris"))):
        yield


@pytest.fixture
def paris(db):
    return TerritoryFactory(name="Paris", country="FR", time_zone="Europe/Paris")


@pytest.fixture
def brussels(db):
    return TerritoryFactory(name="Bruxelles-Capitale", time_zone="Europe/Brussels")


@pytest.fixture
def hana(db):
    return UserFactory(email="hana@example.org", first_name="Hana", language="fr")


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.org", first_name="Stan", is_staff=True)


@pytest.fixture
def eve(db):
    return UserFactory(email="eve@example.org", first_name="Eve")


@pytest.fixture
def mairie(paris, hana) -> Organisation:
    organisation = OrganisationFactory.create(
        name="Mairie du 11e",
        kind="public_body",
        territory=paris,
        status=Organisation.Status.VERIFIED,
        lat=PARIS[0],
        lon=PARIS[1],
        town="Paris",
        postcode="75011",
        country="FR",
    )
    MembershipFactory(organisation=organisation, user=hana, role=Membership.Role.MISSION_MANAGER)
    return organisation


@pytest.fixture
def point(mairie, paris, hana) -> DropoffPoint:
    return services.point_create(
        organisation=mairie,
        territory=paris,
        name="Mairie du 11e — hall",
        address="12 place Léon-Blum",
        postcode="75011",
        town="Paris",
        country="FR",
        categories=[category("textile")],
        step_free=True,
        actor=hana,
        channel="web",
    )

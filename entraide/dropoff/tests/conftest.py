"""Personas of the drop-off tests.

paris      the Paris territory (Europe/Paris); brussels the Brussels one (Europe/Brussels)
mairie     "Mairie du 11e", a verified town hall in Paris; hana is a member (a host)
staff      a staff member (sets up points for any organisation)
eve        a person with no organisation
rule       Paris's home-collection rule (postcodes 75 and 92, above 2 m³); slot one of its slots
"""

from datetime import datetime, time, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from entraide.dropoff import collection_services, services
from entraide.dropoff.collection_selectors import Estimate, estimate
from entraide.dropoff.models import (
    CatalogueItem,
    CollectionBooking,
    CollectionRule,
    CollectionSlot,
    DropoffPoint,
)
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


@pytest.fixture
def rule(paris) -> CollectionRule:
    """Paris collects furniture, appliances, clothes and books at home above 2 m³ in 75…."""
    if not CatalogueItem.objects.exists():
        # A transactional test (a race) flushes the tables, the migration's rows with them.
        category("furniture")
        import_module("entraide.dropoff.migrations.0004_seed_catalogue").seed(apps, None)
    made = CollectionRule.objects.create(territory=paris, postcodes="75, 92")
    made.categories.set(
        [category(code) for code in ("furniture", "appliances", "textile", "books")]
    )
    return made


def local(territory, days: int, hour: int) -> datetime:
    """Return the local hour of the day so many days from today in the territory."""
    today = datetime.now(territory.zone).date()
    return datetime.combine(today + timedelta(days=days), time(hour), territory.zone)


def open_slots(territory, actor, **changes) -> list[CollectionSlot]:
    """Open a slot three days from now, 9:00 to 12:00 local, for two (changes override)."""
    arguments = {
        "territory": territory,
        "starts_at": local(territory, 3, 9),
        "ends_at": local(territory, 3, 12),
        "capacity": 2,
        "actor": actor,
        "channel": "web",
        **changes,
    }
    return collection_services.slot_create(**arguments)


@pytest.fixture
def slot(rule, paris, staff) -> CollectionSlot:
    """Three days from now, 9:00 to 12:00 in Paris, for two collections."""
    [made] = open_slots(paris, staff)
    return made


def sofa_and_wardrobe() -> Estimate:
    """A sofa (1.2 m³) and a wardrobe (1.5 m³): 2.7 m³, too big for a point."""
    return estimate({"sofa": 1, "wardrobe": 1})


def book(slot: CollectionSlot, **changes) -> CollectionBooking:
    """Book the slot for Nadia at a Paris address (changes override any argument)."""
    arguments = {
        "slot_id": slot.pk,
        "estimate": sofa_and_wardrobe(),
        "address": "5 rue Oberkampf",
        "postcode": "75011",
        "town": "Paris",
        "country": "FR",
        "name": "Nadia",
        "email": "nadia@example.org",
        "phone": "06 12 34 56 78",
        "floor": 3,
        "has_lift": False,
        "donor": None,
        "actor": None,
        "channel": "web",
        **changes,
    }
    return collection_services.booking_create(**arguments)

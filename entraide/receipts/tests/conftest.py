"""Personas of the receipts tests: the goods personas, and what receipts add.

shop       "Boulangerie du Sablon", a verified company giving surplus; sam administers it
restos     "Les Restos du Quartier", a Brussels association; alice administers it
epicerie   "Épicerie Solidaire", another association; bob administers it
olga       an operator; eve a person with no organisation
paris      "Paris Solidarité", a French association of general interest; pierre administers it
"""

import pytest

from entraide.goods.tests.conftest import (  # noqa: F401 (fixtures shared with goods' tests)
    alice,
    bob,
    brussels,
    epicerie,
    eve,
    olga,
    restos,
    sam,
    shop,
    window,
)
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.receipts.models import Regime
from entraide.receipts.tests.helpers import issuer_for
from entraide.testing.factories import UserFactory


@pytest.fixture
def pierre(db):
    return UserFactory(email="pierre@example.org", first_name="Pierre", language="fr")


@pytest.fixture
def paris(db, pierre) -> Organisation:
    territory = TerritoryFactory(name="Paris", country="FR", time_zone="Europe/Paris")
    organisation = OrganisationFactory.create(
        name="Paris Solidarité",
        kind="association",
        territory=territory,
        status=Organisation.Status.VERIFIED,
        country="FR",
        town="Paris",
        postcode="75011",
    )
    MembershipFactory(organisation=organisation, user=pierre, role=Membership.Role.ADMINISTRATOR)
    issuer_for(organisation, pierre, country="FR", regime=Regime.FR_GENERAL_INTEREST)
    return organisation


@pytest.fixture
def restos_issuer(restos, alice):  # noqa: F811 (the imported fixtures)
    """Return the Brussels association's issuer profile (an acknowledgement, no tax)."""
    return issuer_for(restos, alice, country="BE", regime=Regime.BE_ACKNOWLEDGEMENT)

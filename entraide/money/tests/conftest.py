"""Personas of the money tests.

staff      a staff member (sets up funds, records contributions anywhere)
fiona      the fund's own staff (records its contributions)
eve        a person with no role
fund       "Fonds de solidarité", a fund with no money yet; fiona is its staff
"""

import pytest

from entraide.money import services
from entraide.money.models import Account, Fund
from entraide.testing.factories import UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.org", first_name="Stan", is_staff=True)


@pytest.fixture
def fiona(db):
    return UserFactory(email="fiona@example.org", first_name="Fiona", language="fr")


@pytest.fixture
def eve(db):
    return UserFactory(email="eve@example.org", first_name="Eve")


@pytest.fixture
def fund(staff, fiona) -> Fund:
    fund = services.fund_save(
        fund=Fund(
            name="Fonds de solidarité",
            slug="solidarite",
            purpose="Aider les professionnels en difficulté.",
            eligibility="Les professionnels indépendants.",
        ),
        actor=staff,
    )
    fund.managers.add(fiona)
    return fund


def wallet(key: str) -> Account:
    """Return an ordinary account (one that may not go below zero)."""
    return services.account_for(key=key, kind=Account.Kind.ORGANISATION, name=key)


def funded(key: str, cents: int) -> Account:
    """Return an ordinary account holding `cents`, given by the outside world."""
    account = wallet(key)
    services.transfer(
        kind="contribution",
        source=services.outside_account(),
        destination=account,
        amount_cents=cents,
        actor=None,
        channel="system",
    )
    return account

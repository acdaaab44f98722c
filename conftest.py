"""Personas shared by every test.

alice   volunteer in central Brussels, speaks French and English, radius 5 km
bob     volunteer in Brussels (Schaerbeek), speaks Dutch only, radius 5 km
charlie operator on the phone line (not a volunteer)
dave    staff member with access to the back office
eve     a visitor with no account (the requester); she never logs in
"""

import pytest
from django.utils import translation

from entraide.testing.factories import UserFactory, VolunteerProfileFactory


@pytest.fixture
def alice(db):
    """Return a French- and English-speaking volunteer in central Brussels."""
    user = UserFactory(email="alice@example.org", first_name="Alice", language="fr")
    VolunteerProfileFactory(user=user, languages=["fr", "en"], lat=50.8467, lon=4.3525)
    return user


@pytest.fixture
def bob(db):
    """Return a Dutch-speaking volunteer in Schaerbeek, about 3 km from alice."""
    user = UserFactory(email="bob@example.org", first_name="Bob", language="nl")
    VolunteerProfileFactory(user=user, languages=["nl"], lat=50.8676, lon=4.3773)
    return user


@pytest.fixture
def charlie(db):
    """Return an operator of the phone line."""
    return UserFactory(email="charlie@example.org", first_name="Charlie", is_operator=True)


@pytest.fixture
def dave(db):
    """Return a staff member (back office)."""
    return UserFactory(
        email="dave@example.org", first_name="Dave", is_staff=True, is_superuser=True
    )


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise():
    """Start every test in English: the active language would otherwise leak between tests."""
    translation.activate("en")
    yield
    translation.deactivate()

"""Clients for the personas: each logs in with HTTP Basic, as an API client would."""

import base64

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Start every test with empty rate-limit counters (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


# The password every UserFactory user gets.
FACTORY_PASSWORD = "password"  # noqa: S105


def basic_client(email: str) -> APIClient:
    """Return an API client that sends HTTP Basic credentials."""
    client = APIClient()
    token = base64.b64encode(f"{email}:{FACTORY_PASSWORD}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return client


@pytest.fixture
def anon():
    """Return a client with no credentials (eve, the requester)."""
    return APIClient()


@pytest.fixture
def as_alice(alice):
    """Return a client logged in as alice, a volunteer."""
    return basic_client(alice.email)


@pytest.fixture
def as_bob(bob):
    """Return a client logged in as bob, another volunteer."""
    return basic_client(bob.email)


@pytest.fixture
def as_charlie(charlie):
    """Return a client logged in as charlie, an operator."""
    return basic_client(charlie.email)


@pytest.fixture
def as_dave(dave):
    """Return a client logged in as dave, staff."""
    return basic_client(dave.email)

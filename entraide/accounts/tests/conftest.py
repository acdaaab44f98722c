"""Helpers for the accounts tests."""

import re

import pytest

LINK = re.compile(r"http://testserver/\S+")


def link_in(message) -> str:
    """Return the one link of an email body."""
    links = LINK.findall(message.body)
    assert len(links) == 1, message.body
    return links[0].removeprefix("http://testserver")


@pytest.fixture
def signup_data() -> dict:
    """Return a complete, valid sign-up form."""
    return {
        "email": "Zoe@Example.org",
        "password": "a-long-Secret-42",
        "password_confirm": "a-long-Secret-42",
        "first_name": "Zoé",
        "language": "nl",
        "town": "Bruxelles",
        "radius_km": "4",
        "languages": ["nl", "fr"],
        "consent": "on",
    }

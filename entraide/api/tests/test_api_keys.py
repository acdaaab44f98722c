"""Personal API keys: `Authorization: Bearer <key>` works like the owner's password, no more."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.accounts import services
from entraide.accounts.models import ApiToken
from entraide.accounts.services import api_keys
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def bearer(key: str) -> APIClient:
    """Return an API client that sends an API key."""
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_a_key_acts_as_its_owner_with_the_owners_rights(alice):
    _token, key = services.api_token_create(user=alice, name="script", lifetime_days=30)
    client = bearer(key)

    assert client.get("/api/volunteer/profile/").status_code == 200
    assert client.get("/api/operators/queue/").status_code == 403  # alice is no operator
    # Writes need no CSRF token: a key is not a browser session.
    help_request = HelpRequestFactory.create(languages=["fr"])
    assert client.post(f"/api/help-requests/{help_request.public_id}/take/").status_code == 200


def test_it_notes_when_a_key_was_last_used_at_most_once_a_minute(alice):
    token, key = services.api_token_create(user=alice, name="script", lifetime_days=None)
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False):
        bearer(key).get("/api/volunteer/profile/")
    with time_machine.travel("2026-11-22 10:00:30+00:00", tick=False):
        bearer(key).get("/api/volunteer/profile/")
    token.refresh_from_db()
    assert token.last_used_at == datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    with time_machine.travel("2026-11-22 10:01:30+00:00", tick=False):
        bearer(key).get("/api/volunteer/profile/")
    token.refresh_from_db()
    assert token.last_used_at == datetime(2026, 11, 22, 10, 1, 30, tzinfo=UTC)


def test_keys_whose_random_part_holds_underscores_work(alice, monkeypatch):
    monkeypatch.setattr(api_keys.secrets, "token_urlsafe", lambda n: "a_b_c-d" * 4)
    _token, key = services.api_token_create(user=alice, name="script", lifetime_days=30)
    assert key.count("_") > 2
    assert bearer(key).get("/api/volunteer/profile/").status_code == 200


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer ent_00000000_nope", "This API key is not valid."),
        ("Bearer something-else", "This API key is not valid."),
        ("Bearer ent_00000000_" + "x" * 5000, "This API key is not valid."),
        ("Bearer", "Send the key as 'Authorization: Bearer <key>', with no space in the key."),
        (
            "Bearer two parts",
            "Send the key as 'Authorization: Bearer <key>', with no space in the key.",
        ),
    ],
)
def test_a_bad_key_gets_a_clear_401(alice, header, message):
    services.api_token_create(user=alice, name="script", lifetime_days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en")

    response = client.get("/api/volunteer/profile/")

    assert response.status_code == 401
    assert response.json()["detail"] == message


def test_the_refusal_speaks_the_clients_language(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer ent_00000000_x", HTTP_ACCEPT_LANGUAGE="nl")
    assert client.get("/api/volunteer/profile/").json()["detail"] == (
        "Deze API-sleutel is niet geldig."
    )


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(alice):
    _token, key = services.api_token_create(user=alice, name="script", lifetime_days=30)
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert bearer(forged).get("/api/volunteer/profile/").status_code == 401


def test_revoked_and_expired_keys_and_inactive_owners_are_refused(alice, bob):
    token, key = services.api_token_create(user=alice, name="old", lifetime_days=30)
    services.api_token_revoke(token=token, actor=alice)
    response = bearer(key).get("/api/volunteer/profile/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key has been revoked."

    _token, key = services.api_token_create(user=alice, name="short", lifetime_days=30)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = bearer(key).get("/api/volunteer/profile/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key has expired."

    _token, key = services.api_token_create(user=bob, name="bob", lifetime_days=None)
    bob.is_active = False
    bob.save()
    assert bearer(key).get("/api/volunteer/profile/").status_code == 401


def test_only_a_hash_of_the_key_is_stored(alice):
    token, key = services.api_token_create(user=alice, name="script", lifetime_days=30)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert key.startswith(f"ent_{token.prefix}_")


def test_the_schema_declares_the_bearer_scheme(anon):
    schema = anon.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API key.",
    }


@pytest.mark.parametrize(
    "header",
    [
        "Basic " + base64.b64encode(b"\x00alice@example.org:secret").decode(),
        "Basic " + base64.b64encode(b"alice@example.org:se\x00cret").decode(),
        "Bearer ent_abcdefgh_\x00secret",
        "Bearer ent_abcd\x00fgh_secret",
    ],
)
def test_credentials_holding_a_nul_are_refused_not_crashed_on(header):
    # PostgreSQL cannot compare text holding a NUL: the lookup would be a server error.
    response = APIClient().get("/api/volunteer/profile/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["detail"]

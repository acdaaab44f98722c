"""The "My API keys" page and the key services: create, show once, list, revoke, limits."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from entraide.accounts import services
from entraide.accounts.models import ApiToken, User
from entraide.core.errors import DomainError
from entraide.testing.concurrency import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    """Return the page's address, in the language the test runs in (English)."""
    return reverse("accounts:api_tokens")


def test_it_creates_a_key_and_shows_it_once(client, alice, url):
    client.force_login(alice)
    created = client.post(url, {"name": "Our spreadsheet", "lifetime_days": "90"})
    assert created.status_code == 302  # reloading the next page cannot create a second key
    response = client.get(created["Location"])

    assert response["Cache-Control"] == "no-store"
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=alice)
    assert key.startswith(f"ent_{token.prefix}_")
    assert key in response.content.decode()
    assert token.expires_at is not None
    assert abs(token.expires_at - token.created_at - timedelta(days=90)) < timedelta(minutes=1)
    again = client.get(url)
    assert key not in again.content.decode()
    assert "Our spreadsheet" in again.content.decode()


def test_a_key_without_an_end_date(client, alice, url):
    client.force_login(alice)
    client.post(url, {"name": "Forever", "lifetime_days": ""})
    assert ApiToken.objects.get(user=alice).expires_at is None


def test_bad_input_gets_every_error_and_saves_nothing(client, alice, url):
    client.force_login(alice)
    response = client.post(url, {"name": "  ", "lifetime_days": "7"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "lifetime_days"}
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_blank_name_or_an_odd_duration(alice):
    with pytest.raises(ValidationError) as caught:
        services.api_token_create(user=alice, name=" ", lifetime_days=12)
    assert set(caught.value.message_dict) == {"name", "lifetime_days"}


def test_it_limits_the_active_keys_per_person(client, alice, url):
    for i in range(services.MAX_ACTIVE_API_TOKENS):
        services.api_token_create(user=alice, name=f"key {i}", lifetime_days=30)
    client.force_login(alice)

    response = client.post(url, {"name": "one more", "lifetime_days": "30"})

    assert "revoke one before creating another" in response.content.decode()
    assert ApiToken.objects.count() == services.MAX_ACTIVE_API_TOKENS
    services.api_token_revoke(token=ApiToken.objects.earliest("pk"), actor=alice)
    client.post(url, {"name": "one more", "lifetime_days": "30"})
    assert ApiToken.objects.count() == services.MAX_ACTIVE_API_TOKENS + 1


def test_an_owner_revokes_a_key_and_nobody_else_can(client, alice, bob):
    token, _key = services.api_token_create(user=alice, name="script", lifetime_days=30)
    client.force_login(bob)
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert client.post(url).status_code == 404
    with pytest.raises(DomainError):
        services.api_token_revoke(token=token, actor=bob)
    token.refresh_from_db()
    assert token.revoked_at is None

    client.force_login(alice)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = response.content.decode()
    assert "The key “script” no longer works." in page
    assert "<td>revoked</td>" in page.replace("\n", "").replace("    ", "")


def test_the_page_needs_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_staff_revoke_keys_from_the_back_office(client, dave, alice):
    token, _key = services.api_token_create(user=alice, name="leaked", lifetime_days=30)
    client.force_login(dave)
    changelist = reverse("admin:accounts_apitoken_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_key_limit_when_keys_are_created_at_once(alice):
    for i in range(services.MAX_ACTIVE_API_TOKENS - 1):
        services.api_token_create(user=alice, name=f"key {i}", lifetime_days=None)

    outcomes = run_at_once(
        [
            lambda: services.api_token_create(
                user=User.objects.get(pk=alice.pk), name="one more", lifetime_days=30
            )
            for _ in range(4)
        ]
    )

    assert sum(isinstance(o, tuple) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, DomainError)] == ["too_many_keys"] * 3
    assert ApiToken.objects.filter(user=alice).count() == services.MAX_ACTIVE_API_TOKENS

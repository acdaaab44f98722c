"""Brute-force lockout: five failures lock an address on every form and the API, for a while."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone, translation

from entraide.accounts import services
from entraide.accounts.lockout import lockout_message
from entraide.api.tests.conftest import basic_client

pytestmark = pytest.mark.django_db
LOGIN = "/en/accounts/login/"
FACTORY_PASSWORD = "password"  # noqa: S105 - what UserFactory sets


def _fail(client, email: str, times: int = 4, path: str = LOGIN):
    """Fail to log in `times` times: below the limit, the form comes back with its error."""
    for _ in range(times):
        answer = client.post(path, {"username": email, "password": "wrong"})
        assert answer.status_code == 200
    return answer


def _lock(client, email: str, path: str = LOGIN):
    """Fail five times: the fifth failure is answered with the lock."""
    _fail(client, email, path=path)
    locked = client.post(path, {"username": email, "password": "wrong"})
    assert locked.status_code == 429
    return locked


def _log_in(client, email: str, password: str = FACTORY_PASSWORD, path: str = LOGIN):
    return client.post(path, {"username": email, "password": password})


def test_five_failures_lock_the_address_even_with_the_right_password(client, alice):
    assert reverse("accounts:login") == LOGIN
    _lock(client, "alice@example.org")

    locked = _log_in(client, "Alice@Example.org")

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert "Too many failed log-ins for this email address. Try again in 15 minutes" in page
    assert reverse("accounts:password_reset") in page
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_is_locked_the_same_way(client):
    _lock(client, "nobody@example.org")

    locked = _log_in(client, "nobody@example.org")

    assert locked.status_code == 429 and "Too many failed log-ins" in locked.content.decode()


def test_the_lock_is_per_address_and_a_success_clears_the_count(alice, bob):
    from django.test import Client

    _fail(Client(), "alice@example.org")
    assert _log_in(Client(), "alice@example.org").status_code == 302
    _fail(Client(), "alice@example.org")
    assert _log_in(Client(), "alice@example.org").status_code == 302

    _lock(Client(), "bob@example.org")
    assert _log_in(Client(), "bob@example.org").status_code == 429
    assert _log_in(Client(), "alice@example.org").status_code == 302


def test_the_lock_ends_after_its_cool_off(client, alice):
    _lock(client, "alice@example.org")
    assert _log_in(client, "alice@example.org").status_code == 429

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _log_in(client, "alice@example.org").status_code == 302


def test_the_api_answers_429_in_json_with_retry_after(alice):
    client = basic_client("alice@example.org")
    wrong = basic_client("alice@example.org")
    wrong.credentials(HTTP_AUTHORIZATION="Basic YWxpY2VAZXhhbXBsZS5vcmc6d3Jvbmc=")  # :wrong
    for _ in range(4):
        assert wrong.get("/api/volunteer/profile/").status_code == 401
    assert wrong.get("/api/volunteer/profile/").status_code == 429

    locked = client.get("/api/volunteer/profile/")

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked.json()["code"] == "locked_out"
    with translation.override("fr"):  # alice reads French
        assert locked.json()["detail"] == lockout_message(15)


def test_failures_on_the_back_office_log_in_count_too(client, dave):
    path = "/en/backoffice/login/"
    _lock(client, "dave@example.org", path=path)

    assert _log_in(client, "dave@example.org", path=path).status_code == 429


def test_the_locked_page_is_translated(client, alice):
    _lock(client, "alice@example.org", path="/fr/accounts/login/")

    locked = _log_in(client, "alice@example.org", path="/fr/accounts/login/")

    assert locked.status_code == 429
    assert 'lang="fr"' in locked.content.decode()
    assert "Too many failed" not in locked.content.decode()


def test_a_new_password_lifts_the_lock(client, alice):
    _lock(client, "alice@example.org")

    services.user_set_password(user=alice, password="a-new-long-password-9", from_emailed_link=True)

    assert _log_in(client, "alice@example.org", "a-new-long-password-9").status_code == 302


def test_staff_lift_a_lock_in_the_back_office(client, alice, dave):
    _lock(client, "alice@example.org")
    client.force_login(dave)
    changelist = reverse("admin:axes_accessattempt_changelist")
    listed = client.get(changelist).content.decode()
    assert "alice@example.org" in listed

    done = client.post(
        changelist,
        {"action": "unlock", "_selected_action": [a.pk for a in AccessAttempt.objects.all()]},
        follow=True,
    )

    assert "1 address can log in again." in done.content.decode()
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert _log_in(client, "alice@example.org").status_code == 302

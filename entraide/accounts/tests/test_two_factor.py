"""Two-factor log-in: staff, operators and moderators set up an app, then confirm each log-in."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from entraide.accounts.services import two_factor
from entraide.api.tests.conftest import basic_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def _code(device: TOTPDevice, *, later: int = 0) -> str:
    """Return the code the person's app shows now (or `later` steps on)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + later * device.step
    return f"{totp.token():06d}"


def _set_up(client, user) -> list[str]:
    """Log the person in and set up their app through the pages; return the recovery codes."""
    client.force_login(user)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=user)
    answer = client.post(reverse("accounts:two_factor"), {"code": _code(device)})
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    return [c.replace("-", "") for c in re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)]


def test_an_operator_is_held_at_the_set_up_page_until_the_app_is_confirmed(client, charlie):
    client.force_login(charlie)

    held = client.get("/en/operators/")
    assert held.status_code == 302
    assert held["Location"] == "/en/accounts/two-factor/?next=%2Fen%2Foperators%2F"
    setup = client.get(held["Location"]).content.decode()
    assert "Set up two-factor log-in" in setup
    assert reverse("accounts:two_factor_qr") in setup
    qr = client.get(reverse("accounts:two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    wrong = client.post(held["Location"], {"code": "123456"})
    assert wrong.status_code == 200 and "not the one your app shows" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=charlie).confirmed

    device = TOTPDevice.objects.get(user=charlie)
    done = client.post(held["Location"], {"code": _code(device), "next": "/en/operators/"})
    assert done.status_code == 302 and done["Location"].startswith(
        "/en/accounts/two-factor/recovery/"
    )
    recovery = client.get(done["Location"]).content.decode()
    assert len(re.findall(r"<code>[a-z0-9]{5}-[a-z0-9]{5}</code>", recovery)) == 10
    assert client.get("/en/operators/").status_code == 200
    # Shown once: the page does not show them again.
    assert "<code>" not in client.get(reverse("accounts:two_factor_recovery")).content.decode()


def test_the_next_log_in_asks_for_a_code_and_a_recovery_code_works_once(client, dave):
    codes = _set_up(client, dave)
    client.logout()
    client.force_login(dave)

    assert client.get("/en/backoffice/").status_code == 302
    verify = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Confirm it is you" in verify

    used = client.post(reverse("accounts:two_factor"), {"code": codes[0][:5] + "-" + codes[0][5:]})
    assert used.status_code == 302
    assert client.get("/en/backoffice/").status_code == 200
    client.logout()
    client.force_login(dave)
    again = client.post(reverse("accounts:two_factor"), {"code": codes[0]})
    assert again.status_code == 200 and "not valid" in again.content.decode()
    assert StaticToken.objects.filter(device__user=dave).count() == 9


def test_the_app_code_confirms_a_log_in_and_the_next_is_kept(client, charlie):
    _set_up(client, charlie)
    client.logout()
    client.force_login(charlie)
    device = TOTPDevice.objects.get(user=charlie)

    answer = client.post(
        reverse("accounts:two_factor"), {"code": _code(device, later=1), "next": "/en/operators/"}
    )

    assert answer.status_code == 302 and answer["Location"] == "/en/operators/"
    unsafe = client.post(
        reverse("accounts:two_factor"),
        {"code": _code(device, later=2), "next": "https://evil.example/"},
    )
    assert unsafe["Location"] == "/"


def test_a_volunteer_is_not_asked(client, alice):
    client.force_login(alice)

    assert client.get("/en/volunteer/").status_code == 200


def test_the_api_refuses_a_password_for_them_and_takes_an_api_key(charlie, bob):
    refused = basic_client("charlie@example.org").get("/api/operators/queue/")
    assert refused.status_code == 401
    assert "API" in refused.json()["detail"]  # in charlie's language: use an API key
    assert basic_client("bob@example.org").get("/api/volunteer/profile/").status_code == 200

    from rest_framework.test import APIClient

    from entraide.accounts.services import api_token_create

    _token, key = api_token_create(user=charlie, name="console", lifetime_days=30)
    with_key = APIClient()
    with_key.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert with_key.get("/api/operators/queue/").status_code == 200


def test_an_unverified_session_gets_403_on_the_api(client, charlie):
    client.force_login(charlie)

    answer = client.get("/api/operators/queue/")

    assert answer.status_code == 403 and answer.json()["code"] == "two_factor_required"


def test_staff_reset_a_lost_phone_and_the_person_sets_up_again(client, charlie, dave):
    _set_up(client, charlie)
    other = client.__class__()
    _set_up(other, dave)

    done = other.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [charlie.pk]},
        follow=True,
    )

    assert "1 person will set up two-factor log-in again" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=charlie).exists()
    client.logout()
    client.force_login(charlie)
    assert "Set up two-factor log-in" in client.get(reverse("accounts:two_factor")).content.decode()


def test_a_new_app_replaces_the_old_one_and_renewing_codes_voids_the_old(charlie):
    two_factor.totp_start(user=charlie)
    device, first = two_factor.totp_confirm(
        user=charlie, code=_code(TOTPDevice.objects.get(user=charlie))
    )

    second = two_factor.recovery_codes_renew(user=charlie)

    assert set(first).isdisjoint(second)
    with pytest.raises(ValidationError, match="not valid"):
        two_factor.two_factor_check(user=charlie, code=first[0])
    # Right after a wrong code each device waits a second: said, not "not valid".
    with pytest.raises(ValidationError, match="wait a few seconds"):
        two_factor.two_factor_check(user=charlie, code=second[0])
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        assert two_factor.two_factor_check(user=charlie, code=second[0]).name == "recovery"

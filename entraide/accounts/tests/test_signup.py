from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from entraide.accounts import services
from entraide.accounts.models import User
from entraide.accounts.tests.conftest import link_in
from entraide.core.errors import DomainError
from entraide.notifications.models import Notification
from entraide.volunteers import services as volunteer_services
from entraide.volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def test_it_shows_the_signup_page(client):
    response = client.get(reverse("volunteers:signup"))
    assert response.status_code == 200
    assert b'name="consent"' in response.content
    assert b'<label for="id_email"' in response.content


def test_it_creates_the_account_and_profile_and_logs_in(
    client, signup_data, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("volunteers:signup"), signup_data)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:dashboard")
    user = User.objects.get()
    assert user.email == "zoe@example.org"
    assert user.language == "nl"
    assert user.email_verified_at is None
    assert user.check_password("a-long-Secret-42")
    assert client.session["_auth_user_id"] == str(user.pk)
    profile = VolunteerProfile.objects.get(user=user)
    assert profile.town == "Bruxelles"
    assert profile.radius_km == 4
    assert profile.languages == ["nl", "fr"]
    assert profile.consented_at is not None
    assert profile.lat == pytest.approx(50.85, abs=0.05)
    assert profile.cell is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["zoe@example.org"]
    # The link is in the volunteer's language, whatever page they signed up on.
    assert link_in(mailoutbox[0]).startswith("/nl/accounts/verify/")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": ""}, "consent"),
        ({"town": "Nowhereville-sur-Rien"}, "town"),
        ({"password_confirm": "something-else-42"}, "password_confirm"),
        ({"password": "12345678", "password_confirm": "12345678"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"languages": ["xx"]}, "languages"),
        ({"radius_km": "500"}, "radius_km"),
    ],
)
def test_it_shows_field_errors_and_saves_nothing(client, signup_data, change, field):
    response = client.post(reverse("volunteers:signup"), {**signup_data, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert b'class="error-summary"' in response.content
    assert not User.objects.exists()
    assert not Notification.objects.exists()


def test_it_refuses_an_address_already_used_whatever_its_case(client, alice, signup_data):
    response = client.post(
        reverse("volunteers:signup"), {**signup_data, "email": "ALICE@example.ORG"}
    )
    assert response.status_code == 400
    assert "already exists" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


def _sign_up(**overrides) -> User:
    data = {
        "email": "zoe@example.org",
        "password": "a-long-Secret-42",
        "first_name": "Zoé",
        "language": "fr",
        "town": "Bruxelles",
        "radius_km": 3,
        "languages": ["fr"],
        "consent": True,
    }
    return volunteer_services.volunteer_sign_up(**{**data, **overrides})


def test_it_rejects_a_sign_up_without_consent_in_the_service():
    with pytest.raises(ValidationError) as exc:
        _sign_up(consent=False)
    assert "consent" in exc.value.message_dict


def test_it_verifies_the_address_from_the_emailed_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _sign_up()
    response = client.get(link_in(mailoutbox[0]))
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_it_keeps_the_first_verification_time_when_the_link_is_opened_twice(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = _sign_up()
    token = Notification.objects.get(recipient=user).context["verify_url"].split("/")[-2]
    first = services.user_verify_email(token=token).email_verified_at
    assert services.user_verify_email(token=token).email_verified_at == first


def test_it_refuses_an_expired_verification_link():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        user = _sign_up()
        url = Notification.objects.get(recipient=user).context["verify_url"]
        token = url.split("/")[-2]
        traveller.shift(timedelta(days=8))
        with pytest.raises(DomainError) as exc:
            services.user_verify_email(token=token)
    assert exc.value.code == "expired"
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_it_refuses_a_tampered_verification_link(client):
    user = _sign_up()
    token = Notification.objects.get(recipient=user).context["verify_url"].split("/")[-2]
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(reverse("accounts:verify", kwargs={"token": tampered}))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_it_refuses_a_link_sent_to_a_former_address():
    user = _sign_up()
    token = Notification.objects.get(recipient=user).context["verify_url"].split("/")[-2]
    User.objects.filter(pk=user.pk).update(email="new@example.org")
    with pytest.raises(DomainError) as exc:
        services.user_verify_email(token=token)
    assert exc.value.code == "invalid"


def test_it_sends_a_new_link_on_request(client):
    user = _sign_up()
    client.force_login(user)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        response = client.post(reverse("accounts:resend_verification"))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=user, template="account_verify_email").count() == 2


def test_it_sends_no_verification_link_once_verified(alice):
    assert services.user_send_verification(user=alice) is None


def test_the_old_signup_address_sends_people_to_the_volunteers_page(client):
    response = client.get("/fr/accounts/signup/?from=flyer")

    assert response.status_code == 301
    assert response["Location"] == "/fr/volunteer/signup/?from=flyer"

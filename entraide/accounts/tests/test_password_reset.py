import pytest
from django.urls import reverse

from entraide.accounts.models import User
from entraide.accounts.services import user_invite
from entraide.accounts.tests.conftest import link_in
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _choose(client, link: str, password: str):
    """Open an emailed link and choose a password; return the final response."""
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token out of the URL first
    form_url = response["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_it_resets_a_password_from_the_emailed_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    user = UserFactory.create(email="nora@example.org", language="en", email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "NORA@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nora@example.org"]
    link = link_in(mailoutbox[0])
    assert link.startswith("/en/accounts/password/reset/")

    response = _choose(client, link, "brand-New-secret-9")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("brand-New-secret-9")
    # The link reached the mailbox, so the address is proven.
    assert user.email_verified_at is not None
    # Through the log-in form: the lockout's backend needs the request Client.login omits.
    logged_in = client.post(
        reverse("accounts:login"),
        {"username": "nora@example.org", "password": "brand-New-secret-9"},
    )
    assert logged_in.status_code == 302 and "_auth_user_id" in client.session
    client.logout()

    # The link works only once.
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_it_does_not_say_whether_an_address_has_an_account(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_it_refuses_a_weak_new_password(
    client, alice, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    response = _choose(client, link_in(mailoutbox[0]), "123")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    alice.refresh_from_db()
    assert alice.check_password("password")


def test_it_lets_an_invited_person_choose_a_password_and_logs_them_in(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(email="Paul@Example.org", first_name="Paul", language="nl")
    assert not user.has_usable_password()
    assert mailoutbox[0].to == ["paul@example.org"]
    link = link_in(mailoutbox[0])
    assert link.startswith("/nl/accounts/welcome/")

    response = _choose(client, link, "brand-New-secret-9")
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:dashboard")
    user = User.objects.get(pk=user.pk)
    assert user.check_password("brand-New-secret-9")
    assert user.email_verified_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_sends_a_reset_link_to_an_invited_person_who_lost_the_invitation(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    user_invite(email="paul@example.org", first_name="Paul", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "paul@example.org"})
    assert [m.to for m in mailoutbox] == [["paul@example.org"]]
    assert link_in(mailoutbox[0]).startswith("/fr/accounts/password/reset/")

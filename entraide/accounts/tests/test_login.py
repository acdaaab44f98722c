import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_the_login_page(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'<label for="id_username"' in response.content
    assert b'autocomplete="email"' in response.content


def test_it_logs_in_with_the_email_whatever_its_case(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": " Alice@Example.ORG ", "password": "password"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_it_refuses_a_wrong_password(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert b'class="error-summary"' in response.content
    assert "_auth_user_id" not in client.session


def test_it_logs_out_with_a_post_only(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_changes_the_password_when_logged_in(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "password",
            "new_password1": "another-Secret-77",
            "new_password2": "another-Secret-77",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-Secret-77")


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "alice@example.org\x00", "password": "password"},
        {"username": "alice@example.org", "password": "pass\x00word"},
    ],
)
def test_it_refuses_credentials_holding_a_nul_without_a_server_error(client, alice, credentials):
    # PostgreSQL cannot look up text holding a NUL; the form must refuse it first.
    response = client.post(reverse("accounts:login"), credentials)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session

"""One-click unsubscribe and the choice of how often to hear from us, with a signed link."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from entraide.notifications.delivery import unsubscribe_token

pytestmark = pytest.mark.django_db


def _mode(user) -> str:
    user.volunteer_profile.refresh_from_db()
    return user.volunteer_profile.notification_mode


def test_it_asks_before_unsubscribing(client, alice):
    with translation.override(alice.language):  # emails link to pages in the recipient's language
        url = reverse("notifications:unsubscribe", args=[unsubscribe_token(alice)])
    response = client.get(url)
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert b'<html lang="fr">' in response.content
    assert _mode(alice) == "immediate"


def test_it_unsubscribes_with_the_button(alice):
    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(alice)
    response = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert _mode(alice) == "none"
    assert reverse("notifications:preferences", args=[token]).encode() in response.content


def test_it_accepts_a_mail_clients_one_click_post(alice):
    client = Client(enforce_csrf_checks=True)
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(alice)])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _mode(alice) == "none"


@pytest.mark.parametrize("view", ["notifications:unsubscribe", "notifications:preferences"])
def test_it_refuses_a_tampered_token(client, alice, bob, view):
    token = unsubscribe_token(alice)
    value, signature = token.split(":", 1)
    forged = unsubscribe_token(bob).split(":", 1)[0] + ":" + signature
    for bad in [forged, token[:-2] + "xx", "nonsense"]:
        assert client.get(reverse(view, args=[bad])).status_code == 404
        assert client.post(reverse(view, args=[bad]), {"mode": "none"}).status_code == 404
    assert _mode(alice) == "immediate"
    assert _mode(bob) == "immediate"


def test_it_refuses_a_token_of_someone_who_is_not_a_volunteer(client, charlie):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(charlie)])
    assert client.post(url).status_code == 404


def test_it_lets_the_volunteer_choose_again(client, alice):
    alice.volunteer_profile.notification_mode = "none"
    alice.volunteer_profile.save()
    url = reverse("notifications:preferences", args=[unsubscribe_token(alice)])
    page = client.get(url)
    assert page.status_code == 200
    assert b'for="id_mode_1"' in page.content
    response = client.post(url, {"mode": "digest"})
    assert response.status_code == 302
    assert _mode(alice) == "digest"


def test_it_shows_a_field_error_for_an_unknown_choice(client, alice):
    url = reverse("notifications:preferences", args=[unsubscribe_token(alice)])
    response = client.post(url, {"mode": "hourly"})
    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert _mode(alice) == "immediate"

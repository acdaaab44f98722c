"""GET/POST /api/track/<token>/: the requester follows, cancels or confirms without an account."""

import pytest
from django.utils import timezone

from entraide.help_requests.models import HelpRequestEvent, Status
from entraide.testing.factories import HelpRequestFactory

PRIVATE_KEYS = {"requester_name", "requester_phone", "requester_email", "address", "lat", "lon"}


def url(token: str) -> str:
    """Return the tracking endpoint for a token."""
    return f"/api/track/{token}/"


def taken_request(volunteer, **fields):
    """Return a request that this volunteer holds."""
    return HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=volunteer, taken_at=timezone.now(), **fields
    )


@pytest.mark.django_db
def test_it_shows_the_status_and_public_history(anon, alice):
    help_request = taken_request(alice)
    HelpRequestEvent.objects.create(
        help_request=help_request,
        kind=HelpRequestEvent.Kind.TAKEN,
        channel="web",
        actor=alice,
        to_status="taken",
        reason="private words",
    )

    response = anon.get(url(help_request.tracking_token))

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == help_request.reference
    assert body["status"] == "taken"
    assert body["can_cancel"] is True
    assert body["can_confirm"] is True
    assert [e["event"] for e in body["history"]] == ["taken"]
    assert set(body["history"][0]) == {"event", "event_label", "to_status", "at"}
    assert not PRIVATE_KEYS & set(body)
    assert "taken_by" not in body
    assert "alice" not in response.content.decode().lower()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["nope", "x" * 300, "%00"])
def test_it_answers_404_to_an_unknown_token(anon, token):
    response = anon.get(url(token))

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.django_db
def test_it_lets_the_requester_cancel(anon):
    help_request = HelpRequestFactory.create()

    response = anon.post(
        url(help_request.tracking_token), {"action": "cancel", "reason": "Sorted"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    help_request.refresh_from_db()
    assert help_request.status == Status.CANCELLED
    event = help_request.events.get(kind=HelpRequestEvent.Kind.CANCELLED)
    assert (event.channel, event.reason, event.actor) == ("api", "Sorted", None)


@pytest.mark.django_db
def test_it_lets_the_requester_confirm_the_help(anon, alice):
    help_request = taken_request(alice)

    response = anon.post(url(help_request.tracking_token), {"action": "confirm"}, format="json")

    assert response.status_code == 200
    help_request.refresh_from_db()
    assert help_request.status == Status.DONE
    assert help_request.confirmed_at is not None


@pytest.mark.django_db
def test_it_answers_409_when_confirming_a_request_nobody_took(anon):
    help_request = HelpRequestFactory.create()

    response = anon.post(url(help_request.tracking_token), {"action": "confirm"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    help_request.refresh_from_db()
    assert help_request.status == Status.NEW


@pytest.mark.django_db
def test_it_answers_409_when_cancelling_a_closed_request(anon):
    help_request = HelpRequestFactory.create(status=Status.CANCELLED, closed_at=timezone.now())

    response = anon.post(url(help_request.tracking_token), {"action": "cancel"}, format="json")

    assert response.status_code == 409


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"action": "delete"}, {"action": ["cancel"]}])
def test_it_refuses_an_unknown_action(anon, body):
    help_request = HelpRequestFactory.create()

    response = anon.post(url(help_request.tracking_token), body, format="json")

    assert response.status_code == 400
    assert "action" in response.json()
    help_request.refresh_from_db()
    assert help_request.status == Status.NEW


@pytest.mark.django_db
def test_it_needs_no_csrf_token_even_for_a_logged_in_browser(alice):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    help_request = HelpRequestFactory.create()

    response = client.post(url(help_request.tracking_token), {"action": "cancel"}, format="json")

    assert response.status_code == 200

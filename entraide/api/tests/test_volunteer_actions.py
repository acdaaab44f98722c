"""Take, release and done: the volunteer's actions on a request."""

import pytest
from django.utils import timezone

from entraide.help_requests.models import HelpRequestEvent, Status
from entraide.testing.factories import HelpRequestFactory


def url(help_request, action: str) -> str:
    """Return the endpoint of an action on a request."""
    return f"/api/help-requests/{help_request.public_id}/{action}/"


@pytest.mark.django_db
def test_it_lets_a_volunteer_take_an_open_request_and_see_the_contact(as_alice, alice):
    help_request = HelpRequestFactory.create(address="Rue Haute 1")

    response = as_alice.post(url(help_request, "take"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "taken"
    assert body["requester_phone"] == help_request.requester_phone
    assert body["address"] == "Rue Haute 1"
    help_request.refresh_from_db()
    assert help_request.taken_by == alice
    assert help_request.events.get().channel == "api"


@pytest.mark.django_db
def test_it_answers_409_when_the_request_was_already_taken(as_bob, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_bob.post(url(help_request, "take"))

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "requester_phone" not in response.json()
    help_request.refresh_from_db()
    assert help_request.taken_by == alice


@pytest.mark.django_db
def test_it_refuses_a_take_beyond_the_volunteers_capacity(as_alice, alice):
    alice.volunteer_profile.max_open_requests = 1
    alice.volunteer_profile.save()
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice, taken_at=timezone.now())
    help_request = HelpRequestFactory.create()

    response = as_alice.post(url(help_request, "take"))

    assert response.status_code == 400
    assert response.json()["code"] == "capacity"
    help_request.refresh_from_db()
    assert help_request.status == Status.NEW


@pytest.mark.django_db
@pytest.mark.parametrize("public_id", ["3f2c1b6e-0d5a-4f8e-9b7c-2a1d0e9f8c7b", "not-a-uuid", "1"])
def test_it_answers_404_for_an_unknown_or_malformed_id(as_alice, public_id):
    response = as_alice.post(f"/api/help-requests/{public_id}/take/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_it_lets_the_holder_give_a_request_back(as_alice, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_alice.post(url(help_request, "release"), {"reason": "Ill"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "new"
    assert "requester_phone" not in response.json()
    help_request.refresh_from_db()
    assert help_request.taken_by is None
    assert help_request.events.get(kind=HelpRequestEvent.Kind.RELEASED).reason == "Ill"


@pytest.mark.django_db
def test_it_answers_409_when_somebody_else_releases(as_bob, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_bob.post(url(help_request, "release"))

    assert response.status_code == 409
    help_request.refresh_from_db()
    assert help_request.taken_by == alice


@pytest.mark.django_db
def test_it_lets_the_holder_mark_a_request_done(as_alice, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_alice.post(url(help_request, "done"), {"report": "Shopping done"}, format="json")

    assert response.status_code == 200
    help_request.refresh_from_db()
    assert help_request.status == Status.DONE
    assert help_request.done_report == "Shopping done"


@pytest.mark.django_db
def test_it_forbids_another_volunteer_to_mark_it_done(as_bob, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_bob.post(url(help_request, "done"), {"report": "Me!"}, format="json")

    assert response.status_code == 403
    help_request.refresh_from_db()
    assert help_request.status == Status.TAKEN


@pytest.mark.django_db
def test_it_refuses_a_report_that_is_not_text(as_alice, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_alice.post(url(help_request, "done"), {"report": {"a": 1}}, format="json")

    assert response.status_code == 400
    assert "report" in response.json()
    help_request.refresh_from_db()
    assert help_request.status == Status.TAKEN

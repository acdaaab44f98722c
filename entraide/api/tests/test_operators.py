"""The phone line over the API: queue, caller look-up, assign, cancel, confirm, calls."""

import pytest
from django.utils import timezone

from entraide.help_requests.models import HelpRequestEvent, Status
from entraide.operators.models import Call
from entraide.testing.factories import HelpRequestFactory


def action_url(help_request, action: str) -> str:
    """Return the operators' endpoint of an action on a request."""
    return f"/api/operators/help-requests/{help_request.public_id}/{action}/"


@pytest.mark.django_db
def test_it_lists_the_open_requests_most_urgent_first(as_charlie):
    later = HelpRequestFactory.create(urgency="flexible")
    urgent = HelpRequestFactory.create(urgency="within_hours")
    HelpRequestFactory.create(status=Status.CANCELLED, closed_at=timezone.now())

    response = as_charlie.get("/api/operators/queue/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["public_id"] for r in results] == [str(urgent.public_id), str(later.public_id)]
    assert results[0]["requester_phone"] == urgent.requester_phone


@pytest.mark.django_db
def test_it_finds_a_caller_by_phone_however_it_is_typed(as_charlie, charlie):
    help_request = HelpRequestFactory.create(requester_phone="+32470123456")
    HelpRequestFactory.create(requester_phone="+32470999999")
    Call.objects.create(
        operator=charlie, direction="in", phone="+32470123456", outcome="information"
    )

    response = as_charlie.get("/api/operators/lookup/", {"phone": "0470 12 34 56"})

    assert response.status_code == 200
    body = response.json()
    assert body["phone"] == "+32470123456"
    assert body["is_known"] is True
    assert [r["public_id"] for r in body["requests"]] == [str(help_request.public_id)]
    assert [c["outcome"] for c in body["calls"]] == ["information"]


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"phone": ""}, {"phone": "hello"}])
def test_it_refuses_a_lookup_without_a_valid_phone(as_charlie, params):
    response = as_charlie.get("/api/operators/lookup/", params)

    assert response.status_code == 400
    assert response.json()["phone"]


@pytest.mark.django_db
def test_it_lets_an_operator_assign_a_volunteer_by_email(as_charlie, charlie, alice):
    help_request = HelpRequestFactory.create()

    response = as_charlie.post(
        action_url(help_request, "assign"),
        {"volunteer_email": "ALICE@example.org", "reason": "Reached by phone"},
        format="json",
    )

    assert response.status_code == 200
    help_request.refresh_from_db()
    assert help_request.taken_by == alice
    event = help_request.events.get(kind=HelpRequestEvent.Kind.ASSIGNED)
    assert (event.actor, event.channel, event.reason) == (charlie, "api", "Reached by phone")


@pytest.mark.django_db
def test_it_lets_an_operator_assign_a_volunteer_by_id(as_charlie, alice):
    help_request = HelpRequestFactory.create()

    response = as_charlie.post(
        action_url(help_request, "assign"), {"volunteer_id": alice.pk}, format="json"
    )

    assert response.status_code == 200
    help_request.refresh_from_db()
    assert help_request.taken_by == alice


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "volunteer_id"),
        ({"volunteer_id": 10**30}, "volunteer_id"),
        ({"volunteer_id": "abc"}, "volunteer_id"),
        ({"volunteer_id": 999999}, "volunteer_id"),
        ({"volunteer_email": "ghost@example.org"}, "volunteer_email"),
    ],
)
def test_it_refuses_an_assignment_to_nobody(as_charlie, body, field):
    help_request = HelpRequestFactory.create()

    response = as_charlie.post(action_url(help_request, "assign"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    help_request.refresh_from_db()
    assert help_request.status == Status.NEW


@pytest.mark.django_db
def test_it_refuses_to_assign_somebody_who_is_not_a_volunteer(as_charlie, dave):
    help_request = HelpRequestFactory.create()

    response = as_charlie.post(
        action_url(help_request, "assign"), {"volunteer_id": dave.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_volunteer"


@pytest.mark.django_db
def test_it_assigns_a_volunteer_at_their_limit_only_when_told_to(as_charlie, alice):
    alice.volunteer_profile.max_open_requests = 1
    alice.volunteer_profile.save()
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice, taken_at=timezone.now())
    help_request = HelpRequestFactory.create()
    url = action_url(help_request, "assign")

    refused = as_charlie.post(url, {"volunteer_id": alice.pk}, format="json")
    assigned = as_charlie.post(url, {"volunteer_id": alice.pk, "over_limit": True}, format="json")

    assert (refused.status_code, refused.json()["code"]) == (400, "capacity")
    assert assigned.status_code == 200
    help_request.refresh_from_db()
    assert help_request.taken_by == alice


@pytest.mark.django_db
def test_it_answers_409_when_assigning_a_taken_request(as_charlie, alice, bob):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_charlie.post(
        action_url(help_request, "assign"), {"volunteer_id": bob.pk}, format="json"
    )

    assert response.status_code == 409
    help_request.refresh_from_db()
    assert help_request.taken_by == alice


@pytest.mark.django_db
def test_it_lets_an_operator_cancel_for_the_caller(as_charlie, charlie):
    help_request = HelpRequestFactory.create()

    response = as_charlie.post(
        action_url(help_request, "cancel"), {"reason": "Family helps"}, format="json"
    )

    assert response.status_code == 200
    help_request.refresh_from_db()
    assert help_request.status == Status.CANCELLED
    assert help_request.events.get(kind=HelpRequestEvent.Kind.CANCELLED).actor == charlie


@pytest.mark.django_db
def test_it_lets_an_operator_confirm_for_the_caller(as_dave, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_dave.post(action_url(help_request, "confirm"), {}, format="json")

    assert response.status_code == 200
    help_request.refresh_from_db()
    assert help_request.confirmed_at is not None


@pytest.mark.django_db
def test_it_logs_a_call(as_charlie, charlie):
    help_request = HelpRequestFactory.create()

    response = as_charlie.post(
        "/api/operators/calls/",
        {
            "direction": "in",
            "phone": "0470 12 34 56",
            "outcome": "follow_up",
            "note": "Asked for news",
            "language": "fr",
            "help_request": str(help_request.public_id),
        },
        format="json",
    )

    assert response.status_code == 201
    call = Call.objects.get()
    assert (call.operator, call.phone, call.help_request) == (
        charlie,
        "+32470123456",
        help_request,
    )
    assert response.json()["help_request"] == str(help_request.public_id)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"phone": "call me"}, "phone"),
        ({"outcome": "maybe"}, "outcome"),
        ({"language": "xx"}, "language"),
        ({"help_request": "00000000-0000-0000-0000-000000000000"}, "help_request"),
        ({"help_request": "nope"}, "help_request"),
    ],
)
def test_it_refuses_a_bad_call_and_logs_nothing(as_charlie, changes, field):
    body = {"direction": "in", "phone": "0470 12 34 56", "outcome": "information", **changes}

    response = as_charlie.post("/api/operators/calls/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Call.objects.exists()

"""Who may call what: anonymous, volunteer (alice), operator (charlie), staff (dave)."""

import pytest
from django.utils import timezone

from entraide.help_requests.models import Status
from entraide.testing.factories import HelpRequestFactory

from .conftest import basic_client

ROLES = ["anonymous", "volunteer", "operator", "staff"]
NEW_REQUEST = {
    "kind": "meal",
    "requester_name": "Eve",
    "town": "Bruxelles",
    "consent": True,
    "languages": ["fr"],
    "requester_email": "eve@example.org",
}
CALL = {"direction": "out", "phone": "+32470123456", "outcome": "no_answer"}

# (method, path with {id} and {token}, body, expected status for each role in ROLES)
MATRIX = [
    ("get", "/api/volunteer/profile/", None, [401, 200, 404, 404]),
    ("get", "/api/volunteer/nearby-requests/", None, [401, 200, 403, 403]),
    ("get", "/api/volunteer/held-requests/", None, [401, 200, 403, 403]),
    ("post", "/api/help-requests/{id}/take/", None, [401, 200, 403, 403]),
    ("post", "/api/help-requests/{id}/release/", None, [401, 409, 403, 403]),
    ("post", "/api/help-requests/{id}/done/", None, [401, 403, 409, 409]),
    ("get", "/api/help-requests/{id}/", None, [401, 403, 200, 200]),
    ("get", "/api/operators/queue/", None, [401, 403, 200, 200]),
    ("get", "/api/operators/lookup/?phone=0470123456", None, [401, 403, 200, 200]),
    ("post", "/api/operators/help-requests/{id}/cancel/", None, [401, 403, 200, 200]),
    ("post", "/api/operators/help-requests/{id}/confirm/", None, [401, 403, 409, 409]),
    ("post", "/api/operators/calls/", CALL, [401, 403, 201, 201]),
    ("get", "/api/track/{token}/", None, [200, 200, 200, 200]),
    ("post", "/api/help-requests/", NEW_REQUEST, [201, 201, 201, 201]),
]


@pytest.fixture
def client_for(alice, charlie, dave):
    """Return a function giving the API client of a role."""
    from rest_framework.test import APIClient

    users = {"volunteer": alice, "operator": charlie, "staff": dave}

    def make(role: str) -> APIClient:
        return APIClient() if role == "anonymous" else basic_client(users[role].email)

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    [
        pytest.param(method, path, body, role, codes[i], id=f"{method} {path} as {role}")
        for method, path, body, codes in MATRIX
        for i, role in enumerate(ROLES)
    ],
)
def test_it_allows_each_role_only_its_own_endpoints(client_for, method, path, body, role, expected):
    help_request = HelpRequestFactory.create()
    url = path.format(id=help_request.public_id, token=help_request.tracking_token)

    response = getattr(client_for(role), method)(url, body, format="json")

    assert response.status_code == expected, response.content


@pytest.mark.django_db
def test_it_asks_anonymous_callers_to_log_in_with_http_basic(anon):
    response = anon.get("/api/volunteer/held-requests/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


@pytest.mark.django_db
def test_it_refuses_a_wrong_password(alice):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic YWxpY2VAZXhhbXBsZS5vcmc6d3Jvbmc=")

    response = client.get("/api/volunteer/profile/")

    assert response.status_code == 401


@pytest.mark.django_db
def test_it_accepts_a_browser_session(alice):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(alice)

    response = client.get("/api/volunteer/profile/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_it_shows_the_holder_the_contact_details_but_not_the_operators_history(as_alice, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now(), address="Rue Haute 1"
    )

    response = as_alice.get(f"/api/help-requests/{help_request.public_id}/")

    assert response.status_code == 200
    assert response.json()["address"] == "Rue Haute 1"
    assert response.json()["requester_phone"] == help_request.requester_phone
    assert "history" not in response.json()


@pytest.mark.django_db
def test_it_hides_a_held_request_from_other_volunteers(as_bob, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_bob.get(f"/api/help-requests/{help_request.public_id}/")

    assert response.status_code == 403
    assert help_request.requester_phone not in response.content.decode()


@pytest.mark.django_db
def test_it_shows_operators_everything_with_the_history(as_charlie, alice):
    help_request = HelpRequestFactory.create(
        status=Status.TAKEN, taken_by=alice, taken_at=timezone.now()
    )

    response = as_charlie.get(f"/api/help-requests/{help_request.public_id}/")

    body = response.json()
    assert body["requester_email"] == help_request.requester_email
    assert body["taken_by"]["email"] == alice.email
    assert body["history"] == []

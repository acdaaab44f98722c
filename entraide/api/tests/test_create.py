"""POST /api/help-requests/: anybody can ask for help, input is checked, callers are limited."""

import pytest
from rest_framework.settings import api_settings

from entraide.help_requests.models import HelpRequest, HelpRequestEvent

URL = "/api/help-requests/"


def valid_payload(**changes):
    """Return a complete, valid request body."""
    payload = {
        "kind": "groceries",
        "requester_name": "Eve Martin",
        "town": "Bruxelles",
        "consent": True,
        "details": "Bread and milk",
        "languages": ["fr"],
        "requester_phone": "0470 12 34 56",
    }
    payload.update(changes)
    return payload


@pytest.mark.django_db
def test_it_creates_a_request_for_an_anonymous_visitor(anon):
    response = anon.post(URL, valid_payload(), format="json")

    assert response.status_code == 201
    help_request = HelpRequest.objects.get()
    body = response.json()
    assert body["reference"] == help_request.reference
    assert body["tracking_token"] == help_request.tracking_token
    assert body["track_url"].endswith(f"/api/track/{help_request.tracking_token}/")
    assert "requester_phone" not in body
    assert help_request.requester_phone == "+32470123456"
    assert help_request.channel == "api"
    assert help_request.created_by is None
    assert help_request.events.get().kind == HelpRequestEvent.Kind.CREATED


@pytest.mark.django_db
def test_it_records_the_operator_who_entered_the_request(as_charlie, charlie):
    response = as_charlie.post(URL, valid_payload(), format="json")

    assert response.status_code == 201
    assert HelpRequest.objects.get().created_by == charlie


@pytest.mark.django_db
def test_it_uses_a_pin_when_given_instead_of_the_town(anon):
    response = anon.post(URL, valid_payload(lat=50.85, lon=4.35), format="json")

    assert response.status_code == 201
    help_request = HelpRequest.objects.get()
    assert (help_request.lat, help_request.lon) == (50.85, 4.35)
    assert help_request.location_precision == "pin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "spaceship"}, "kind"),
        ({"kind": 42}, "kind"),
        ({"consent": False}, "consent"),
        ({"consent": "perhaps"}, "consent"),
        ({"languages": "fr"}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"requester_phone": "not a phone"}, "requester_phone"),
        ({"requester_phone": "", "requester_email": ""}, "requester_phone"),
        ({"requester_email": "nobody"}, "requester_email"),
        ({"town": "Atlantis-sur-Mer"}, "town"),
        ({"town": ""}, "town"),
        ({"needed_on": "tomorrow"}, "needed_on"),
        ({"lat": "north", "lon": 4.35}, "lat"),
        ({"lat": 91, "lon": 4.35}, "lat"),
        ({"lat": 50.85}, "lon"),
        ({"country": "Belgium"}, "country"),
        ({"details": "x" * 2001}, "details"),
        ({"urgency": "yesterday"}, "urgency"),
    ],
)
def test_it_refuses_bad_input_with_field_errors_and_saves_nothing(anon, changes, field):
    response = anon.post(URL, valid_payload(**changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert all(isinstance(m, str) and m for m in response.json()[field])
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_transport_request_which_only_goods_create(anon):
    response = anon.post(
        URL, valid_payload(kind="transport"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "goods pages" in response.json()["kind"][0]
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", ["{not json", "[1, 2, 3]", '"just a string"', "null", '{"lat": NaN}']
)
def test_it_answers_400_to_malformed_json(anon, body):
    response = anon.post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_it_answers_415_to_an_unsupported_content_type(anon):
    response = anon.post(URL, "kind=groceries", content_type="text/plain")

    assert response.status_code == 415
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Ce champ est obligatoire."), ("nl", "Dit veld is vereist.")],
)
def test_it_translates_field_errors_from_accept_language(anon, language, expected):
    response = anon.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response.json()["kind"] == [expected]


def _allowed_per_period() -> int:
    """Return how many requests the configured rate allows."""
    rate = api_settings.DEFAULT_THROTTLE_RATES["help_request_create"]
    return int(str(rate).split("/")[0])


@pytest.mark.django_db
def test_it_limits_how_often_a_visitor_can_ask(anon):
    allowed = _allowed_per_period()
    for _ in range(allowed):
        assert anon.post(URL, {}, format="json").status_code == 400

    response = anon.post(URL, valid_payload(), format="json")

    assert response.status_code == 429
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_it_does_not_let_a_forged_forwarded_for_header_escape_the_limit(anon):
    allowed = _allowed_per_period()
    for n in range(allowed):
        anon.post(URL, {}, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = anon.post(URL, {}, format="json", HTTP_X_FORWARDED_FOR="10.1.1.1")

    assert response.status_code == 429


@pytest.mark.django_db
def test_it_never_limits_operators(as_charlie):
    for _ in range(_allowed_per_period()):
        as_charlie.post(URL, {}, format="json")

    response = as_charlie.post(URL, valid_payload(), format="json")

    assert response.status_code == 201

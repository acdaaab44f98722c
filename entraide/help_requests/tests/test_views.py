"""The requester's pages: the form, the confirmation and the private tracking page."""

from typing import Any

import pytest
from django.urls import reverse

from entraide.help_requests.models import HelpRequest, HelpRequestEvent, Status
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db
CREATE_URL = "/fr/help/new/"


def valid_post(**overrides: Any) -> dict[str, Any]:
    """Return a complete, valid request form submission."""
    data: dict[str, Any] = {
        "kind": "groceries",
        "details": "Du pain et du lait",
        "urgency": "today",
        "languages": ["fr"],
        "requester_name": "Jeanne Dupont",
        "address": "Rue Haute 12",
        "postcode": "1000",
        "town": "Bruxelles",
        "requester_phone": "0470 12 34 56",
        "requester_email": "jeanne@example.org",
        "consent": "on",
    }
    data.update(overrides)
    return data


def track_url(help_request: HelpRequest) -> str:
    """Return the request's private tracking URL."""
    return reverse("help_requests:track", kwargs={"token": help_request.tracking_token})


def test_it_shows_the_form_with_the_page_language_preselected(client):
    response = client.get("/nl/help/new/")

    assert response.status_code == 200
    assert response.context["form"].initial["languages"] == ["nl"]
    assert b'name="consent"' in response.content


def test_it_saves_a_request_and_shows_the_private_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE_URL, valid_post())

    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "help_requests:submitted", kwargs={"token": help_request.tracking_token}
    )
    assert help_request.requester_phone == "+32470123456"
    assert help_request.channel == "web"
    assert help_request.requester_language == "fr"
    page = client.get(response["Location"])
    assert help_request.reference in page.content.decode()
    assert f"http://testserver{track_url(help_request)}" in page.content.decode()


def test_it_uses_the_pin_when_the_requester_moved_it(client):
    client.post(CREATE_URL, valid_post(lat="50.8501", lon="4.3402"))

    help_request = HelpRequest.objects.get()
    assert (help_request.lat, help_request.lon) == (50.8501, 4.3402)
    assert help_request.location_precision == "pin"


def test_it_lists_form_errors_at_the_top_and_saves_nothing(client):
    response = client.post(CREATE_URL, valid_post(kind="", requester_name="", languages=[]))

    assert response.status_code == 200
    summary = response.context["error_summary"]
    assert {error["anchor"] for error in summary} == {
        "id_kind_0",
        "id_requester_name",
        "id_languages_0",
    }
    assert 'href="#id_kind_0"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_it_does_not_offer_transport_and_refuses_it_when_posted(client):
    page = client.get("/en/help/new/")
    response = client.post("/en/help/new/", valid_post(kind="transport"))

    assert 'value="transport"' not in page.content.decode()
    assert 'value="groceries"' in page.content.decode()
    assert response.status_code == 200
    assert "asked for from the goods pages" in response.context["form"].errors["kind"][0]
    assert not HelpRequest.objects.exists()


def test_it_puts_the_service_errors_on_the_fields(client):
    response = client.post(
        CREATE_URL,
        valid_post(consent="", requester_phone="", requester_email="", town="Nowhereville"),
    )

    form = response.context["form"]
    assert set(form.errors) == {"consent", "requester_phone", "town"}
    assert not HelpRequest.objects.exists()


def test_it_refuses_a_day_in_the_past(client):
    response = client.post(CREATE_URL, valid_post(needed_on="2001-01-01"))

    assert "needed_on" in response.context["form"].errors
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    "garbage",
    [
        {},
        {"kind": "x" * 5000, "languages": ["zz"], "lat": "north", "lon": "1e999"},
        {"needed_on": "31/02/2026", "urgency": "yesterday", "requester_email": "not-an-email"},
        {"lat": "95", "lon": "200"},
        {"requester_phone": "abc", "town": "\x00"},
    ],
)
def test_it_never_fails_on_garbage(client, garbage):
    response = client.post(CREATE_URL, valid_post(**garbage) if garbage else garbage)

    assert response.status_code == 200
    assert response.context["error_summary"]
    assert not HelpRequest.objects.exists()


def test_it_finds_a_town_for_the_map(client):
    found = client.get("/fr/help/place/", {"town": "Bruxelles"})
    missing = client.get("/fr/help/place/", {"town": "Nowhereville"})

    assert found.status_code == 200
    assert found.json()["lat"] == pytest.approx(50.85, abs=0.05)
    assert missing.status_code == 404


def test_it_shows_a_friendly_page_for_an_unknown_link(client):
    for name in ("help_requests:track", "help_requests:submitted"):
        response = client.get(reverse(name, kwargs={"token": "not-a-real-token"}))
        assert response.status_code == 404
        assert "help_requests/not_found.html" in [t.name for t in response.templates]


def test_it_shows_the_status_and_history_without_private_details(client):
    help_request = HelpRequestFactory.create()
    HelpRequestEvent.objects.create(
        help_request=help_request, kind="created", channel="web", reason="secret reason"
    )

    response = client.get(track_url(help_request))

    content = response.content.decode()
    assert response.status_code == 200
    assert help_request.reference in content
    assert "secret reason" not in content
    assert help_request.requester_phone not in content
    assert [event.kind for event in response.context["history"]] == ["created"]


def test_it_shows_the_volunteer_first_name_once_taken(client, alice):
    help_request = HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice)

    response = client.get(track_url(help_request))

    assert response.context["volunteer_name"] == "Alice"
    assert "Alice" in response.content.decode()
    assert response.context["can_confirm"]


def test_it_lets_the_requester_cancel(client):
    help_request = HelpRequestFactory.create()

    response = client.post(
        track_url(help_request), {"action": "cancel", "reason": "My son came"}, follow=True
    )

    help_request.refresh_from_db()
    assert help_request.status == Status.CANCELLED
    event = help_request.events.get(kind="cancelled")
    assert event.reason == "My son came"
    assert event.channel == "web"
    assert response.status_code == 200
    assert not response.context["can_cancel"]


def test_it_lets_the_requester_confirm_the_help(client, alice):
    help_request = HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice)

    client.post(track_url(help_request), {"action": "confirm"})

    help_request.refresh_from_db()
    assert help_request.status == Status.DONE
    assert help_request.confirmed_at is not None


def test_it_says_so_when_an_action_is_no_longer_possible(client):
    help_request = HelpRequestFactory.create(status=Status.CANCELLED)

    response = client.post(track_url(help_request), {"action": "confirm"}, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    help_request.refresh_from_db()
    assert help_request.confirmed_at is None


def test_it_replaces_the_link_and_the_old_one_stops_working(client):
    help_request = HelpRequestFactory.create()
    old_url = track_url(help_request)

    response = client.post(old_url, {"action": "new_link"})

    help_request.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == track_url(help_request)
    assert response["Location"] != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(response["Location"]).status_code == 200


def test_it_refuses_an_unknown_action(client):
    help_request = HelpRequestFactory.create()

    response = client.post(track_url(help_request), {"action": "explode"})

    assert response.status_code == 404
    help_request.refresh_from_db()
    assert help_request.status == Status.NEW


def test_it_reports_every_problem_of_an_empty_form_at_once(client):
    response = client.post(CREATE_URL, {})

    errors = response.context["form"].errors
    assert {"kind", "requester_name", "town", "consent", "requester_phone"} <= set(errors)
    assert not HelpRequest.objects.exists()


def test_it_reports_an_unknown_town_alongside_other_form_errors(client):
    response = client.post(CREATE_URL, valid_post(kind="", town="Nowhereville"))

    assert {"kind", "town"} <= set(response.context["form"].errors)


@pytest.mark.parametrize("page", ["help_requests:submitted", "help_requests:track"])
def test_it_offers_the_phone_line_to_change_a_request(client, settings, page):
    settings.PHONE_LINE = "+3225550000"
    settings.PHONE_LINE_HOURS = "Mon-Fri 9-17"
    help_request = HelpRequestFactory.create()

    content = client.get(reverse(page, kwargs={"token": help_request.tracking_token})).content

    assert b'<a href="tel:+3225550000">+32 2 555 00 00</a>' in content
    assert b"Mon-Fri 9-17" in content


def test_it_shows_no_phone_line_when_none_is_set(client, settings):
    settings.PHONE_LINE = ""
    help_request = HelpRequestFactory.create()

    content = client.get(track_url(help_request)).content

    assert b"tel:" not in content

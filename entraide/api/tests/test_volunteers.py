"""The volunteer's profile, nearby requests (rounded, no contacts) and held requests."""

import pytest
from django.utils import timezone

from entraide.core.distance_bands import public_position
from entraide.help_requests.models import Status
from entraide.matching.geo import cell_of
from entraide.testing.factories import HelpRequestFactory, UserFactory
from entraide.volunteers.models import VolunteerProfile

from .conftest import basic_client

PROFILE = "/api/volunteer/profile/"
NEARBY = "/api/volunteer/nearby-requests/"
HELD = "/api/volunteer/held-requests/"
CONTACT_KEYS = {"requester_name", "requester_phone", "requester_email", "address", "postcode"}


@pytest.mark.django_db
def test_it_returns_the_volunteers_profile(as_alice):
    response = as_alice.get(PROFILE)

    assert response.status_code == 200
    assert response.json()["languages"] == ["fr", "en"]
    assert response.json()["radius_km"] == 5


@pytest.mark.django_db
def test_it_answers_404_to_a_user_without_a_profile(as_charlie):
    response = as_charlie.get(PROFILE)

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.django_db
def test_it_replaces_the_profile_through_the_service(as_alice, alice):
    response = as_alice.put(
        PROFILE,
        {"town": "Liège", "languages": ["nl"], "kinds": ["meal"], "radius_km": 8},
        format="json",
    )

    assert response.status_code == 200
    profile = VolunteerProfile.objects.get(user=alice)
    assert (profile.town, profile.languages, profile.kinds, profile.radius_km) == (
        "Liège",
        ["nl"],
        ["meal"],
        8,
    )
    # Geocoded by the service: Liège is about 90 km east of Brussels.
    assert profile.lat is not None and profile.lon is not None
    assert profile.lon > 5.4
    assert profile.cell == cell_of(profile.lat, profile.lon)


@pytest.mark.django_db
def test_it_creates_a_profile_for_a_new_volunteer(db):
    user = UserFactory.create(email="frank@example.org")

    response = basic_client(user.email).put(
        PROFILE, {"town": "Namur", "languages": ["fr"]}, format="json"
    )

    assert response.status_code == 200
    assert VolunteerProfile.objects.filter(user=user, town="Namur").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"town": "Bruxelles", "languages": []}, "languages"),
        ({"town": "Bruxelles"}, "languages"),
        ({"town": "Bruxelles", "languages": ["fr"], "radius_km": 0}, "radius_km"),
        ({"town": "Bruxelles", "languages": ["fr"], "radius_km": "far"}, "radius_km"),
        ({"town": "Bruxelles", "languages": ["fr"], "kinds": ["juggling"]}, "kinds"),
        ({"town": "Nowhere-on-Sea", "languages": ["fr"]}, "town"),
        ({"town": "", "languages": ["fr"]}, "town"),
        ({"town": "Bruxelles", "languages": ["fr"], "availability": 0}, "availability"),
        ({"town": "Bruxelles", "languages": ["fr"], "paused_until": "2001-01-01"}, "paused_until"),
    ],
)
def test_it_refuses_a_bad_profile_and_keeps_the_old_one(as_alice, alice, body, field):
    response = as_alice.put(PROFILE, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    profile = VolunteerProfile.objects.get(user=alice)
    assert (profile.town, profile.languages, profile.radius_km) == ("Bruxelles", ["fr", "en"], 5)


@pytest.mark.django_db
def test_it_lists_nearby_open_requests_with_rounded_positions_only(as_alice):
    near = HelpRequestFactory.create(
        lat=50.8501,
        lon=4.3487,
        address="Rue Haute 1",
        postcode="1000",
        details="Soup. My daughter: +33 6 12 34 56 78",
    )
    HelpRequestFactory.create(lat=50.8467, lon=4.3525, status=Status.CANCELLED)
    far = HelpRequestFactory.create(lat=51.2194, lon=4.4025)  # Antwerp

    response = as_alice.get(NEARBY)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["public_id"] for r in results] == [str(near.public_id)]
    item = results[0]
    assert (item["lat"], item["lon"]) == pytest.approx(public_position(50.8501, 4.3487))
    assert (item["lat"], item["lon"]) != (50.8501, 4.3487)
    assert not CONTACT_KEYS & set(item)
    # The number typed in the free text is hidden too (the note is in the caller's language).
    assert item["details"].startswith("Soup. My daughter: [")
    assert "6 12 34 56 78" not in item["details"]
    content = response.content.decode()
    assert near.requester_phone not in content
    assert near.requester_email not in content
    assert "Rue Haute" not in content
    assert str(far.public_id) not in content


@pytest.mark.django_db
def test_it_lists_only_the_requests_the_volunteer_holds_with_contacts(as_alice, alice, bob):
    mine = HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice, taken_at=timezone.now())
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=bob, taken_at=timezone.now())
    HelpRequestFactory.create()

    response = as_alice.get(HELD)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["public_id"] for r in results] == [str(mine.public_id)]
    assert results[0]["requester_phone"] == mine.requester_phone
    assert results[0]["requester_email"] == mine.requester_email


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown"),
    [("limit=100000000000000000000000000000", 1), ("offset=99999999999", 0), ("offset=0", 1)],
)
def test_it_survives_absurd_pagination_parameters(as_alice, alice, query, shown):
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice, taken_at=timezone.now())

    response = as_alice.get(f"{HELD}?{query}")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert len(response.json()["results"]) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["limit=abc", "limit=0", "limit=²", "limit=1.5", "offset=-5", "offset=nan"]
)
def test_it_refuses_pagination_parameters_that_are_not_whole_numbers(as_alice, query):
    response = as_alice.get(f"{HELD}?{query}", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_page"
    assert "nombre entier" in response.json()["detail"]

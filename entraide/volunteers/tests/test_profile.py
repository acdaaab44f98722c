from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from entraide.core.errors import DomainError
from entraide.matching.geo import cell_of
from entraide.testing.factories import UserFactory
from entraide.volunteers.models import NotificationMode, VolunteerProfile, availability_bit
from entraide.volunteers.services import (
    volunteer_pause,
    volunteer_profile_update,
    volunteer_resume,
)

PROFILE_URL = "volunteers:profile"


def profile_data(**overrides):
    data = {
        "town": "Namur",
        "postcode": "5000",
        "country": "BE",
        "radius_km": "7",
        "languages": ["fr", "nl"],
        "availability": ["0", "4", "20"],
        "max_open_requests": "3",
        "pause": "active",
        "paused_until": "",
        "notification_mode": "digest",
    }
    data.update(overrides)
    return data


def service_arguments(**overrides):
    arguments = {
        "town": "Namur",
        "postcode": "",
        "country": "BE",
        "radius_km": 5,
        "languages": ["fr"],
        "kinds": [],
        "availability": availability_bit(0, 0),
        "max_open_requests": 2,
        "is_paused": False,
        "paused_until": None,
        "notification_mode": NotificationMode.IMMEDIATE,
    }
    arguments.update(overrides)
    return arguments


def test_it_saves_a_profile_from_the_form(client, db):
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(reverse(PROFILE_URL), profile_data(kinds=["groceries", "meal"]))

    assert response.status_code == 302
    assert response.url == reverse("volunteers:dashboard")
    profile = VolunteerProfile.objects.get(user=user)
    assert profile.town == "Namur"
    assert profile.lat == pytest.approx(50.47, abs=0.05)
    assert profile.lon == pytest.approx(4.87, abs=0.05)
    assert profile.lat is not None and profile.lon is not None
    assert profile.cell == cell_of(profile.lat, profile.lon)
    assert profile.radius_km == 7
    assert profile.languages == ["fr", "nl"]
    assert profile.kinds == ["groceries", "meal"]
    assert profile.availability == (
        availability_bit(0, 0) | availability_bit(1, 1) | availability_bit(6, 2)
    )
    assert profile.max_open_requests == 3
    assert profile.notification_mode == NotificationMode.DIGEST
    assert profile.consented_at is not None


def test_it_shows_an_error_for_an_unknown_town(client, db):
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(reverse(PROFILE_URL), profile_data(town="Zzyzxville-sur-Rien"))

    assert response.status_code == 200
    assert "We could not find this town" in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not VolunteerProfile.objects.filter(user=user).exists()


def test_it_refuses_a_radius_out_of_range(client, alice):
    client.force_login(alice)

    response = client.post(reverse(PROFILE_URL), profile_data(radius_km="150"))

    assert response.status_code == 200
    assert response.context["form"].errors["radius_km"]
    alice.volunteer_profile.refresh_from_db()
    assert alice.volunteer_profile.radius_km == 5


def test_it_saves_nothing_when_one_field_is_wrong(client, alice):
    client.force_login(alice)

    response = client.post(reverse(PROFILE_URL), profile_data(town="Namur", languages=[]))

    assert response.status_code == 200
    assert response.context["form"].errors["languages"]
    profile = VolunteerProfile.objects.get(user=alice)
    assert profile.town == "Bruxelles"
    assert profile.languages == ["fr", "en"]


def test_it_refuses_a_week_without_any_time_slot(client, alice):
    client.force_login(alice)

    response = client.post(reverse(PROFILE_URL), profile_data(availability=[]))

    assert response.status_code == 200
    assert "Tick at least one time slot" in response.content.decode()


def test_it_uses_the_pin_rather_than_the_town(client, alice):
    client.force_login(alice)

    client.post(reverse(PROFILE_URL), profile_data(town="Namur", lat="50.8", lon="4.4"))

    profile = VolunteerProfile.objects.get(user=alice)
    assert (profile.lat, profile.lon) == (50.8, 4.4)
    assert profile.cell == cell_of(50.8, 4.4)


def test_it_keeps_a_pinned_home_when_the_town_is_unchanged(alice):
    profile = alice.volunteer_profile
    profile.lat, profile.lon = 50.85, 4.36
    profile.save()

    updated = volunteer_profile_update(
        user=alice, **service_arguments(town="Bruxelles", country="BE", radius_km=9)
    )

    assert (updated.lat, updated.lon) == (50.85, 4.36)
    assert updated.radius_km == 9


def test_it_geocodes_again_when_the_town_changes(alice):
    updated = volunteer_profile_update(user=alice, **service_arguments(town="Liège"))

    assert updated.lat == pytest.approx(50.63, abs=0.05)
    assert updated.lat is not None and updated.lon is not None
    assert updated.cell == cell_of(updated.lat, updated.lon)


@time_machine.travel("2026-03-02 10:00 +01:00")
def test_it_pauses_until_a_date_from_the_form(client, alice):
    client.force_login(alice)

    client.post(reverse(PROFILE_URL), profile_data(pause="until", paused_until="2026-03-10"))

    profile = VolunteerProfile.objects.get(user=alice)
    assert profile.paused_until == date(2026, 3, 10)
    assert not profile.is_paused
    assert not profile.active_now


def test_it_asks_for_the_last_day_of_a_pause(client, alice):
    client.force_login(alice)

    response = client.post(reverse(PROFILE_URL), profile_data(pause="until", paused_until=""))

    assert response.status_code == 200
    assert response.context["form"].errors["paused_until"]
    assert VolunteerProfile.objects.get(user=alice).paused_until is None


def test_it_pauses_indefinitely_from_the_form(client, alice):
    client.force_login(alice)

    client.post(reverse(PROFILE_URL), profile_data(pause="indefinitely"))

    profile = VolunteerProfile.objects.get(user=alice)
    assert profile.is_paused
    assert profile.paused_until is None


def test_it_shows_the_availability_as_a_table_with_headers_and_labels(client, alice):
    client.force_login(alice)

    response = client.get(reverse(PROFILE_URL))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<th scope="col"') >= 3
    assert html.count('<th scope="row"') == 7
    assert html.count('name="availability"') == 21
    for day in range(7):
        for period in range(3):
            assert f'<label for="id_availability_{day}_{period}"' in html


def test_it_fills_the_form_with_the_current_profile(client, alice):
    client.force_login(alice)

    response = client.get(reverse(PROFILE_URL))

    form = response.context["form"]
    assert form.initial["town"] == "Bruxelles"
    assert form.initial["languages"] == ["fr", "en"]
    assert len(form.initial["availability"]) == 21


@time_machine.travel("2026-03-02 10:00 +01:00")
def test_it_pauses_and_resumes_through_the_services(alice):
    volunteer_pause(user=alice, until=date(2026, 3, 5))
    alice.volunteer_profile.refresh_from_db()
    assert alice.volunteer_profile.paused_until == date(2026, 3, 5)
    assert not alice.volunteer_profile.is_active_on(date(2026, 3, 5))
    assert alice.volunteer_profile.is_active_on(date(2026, 3, 6))

    volunteer_pause(user=alice)
    alice.volunteer_profile.refresh_from_db()
    assert alice.volunteer_profile.is_paused

    volunteer_resume(user=alice)
    alice.volunteer_profile.refresh_from_db()
    assert alice.volunteer_profile.active_now


@time_machine.travel("2026-03-02 10:00 +01:00")
def test_it_refuses_a_pause_ending_in_the_past(alice):
    with pytest.raises(ValidationError) as caught:
        volunteer_pause(user=alice, until=date(2026, 3, 1))

    assert "paused_until" in caught.value.message_dict


def test_it_refuses_to_pause_without_a_profile(db):
    with pytest.raises(DomainError):
        volunteer_pause(user=UserFactory.create())


def test_it_refuses_unknown_languages_and_kinds(alice):
    with pytest.raises(ValidationError) as caught:
        volunteer_profile_update(
            user=alice, **service_arguments(languages=["xx"], kinds=["juggling"])
        )

    assert set(caught.value.message_dict) >= {"languages", "kinds"}


def test_it_requires_login_for_the_profile(client, db):
    response = client.get(reverse(PROFILE_URL))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url

import pytest
from django.urls import reverse

from entraide.volunteers.models import VolunteerProfile


def admin_data(profile, **overrides):
    data = {
        "user": str(profile.user_id),
        "town": profile.town,
        "postcode": profile.postcode,
        "country": profile.country,
        "lat": str(profile.lat),
        "lon": str(profile.lon),
        "radius_km": str(profile.radius_km),
        "languages": '["fr", "en"]',
        "kinds": "[]",
        "availability": str(profile.availability),
        "max_open_requests": "2",
        "notification_mode": "immediate",
        "paused_until": "",
    }
    data.update(overrides)
    return data


def change_url(profile):
    return reverse("admin:volunteers_volunteerprofile_change", args=[profile.pk])


def test_it_geocodes_a_new_town_from_the_back_office(client, alice, dave):
    profile = alice.volunteer_profile
    client.force_login(dave)

    response = client.post(change_url(profile), admin_data(profile, town="Namur"))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.town == "Namur"
    assert profile.lat == pytest.approx(50.47, abs=0.05)


def test_it_shows_the_services_errors_in_the_back_office(client, alice, dave):
    profile = alice.volunteer_profile
    client.force_login(dave)

    response = client.post(change_url(profile), admin_data(profile, town="Zzyzxville-sur-Rien"))

    assert response.status_code == 200
    assert "We could not find this town" in response.content.decode()
    assert VolunteerProfile.objects.get(pk=profile.pk).town == "Bruxelles"


def test_it_searches_and_filters_profiles_in_the_back_office(client, alice, bob, dave):
    client.force_login(dave)
    url = reverse("admin:volunteers_volunteerprofile_changelist")

    by_email = client.get(url, {"q": "bob@example"})
    paused = client.get(url, {"is_paused__exact": "1"})

    assert list(by_email.context["cl"].result_list) == [bob.volunteer_profile]
    assert list(paused.context["cl"].result_list) == []

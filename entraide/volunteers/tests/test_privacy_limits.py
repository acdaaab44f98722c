"""The limits that protect requesters' homes: moves of home, requests opened, verified email."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from entraide.core.vocabulary import Channel
from entraide.help_requests.models import RequestView
from entraide.testing.factories import BRUSSELS, HelpRequestFactory
from entraide.volunteers.models import VolunteerEvent
from entraide.volunteers.services import volunteer_profile_update

KM_LAT = 1 / 111.32


def _update(user, lat, **extra):
    return volunteer_profile_update(
        user=user,
        town="Bruxelles",
        postcode="1000",
        country="BE",
        lat=lat,
        lon=BRUSSELS[1],
        radius_km=5,
        languages=["fr"],
        kinds=[],
        availability=1,
        max_open_requests=2,
        is_paused=False,
        paused_until=None,
        notification_mode="immediate",
        **extra,
    )


def test_each_move_is_logged_with_its_length_only_and_the_limit_refuses_the_next(alice, settings):
    settings.VOLUNTEER_HOME_CHANGES = 2
    _update(alice, BRUSSELS[0] + 0.05 * KM_LAT)  # 50 m: a re-saved form, not a move
    _update(alice, BRUSSELS[0] + 3 * KM_LAT)
    _update(alice, BRUSSELS[0] + 5 * KM_LAT)

    with pytest.raises(ValidationError) as refused:
        _update(alice, BRUSSELS[0] + 9 * KM_LAT)

    assert "You can change it again from" in refused.value.message_dict["town"][0]
    moves = list(VolunteerEvent.objects.filter(profile=alice.volunteer_profile))
    assert [(e.kind, e.data, e.channel) for e in moves] == [
        ("home_moved", {"moved_km": 3}, "web"),
        ("home_moved", {"moved_km": 2}, "web"),
    ]
    alice.volunteer_profile.refresh_from_db()
    assert alice.volunteer_profile.lat == pytest.approx(BRUSSELS[0] + 5 * KM_LAT)


def test_the_first_position_is_not_a_move(charlie):
    _update(charlie, BRUSSELS[0])

    assert not VolunteerEvent.objects.exists()


def test_staff_and_operators_moving_a_home_for_someone_are_not_limited_but_logged(
    alice, charlie, settings
):
    settings.VOLUNTEER_HOME_CHANGES = 1
    _update(alice, BRUSSELS[0] + 2 * KM_LAT)
    _update(alice, BRUSSELS[0] + 4 * KM_LAT, actor=charlie, channel=Channel.PHONE)
    _update(alice, BRUSSELS[0] + 6 * KM_LAT, channel=Channel.BACKOFFICE)

    events = list(VolunteerEvent.objects.values_list("actor__email", "channel"))
    assert events == [
        ("alice@example.org", "web"),
        ("charlie@example.org", "phone"),
        ("alice@example.org", "backoffice"),
    ]


def test_a_volunteer_may_open_only_so_many_requests_an_hour(alice, client, settings):
    settings.VOLUNTEER_REQUEST_VIEWS_PER_HOUR = 2
    first, second, third = HelpRequestFactory.create_batch(3)
    client.force_login(alice)

    for help_request in (first, second, first):
        assert client.get(f"/en/volunteer/requests/{help_request.public_id}/").status_code == 200
    refused = client.get(f"/en/volunteer/requests/{third.public_id}/")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "You opened 2 requests in the last hour" in refused.content.decode()
    # Reopening a request seen this hour is free and writes no second row.
    assert RequestView.objects.filter(viewer=alice).count() == 2
    assert client.get(f"/en/volunteer/requests/{second.public_id}/").status_code == 200


def test_operators_see_who_viewed_a_request(alice, charlie, client):
    help_request = HelpRequestFactory.create()
    client.force_login(alice)
    client.get(f"/en/volunteer/requests/{help_request.public_id}/")
    client.force_login(charlie)

    page = client.get(f"/en/operators/requests/{help_request.public_id}/").content.decode()

    assert "Who viewed this request" in page
    assert "alice@example.org" in page


def test_an_unverified_volunteer_can_do_nothing_with_requests(alice, client):
    alice.email_verified_at = None
    alice.save()
    help_request = HelpRequestFactory.create()
    client.force_login(alice)
    api = APIClient()
    api.force_authenticate(alice)

    dashboard = client.get("/en/volunteer/").content.decode()
    page = client.get(f"/en/volunteer/requests/{help_request.public_id}/")
    client.post(f"/en/volunteer/requests/{help_request.public_id}/take/")
    listed = api.get("/api/volunteer/nearby-requests/")
    taken = api.post(f"/api/help-requests/{help_request.public_id}/take/")

    assert "Confirm your email address to see requests" in dashboard
    assert "/accounts/verify-again/" in dashboard
    assert page.status_code == 403
    assert "Send me a new link" in page.content.decode()
    assert listed.status_code == taken.status_code == 403
    assert "Confirmez d'abord votre adresse" in listed.json()["detail"]  # her language
    help_request.refresh_from_db()
    assert help_request.taken_by is None
    assert not RequestView.objects.exists()

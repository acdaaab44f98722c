from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from entraide.help_requests.models import HelpRequest, Offer
from entraide.matching.geo import cells_within, haversine_km
from entraide.testing.factories import BRUSSELS, PARIS, HelpRequestFactory
from entraide.volunteers.selectors import (
    dashboard_counts,
    history_of,
    nearby_filtered,
    open_requests_near_volunteer,
    public_position,
    request_for_volunteer,
    requests_held_by,
)

# Roughly 1 km of latitude.
KM = 1 / 111.2


def north_of_brussels(km, **fields):
    return HelpRequestFactory.create(lat=BRUSSELS[0] + km * KM, lon=BRUSSELS[1], **fields)


def test_it_lists_only_requests_within_the_radius(alice):
    near = north_of_brussels(1)
    far = north_of_brussels(8)
    in_paris = HelpRequestFactory.create(lat=PARIS[0], lon=PARIS[1])

    found = [item.help_request for item in open_requests_near_volunteer(alice.volunteer_profile)]

    assert near in found
    assert far not in found
    assert in_paris not in found


def test_it_drops_requests_of_nearby_cells_that_are_beyond_the_radius(alice):
    profile = alice.volunteer_profile
    beyond = north_of_brussels(5.6)
    assert beyond.cell in cells_within(profile.lat, profile.lon, profile.radius_km)
    assert haversine_km(profile.lat, profile.lon, beyond.lat, beyond.lon) > profile.radius_km

    assert open_requests_near_volunteer(profile) == []


def test_it_gives_the_distance_to_the_public_position_as_a_band(alice):
    help_request = north_of_brussels(2.2)

    [item] = open_requests_near_volunteer(alice.volunteer_profile)

    public_lat, public_lon = public_position(help_request.lat, help_request.lon)
    assert item.distance_km == pytest.approx(
        haversine_km(BRUSSELS[0], BRUSSELS[1], public_lat, public_lon)
    )
    assert item.distance_km != pytest.approx(2.2, abs=0.001)
    band = item.distance_band
    assert band is not None
    assert (band.min_km, band.max_km) == (1, 3)
    assert band.label == "1–3 km"


def test_it_sorts_by_urgency_then_distance(alice):
    flexible_near = north_of_brussels(0.5, urgency="flexible")
    today_far = north_of_brussels(3, urgency="today")
    today_near = north_of_brussels(1, urgency="today")
    urgent_far = north_of_brussels(4, urgency="within_hours")

    found = [item.help_request for item in open_requests_near_volunteer(alice.volunteer_profile)]

    assert found == [urgent_far, today_near, today_far, flexible_near]


def test_it_leaves_out_taken_closed_and_expired_requests(alice, bob):
    north_of_brussels(1, status="taken", taken_by=bob, taken_at=timezone.now())
    north_of_brussels(1, status="done", taken_by=bob)
    north_of_brussels(1, status="cancelled")
    north_of_brussels(1, expires_at=timezone.now() - timedelta(minutes=1))
    offered = north_of_brussels(1, status="offered")

    found = [item.help_request for item in open_requests_near_volunteer(alice.volunteer_profile)]

    assert found == [offered]


def test_it_shows_rounded_positions_only(alice):
    exact = north_of_brussels(1.234)

    [item] = open_requests_near_volunteer(alice.volunteer_profile)

    assert (item.public_lat, item.public_lon) == public_position(exact.lat, exact.lon)
    assert (item.public_lat, item.public_lon) != (exact.lat, exact.lon)


@override_settings(PUBLIC_POSITION_PRECISION_M=2000)
def test_it_rounds_to_the_configured_precision(alice):
    exact = north_of_brussels(1.234)

    [item] = open_requests_near_volunteer(alice.volunteer_profile)

    assert (item.public_lat, item.public_lon) == public_position(exact.lat, exact.lon)


def test_it_marks_the_requests_offered_to_this_volunteer(alice, bob):
    offered = north_of_brussels(1)
    other = north_of_brussels(2)
    Offer.objects.create(help_request=offered, volunteer=alice, wave=1, distance_km=1.0)
    Offer.objects.create(help_request=other, volunteer=bob, wave=1, distance_km=2.0)

    flags = {
        item.help_request: item.was_offered
        for item in open_requests_near_volunteer(alice.volunteer_profile)
    }

    assert flags == {offered: True, other: False}


def test_it_lists_an_offered_request_even_beyond_the_radius(alice):
    far = north_of_brussels(9)
    Offer.objects.create(help_request=far, volunteer=alice, wave=3, distance_km=9.0)

    [item] = open_requests_near_volunteer(alice.volunteer_profile)

    assert item.help_request == far
    assert item.was_offered


def test_it_marks_the_requests_in_the_volunteers_languages_and_kinds(alice):
    profile = alice.volunteer_profile
    profile.kinds = ["groceries"]
    profile.save()
    english_groceries = north_of_brussels(1, languages=["en"], kind="groceries")
    dutch_meal = north_of_brussels(2, languages=["nl"], kind="meal")

    items = {item.help_request: item for item in open_requests_near_volunteer(profile)}

    assert items[english_groceries].speaks_language
    assert items[english_groceries].matches_kind
    assert items[english_groceries].is_good_match
    assert not items[dutch_meal].speaks_language
    assert not items[dutch_meal].matches_kind


def test_it_returns_nothing_for_a_profile_without_a_home(alice):
    profile = alice.volunteer_profile
    profile.lat = profile.lon = profile.cell = None
    profile.save()
    north_of_brussels(1)

    assert open_requests_near_volunteer(profile) == []


def test_it_lists_held_requests_and_history_per_volunteer(alice, bob):
    now = timezone.now()
    held = north_of_brussels(1, status="taken", taken_by=alice, taken_at=now)
    done = north_of_brussels(1, status="done", taken_by=alice, taken_at=now, done_at=now)
    north_of_brussels(1, status="taken", taken_by=bob, taken_at=now)
    north_of_brussels(1)

    assert list(requests_held_by(alice)) == [held]
    assert list(history_of(alice)) == [done]
    nearby = open_requests_near_volunteer(alice.volunteer_profile)
    counts = dashboard_counts(alice, alice.volunteer_profile, nearby)
    assert (counts.nearby, counts.held, counts.done, counts.max_open_requests) == (1, 1, 1, 2)
    assert counts.can_take_more


def test_it_shows_one_open_request_without_its_exact_position(alice, bob):
    help_request = north_of_brussels(1.2)
    taken = north_of_brussels(1, status="taken", taken_by=bob, taken_at=timezone.now())

    item = request_for_volunteer(alice, help_request)

    assert item is not None
    assert item.distance_band is not None
    assert (item.distance_band.min_km, item.distance_band.max_km) == (1, 3)
    assert (item.public_lat, item.public_lon) != (help_request.lat, help_request.lon)
    assert request_for_volunteer(alice, taken) is None


def test_it_filters_the_nearby_requests_by_kind_and_status(alice):
    pharmacy_offered = north_of_brussels(1, kind="pharmacy")
    pharmacy = north_of_brussels(2, kind="pharmacy")
    groceries = north_of_brussels(0.5, kind="groceries")
    dutch_only = north_of_brussels(1.5, kind="groceries", languages=["nl"])
    Offer.objects.create(help_request=pharmacy_offered, volunteer=alice, wave=1, distance_km=1.0)
    nearby = open_requests_near_volunteer(alice.volunteer_profile)

    def found(**filters):
        return {item.help_request for item in nearby_filtered(nearby, **filters)}

    assert found() == {pharmacy_offered, pharmacy, groceries, dutch_only}
    assert found(kind="pharmacy") == {pharmacy_offered, pharmacy}
    assert found(status="offered") == {pharmacy_offered}
    assert found(status="matching") == {pharmacy_offered, pharmacy, groceries}
    assert found(kind="groceries", status="matching") == {groceries}


def test_it_sorts_the_nearby_requests_by_distance_or_date(alice):
    old_far = north_of_brussels(3, urgency="within_hours")
    new_near = north_of_brussels(0.5, urgency="flexible")
    mid = north_of_brussels(1.5, urgency="today")
    # created_at is set on insert: move it afterwards.
    for days_ago, help_request in ((2, old_far), (1, mid), (0, new_near)):
        help_request.created_at = timezone.now() - timedelta(days=days_ago)
        HelpRequest.objects.filter(pk=help_request.pk).update(created_at=help_request.created_at)
    nearby = open_requests_near_volunteer(alice.volunteer_profile)

    def order(sort):
        return [item.help_request for item in nearby_filtered(nearby, sort=sort)]

    assert order("urgency") == [old_far, mid, new_near]
    assert order("distance") == [new_near, mid, old_far]
    assert order("newest") == [new_near, mid, old_far]
    assert order("oldest") == [old_far, mid, new_near]

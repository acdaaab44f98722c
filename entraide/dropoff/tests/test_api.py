"""The API's drop-off points: the public list (with its category filter) and one point."""

from datetime import time

import pytest
from rest_framework.test import APIClient

from entraide.dropoff import services
from entraide.dropoff.models import CollectionBooking, FillLevel

pytestmark = pytest.mark.django_db


def test_anybody_lists_the_points_with_room_and_categories(point, hana):
    services.point_set_fill_level(point=point, level=FillLevel.FULL, actor=hana, channel="web")
    answer = APIClient().get("/api/dropoff/points/")
    assert answer.status_code == 200
    [row] = answer.json()
    assert row["name"] == point.name
    assert row["categories"] == ["textile"]
    assert (row["fill_level"], row["has_room"], row["time_zone"]) == ("full", False, "Europe/Paris")
    assert row["organisation"] == point.organisation.slug


def test_the_list_filters_by_category_and_refuses_an_unknown_one(point):
    client = APIClient()
    assert len(client.get("/api/dropoff/points/?category=textile").json()) == 1
    assert client.get("/api/dropoff/points/?category=books").json() == []
    refused = client.get("/api/dropoff/points/?category=unicorns")
    assert refused.status_code == 400
    assert "category" in refused.json()


def test_a_point_comes_with_its_week_of_hours(point, hana):
    services.point_set_hours(
        point=point, weekly=[(d, time(9), time(18)) for d in range(7)], actor=hana, channel="web"
    )
    answer = APIClient().get(f"/api/dropoff/points/{point.pk}/")
    assert answer.status_code == 200
    week = answer.json()["week"]
    assert len(week) == 7
    assert week[0]["ranges"] == [{"opens": "09:00", "closes": "18:00"}]


def test_an_unknown_or_malformed_point_id_is_a_json_404(db):
    client = APIClient()
    assert client.get("/api/dropoff/points/999/").status_code == 404
    assert client.get("/api/dropoff/points/abc/").status_code == 404


def test_the_nearest_answers_with_the_skipped_points_and_their_reasons(point, hana):
    services.point_set_fill_level(point=point, level=FillLevel.FULL, actor=hana, channel="web")
    answer = APIClient().get(
        "/api/dropoff/nearest/", {"lat": point.lat, "lon": point.lon, "category": "books"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["found"] == []
    [skipped] = body["skipped"]
    assert skipped["point"]["id"] == point.pk
    assert skipped["reasons"] == ["closed", "full", "category"]  # no hours set: closed


def test_the_nearest_refuses_an_unknown_town_half_a_position_or_nothing(db):
    client = APIClient()
    assert "town" in client.get("/api/dropoff/nearest/", {"town": "Nowhereville"}).json()
    assert "lon" in client.get("/api/dropoff/nearest/", {"lat": 48.8}).json()
    assert client.get("/api/dropoff/nearest/").status_code == 400
    assert client.get("/api/dropoff/nearest/", {"lat": 91, "lon": 0}).status_code == 400


def test_anybody_reads_the_catalogue_in_their_language(db):
    answer = APIClient().get("/api/dropoff/catalogue/", HTTP_ACCEPT_LANGUAGE="nl")
    sofa = next(row for row in answer.json() if row["code"] == "sofa")
    assert sofa == {"code": "sofa", "name": "Zetel", "category": "furniture", "volume_m3": "1.20"}


def test_the_slots_of_a_served_postcode_come_with_the_rule(slot):
    answer = APIClient().get("/api/dropoff/collection-slots/", {"postcode": "75011"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["territory"], body["threshold_m3"], body["time_zone"]) == (
        "Paris",
        "2.00",
        "Europe/Paris",
    )
    assert [(s["id"], s["places_left"]) for s in body["slots"]] == [(slot.pk, 2)]
    refused = APIClient().get("/api/dropoff/collection-slots/", {"postcode": "13001"})
    assert refused.status_code == 400 and "postcode" in refused.json()
    assert APIClient().get("/api/dropoff/collection-slots/").status_code == 400


def _booking(booked, **changes):
    return {
        "slot": booked.pk,
        "items": {"sofa": 1, "wardrobe": 1},
        "address": "5 rue Oberkampf",
        "postcode": "75011",
        "town": "Paris",
        "name": "Nadia",
        "email": "nadia@example.org",
        "phone": "+33612345678",
        "floor": 2,
        **changes,
    }


def test_a_donor_books_and_cancels_a_home_collection_through_the_api(slot):
    client = APIClient()
    answer = client.post("/api/dropoff/collections/", _booking(slot), format="json")
    assert answer.status_code == 201
    body = answer.json()
    assert (body["status"], body["volume_m3"], body["slot"]["id"]) == ("booked", "2.70", slot.pk)
    booking = CollectionBooking.objects.get()
    assert booking.channel == "api" and booking.token == body["token"]
    cancelled = client.post(f"/api/dropoff/collections/{body['token']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.post(f"/api/dropoff/collections/{body['token']}/cancel/").status_code == 409
    assert client.post("/api/dropoff/collections/nope/cancel/").status_code == 404


def test_bad_bookings_are_400_or_409_and_save_nothing(slot):
    client = APIClient()
    post = lambda **changes: client.post(  # noqa: E731
        "/api/dropoff/collections/", _booking(slot, **changes), format="json"
    )
    assert "items" in post(items={"unicorn": 1}).json()
    assert "volume_m3" in post(items={}, volume_m3="10000").json()
    assert "volume_m3" in post(items={}).json()
    assert "town" in post(town="Nulle-part-sur-Mer").json()
    assert "slot" in post(slot=999_999).json()
    assert not CollectionBooking.objects.exists()
    assert post().status_code == 201
    assert post(email="omar@example.org").status_code == 201
    full = post(email="lea@example.org")
    assert full.status_code == 409 and full.json()["code"] == "conflict"
    assert CollectionBooking.objects.count() == 2

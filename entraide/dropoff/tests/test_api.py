"""The API's drop-off points: the public list (with its category filter) and one point."""

from datetime import time

import pytest
from rest_framework.test import APIClient

from entraide.dropoff import services
from entraide.dropoff.models import FillLevel

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

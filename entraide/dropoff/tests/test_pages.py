"""The public pages: the list and map of points, one point's page with its week of hours."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import translation

from entraide.dropoff import services
from entraide.dropoff.models import FillLevel

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_point_with_its_fill_level_and_map_marker(client, point, hana):
    services.point_set_fill_level(
        point=point, level=FillLevel.NEARLY_FULL, actor=hana, channel="web"
    )
    page = client.get(reverse("dropoff:points"))
    assert page.status_code == 200
    html = page.content.decode()
    assert point.name in html and "Nearly full" in html
    markers = page.context["markers"]
    assert markers == [
        {"lat": point.lat, "lon": point.lon, "label": point.name, "url": point.get_absolute_url()}
    ]
    assert 'data-markers="dropoff-map-data"' in html


def test_a_points_page_shows_its_week_categories_accessibility_and_room(client, point, hana):
    services.point_set_hours(
        point=point, weekly=[(d, time(9), time(18)) for d in range(7)], actor=hana, channel="web"
    )
    services.point_set_fill_level(point=point, level=FillLevel.FULL, actor=hana, channel="web")
    page = client.get(reverse("dropoff:point", args=[point.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert len(page.context["week"]) == 7
    assert html.count("09:00–18:00") == 7
    assert "Textile" in html or "textile" in html.lower()
    assert "Step-free access." in html
    assert "Full: bring your donation elsewhere for now" in html
    assert "Europe/Paris" in html


def test_the_pages_are_translated(client, point):
    with translation.override("fr"):
        page = client.get(reverse("dropoff:point", args=[point.pk]))
    assert "Accessibilité" in page.content.decode()


def test_an_unknown_point_is_a_404(client, db):
    assert client.get(reverse("dropoff:point", args=[999])).status_code == 404


def _open_all_week(point, hana):
    services.point_set_hours(
        point=point,
        weekly=[(d, time(0), time(23, 59)) for d in range(7)],
        actor=hana,
        channel="web",
    )


def test_a_donor_finds_the_nearest_point_from_a_town_and_why_a_full_one_was_skipped(
    client, point, hana
):
    _open_all_week(point, hana)
    url = reverse("dropoff:points")
    page = client.get(url, {"category": "textile", "town": "Paris", "country": "FR"})
    assert [c.point for c in page.context["answer"].found] == [point]
    services.point_set_fill_level(point=point, level=FillLevel.FULL, actor=hana, channel="web")
    page = client.get(url, {"category": "textile", "postcode": "75011", "town": "Paris"})
    answer = page.context["answer"]
    assert answer.found == [] and [c.point for c in answer.skipped] == [point]
    assert "Closer points we skipped" in page.content.decode()


def test_a_position_from_the_browser_is_enough(client, point, hana):
    _open_all_week(point, hana)
    page = client.get(reverse("dropoff:points"), {"lat": point.lat, "lon": point.lon})
    assert [c.point for c in page.context["answer"].found] == [point]


def test_a_town_that_cannot_be_found_gets_a_clear_error(client, point):
    page = client.get(reverse("dropoff:points"), {"town": "Nowhereville", "country": "FR"})
    assert page.status_code == 200
    assert page.context["answer"] is None
    assert "We could not find this town" in page.content.decode()
    page = client.get(reverse("dropoff:points"), {"category": "textile"})
    assert "Give your town" in page.content.decode()


def test_the_points_are_open_data_in_geojson_and_csv(client, point, hana):
    services.point_set_hours(
        point=point,
        weekly=[(0, time(14), time(18)), (0, time(9), time(12)), (2, time(10), time(17))],
        actor=hana,
        channel="web",
    )
    geo = client.get(reverse("dropoff:points_geojson"))
    assert geo["Content-Type"] == "application/geo+json"
    [feature] = geo.json()["features"]
    assert feature["geometry"]["coordinates"] == [point.lon, point.lat]
    properties = feature["properties"]
    assert properties["schedule"] == "MO 09:00-12:00, 14:00-18:00; WE 10:00-17:00"
    assert (properties["postal_code"], properties["categories"]) == ("75011", "textile")
    lines = client.get(reverse("dropoff:points_csv")).content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,name,organization,address_1,postal_code,city")
    assert "MO 09:00-12:00, 14:00-18:00; WE 10:00-17:00" in lines[1]

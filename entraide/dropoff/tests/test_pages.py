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

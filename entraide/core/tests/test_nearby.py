"""The database pre-filter for "within radius_km": never misses a row within reach."""

import random

import pytest

from entraide.core.nearby import within_reach
from entraide.help_requests.models import HelpRequest
from entraide.matching.geo import destination, haversine_km
from entraide.testing.factories import HelpRequestFactory

CENTRES = [
    (50.8466, 4.3528),  # Brussels
    (-16.5, 179.95),  # Fiji, beside the antimeridian
    (64.1, -179.9),  # the Bering Strait, the other side of it
    (89.98, 10.0),  # by the North Pole
    (-89.99, -45.0),  # by the South Pole
]


@pytest.mark.django_db
@pytest.mark.parametrize(("lat", "lon"), CENTRES)
def test_it_keeps_every_row_within_reach_and_drops_far_ones(lat: float, lon: float) -> None:
    rng = random.Random(f"{lat},{lon}")
    radius_km = 5.0
    for _ in range(60):
        point = destination(lat, lon, rng.uniform(0, 360), rng.uniform(0, 3 * radius_km))
        HelpRequestFactory.create(lat=point[0], lon=point[1])
    far = HelpRequestFactory.create(lat=lat / 2, lon=lon / 2)

    kept = set(HelpRequest.objects.filter(within_reach(lat, lon, radius_km)))

    within = {r for r in HelpRequest.objects.all() if haversine_km(lat, lon, r.lat, r.lon) <= 5}
    assert len(within) > 3
    assert within <= kept
    assert far not in kept
    if abs(lat) < 80:
        # Away from the poles the box is tight: most rows beyond reach never leave the database.
        assert len(kept - within) < 0.4 * (HelpRequest.objects.count() - len(within))

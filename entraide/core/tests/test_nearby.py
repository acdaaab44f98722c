"""The database pre-filter for "within radius_km": never misses a row within reach."""

import random

import pytest
from django.db.models import Q

from entraide.core.nearby import rows_near, within_reach
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


@pytest.mark.django_db
def test_it_returns_the_rows_within_the_radius_nearest_first_with_their_distance() -> None:
    centre = (50.8466, 4.3528)
    inside = HelpRequestFactory.create(
        lat=destination(*centre, 90, 4.99)[0], lon=destination(*centre, 90, 4.99)[1]
    )
    nearer = HelpRequestFactory.create(
        lat=destination(*centre, 0, 1.0)[0], lon=destination(*centre, 0, 1.0)[1]
    )
    outside = HelpRequestFactory.create(
        lat=destination(*centre, 45, 5.01)[0], lon=destination(*centre, 45, 5.01)[1]
    )

    found = rows_near(HelpRequest.objects.all(), lat=centre[0], lon=centre[1], radius_km=5.0)

    assert [near.row for near in found] == [nearer, inside]
    assert found[0].distance_km == pytest.approx(1.0, abs=0.001)
    assert found[1].distance_km == pytest.approx(4.99, abs=0.001)
    assert outside not in {near.row for near in found}


@pytest.mark.django_db
def test_it_keeps_the_rows_asked_for_whatever_their_distance() -> None:
    centre = (50.8466, 4.3528)
    far = HelpRequestFactory.create(lat=48.8566, lon=2.3522)
    HelpRequestFactory.create(lat=51.2, lon=4.4)

    found = rows_near(
        HelpRequest.objects.all(), lat=centre[0], lon=centre[1], radius_km=5.0, keep=Q(pk=far.pk)
    )

    assert [near.row for near in found] == [far]
    assert found[0].distance_km == pytest.approx(haversine_km(*centre, far.lat, far.lon))


@pytest.mark.django_db
def test_it_reads_values_rows_in_their_order_and_at_most_the_limit() -> None:
    centre = (50.8466, 4.3528)
    rows = [
        HelpRequestFactory.create(lat=destination(*centre, 0, km)[0], lon=centre[1])
        for km in (3, 1, 2)
    ]

    found = rows_near(
        HelpRequest.objects.order_by("-pk").values_list("pk", "lat", "lon"),
        lat=centre[0],
        lon=centre[1],
        radius_km=5.0,
        limit=2,
        nearest_first=False,
        position=lambda row: (row[1], row[2]),
    )

    assert [near.row[0] for near in found] == [rows[2].pk, rows[1].pk]


@pytest.mark.django_db
def test_it_reads_in_one_query(django_assert_num_queries) -> None:
    HelpRequestFactory.create_batch(3)

    with django_assert_num_queries(1):
        found = rows_near(
            HelpRequest.objects.all(), lat=50.8466, lon=4.3528, radius_km=5.0, keep=Q(pk__in=[])
        )

    assert len(found) == 3


@pytest.mark.django_db
def test_a_circle_over_too_many_cells_is_read_through_its_box_alone() -> None:
    centre = (50.8466, 4.3528)
    inside = HelpRequestFactory.create(
        lat=destination(*centre, 80, 450)[0], lon=destination(*centre, 80, 450)[1]
    )
    beyond = HelpRequestFactory.create(lat=centre[0], lon=destination(*centre, 90, 800)[1])

    reach = within_reach(*centre, 500)
    kept = set(HelpRequest.objects.filter(reach))

    # 500 km around Brussels spans some 50,000 cells: naming them would pass SQLite's limit.
    assert "cell" not in str(reach)
    assert "cell" in str(within_reach(*centre, 5))
    assert inside in kept
    assert beyond not in kept

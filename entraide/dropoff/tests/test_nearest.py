"""The nearest suitable points: the pure picking, the rings against brute force, the database."""

from datetime import UTC, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.dropoff import selectors, services
from entraide.dropoff.models import FillLevel
from entraide.dropoff.nearest import CATEGORY, CLOSED, FULL, Candidate, nearest_by_rings, pick
from entraide.goods.tests.factories import category
from entraide.matching.geo import destination, haversine_km

ORIGIN = (48.8566, 2.3522)


def _candidate(name, km, open_now=True, room=True, takes=True):
    return Candidate(name, km, open_now, room, takes)


def test_it_returns_the_nearest_suitable_and_why_closer_ones_were_skipped():
    answer = pick(
        [
            _candidate("far", 3.0),
            _candidate("closed", 0.5, open_now=False),
            _candidate("full", 1.0, room=False),
            _candidate("books only", 1.5, takes=False),
            _candidate("near", 2.0),
            _candidate("full and closed", 2.5, open_now=False, room=False),
        ],
        limit=1,
        radius_km=5,
    )
    assert [c.point for c in answer.found] == ["near"]
    assert [(c.point, c.reasons) for c in answer.skipped] == [
        ("closed", (CLOSED,)),
        ("full", (FULL,)),
        ("books only", (CATEGORY,)),
    ]


points = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=360),
        st.floats(min_value=0, max_value=700),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(points, st.integers(min_value=1, max_value=4))
def test_the_rings_find_what_brute_force_finds(rows, limit):
    places = [
        (i, destination(*ORIGIN, bearing, km), open_now, room, takes)
        for i, (bearing, km, open_now, room, takes) in enumerate(rows)
    ]

    def every(radius_km):
        candidates = []
        for i, (lat, lon), open_now, room, takes in places:
            km = haversine_km(*ORIGIN, lat, lon)
            if km <= radius_km:
                candidates.append(_candidate(i, km, open_now, room, takes))
        return candidates

    answer = nearest_by_rings(every, limit=limit)
    brute = sorted(every(float("inf")), key=lambda c: c.distance_km)
    suitable = [c for c in brute if not c.reasons and c.distance_km <= 500]
    assert [c.distance_km for c in answer.found] == [c.distance_km for c in suitable[:limit]]
    if answer.found and len(answer.found) == limit:
        last = answer.found[-1].distance_km
        expected_skipped = [c for c in brute if c.reasons and c.distance_km < last]
        assert {c.point for c in expected_skipped} <= {c.point for c in answer.skipped}
        assert all(c.distance_km <= last for c in answer.skipped)


@pytest.mark.django_db
def test_a_full_or_closed_point_drops_out_of_the_nearest_with_room(point, mairie, paris, hana):
    farther = services.point_create(
        organisation=mairie,
        territory=paris,
        name="Boutique Oberkampf",
        address="3 rue Oberkampf",
        postcode="75011",
        town="Paris",
        country="FR",
        categories=[category("textile"), category("books")],
        actor=hana,
        channel="web",
    )
    # The gazetteer puts both at the town's centre: move the second 1 km east.
    farther.set_position(*destination(point.lat, point.lon, 90, 1.0))
    farther.save()
    for p in (point, farther):
        services.point_set_hours(
            point=p, weekly=[(d, time(9), time(18)) for d in range(7)], actor=hana, channel="web"
        )
    noon = datetime(2026, 6, 1, 10, tzinfo=UTC)
    textile = category("textile")

    def nearest(category_):
        return selectors.nearest_points(
            lat=point.lat, lon=point.lon, category=category_, moment=noon, limit=1
        )

    assert [c.point.pk for c in nearest(textile).found] == [point.pk]
    services.point_set_fill_level(point=point, level=FillLevel.FULL, actor=hana, channel="web")
    answer = nearest(textile)
    assert [c.point.pk for c in answer.found] == [farther.pk]
    assert [(c.point.pk, c.reasons) for c in answer.skipped] == [(point.pk, (FULL,))]
    assert [c.reasons for c in nearest(category("books")).skipped] == [(FULL, CATEGORY)]
    at_night = selectors.nearest_points(
        lat=point.lat, lon=point.lon, category=textile, moment=noon.replace(hour=20), limit=1
    )
    assert at_night.found == []
    assert {c.reasons for c in at_night.skipped} == {(CLOSED, FULL), (CLOSED,)}


@pytest.mark.django_db
def test_a_wide_ring_or_one_near_a_pole_reads_the_latitudes_alone_and_stays_exact(point):
    # 80° north, 500 km: some 170,000 grid cells, more than SQLite takes in one query.
    far_north = destination(80.0, 10.0, 0, 0)
    answer = selectors.nearest_points(
        lat=far_north[0], lon=far_north[1], category=None, moment=datetime.now(UTC), limit=1
    )
    assert answer.found == [] and answer.skipped == []
    near_paris = destination(point.lat, point.lon, 0, 400)  # only the 500 km ring reaches it
    answer = selectors.nearest_points(
        lat=near_paris[0], lon=near_paris[1], category=None, moment=datetime.now(UTC), limit=1
    )
    assert answer.radius_km == 500
    assert [c.point.pk for c in answer.skipped] == [point.pk]  # closed: no hours
    assert abs(answer.skipped[0].distance_km - 400) < 0.01

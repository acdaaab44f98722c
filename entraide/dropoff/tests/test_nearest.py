"""The nearest suitable points: the pure picking, the rings against brute force, the database."""

import random
from datetime import UTC, date, datetime, time, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.dropoff import selectors, services
from entraide.dropoff.models import DropoffPoint, FillLevel, OpeningException, OpeningRange
from entraide.dropoff.nearest import (
    CATEGORY,
    CLOSED,
    FULL,
    MAX_BATCH,
    MAX_SKIPPED,
    Candidate,
    Located,
    nearest_by_rings,
    pick,
    walk_rings,
)
from entraide.goods.tests.factories import category
from entraide.matching.geo import destination, haversine_km
from entraide.organisations.tests.factories import TerritoryFactory

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


walked = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=700),
        st.booleans(),  # suitable
        st.booleans(),  # the guess from the light row
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(walked, st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=6))
def test_the_walk_judges_each_point_once_and_the_guess_never_changes_the_answer(
    rows, limit, max_skipped
):
    judged: list[int] = []

    def locate(radius_km):
        return [Located(i, km, guess) for i, (km, _ok, guess) in enumerate(rows) if km <= radius_km]

    def judge(batch):
        assert len(batch) <= MAX_BATCH
        judged.extend(row.key for row in batch)
        return [_candidate(row.key, row.distance_km, open_now=rows[row.key][1]) for row in batch]

    answer = walk_rings(locate, judge, limit=limit, max_skipped=max_skipped)

    within = sorted((km, i) for i, (km, _ok, _guess) in enumerate(rows) if km <= 500)
    found: list[int] = []
    skipped: list[int] = []
    for _km, i in within:
        if len(found) == limit:
            break
        (found if rows[i][1] else skipped).append(i)
    assert [c.point for c in answer.found] == found
    assert [c.point for c in answer.skipped] == skipped[:max_skipped]
    assert answer.skipped_more == max(0, len(skipped) - max_skipped)
    assert len(judged) == len(set(judged))


def _point(organisation, territory, name, at, categories, weekly=(), fill="half", **fields):
    point = DropoffPoint.objects.create(
        organisation=organisation,
        territory=territory,
        name=name,
        town="Paris",
        country="FR",
        fill_level=fill,
        **DropoffPoint.position_values(*at),
        **fields,
    )
    point.categories.set(categories)
    for weekday, opens, closes in weekly:
        OpeningRange.objects.create(point=point, weekday=weekday, opens=opens, closes=closes)
    return point


@pytest.mark.django_db
def test_the_answer_is_what_every_point_itself_says_with_hours_exceptions_and_zones(mairie, paris):
    # Two zones an hour apart: at 11:30 in Paris it is 10:30 in Lisbon, where points open at 11.
    lisbon = TerritoryFactory(name="Lisboa", country="PT", time_zone="Europe/Lisbon")
    rng = random.Random(12)
    textile, books = category("textile"), category("books")
    monday = date(2026, 6, 1)
    for i in range(80):
        at = destination(*ORIGIN, rng.uniform(0, 360), rng.uniform(0, 30))
        day_hours = rng.choice(
            [[(time(9), time(12)), (time(14), time(18))], [(time(11), time(19))]]
        )
        closed = rng.random() < 0.15
        point = _point(
            mairie,
            rng.choice([paris, lisbon]),
            f"P{i:02d}",
            at,
            rng.sample([textile, books], rng.randint(1, 2)),
            [(d, o, c) for d in range(6) for o, c in day_hours],
            fill=rng.choice(["half", "half", "full"]),
            status="closed" if closed else "open",
            closed_reason="Inventaire" if closed else "",
            closed_until=rng.choice([None, monday, monday + timedelta(days=1)]) if closed else None,
        )
        if rng.random() < 0.3:
            OpeningException.objects.create(point=point, on_date=monday + timedelta(days=1))
        if rng.random() < 0.3:
            OpeningException.objects.create(
                point=point,
                on_date=monday + timedelta(days=1),
                closed=False,
                opens=time(10, 30),
                closes=time(11, 45),
            )
    everything = list(selectors.points_public())
    origins = [destination(*ORIGIN, rng.uniform(0, 360), rng.uniform(0, 20)) for _ in range(4)]
    for day, hour, minute in [(0, 11, 30), (1, 10, 45), (1, 11, 50), (2, 13, 0), (6, 12, 0)]:
        moment = datetime.combine(
            monday + timedelta(days=day), time(hour, minute), ZoneInfo("Europe/Paris")
        )
        for wanted, origin in product((textile, books, None), origins):
            for limit in (1, 3):
                answer = selectors.nearest_points(
                    lat=origin[0], lon=origin[1], category=wanted, moment=moment, limit=limit
                )
                brute = pick(
                    [
                        _candidate(
                            p.pk,
                            haversine_km(*origin, p.lat or 0.0, p.lon or 0.0),
                            p.is_open_at(moment),
                            p.has_room,
                            wanted is None or wanted in p.categories.all(),
                        )
                        for p in everything
                    ],
                    limit=limit,
                    radius_km=500,
                )
                assert [c.point.pk for c in answer.found] == [c.point for c in brute.found]
                assert [(c.point.pk, c.reasons) for c in answer.skipped] == [
                    (c.point, c.reasons) for c in brute.skipped[:MAX_SKIPPED]
                ]
                assert answer.skipped_more == max(0, len(brute.skipped) - MAX_SKIPPED)


@pytest.mark.django_db
def test_it_loads_only_the_points_it_lists_however_many_closer_ones_are_full(
    mairie, paris, django_assert_max_num_queries
):
    textile = category("textile")
    all_day = [(d, time(0), time(23, 59)) for d in range(7)]
    for i in range(40):
        at = destination(*ORIGIN, 9 * i, 0.2 + i * 0.01)
        _point(mairie, paris, f"Full {i:02d}", at, [textile], all_day, fill="full")
    room = _point(mairie, paris, "Room", destination(*ORIGIN, 0, 3.0), [textile], all_day)

    # A ring (2 km: the full ones), a batch of hours, the next ring (5 km), a batch of hours,
    # then the six points listed with what their lines show (territory, categories, hours).
    with django_assert_max_num_queries(8):
        answer = selectors.nearest_points(
            lat=ORIGIN[0], lon=ORIGIN[1], category=textile, moment=datetime.now(UTC), limit=1
        )

    assert [c.point for c in answer.found] == [room]
    assert [c.point.name for c in answer.skipped] == [f"Full {i:02d}" for i in range(MAX_SKIPPED)]
    assert all(c.reasons == (FULL,) for c in answer.skipped)
    assert answer.skipped_more == 40 - MAX_SKIPPED

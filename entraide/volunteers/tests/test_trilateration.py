"""The attack of issue 18: move one's home again and again, read distances, locate the home.

A verified volunteer account moves its home through the API, reads every distance it can
see of one target request (the API's nearby list and the request's page), and a solver keeps
every candidate home consistent with all the readings. The platform wins when that set
still holds points at 250 m or more from the true home: no better than the public map.
"""

import math
import random

import numpy as np
import pytest
from rest_framework.test import APIClient

from entraide.matching.geo import haversine_km, haversine_km_many, round_position
from entraide.testing.factories import HelpRequestFactory, UserFactory, VolunteerProfileFactory
from entraide.volunteers.selectors import public_position

PROFILE = "/api/volunteer/profile/"
NEARBY = "/api/volunteer/nearby-requests/"
KM_LAT = 1 / 111.32
# The target lives near a corner of its 500 m cell: its public position is ~280 m away.
CENTRE = round_position(50.8467, 4.3525, 500)
HOME = (CENTRE[0] + 0.2 * KM_LAT, CENTRE[1] + 0.2 * KM_LAT / math.cos(math.radians(CENTRE[0])))
MOVES = 40


def _profile_body(lat: float, lon: float) -> dict:
    return {
        "town": "Bruxelles",
        "postcode": "1000",
        "country": "BE",
        "lat": lat,
        "lon": lon,
        "radius_km": 100,
        "languages": ["fr"],
    }


def _interval(item: dict) -> tuple[float, float]:
    """Return what a reading says of the distance, as [low, high) in km, whatever its form."""
    band = item.get("distance_band")
    if band is not None:
        return float(band["min_km"]), math.inf if band["max_km"] is None else float(band["max_km"])
    # Before the fix: "about X km", the exact distance to the nearest half kilometre.
    return item["distance_km"] - 0.25, item["distance_km"] + 0.25


def _page_interval(visible) -> tuple[float, float]:
    """Return what the request's page says of the distance, as [low, high) in km."""
    band = getattr(visible, "distance_band", None)
    if band is not None:
        return float(band.min_km), math.inf if band.max_km is None else float(band.max_km)
    return visible.rounded_distance_km - 0.25, visible.rounded_distance_km + 0.25


def _attack(client, api: APIClient, target) -> tuple[list, int]:
    """Move home MOVES times around the target, reading every distance; return the readings."""
    rng = random.Random(18)
    readings = []
    accepted = 0
    for step in range(MOVES):
        angle = 2 * math.pi * step / MOVES + rng.uniform(-0.1, 0.1)
        reach = rng.uniform(0.6, 4.0)
        lat = HOME[0] + reach * KM_LAT * math.sin(angle)
        lon = HOME[1] + reach * KM_LAT * math.cos(angle) / math.cos(math.radians(HOME[0]))
        moved = api.put(PROFILE, _profile_body(lat, lon), format="json")
        if moved.status_code != 200:
            assert moved.status_code == 400
            assert "town" in moved.json()
            continue
        accepted += 1
        listed = api.get(NEARBY).json()["results"]
        [item] = [i for i in listed if i["public_id"] == str(target.public_id)]
        readings.append((lat, lon, _interval(item)))
        page = client.get(f"/fr/volunteer/requests/{target.public_id}/")
        assert page.status_code == 200
        readings.append((lat, lon, _page_interval(page.context["visible"])))
    return readings, accepted


def _consistent_candidates(readings: list, public: tuple[float, float]) -> np.ndarray:
    """Return every candidate home on a 20 m grid that agrees with all the readings.

    A candidate must also round to the public position the map shows.
    """
    step = 0.02
    offsets = np.arange(-2.0, 2.0 + step / 2, step)
    lats = CENTRE[0] + offsets * KM_LAT
    lons = CENTRE[1] + offsets * KM_LAT / math.cos(math.radians(CENTRE[0]))
    mesh_lat, mesh_lon = np.meshgrid(lats, lons)
    grid_lat, grid_lon = mesh_lat.ravel(), mesh_lon.ravel()
    keep = np.ones(grid_lat.shape, dtype=bool)
    for lat, lon, (low, high) in readings:
        distances = haversine_km_many(
            math.radians(lat), math.radians(lon), np.radians(grid_lat), np.radians(grid_lon)
        )
        keep &= (distances >= low) & (distances < high)
    for index in np.flatnonzero(keep):
        if public_position(float(grid_lat[index]), float(grid_lon[index])) != public:
            keep[index] = False
    return np.column_stack([grid_lat[keep], grid_lon[keep]])


@pytest.fixture
def attacker(db, client):
    """Return an attacker's verified volunteer account, logged in on the web and the API."""
    user = UserFactory.create(email="mallory@example.org", first_name="Mallory", language="fr")
    VolunteerProfileFactory(user=user, languages=["fr"], lat=CENTRE[0] + 0.05, lon=CENTRE[1])
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return user, client, api


def test_many_moves_and_readings_locate_the_home_no_better_than_the_public_map(attacker, settings):
    # As if the attacker had many accounts: the limit on moves is lifted for this part.
    settings.VOLUNTEER_HOME_CHANGES = 1000
    _user, client, api = attacker
    target = HelpRequestFactory.create(lat=HOME[0], lon=HOME[1], languages=["fr"])

    readings, accepted = _attack(client, api, target)

    assert accepted == MOVES
    [shown] = api.get(NEARBY).json()["results"]
    candidates = _consistent_candidates(readings, (shown["lat"], shown["lon"]))
    assert len(candidates) > 0
    farthest = max(haversine_km(HOME[0], HOME[1], lat, lon) for lat, lon in candidates)
    assert farthest >= 0.25, f"home located within {farthest * 1000:.0f} m"


def test_the_public_position_says_nothing_of_where_in_its_cell_the_home_is():
    cell = {
        public_position(CENTRE[0] + north * KM_LAT / 10, CENTRE[1] + east * KM_LAT / 10)
        for north in range(-2, 3)
        for east in range(-2, 3)
    }

    assert len(cell) == 1


def test_the_attacker_is_stopped_after_the_allowed_moves(attacker, settings):
    settings.VOLUNTEER_HOME_CHANGES = 3
    settings.VOLUNTEER_HOME_CHANGE_DAYS = 7
    _user, client, api = attacker
    target = HelpRequestFactory.create(lat=HOME[0], lon=HOME[1], languages=["fr"])

    readings, accepted = _attack(client, api, target)

    assert accepted == 3
    assert len(readings) == 2 * 3

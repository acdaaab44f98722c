"""Grid cells and boxes around a circle hold every point of the circle, poles included."""

from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.matching.geo import (
    box_degrees,
    cell_of,
    cells_within,
    destination,
    haversine_km,
)


def _longitude_gap(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


@settings(max_examples=300, deadline=None)
@given(
    lat=st.one_of(st.floats(-89.9, 89.9), st.floats(88.0, 89.99), st.floats(-89.99, -88.0)),
    lon=st.one_of(st.floats(-180.0, 180.0), st.floats(179.0, 180.0), st.floats(-180.0, -179.0)),
    radius_km=st.floats(0.1, 100.0),
    bearings=st.lists(st.floats(0.0, 360.0), min_size=1, max_size=8),
    share=st.floats(0.0, 0.999),
)
def test_the_box_and_the_cells_hold_every_point_of_the_circle(
    lat: float, lon: float, radius_km: float, bearings: list[float], share: float
) -> None:
    dlat, dlon = box_degrees(lat, radius_km)
    cells = set(cells_within(lat, lon, radius_km))
    for bearing in [*bearings, 0.0, 90.0, 180.0, 270.0]:
        point = destination(lat, lon, bearing, radius_km * share)
        assert haversine_km(lat, lon, *point) <= radius_km * (1 + 1e-9) + 1e-9
        assert abs(point[0] - lat) <= dlat + 1e-9
        assert dlon >= 180.0 or _longitude_gap(point[1], lon) <= dlon + 1e-9
        assert cell_of(*point) in cells


def test_near_a_pole_the_box_spans_every_longitude() -> None:
    assert box_degrees(89.5, 5.0)[1] == 180.0
    assert box_degrees(-89.5, 60.0)[1] == 180.0
    # Across the pole: the point on the other side is within reach.
    across = destination(89.99, 0.0, 0.0, 3.0)
    assert abs(across[1]) > 90.0
    assert cell_of(*across) in cells_within(89.99, 0.0, 5.0)

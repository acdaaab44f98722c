"""The offline basemap: its build on tiny sources, and which pages fetch it instead of tiles."""

import json
import struct
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.templatetags.static import static

from entraide.core.management.commands import build_basemap as basemap
from entraide.testing.factories import UserFactory, VolunteerProfileFactory

BOX = (0.0, 0.0, 10.0, 10.0)


def _segments_cross(a, b, c, d) -> bool:
    """Tell whether segments ab and cd cross at a point inside both (touching ends aside)."""

    def side(p, q, r) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2, d3, d4 = side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0


def assert_valid_ring(ring, box) -> None:
    """A ring is closed, has an area, stays in the box and never crosses itself."""
    assert len(ring) >= 4 and ring[0] == ring[-1]
    assert basemap.ring_area(ring) != 0
    assert all(basemap.inside(point, box) for point in ring)
    edges = list(zip(ring, ring[1:], strict=False))
    for i, (a, b) in enumerate(edges):
        for c, d in edges[i + 2 :]:
            assert not _segments_cross(a, b, c, d), (a, b, c, d)


def _wiggly_square(x0: float, y0: float, size: float, steps: int = 40) -> list:
    """Return a closed square whose edges carry tiny bumps that simplification removes."""
    points = []
    corners = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size)]
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        for i in range(steps):
            t = i / steps
            bump = 0.0005 if i % 2 else 0.0
            points.append((ax + t * (bx - ax) + bump, ay + t * (by - ay) + bump))
    return [*points, points[0]]


def test_it_clips_a_polygon_to_the_box_and_keeps_it_valid() -> None:
    # A square half outside the box, with a hole inside and a hole wholly outside.
    polygon = [
        _wiggly_square(5, 2, 10),
        [(7, 4), (7, 6), (9, 6), (9, 4), (7, 4)],
        [(12, 4), (12, 6), (14, 6), (14, 4), (12, 4)],
    ]

    (clipped,) = basemap.prepare_polygons([polygon], BOX, tolerance=0.002)

    outer, hole = clipped  # the hole outside the box is gone
    for ring in clipped:
        assert_valid_ring(ring, BOX)
    assert abs(abs(basemap.ring_area(outer)) - 5 * 8) < 0.05
    assert abs(basemap.ring_area(hole)) == pytest.approx(4)
    # The bumps are far below the tolerance: the 160-point outline becomes a rectangle.
    assert len(outer) < 10


def test_it_drops_polygons_and_lines_outside_the_box() -> None:
    outside: list = [[(20, 20), (21, 20), (21, 21), (20, 20)]]
    assert basemap.prepare_polygons([outside], BOX, tolerance=0.002) == []
    far: list = [(20, 20), (30, 30)]
    assert basemap.prepare_lines([far], BOX, tolerance=0.002) == []


def test_it_cuts_a_line_where_it_leaves_and_reenters_the_box() -> None:
    line: list = [(-5, 5), (5, 5), (5, 15), (8, 15), (8, 5)]

    pieces = basemap.prepare_lines([line], BOX, tolerance=0.002)

    assert pieces == [[(0.0, 5.0), (5.0, 5.0), (5.0, 10.0)], [(8.0, 10.0), (8.0, 5.0)]]


def test_it_keeps_the_points_that_shape_a_line() -> None:
    line = [(0, 0), (1, 0.0001), (2, 0), (3, 1), (4, 0)]

    assert basemap.simplify(line, tolerance=0.01) == [(0, 0), (2, 0), (3, 1), (4, 0)]


def _topology() -> dict:
    """Two countries side by side in Belgium's box sharing one arc: their border."""
    return {
        "type": "Topology",
        "arcs": [
            [[4, 49], [4, 51]],  # the shared border
            [[4, 51], [2, 51], [2, 49], [4, 49]],  # west coast
            [[4, 49], [6, 49], [6, 51], [4, 51]],  # east coast
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "West"}},
                    {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"name": "East"}},
                ],
            }
        },
    }


def _shapefile(path: Path, shapes: list, kind: int = 3) -> Path:
    """Write a minimal .shp of polylines (3) or polygons (5), as Natural Earth ships them."""
    records = b""
    for number, parts in enumerate(shapes, start=1):
        points = [point for part in parts for point in part]
        starts, at = [], 0
        for part in parts:
            starts.append(at)
            at += len(part)
        content = struct.pack("<i4d", kind, 0, 0, 0, 0)
        content += struct.pack("<ii", len(parts), len(points))
        content += struct.pack(f"<{len(parts)}i", *starts)
        content += struct.pack(f"<{2 * len(points)}d", *[c for point in points for c in point])
        records += struct.pack(">ii", number, len(content) // 2) + content
    header = struct.pack(">i20xi", 9994, (100 + len(records)) // 2)
    header += struct.pack("<ii4d32x", 1000, kind, 0, 0, 0, 0)
    path.write_bytes(header + records)
    return path


def _sources(tmp_path: Path) -> dict[str, Path]:
    """Write tiny sources: two countries, two region lines (one running south out of the box),
    a lake with an island, one road."""
    countries = tmp_path / "countries.json"
    countries.write_text(json.dumps(_topology()), encoding="utf-8")
    region_lines: list = [[[(3, 49.5), (3, 50.5)]], [[(5, 30), (5, 50)]]]
    regions = _shapefile(tmp_path / "regions.shp", region_lines)
    # A clockwise lake with an island (counter-clockwise): one polygon with a hole.
    lake = [(4.5, 49.2), (4.5, 50.8), (5.8, 50.8), (5.8, 49.2), (4.5, 49.2)]
    island = [(5, 49.5), (5.5, 49.5), (5.5, 50), (5, 50), (5, 49.5)]
    lakes = _shapefile(tmp_path / "lakes.shp", [[lake, island]], kind=5)
    roads = tmp_path / "roads.json"
    road = {"type": "LineString", "coordinates": [[2.35, 48.85], [4.35, 50.85]]}
    feature = {"type": "Feature", "properties": {}, "geometry": road}
    roads.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    return {"countries": countries, "regions": regions, "lakes": lakes, "roads": roads}


def test_it_reads_countries_and_finds_their_shared_border(tmp_path: Path) -> None:
    countries, borders = basemap.read_topojson_countries(_sources(tmp_path)["countries"])

    assert sorted(countries) == ["East", "West"]
    (west,) = countries["West"]
    assert west[0][0] == west[0][-1]  # stitched into a closed ring
    assert abs(basemap.ring_area(west[0])) == 4
    assert borders == [[(4.0, 49.0), (4.0, 51.0)]]


def test_it_groups_a_shapefiles_rings_into_polygons_with_holes(tmp_path: Path) -> None:
    shapes = basemap.read_shapefile(_sources(tmp_path)["lakes"])

    (polygon,) = basemap.shapefile_polygons(shapes)

    assert len(polygon) == 2 and polygon[1][0] == (5.0, 49.5)


def test_it_builds_valid_layers_and_the_same_bytes_every_time(tmp_path: Path) -> None:
    options = {name: str(path) for name, path in _sources(tmp_path).items()}

    call_command("build_basemap", **options, output=str(tmp_path / "first"), stdout=StringIO())
    call_command("build_basemap", **options, output=str(tmp_path / "second"), stdout=StringIO())

    first = (tmp_path / "first" / "basemap.json").read_bytes()
    assert first == (tmp_path / "second" / "basemap.json").read_bytes()
    document = json.loads(first)
    assert document["attribution"] == "© Natural Earth, GeoNames"
    land = document["land"]["features"]
    assert [feature["properties"]["name"] for feature in land] == ["East", "West"]
    for feature in land + document["water"]["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        for polygon in polygons if geometry["type"] == "MultiPolygon" else [polygons]:
            for ring in polygon:
                assert_valid_ring([tuple(point) for point in ring], basemap.DEMO_BBOX)
    (border,) = document["borders"]["features"][0]["geometry"]["coordinates"]
    assert border == [[4, 49], [4, 51]]
    regions = document["regions"]["features"][0]["geometry"]["coordinates"]
    assert regions == [[[3, 49.5], [3, 50.5]], [[5, basemap.DEMO_BBOX[1]], [5, 50]]]
    assert document["roads"]["features"][0]["geometry"]["coordinates"] == [
        [[2.35, 48.85], [4.35, 50.85]]
    ]


def test_it_names_the_big_towns_first_and_from_a_lower_zoom() -> None:
    cities = [
        {
            "name": "Wavre",
            "latitude": 50.7,
            "longitude": 4.6,
            "countrycode": "BE",
            "population": 34_000,
        },
        {
            "name": "Paris",
            "latitude": 48.85,
            "longitude": 2.35,
            "countrycode": "FR",
            "population": 2_138_551,
        },
        {
            "name": "Bure",
            "latitude": 49.9,
            "longitude": 5.2,
            "countrycode": "BE",
            "population": 1_200,
        },
        # A neighbour's village would only crowd the margin.
        {
            "name": "Kleindorf",
            "latitude": 50.5,
            "longitude": 6.5,
            "countrycode": "DE",
            "population": 3_000,
        },
        {
            "name": "Madrid",
            "latitude": 40.4,
            "longitude": -3.7,
            "countrycode": "ES",
            "population": 3_255_944,
        },
    ]

    towns = basemap.select_towns(cities, basemap.DEMO_BBOX)

    assert towns == [
        ["Paris", 48.85, 2.35, 5],
        ["Wavre", 50.7, 4.6, 9],
        ["Bure", 49.9, 5.2, 11],
    ]


def test_it_says_which_source_is_wrong(tmp_path: Path) -> None:
    sources = _sources(tmp_path)
    not_topojson = tmp_path / "features.json"
    not_topojson.write_text('{"type": "FeatureCollection"}', encoding="utf-8")

    with pytest.raises(CommandError, match="not a world-atlas TopoJSON file"):
        call_command("build_basemap", countries=str(not_topojson), regions=str(sources["regions"]))
    with pytest.raises(CommandError, match="is not a shapefile"):
        call_command(
            "build_basemap", countries=str(sources["countries"]), regions=str(not_topojson)
        )
    with pytest.raises(CommandError, match="cannot be read"):
        call_command(
            "build_basemap",
            countries=str(tmp_path / "missing.json"),
            regions=str(sources["regions"]),
        )


def test_the_shipped_basemap_covers_the_demo_regions() -> None:
    path = Path(basemap.DEFAULT_OUTPUT) / "basemap.json"
    document = json.loads(path.read_text(encoding="utf-8"))

    names = {feature["properties"]["name"] for feature in document["land"]["features"]}
    assert {"Belgium", "France", "Luxembourg"} <= names
    assert document["borders"]["features"] and document["regions"]["features"]
    towns = {town[0] for town in document["towns"]}
    assert {"Paris", "Brussels", "Luxembourg", "Ixelles", "Lyon"} <= towns
    assert path.stat().st_size < 3 * 1024 * 1024


def _profile_page(client) -> str:
    """Return the HTML of a volunteer's profile page, the one with the pin map."""
    volunteer = UserFactory.create()
    VolunteerProfileFactory(user=volunteer)
    client.force_login(volunteer)
    return client.get("/fr/volunteer/profile/").content.decode()


@pytest.mark.django_db
def test_it_points_maps_to_the_basemap_without_tiles(client, settings) -> None:
    settings.MAP_TILE_URL = ""

    page = _profile_page(client)

    assert f'data-basemap-url="{static("core/basemap/basemap.json")}"' in page
    assert "data-editable" in page  # the pin can be placed: the map is worth showing


@pytest.mark.django_db
def test_it_uses_tiles_and_not_the_basemap_when_a_tile_server_is_set(client, settings) -> None:
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"

    page = _profile_page(client)

    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in page
    assert 'data-basemap-url=""' in page


@pytest.mark.django_db
def test_it_leaves_the_pin_map_out_with_neither_tiles_nor_basemap(client, settings) -> None:
    settings.MAP_TILE_URL = ""
    settings.MAP_BASEMAP = False

    assert "data-editable" not in _profile_page(client)

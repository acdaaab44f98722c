"""Open data: every drop-off point as GeoJSON and CSV, with Open Referral HSDS field names.

HSDS 3 describes a `location` (name, address_1, postal_code, city, country, latitude,
longitude) and its `schedule` (byday, opens_at, closes_at); the columns and properties use
those names so that a directory importer maps them without a table of ours. Hours are one
text per point in the RRULE-like form HSDS's `byday` takes ("MO 09:00-12:00, 14:00-18:00").
"""

from typing import Any

from entraide.dropoff.models import DropoffPoint

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
COLUMNS = (
    "id",
    "name",
    "organization",
    "address_1",
    "postal_code",
    "city",
    "country",
    "latitude",
    "longitude",
    "timezone",
    "schedule",
    "categories",
    "step_free",
    "accessibility",
    "fill_level",
    "status",
)


def schedule_text(point: DropoffPoint) -> str:
    """Return the weekly hours as "MO 09:00-12:00, 14:00-18:00; WE 10:00-17:00"."""
    weekly = point.weekly_hours()
    return "; ".join(
        f"{BYDAY[day]} "
        + ", ".join(f"{r.opens:%H:%M}-{r.closes:%H:%M}" for r in sorted(weekly[day]))
        for day in sorted(weekly)
    )


def record(point: DropoffPoint) -> dict[str, Any]:
    """Return one point's open-data record (the CSV row and the GeoJSON properties)."""
    return {
        "id": point.pk,
        "name": point.name,
        "organization": point.organisation.name,
        "address_1": point.address,
        "postal_code": point.postcode,
        "city": point.town,
        "country": point.country,
        "latitude": point.lat,
        "longitude": point.lon,
        "timezone": point.territory.time_zone,
        "schedule": schedule_text(point),
        "categories": " ".join(sorted(c.code for c in point.categories.all())),
        "step_free": point.step_free,
        "accessibility": point.accessibility_notes,
        "fill_level": point.fill_level,
        "status": point.status,
    }


def geojson(points: list[DropoffPoint]) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of the points that have a position."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": point.pk,
                # GeoJSON orders a position longitude first (RFC 7946).
                "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
                "properties": record(point),
            }
            for point in points
            if point.has_position
        ],
    }

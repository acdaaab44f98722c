"""What a volunteer may learn of how far a request is before taking it: a coarse band.

Every distance shown before the take is measured to the request's rounded public position
(never the exact one) and then put in a band, so that moving one's own home and reading
distances again cannot trilaterate the requester's home (docs/security.md).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.matching.geo import haversine_km, round_position

# The upper bounds of the bands, in km; beyond the last one is "more than 20 km".
BAND_LIMITS_KM = (1, 3, 5, 10, 20)


@dataclass(frozen=True)
class DistanceBand:
    """A range of distances: from min_km (inclusive) to max_km (exclusive, None: no end)."""

    min_km: int
    max_km: int | None

    @property
    def label(self) -> str:
        """Return the band in words, in the active language."""
        if self.min_km == 0:
            return str(_("less than %(max)s km") % {"max": self.max_km})
        if self.max_km is None:
            return str(_("more than %(min)s km") % {"min": self.min_km})
        return str(_("%(min)s–%(max)s km") % {"min": self.min_km, "max": self.max_km})


def public_position(lat: float, lon: float) -> tuple[float, float]:
    """Return a position rounded so that it cannot be pinpointed on a public map."""
    return round_position(lat, lon, settings.PUBLIC_POSITION_PRECISION_M)


def public_distance_km(home_lat: float, home_lon: float, lat: float, lon: float) -> float:
    """Return the distance from a home to the rounded public position of (lat, lon)."""
    public_lat, public_lon = public_position(lat, lon)
    return haversine_km(home_lat, home_lon, public_lat, public_lon)


def distance_band(distance_km: float) -> DistanceBand:
    """Return the band a distance falls in."""
    low = 0
    for limit in BAND_LIMITS_KM:
        if distance_km < limit:
            return DistanceBand(low, limit)
        low = limit
    return DistanceBand(low, None)

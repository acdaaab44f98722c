"""HelperIndex answers exactly what a brute-force great-circle scan would."""

import random

import numpy as np
import pytest

from entraide.matching import Helper, HelperIndex, _grid_kernel
from entraide.matching.geo import haversine_km_many
from entraide.matching.index import helper_index as index_module

LANGUAGES = ["fr", "nl", "en", "ar"]
KINDS = ["shopping", "pharmacy", "call"]


@pytest.fixture(autouse=True, params=["compiled", "numpy"])
def query_loop(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test here with the compiled query loop and with the NumPy fallback."""
    if request.param == "compiled" and not _grid_kernel.AVAILABLE:
        pytest.skip("numba is not installed")
    monkeypatch.setattr(_grid_kernel, "AVAILABLE", request.param == "compiled")
    return str(request.param)


def random_helpers(rng: random.Random, n: int, *, spread: float = 0.2) -> list[Helper]:
    helpers: list[Helper] = []
    for i in range(n):
        # A few helpers share a position exactly, so distance ties happen.
        if helpers and rng.random() < 0.15:
            twin = rng.choice(helpers)
            lat, lon = twin.lat, twin.lon
        else:
            lat, lon = 50.8 + rng.random() * spread, 4.3 + rng.random() * spread
        helpers.append(
            Helper(
                i * 7 % 1009,
                lat,
                lon,
                capacity=rng.randint(1, 3),
                languages=frozenset(rng.sample(LANGUAGES, rng.choice([0, 1, 1, 2]))),
                kinds=frozenset(rng.sample(KINDS, rng.choice([0, 1, 2]))),
            )
        )
    return helpers


def brute_force(
    helpers: list[Helper],
    lat: float,
    lon: float,
    k: int | None,
    radius_km: float,
    language: str | None = None,
    kind: str | None = None,
) -> list[tuple[int | str, float]]:
    kept = [h for h in helpers if h.accepts(language, kind)]
    if not kept:
        return []
    distances = haversine_km_many(
        np.radians(lat),
        np.radians(lon),
        np.radians([h.lat for h in kept]),
        np.radians([h.lon for h in kept]),
    )
    pairs = sorted((float(d), h.id) for h, d in zip(kept, distances, strict=True) if d <= radius_km)
    found: list[tuple[int | str, float]] = [(i, d) for d, i in pairs]
    return found[:k] if k is not None else found


def test_it_matches_brute_force_with_filters_and_ties() -> None:
    rng = random.Random(7)
    helpers = random_helpers(rng, 600)
    index = HelperIndex.from_helpers(helpers)
    for _ in range(300):
        twin = rng.choice(helpers)
        lat, lon = (
            (twin.lat, twin.lon)
            if rng.random() < 0.3
            else (50.8 + rng.random() * 0.2, 4.3 + rng.random() * 0.2)
        )
        k = rng.choice([1, 3, 10, None])
        radius = rng.choice([0.5, 2.0, 5.0, 40.0])
        language = rng.choice([None, *LANGUAGES, "xx"])
        kind = rng.choice([None, *KINDS])
        expected = brute_force(helpers, lat, lon, k, radius, language, kind)
        assert (
            index.nearest(lat, lon, k=k, radius_km=radius, language=language, kind=kind) == expected
        )


def test_it_uses_rare_language_subindexes_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("entraide.matching.index.helper_index.SUBINDEX_MIN_SIZE", 10)
    rng = random.Random(3)
    helpers = [
        Helper(
            i,
            50.8 + rng.random() * 0.2,
            4.3 + rng.random() * 0.2,
            languages=frozenset(["ar"] if i % 17 == 0 else ["fr"]),
        )
        for i in range(800)
    ]
    index = HelperIndex.from_helpers(helpers)
    assert "ar" in index._language_trees
    for _ in range(50):
        lat, lon = 50.8 + rng.random() * 0.2, 4.3 + rng.random() * 0.2
        assert index.nearest(lat, lon, k=4, radius_km=8.0, language="ar") == brute_force(
            helpers, lat, lon, 4, 8.0, "ar"
        )


def test_it_breaks_ties_by_id() -> None:
    helpers = [Helper(i, 50.85, 4.35) for i in (5, 2, 9, 1)]
    index = HelperIndex.from_helpers(helpers)
    assert [i for i, _ in index.nearest(50.85, 4.35, k=3)] == [1, 2, 5]


def test_it_sees_upserts_and_removals_at_once() -> None:
    rng = random.Random(11)
    helpers = random_helpers(rng, 300)
    index = HelperIndex(helpers, delta_limit=25)
    current = {h.id: h for h in helpers}
    for step in range(120):
        if step % 3 == 0:
            victim = rng.choice(sorted(current))
            index.remove(victim)
            del current[victim]
        else:
            new = random_helpers(rng, 1)[0]
            new = Helper(
                rng.choice([*sorted(current)[:50], 5000 + step]),
                new.lat,
                new.lon,
                languages=new.languages,
            )
            index.upsert(new)
            current[new.id] = new
        lat, lon = 50.8 + rng.random() * 0.2, 4.3 + rng.random() * 0.2
        language = rng.choice([None, "fr"])
        assert index.nearest(lat, lon, k=5, radius_km=3.0, language=language) == brute_force(
            list(current.values()), lat, lon, 5, 3.0, language
        )
    assert len(index) == len(current)


def test_it_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        Helper(1, 91.0, 4.0)
    with pytest.raises(ValueError):
        Helper(1, 50.0, 4.0, capacity=0)
    with pytest.raises(ValueError):
        HelperIndex.from_helpers([Helper(1, 50.0, 4.0), Helper(1, 50.1, 4.0)])
    index = HelperIndex.from_helpers([Helper(1, 50.0, 4.0)])
    with pytest.raises(ValueError):
        index.nearest(50.0, 4.0, k=0)
    with pytest.raises(ValueError):
        index.nearest(50.0, 4.0, radius_km=-1.0)
    with pytest.raises(KeyError):
        index.remove(2)


def test_it_answers_on_an_empty_index() -> None:
    assert HelperIndex.from_helpers([]).nearest(50.0, 4.0) == []


def test_it_filters_on_values_beyond_the_bit_table_exactly() -> None:
    # 70 languages overflow the 63 filter bits, so the rarest are checked another way.
    rng = random.Random(23)
    languages = [f"l{i:02d}" for i in range(70)]
    helpers = [
        Helper(
            i,
            50.8 + rng.random() * 0.1,
            4.3 + rng.random() * 0.1,
            languages=frozenset(rng.sample(languages, rng.choice([0, 1, 2]))),
        )
        for i in range(900)
    ]
    index = HelperIndex.from_helpers(helpers)
    overflow = sorted(set(languages) - set(index._language_bit))
    assert len(overflow) == 7
    for step in range(80):
        lat, lon = 50.8 + rng.random() * 0.1, 4.3 + rng.random() * 0.1
        pool = overflow if step % 2 else [*languages, "unknown", None]
        language = rng.choice(pool)
        assert index.nearest(lat, lon, k=6, radius_km=3.0, language=language) == brute_force(
            helpers, lat, lon, 6, 3.0, language
        )


def test_it_skips_removed_helpers_before_the_rebuild() -> None:
    helpers = [Helper(i, 50.85 + i * 1e-4, 4.35) for i in range(30)]
    index = HelperIndex(helpers, delta_limit=1_000)
    for i in range(0, 30, 2):
        index.remove(i)
    assert [i for i, _ in index.nearest(50.85, 4.35, k=3)] == [1, 3, 5]


def test_it_compiles_the_query_loop_while_building_a_big_index(
    monkeypatch: pytest.MonkeyPatch, query_loop: str
) -> None:
    monkeypatch.setattr(index_module, "_WARM_UP_MIN_HELPERS", 3)
    monkeypatch.setattr(index_module, "_WARM", False)
    helpers = [Helper(i, 50.85 + i * 1e-3, 4.35) for i in range(3)]
    index = HelperIndex.from_helpers(helpers)
    assert index_module._WARM is (query_loop == "compiled")
    assert index.nearest(50.85, 4.35, k=2) == brute_force(helpers, 50.85, 4.35, 2, 5.0)

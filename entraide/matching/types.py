"""The plain values the matching core works on: helpers (volunteers) and needs (requests)."""

import math
from dataclasses import dataclass, field

HelperId = int | str


def _check_position(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError(f"latitude {lat!r} is not between -90 and 90")
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise ValueError(f"longitude {lon!r} is not between -180 and 180")


@dataclass(frozen=True, slots=True)
class Helper:
    """Someone who can take up to `capacity` needs; empty languages or kinds mean any."""

    id: HelperId
    lat: float
    lon: float
    capacity: int = 1
    languages: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        _check_position(self.lat, self.lon)
        if isinstance(self.capacity, bool) or not isinstance(self.capacity, int):
            raise ValueError(f"capacity {self.capacity!r} is not a whole number")
        if self.capacity < 1:
            raise ValueError(f"capacity {self.capacity!r} is below 1")
        # Accept any iterable of strings but store frozensets, so helpers hash and compare.
        object.__setattr__(self, "languages", frozenset(self.languages))
        object.__setattr__(self, "kinds", frozenset(self.kinds))

    def accepts(self, language: str | None, kind: str | None) -> bool:
        """Return True when this helper speaks the language and does the kind of help."""
        return self.speaks(language) and self.does(kind)

    def speaks(self, language: str | None) -> bool:
        """Return True when the language is unset, or this helper speaks it or any language."""
        return language is None or not self.languages or language in self.languages

    def does(self, kind: str | None) -> bool:
        """Return True when the kind is unset, or this helper does it or any kind of help."""
        return kind is None or not self.kinds or kind in self.kinds


@dataclass(frozen=True, slots=True)
class Need:
    """A request for help at a place, optionally in a language and of a kind."""

    id: HelperId
    lat: float
    lon: float
    language: str | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        _check_position(self.lat, self.lon)

"""Goods allocation from CSV files: read lots and needs, allocate, write the kilograms."""

import csv
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from entraide.matching.batch import BatchFileError, _identifier, _number, _rows
from entraide.matching.goods import GoodsLot, GoodsNeed, allocate_goods, check_goods

LOT_COLUMNS = ["id", "category", "kg", "lat", "lon", "use_by"]
NEED_COLUMNS = ["id", "category", "kg", "lat", "lon", "radius_km", "pickup_on"]
ALLOCATION_COLUMNS = ["lot_id", "need_id", "kg"]


def _kg(path: Path, line: int, row: dict[str, str]) -> int:
    raw = row["kg"]
    # isascii(): "²".isdigit() is True but int("²") fails; a weight is a few digits.
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise BatchFileError(path, line, "bad_kg", value=raw)
    return int(raw)


def _date(path: Path, line: int, row: dict[str, str], column: str) -> date | None:
    raw = row[column]
    if not raw:
        if column == "use_by":
            return None
        raise BatchFileError(path, line, "missing_date", column=column)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BatchFileError(path, line, "bad_date", column=column, value=raw) from None


def _place(path: Path, line: int, row: dict[str, str]) -> tuple[float, float]:
    lat, lon = _number(path, line, row, "lat"), _number(path, line, row, "lon")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BatchFileError(path, line, "bad_position", lat=lat, lon=lon)
    return lat, lon


def read_lots(path: Path) -> list[GoodsLot]:
    """Read lots from a CSV file with columns id,category,kg,lat,lon,use_by."""
    lots: list[GoodsLot] = []
    seen: set[str] = set()
    for line, row in _rows(path, LOT_COLUMNS):
        identifier = _identifier(path, line, row, seen)
        kg = _kg(path, line, row)
        lat, lon = _place(path, line, row)
        use_by = _date(path, line, row, "use_by")
        lots.append(GoodsLot(identifier, row["category"], kg, lat, lon, use_by))
    return lots


def read_needs(path: Path) -> list[GoodsNeed]:
    """Read needs from a CSV file with columns id,category,kg,lat,lon,radius_km,pickup_on."""
    needs: list[GoodsNeed] = []
    seen: set[str] = set()
    for line, row in _rows(path, NEED_COLUMNS):
        identifier = _identifier(path, line, row, seen)
        kg = _kg(path, line, row)
        lat, lon = _place(path, line, row)
        radius_km = _number(path, line, row, "radius_km")
        if radius_km < 0:
            raise BatchFileError(path, line, "bad_radius", value=row["radius_km"])
        pickup_on = _date(path, line, row, "pickup_on")
        assert pickup_on is not None  # _date raises for an empty pickup_on
        needs.append(GoodsNeed(identifier, row["category"], kg, lat, lon, radius_km, pickup_on))
    return needs


@dataclass(frozen=True, slots=True)
class GoodsSummary:
    """The figures printed after an allocation run, and the broken rules when checked."""

    kg: int
    kg_km: float
    seconds: float
    problems: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict, in a fixed key order."""
        return {"kg": self.kg, "kg_km": round(self.kg_km, 3), "seconds": round(self.seconds, 3)}


def run_goods(
    lots_path: Path,
    needs_path: Path,
    out_path: Path,
    *,
    cold_categories: frozenset[str] = frozenset(),
    max_share: float | None = None,
    check: bool = False,
) -> GoodsSummary:
    """Allocate lots to needs from CSV files and write the kilograms to out_path."""
    started = time.perf_counter()
    lots = read_lots(lots_path)
    needs = read_needs(needs_path)
    result = allocate_goods(lots, needs, cold_categories=cold_categories, max_share=max_share)
    with out_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ALLOCATION_COLUMNS)
        for allocation in result.allocations:
            writer.writerow([allocation.lot_id, allocation.need_id, allocation.kg])
    seconds = time.perf_counter() - started
    problems: list[str] = []
    if check:
        problems = check_goods(
            lots,
            needs,
            result.allocations,
            cold_categories=cold_categories,
            max_share=max_share,
        )
    return GoodsSummary(result.kg, result.kg_km, seconds, tuple(problems))

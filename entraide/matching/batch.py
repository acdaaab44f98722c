"""Batch matching from CSV files: read helpers and requests, assign, write pairs, summarise."""

import csv
import math
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from entraide.matching.assignment import assign
from entraide.matching.types import Helper, Need

HELPER_COLUMNS = ["id", "lat", "lon", "capacity", "languages", "kinds"]
REQUEST_COLUMNS = ["id", "lat", "lon", "language", "kind"]
ASSIGNMENT_COLUMNS = ["request_id", "helper_id", "distance_km"]


class BatchFileError(Exception):
    """A problem in an input file, with the line it was found on (1 = the header)."""

    def __init__(self, path: Path, line: int, problem: str, **details: Any) -> None:
        self.path = path
        self.line = line
        self.problem = problem  # a stable code the command line turns into a translated message
        self.details = details
        super().__init__(f"{path}:{line}: {problem} {details}")


def _rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise BatchFileError(path, 0, "unreadable", reason=error.strerror or str(error)) from error
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None or [c.strip() for c in header] != columns:
                raise BatchFileError(path, 1, "bad_header", expected=",".join(columns))
            for row in reader:
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) != len(columns):
                    raise BatchFileError(
                        path,
                        reader.line_num,
                        "bad_column_count",
                        expected=len(columns),
                        found=len(row),
                    )
                yield (
                    reader.line_num,
                    {c: cell.strip() for c, cell in zip(columns, row, strict=True)},
                )
        except (csv.Error, UnicodeDecodeError) as error:
            raise BatchFileError(path, reader.line_num, "not_csv", reason=str(error)) from error


def _number(path: Path, line: int, row: dict[str, str], column: str) -> float:
    try:
        value = float(row[column])
    except ValueError:
        raise BatchFileError(path, line, "not_a_number", column=column, value=row[column]) from None
    if not math.isfinite(value):
        raise BatchFileError(path, line, "not_a_number", column=column, value=row[column])
    return value


def _identifier(path: Path, line: int, row: dict[str, str], seen: set[str]) -> str:
    identifier = row["id"]
    if not identifier:
        raise BatchFileError(path, line, "missing_id")
    if identifier in seen:
        raise BatchFileError(path, line, "duplicate_id", value=identifier)
    seen.add(identifier)
    return identifier


def _split(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split("|") if part.strip())


def read_helpers(path: Path) -> list[Helper]:
    """Read helpers from a CSV file with columns id,lat,lon,capacity,languages,kinds."""
    helpers: list[Helper] = []
    seen: set[str] = set()
    for line, row in _rows(path, HELPER_COLUMNS):
        identifier = _identifier(path, line, row, seen)
        lat = _number(path, line, row, "lat")
        lon = _number(path, line, row, "lon")
        raw_capacity = row["capacity"] or "1"
        # isascii(): "²".isdigit() is True but int("²") fails; a capacity is a few digits.
        if not (raw_capacity.isascii() and raw_capacity.isdigit()) or int(raw_capacity) < 1:
            raise BatchFileError(path, line, "bad_capacity", value=row["capacity"])
        try:
            helpers.append(
                Helper(
                    identifier,
                    lat,
                    lon,
                    capacity=int(raw_capacity),
                    languages=_split(row["languages"]),
                    kinds=_split(row["kinds"]),
                )
            )
        except ValueError:
            raise BatchFileError(path, line, "bad_position", lat=lat, lon=lon) from None
    return helpers


def read_requests(path: Path) -> list[Need]:
    """Read requests from a CSV file with columns id,lat,lon,language,kind."""
    needs: list[Need] = []
    seen: set[str] = set()
    for line, row in _rows(path, REQUEST_COLUMNS):
        identifier = _identifier(path, line, row, seen)
        lat = _number(path, line, row, "lat")
        lon = _number(path, line, row, "lon")
        try:
            needs.append(
                Need(
                    identifier, lat, lon, language=row["language"] or None, kind=row["kind"] or None
                )
            )
        except ValueError:
            raise BatchFileError(path, line, "bad_position", lat=lat, lon=lon) from None
    return needs


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """The figures printed after a batch run."""

    requests: int
    helpers: int
    matched: int
    match_rate: float
    total_km: float
    median_km: float | None
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict, in a fixed key order."""
        return {
            "requests": self.requests,
            "helpers": self.helpers,
            "matched": self.matched,
            "match_rate": round(self.match_rate, 6),
            "total_km": round(self.total_km, 3),
            "median_km": None if self.median_km is None else round(self.median_km, 3),
            "seconds": round(self.seconds, 3),
        }


def run_batch(
    helpers_path: Path, requests_path: Path, out_path: Path, radius_km: float
) -> BatchSummary:
    """Assign requests to helpers from CSV files and write the pairs to out_path."""
    started = time.perf_counter()
    helpers = read_helpers(helpers_path)
    needs = read_requests(requests_path)
    pairs = assign(needs, helpers, radius_km=radius_km)
    with out_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ASSIGNMENT_COLUMNS)
        for need_id, helper_id, distance in pairs:
            writer.writerow([need_id, helper_id, f"{distance:.4f}"])
    distances = [d for _, _, d in pairs]
    return BatchSummary(
        requests=len(needs),
        helpers=len(helpers),
        matched=len(pairs),
        match_rate=len(pairs) / len(needs) if needs else 0.0,
        total_km=sum(distances),
        median_km=statistics.median(distances) if distances else None,
        seconds=time.perf_counter() - started,
    )

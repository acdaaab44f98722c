"""Spreadsheets saved as CSV: read them reporting every problem, and write downloads.

The importers (volunteers, missions) share how a file is decoded, split into records and
checked against its expected columns; only what a row means differs between them. The
exports (company ledgers and figures, and the domains to come) share `csv_download`.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem in the file: where it is, in which column, and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if not self.field:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return _("line %(line)s: %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class FileRejected(Exception):
    """The file as a whole cannot be read."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


class ErrorCollector:
    """Collect the errors of a file instead of stopping at the first one."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def error(self, line: int, column: str, message: str) -> None:
        """Record one problem of the file."""
        self.errors.append(RowError(line, column, message))


def decode(data: bytes) -> str:
    """Return the text of a UTF-8 file (byte-order mark or not); raise FileRejected if unusable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = _("The file is not in UTF-8. Save it again as “CSV UTF-8”.")
        raise FileRejected(RowError(line, "", message)) from exc
    if not text.strip():
        raise FileRejected(RowError(1, "", _("The file is empty.")))
    return text


def delimiter(text: str) -> str:
    """Return ";" for files exported with semicolons (French and Belgian locales), else ","."""
    first_line = text.splitlines()[0] if text else ""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def header(
    cells: Sequence[str],
    *,
    columns: Sequence[str],
    required: Sequence[str],
    collector: ErrorCollector,
) -> list[str] | None:
    """Return the column names in file order, or None after recording what is wrong."""
    names = [cell.strip().lower() for cell in cells]
    count = len(collector.errors)
    unknown = [name for name in names if name not in columns]
    if unknown:
        collector.error(
            1,
            "",
            _("Unknown column(s): %(columns)s. The columns are: %(expected)s.")
            % {"columns": ", ".join(unknown), "expected": ",".join(columns)},
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        collector.error(
            1, "", _("Repeated column(s): %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    missing = [name for name in required if name not in names]
    if missing:
        collector.error(
            1, "", _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return None if len(collector.errors) > count else names


def records(
    text: str,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    collector: ErrorCollector,
    max_records: int | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield each non-blank record as (first line, cells by column); errors go to the collector."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter(text))
    try:
        names = header(next(reader), columns=columns, required=required, collector=collector)
    except csv.Error as exc:
        collector.error(1, "", str(exc))
        return
    except StopIteration:
        return
    if names is None:
        return
    count = 0
    end_of_previous = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            collector.error(reader.line_num, "", str(exc))
            return
        # A quoted cell may span lines: a record starts on the line after the previous one.
        line, end_of_previous = end_of_previous + 1, reader.line_num
        values = [cell.strip() for cell in cells]
        if not any(values):
            continue
        if max_records is not None and count >= max_records:
            collector.error(
                line, "", _("Import at most %(count)s lines at once.") % {"count": max_records}
            )
            return
        if len(values) > len(names):
            collector.error(
                line,
                "",
                _("This line has %(found)s values but the header has %(expected)s columns.")
                % {"found": len(values), "expected": len(names)},
            )
            continue
        by_name = dict.fromkeys(columns, "")
        by_name.update(zip(names, values, strict=False))
        count += 1
        yield line, by_name


def spreadsheet_safe(value: object) -> str:
    """Return a cell that spreadsheets will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """Return rows as a CSV download (UTF-8 with BOM, so spreadsheets read the accents)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response

"""Counts of nights as CSV, for the desk's spreadsheets."""

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _

from entraide.core.csv_files import csv_download, spreadsheet_safe
from entraide.lodging.selectors import CountRow


def counts_csv(rows: Sequence[CountRow], *, by: str) -> HttpResponse:
    """Return the counts as a CSV: name, nights, no-shows, open bed-nights, occupancy."""
    header = [
        {"host": _("Host"), "association": _("Association"), "territory": _("Territory")}[by],
        _("Nights"),
        _("No-shows"),
        _("Open bed-nights"),
        _("Occupancy (%)"),
    ]
    lines = [
        [
            spreadsheet_safe(row.name),
            row.nights,
            row.no_shows,
            row.capacity_nights if by != "association" else "",
            "" if row.occupancy is None else round(100 * row.occupancy, 1),
        ]
        for row in rows
    ]
    return csv_download(f"lodging-nights-by-{by}.csv", header, lines)

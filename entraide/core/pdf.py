"""Pieces the platform's PDFs share (certificates, receipts), drawn with reportlab."""

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle


def totals_table(
    rows: list[list[Any]], *, col_widths: list[float], right_columns: tuple[int, int]
) -> Table:
    """Return a table whose first row is its header and last row its total, both in bold.

    `right_columns` is the first and last column aligned right (the figures).
    """
    table = Table(rows, colWidths=col_widths, repeatRows=1)
    first, last = right_columns
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                ("ALIGN", (first, 0), (last, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table

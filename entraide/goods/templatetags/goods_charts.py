"""Bar charts drawn on the server as inline SVG (no script, no CDN), with a table beside them."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

# Geometry of a chart, in SVG user units: one bar per row, its label above it.
WIDTH = 600
ROW_HEIGHT = 44
BAR_HEIGHT = 18
LABEL_GAP = 16


@register.inclusion_tag("goods/_bar_chart.html")
def bar_chart(rows: list[Any], value: str, chart_id: str, title: str, unit: str) -> dict[str, Any]:
    """Return the bars of `value` for each row (longest = full width) and the chart's size."""
    values = [Decimal(getattr(row, value)) for row in rows]
    largest = max(values, default=Decimal("0"))
    bars = []
    for index, (row, amount) in enumerate(zip(rows, values, strict=True)):
        width = int(amount / largest * (WIDTH - 120)) if largest > 0 else 0
        top = index * ROW_HEIGHT
        bars.append(
            {
                "label": row.label,
                "amount": amount.quantize(Decimal("1")),
                "width": max(width, 1),
                "label_y": top + LABEL_GAP - 4,
                "bar_y": top + LABEL_GAP,
                "text_x": max(width, 1) + 6,
                "text_y": top + LABEL_GAP + BAR_HEIGHT - 4,
            }
        )
    return {
        "bars": bars,
        "chart_id": chart_id,
        "title": title,
        "unit": unit,
        "width": WIDTH,
        "height": max(ROW_HEIGHT, ROW_HEIGHT * len(bars)),
        "bar_height": BAR_HEIGHT,
    }

"""Opening hours of a drop-off point: weekly ranges, dated exceptions, evaluated in a zone.

Pure Python (no Django): the models hand over plain values. Hours are wall-clock times of the
point's own time zone, so a moment is first turned into that zone's local date and time; the
daylight-saving change then moves the UTC instants of opening, never the local hours (a point
open 10:00-18:00 is closed at 18:30 local time whether the offset is +1 or +2).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, order=True)
class Range:
    """One opening range of a day, closes after opens (both local wall-clock times)."""

    opens: time
    closes: time


# Weekly rules by weekday (Monday is 0); exceptions by date: None closes the whole day, a
# sequence of ranges replaces that day's weekly ranges (special hours).
Weekly = Mapping[int, Sequence[Range]]
Exceptions = Mapping[date, Sequence[Range] | None]


def ranges_on(day: date, weekly: Weekly, exceptions: Exceptions) -> list[Range]:
    """Return the opening ranges of a local date, its exception winning over the weekly rule."""
    if day in exceptions:
        special = exceptions[day]
        return [] if special is None else sorted(special)
    return sorted(weekly.get(day.weekday(), ()))


def is_open_at(moment: datetime, zone: ZoneInfo, weekly: Weekly, exceptions: Exceptions) -> bool:
    """Return True when the hours say the point is open at this aware moment."""
    local = moment.astimezone(zone)
    now = local.time().replace(tzinfo=None)
    return any(r.opens <= now < r.closes for r in ranges_on(local.date(), weekly, exceptions))


def week_of(
    first_day: date, weekly: Weekly, exceptions: Exceptions, days: int = 7
) -> list[tuple[date, list[Range], bool]]:
    """Return each day from first_day with its ranges and whether an exception set them."""
    week = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        week.append((day, ranges_on(day, weekly, exceptions), day in exceptions))
    return week


def overlapping(ranges: Sequence[Range]) -> tuple[Range, Range] | None:
    """Return two ranges of one day that overlap (the first such pair), or None."""
    ordered = sorted(ranges)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.opens < earlier.closes:
            return earlier, later
    return None

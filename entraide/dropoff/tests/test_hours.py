"""Opening hours: weekly ranges, exceptions, time zones and the daylight-saving changes."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from entraide.dropoff.hours import Range, is_open_at, overlapping, ranges_on, week_of

PARIS = ZoneInfo("Europe/Paris")
BRUSSELS = ZoneInfo("Europe/Brussels")
# Sundays 10:00-18:00; weekdays 9:00-12:30 and 14:00-18:00.
WEEKLY = {
    **{day: [Range(time(9), time(12, 30)), Range(time(14), time(18))] for day in range(5)},
    6: [Range(time(10), time(18))],
}


def test_it_is_open_inside_a_range_and_closed_between_ranges():
    monday = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # 10:00 in Paris (summer, +2)
    assert is_open_at(monday, PARIS, WEEKLY, {})
    lunch = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 13:00 in Paris
    assert not is_open_at(lunch, PARIS, WEEKLY, {})


def test_it_closes_at_the_closing_minute():
    closing = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)  # 18:00 in Paris
    assert not is_open_at(closing, PARIS, WEEKLY, {})
    assert is_open_at(closing.replace(minute=0, hour=15, second=59), PARIS, WEEKLY, {})


def test_it_does_not_open_a_closed_point_after_the_march_change():
    # Sunday 29 March 2026: clocks go from 02:00 to 03:00. 16:30 UTC is 18:30 local (+2),
    # after closing; reading it with the winter offset (+1) would say 17:30, open.
    after_change = datetime(2026, 3, 29, 16, 30, tzinfo=UTC)
    assert not is_open_at(after_change, PARIS, WEEKLY, {})
    assert not is_open_at(after_change, BRUSSELS, WEEKLY, {})
    assert is_open_at(datetime(2026, 3, 29, 15, 30, tzinfo=UTC), PARIS, WEEKLY, {})


def test_it_does_not_open_a_closed_point_after_the_october_change():
    # Sunday 25 October 2026: clocks go from 03:00 back to 02:00. 08:30 UTC is 09:30 local
    # (+1), before opening; with the summer offset (+2) it would be 10:30, open.
    after_change = datetime(2026, 10, 25, 8, 30, tzinfo=UTC)
    assert not is_open_at(after_change, PARIS, WEEKLY, {})
    assert not is_open_at(after_change, BRUSSELS, WEEKLY, {})
    assert is_open_at(datetime(2026, 10, 25, 9, 30, tzinfo=UTC), PARIS, WEEKLY, {})


def test_it_reads_the_hours_in_the_points_zone():
    moment = datetime(2026, 6, 1, 16, 30, tzinfo=UTC)  # 18:30 in Paris, 17:30 in London
    assert not is_open_at(moment, PARIS, WEEKLY, {})
    assert is_open_at(moment, ZoneInfo("Europe/London"), WEEKLY, {})


def test_it_lets_an_exception_close_a_day_or_set_special_hours():
    may_day = date(2026, 5, 1)  # a Friday, public holiday
    exceptions = {may_day: None, date(2026, 5, 2): [Range(time(10), time(12))]}
    assert not is_open_at(datetime(2026, 5, 1, 8, tzinfo=UTC), PARIS, WEEKLY, exceptions)
    assert ranges_on(may_day, WEEKLY, exceptions) == []
    # Saturday is closed every week; the special hours open it that day only.
    assert is_open_at(datetime(2026, 5, 2, 8, 30, tzinfo=UTC), PARIS, WEEKLY, exceptions)
    assert not is_open_at(datetime(2026, 5, 9, 8, 30, tzinfo=UTC), PARIS, WEEKLY, exceptions)


def test_it_lists_a_week_with_its_exceptions():
    week = week_of(date(2026, 4, 27), WEEKLY, {date(2026, 5, 1): None})
    assert [day for day, _, _ in week][0] == date(2026, 4, 27)
    assert len(week) == 7
    friday = week[4]
    assert friday == (date(2026, 5, 1), [], True)
    assert week[5][1] == []  # Saturday closed, not an exception
    assert week[6][1] == [Range(time(10), time(18))]


def test_it_finds_overlapping_ranges():
    assert overlapping([Range(time(14), time(18)), Range(time(9), time(12))]) is None
    assert overlapping([Range(time(9), time(12)), Range(time(11), time(13))]) == (
        Range(time(9), time(12)),
        Range(time(11), time(13)),
    )
    assert overlapping([Range(time(9), time(12)), Range(time(12), time(13))]) is None

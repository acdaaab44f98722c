"""Arrivals, departures and no-shows recorded by the host; counts of nights."""

from datetime import datetime, time, timedelta

import pytest

from entraide.core.errors import ConflictError, DomainError, PermissionDeniedError
from entraide.lodging import selectors, services
from entraide.lodging.exports import counts_csv
from entraide.lodging.models import Night
from entraide.lodging.tests.conftest import ZONE, book, today


def at(days: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(today() + timedelta(days=days), time(hour, minute), ZONE)


def test_an_early_departure_frees_the_remaining_nights(room, abri, amina, hugo, quota):
    booking = book(room, abri, amina, nights=3, confirm=True)
    services.booking_check_in(booking=booking, actor=hugo, channel="web", now=at(0, 21))

    services.booking_check_out(booking=booking, actor=hugo, channel="web", now=at(2, 8))

    booking.refresh_from_db()
    assert booking.status == "checked_out"
    assert booking.until == today() + timedelta(days=2)
    assert [n.date for n in Night.objects.filter(booking=booking)] == [
        today(),
        today() + timedelta(days=1),
    ]
    book(room, abri, amina, first_night=today() + timedelta(days=2), guest_reference="B")


def test_a_departure_on_the_first_evening_keeps_the_first_night(room, abri, amina, hugo, quota):
    booking = book(room, abri, amina, nights=3, confirm=True)
    services.booking_check_in(booking=booking, actor=hugo, channel="web", now=at(0, 20))

    services.booking_check_out(booking=booking, actor=hugo, channel="web", now=at(0, 23))

    assert Night.objects.filter(booking=booking).count() == 1


def test_only_the_host_records_arrivals_and_only_from_the_first_night(
    room, abri, amina, hugo, quota
):
    booking = book(room, abri, amina, first_night=today() + timedelta(days=1), confirm=True)

    with pytest.raises(PermissionDeniedError):
        services.booking_check_in(booking=booking, actor=amina, channel="web")
    with pytest.raises(DomainError):
        services.booking_check_in(booking=booking, actor=hugo, channel="web")
    held = book(room, abri, amina)
    with pytest.raises(ConflictError):
        services.booking_check_in(booking=held, actor=hugo, channel="web")


def test_a_no_show_after_the_hour_frees_the_bed_from_the_next_night(dorm, abri, amina, hugo, quota):
    booking = book(dorm, abri, amina, nights=3, confirm=True)

    assert services.mark_no_shows(now=at(0, 22, 59)) == 0
    assert services.mark_no_shows(now=at(0, 23)) == 1

    booking.refresh_from_db()
    assert booking.status == "no_show"
    assert [n.date for n in Night.objects.filter(booking=booking)] == [today()]
    counted = selectors.counts(by="host", first=today(), until=today() + timedelta(days=3))
    assert [(row.nights, row.no_shows) for row in counted] == [(0, 1)]


def test_the_host_cannot_call_a_no_show_before_the_hour(dorm, abri, amina, hugo, quota):
    booking = book(dorm, abri, amina, confirm=True)

    with pytest.raises(DomainError):
        services.booking_no_show(booking=booking, actor=hugo, channel="web", now=at(0, 20))


def test_counts_give_nights_and_occupancy_per_host_association_and_territory(
    room, dorm, abri, amina, quota
):
    book(room, abri, amina, nights=2, confirm=True)
    book(dorm, abri, amina, nights=2, confirm=True)
    first, until = today(), today() + timedelta(days=2)

    by_host = selectors.counts(by="host", first=first, until=until)
    by_association = selectors.counts(by="association", first=first, until=until)
    by_territory = selectors.counts(by="territory", first=first, until=until)

    assert [(r.name, r.nights, r.capacity_nights) for r in by_host] == [("Hôtel du Canal", 4, 10)]
    assert by_host[0].occupancy == pytest.approx(0.4)
    assert [(r.name, r.nights) for r in by_association] == [("Abri Solidaire", 4)]
    assert [(r.name, r.nights) for r in by_territory] == [("Paris", 4)]


def test_counts_download_as_csv(room, abri, amina, quota):
    book(room, abri, amina, nights=2, confirm=True)

    response = counts_csv(
        selectors.counts(by="host", first=today(), until=today() + timedelta(days=2)),
        by="host",
    )

    lines = response.content.decode().splitlines()
    assert lines[1].startswith("Hôtel du Canal,2,0,2,")

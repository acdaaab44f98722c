"""Bookings: held then confirmed or expired; extended, shortened, cancelled; never twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.lodging import services
from entraide.lodging.models import Booking, BookingEvent, Night
from entraide.lodging.tests.conftest import book, today


def test_it_holds_the_nights_for_a_few_minutes(room, abri, amina, quota):
    booking = book(room, abri, amina, nights=3)

    assert booking.status == "held"
    assert booking.held_until == timezone.now() + timedelta(minutes=services.HOLD_MINUTES)
    assert list(Night.objects.filter(booking=booking).values_list("date", "bed")) == [
        (today() + timedelta(days=n), 1) for n in range(3)
    ]
    assert booking.events.get().kind == "held"


def test_a_room_is_never_booked_twice_a_night(room, abri, amina, quota):
    book(room, abri, amina, nights=3)

    with pytest.raises(ConflictError):
        book(room, abri, amina, first_night=today() + timedelta(days=2), guest_reference="B")

    assert Booking.objects.count() == 1


def test_a_pool_takes_one_guest_a_bed_up_to_its_capacity(dorm, abri, amina, quota):
    for n in range(4):
        book(dorm, abri, amina, guest_reference=f"G{n}")

    with pytest.raises(ConflictError):
        book(dorm, abri, amina, guest_reference="G5")

    assert sorted(Night.objects.values_list("bed", flat=True)) == [1, 2, 3, 4]


def test_a_hold_expires_and_its_nights_come_back(room, abri, amina, quota):
    booking = book(room, abri, amina, nights=2)

    assert services.expire_holds(now=timezone.now() + timedelta(minutes=5)) == 0
    assert services.expire_holds(now=timezone.now() + timedelta(minutes=11)) == 1

    booking.refresh_from_db()
    assert booking.status == "expired"
    assert not Night.objects.exists()
    book(room, abri, amina, guest_reference="B")


def test_confirming_after_the_hold_ran_out_is_refused_and_frees_the_nights(
    room, abri, amina, quota
):
    booking = book(room, abri, amina)

    with pytest.raises(ConflictError):
        services.booking_confirm(
            booking=booking,
            actor=amina,
            channel="web",
            now=timezone.now() + timedelta(minutes=11),
        )

    booking.refresh_from_db()
    assert booking.status == "expired"
    assert not Night.objects.exists()


def test_a_confirmed_booking_does_not_expire(room, abri, amina, quota):
    booking = book(room, abri, amina)
    services.booking_confirm(booking=booking, actor=amina, channel="web")

    assert services.expire_holds(now=timezone.now() + timedelta(hours=1)) == 0
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.held_until is None


def test_extending_takes_the_next_nights_and_shortening_gives_them_back(room, abri, amina, quota):
    booking = book(room, abri, amina, nights=2, confirm=True)

    services.booking_change(
        booking=booking, until=today() + timedelta(days=4), actor=amina, channel="web"
    )
    assert Night.objects.filter(booking=booking).count() == 4

    services.booking_change(
        booking=booking, until=today() + timedelta(days=1), actor=amina, channel="web"
    )
    assert Night.objects.filter(booking=booking).count() == 1
    book(room, abri, amina, first_night=today() + timedelta(days=1), guest_reference="B")
    assert [e.kind for e in BookingEvent.objects.filter(booking=booking)] == [
        "confirmed",
        "extended",
        "shortened",
    ]


def test_extending_into_a_taken_night_is_refused_and_changes_nothing(room, abri, amina, quota):
    booking = book(room, abri, amina, nights=1, confirm=True)
    book(room, abri, amina, first_night=today() + timedelta(days=2), guest_reference="B")

    with pytest.raises(ConflictError):
        services.booking_change(
            booking=booking, until=today() + timedelta(days=3), actor=amina, channel="web"
        )

    booking.refresh_from_db()
    assert booking.until == today() + timedelta(days=1)
    assert Night.objects.filter(booking=booking).count() == 1


def test_cancelling_gives_every_night_back_at_once(dorm, abri, amina, quota):
    booking = book(dorm, abri, amina, nights=3, confirm=True)

    services.booking_cancel(booking=booking, reason="Relogé", actor=amina, channel="web")

    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert not Night.objects.exists()
    with pytest.raises(ConflictError):
        services.booking_cancel(booking=booking, actor=amina, channel="web")


def test_another_association_cannot_touch_a_booking(room, abri, amina, eve, quota):
    booking = book(room, abri, amina)

    with pytest.raises(PermissionDeniedError):
        services.booking_cancel(booking=booking, actor=eve, channel="web")


@pytest.mark.parametrize(
    ("first", "nights", "field"),
    [(-1, 1, "first_night"), (0, 0, "nights"), (0, 400, "nights")],
)
def test_it_refuses_bad_dates_and_saves_nothing(room, abri, amina, quota, first, nights, field):
    with pytest.raises(ValidationError) as error:
        book(room, abri, amina, first_night=today() + timedelta(days=first), nights=nights)

    assert field in error.value.message_dict
    assert not Booking.objects.exists()
    assert not Night.objects.exists()


def test_a_night_outside_the_hosts_window_is_refused(office, abri, amina, quota):
    friday = today() + timedelta(days=2)

    with pytest.raises(ValidationError) as error:
        book(office, abri, amina, first_night=friday, nights=2)

    assert "first_night" in error.value.message_dict
    assert not Booking.objects.exists()
    book(office, abri, amina, first_night=friday, nights=1)


def test_the_desk_books_for_an_association_that_calls(room, abri, desk, quota):
    booking = book(room, abri, desk, channel="phone", confirm=True)

    assert booking.status == "confirmed"
    assert booking.booked_by == desk
    assert booking.events.get().channel == "phone"

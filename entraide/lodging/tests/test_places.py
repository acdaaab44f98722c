"""Hosts publish places, set their night windows and block nights."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.lodging import selectors, services
from entraide.lodging.models import Place
from entraide.lodging.tests.conftest import book, place, today


def test_it_publishes_a_place_with_its_checklist_in_the_checklist_order(hotel, hugo):
    made = place(hotel, hugo, checklist=["water", "bed", "locker"], house_rules=" No smoking ")

    assert made.territory == hotel.territory
    assert made.checklist == ["bed", "locker", "water"]
    assert made.house_rules == "No smoking"
    assert made.has_position


def test_it_refuses_a_bad_place_and_saves_nothing(hotel, hugo):
    with pytest.raises(ValidationError) as error:
        place(hotel, hugo, name=" ", capacity=0, kind="palace", checklist=["jacuzzi"])

    assert set(error.value.message_dict) >= {"name", "capacity", "kind", "checklist"}
    assert not Place.objects.exists()


def test_it_lets_only_the_hosts_publish(hotel, eve):
    with pytest.raises(PermissionDeniedError):
        place(hotel, eve)


def test_it_keeps_the_capacity_above_a_booked_bed(dorm, abri, amina, hugo, hotel, quota):
    for reference in ("A", "B", "C"):
        book(dorm, abri, amina, guest_reference=reference)

    with pytest.raises(ValidationError) as error:
        place(hotel, hugo, place=dorm, name="Dortoir", unit="beds", capacity=2)

    assert "capacity" in error.value.message_dict
    dorm.refresh_from_db()
    assert dorm.capacity == 4


def test_an_office_is_open_on_its_weekday_evenings_only(office):
    monday = today() + timedelta(days=(7 - today().weekday()) % 7 or 7)
    saturday = monday - timedelta(days=2)

    assert selectors.closed_nights(office, saturday, monday + timedelta(days=1)) == [
        saturday,
        saturday + timedelta(days=1),
    ]
    window = selectors.window_of(office, monday)
    assert window is not None
    assert window.starts == time(20)


def test_it_refuses_a_window_that_does_not_end_the_next_morning(office, hugo):
    with pytest.raises(ValidationError):
        services.place_set_windows(
            place=office, windows=[(0, time(8), time(18))], actor=hugo, channel="web"
        )

    assert office.windows.count() == 5


def test_a_blocked_night_cannot_be_booked_and_a_booked_one_cannot_be_blocked(
    room, abri, amina, hugo, quota
):
    services.night_block(place=room, night=today(), reason="Travaux", actor=hugo, channel="web")
    with pytest.raises(ValidationError) as error:
        book(room, abri, amina)
    assert "first_night" in error.value.message_dict

    book(room, abri, amina, first_night=today() + timedelta(days=1))
    with pytest.raises(ConflictError):
        services.night_block(
            place=room, night=today() + timedelta(days=1), actor=hugo, channel="web"
        )


def test_the_calendar_shows_beds_held_and_closed_nights(dorm, abri, amina, hotel, hugo, quota):
    book(dorm, abri, amina, nights=2)
    services.night_block(place=dorm, night=today() + timedelta(days=3), actor=hugo, channel="web")

    row = next(r for r in selectors.occupancy_calendar(hotel, today(), days=4) if r.place == dorm)

    assert [(held, open_) for _night, held, open_ in row.cells] == [
        (1, True),
        (1, True),
        (0, True),
        (0, False),
    ]

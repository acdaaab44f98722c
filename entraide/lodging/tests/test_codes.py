"""The desk's booking codes and quotas; associations search and book with them."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from entraide.core.errors import PermissionDeniedError
from entraide.lodging import selectors, services
from entraide.lodging.models import CODE_ALPHABET, Booking, Night
from entraide.lodging.tests.conftest import book, organisation, today
from entraide.organisations.models import Organisation


def test_a_code_is_long_and_from_an_unambiguous_alphabet(code):
    assert len(code.code) == 12
    assert set(code.code) <= set(CODE_ALPHABET)
    assert code.display.count("-") == 2


def test_only_the_desk_gives_codes_and_quotas(abri, amina):
    with pytest.raises(PermissionDeniedError):
        services.code_create(
            association=abri, nights=3, expires_on=today(), actor=amina, channel="web"
        )
    with pytest.raises(PermissionDeniedError):
        services.quota_set(association=abri, month=today(), nights=3, actor=amina, channel="web")


def test_booking_with_a_code_uses_its_nights_and_a_cancellation_gives_them_back(
    room, abri, amina, code
):
    booking = book(room, abri, amina, nights=3, code=code.display.lower())

    assert booking.code == code
    assert selectors.code_nights_used(code) == 3
    with pytest.raises(ValidationError) as error:
        book(room, abri, amina, first_night=today() + timedelta(days=3), nights=3, code=code.code)
    assert "2" in error.value.message_dict["code"][0]

    services.booking_cancel(booking=booking, actor=amina, channel="web")
    assert selectors.code_nights_used(code) == 0


def test_a_single_use_code_books_once(room, abri, amina, desk):
    once = services.code_create(
        association=abri,
        nights=10,
        single_use=True,
        expires_on=today() + timedelta(days=3),
        actor=desk,
        channel="web",
    )
    book(room, abri, amina, code=once.code)

    with pytest.raises(ValidationError) as error:
        book(room, abri, amina, first_night=today() + timedelta(days=1), code=once.code)

    assert error.value.message_dict["code"] == ["This code has already been used."]


def test_an_expired_unknown_or_foreign_code_is_refused_and_nothing_is_saved(
    room, abri, amina, desk, paris, eve, code
):
    expired = services.code_create(
        association=abri, nights=3, expires_on=today(), actor=desk, channel="web"
    )
    other = organisation(paris, "Autre Asso", Organisation.Kind.ASSOCIATION, eve)
    refusals = []
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        tomorrow = today()
        for attempt in (
            lambda: book(room, abri, amina, first_night=tomorrow, code=expired.code),
            lambda: book(room, abri, amina, first_night=tomorrow, code="NOPE-NOPE"),
            lambda: book(room, other, eve, first_night=tomorrow, code=code.code),
        ):
            with pytest.raises(ValidationError) as error:
                attempt()
            refusals.append(error.value.message_dict["code"][0])

    assert refusals == [
        "This code has expired.",
        "This booking code does not exist.",
        "This code was given to another association.",
    ]
    assert not Booking.objects.exists()
    assert not Night.objects.exists()


def test_booking_without_a_code_needs_a_quota_with_nights_left(room, dorm, abri, amina, desk):
    with pytest.raises(ValidationError) as error:
        book(room, abri, amina)
    assert "quota" in error.value.message_dict["code"][0]

    services.quota_set(
        association=abri, month=today().replace(day=1), nights=2, actor=desk, channel="web"
    )
    services.quota_set(
        association=abri,
        month=(today().replace(day=1) + timedelta(days=32)).replace(day=1),
        nights=2,
        actor=desk,
        channel="web",
    )
    book(room, abri, amina, nights=1)
    book(dorm, abri, amina, nights=1)
    with pytest.raises(ValidationError) as error:
        book(dorm, abri, amina, nights=1, guest_reference="C")

    assert "0" in error.value.message_dict["code"][0]
    assert Booking.objects.count() == 2


def test_a_hosts_quota_caps_that_host_only(room, abri, amina, desk, hotel):
    month = today().replace(day=1)
    for first in (month, (month + timedelta(days=32)).replace(day=1)):
        services.quota_set(
            association=abri, month=first, nights=1, host=hotel, actor=desk, channel="web"
        )

    book(room, abri, amina)
    with pytest.raises(ValidationError):
        book(room, abri, amina, first_night=today() + timedelta(days=1))


def test_search_finds_free_places_by_kind_access_and_dates(room, dorm, office, abri, amina, quota):
    book(room, abri, amina, nights=2)
    friday = today() + timedelta(days=2)

    tonight = selectors.search(first_night=today(), until=today() + timedelta(days=1))
    weekend = selectors.search(first_night=friday, until=friday + timedelta(days=2))
    doubles = selectors.search(first_night=friday, until=friday + timedelta(days=1), kind="double")

    assert {f.place for f in tonight} == {dorm, office}
    assert next(f for f in tonight if f.place == dorm).free_beds == 4
    assert {f.place for f in weekend} == {room, dorm}
    assert [f.place for f in doubles] == [room]
    assert (
        selectors.search(first_night=today(), until=today() + timedelta(days=1), step_free=True)
        == []
    )


def test_search_near_a_point_gives_distances(dorm):
    found = selectors.search(
        first_night=today(), until=today() + timedelta(days=1), lat=48.86, lon=2.35, radius_km=5
    )

    assert [f.place for f in found] == [dorm]
    assert found[0].distance_km is not None
    assert (
        selectors.search(
            first_night=today(), until=today() + timedelta(days=1), lat=50.85, lon=4.35, radius_km=5
        )
        == []
    )

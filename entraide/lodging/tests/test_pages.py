"""The lodging pages: hosts publish and record stays, associations search and book, the desk."""

from datetime import timedelta

import pytest
from django.urls import reverse

from entraide.lodging.models import Booking, BookingCode, Place, Quota
from entraide.lodging.tests.conftest import book, today


def test_a_host_publishes_an_office_with_its_night_windows(client, hotel, hugo):
    client.force_login(hugo)
    data = {
        "action": "save",
        "name": "Salle du 3e",
        "kind": "single",
        "unit": "beds",
        "capacity": "3",
        "checklist": ["bed", "locker", "water"],
        "no_show_hour": "22",
        "published": "on",
        "postcode": "75011",
        "town": "Paris",
    }
    for day in range(5):
        data[f"starts_{day}"], data[f"ends_{day}"] = "20:00", "07:30"

    response = client.post(reverse("lodging:place_new", args=[hotel.pk]), data)

    place = Place.objects.get()
    assert response.status_code == 302
    assert place.checklist == ["bed", "locker", "water"]
    assert [w.weekday for w in place.windows.all()] == [0, 1, 2, 3, 4]


def test_a_bad_place_shows_the_errors_and_saves_nothing(client, hotel, hugo):
    client.force_login(hugo)

    response = client.post(
        reverse("lodging:place_new", args=[hotel.pk]),
        {
            "action": "save",
            "name": "X",
            "kind": "single",
            "unit": "room",
            "capacity": "0",
            "no_show_hour": "23",
            "starts_0": "20:00",
        },
    )

    assert response.status_code == 200
    assert response.context["error_summary"]
    assert not Place.objects.exists()


def test_a_host_blocks_a_night_on_the_place_page(client, room, hotel, hugo):
    client.force_login(hugo)
    night = today() + timedelta(days=3)

    client.post(
        reverse("lodging:place_edit", args=[hotel.pk, room.pk]),
        {"action": "block", "night": night.isoformat(), "reason": "Séminaire"},
    )

    assert list(room.blocked_nights.values_list("night", flat=True)) == [night]


def test_the_host_page_shows_the_guest_reference_and_records_the_arrival(
    client, room, hotel, hugo, abri, amina, quota
):
    booking = book(room, abri, amina, guest_reference="AS-77", confirm=True)
    client.force_login(hugo)

    page = client.get(reverse("lodging:host", args=[hotel.pk]))
    assert "AS-77" in page.content.decode()

    client.post(
        reverse("lodging:host", args=[hotel.pk]), {"booking": booking.pk, "action": "check_in"}
    )
    booking.refresh_from_db()
    assert booking.status == "checked_in"


def test_others_cannot_open_the_host_or_the_association_page(client, hotel, abri, eve):
    client.force_login(eve)

    assert client.get(reverse("lodging:host", args=[hotel.pk])).status_code == 403
    assert client.get(reverse("lodging:association", args=[abri.pk])).status_code == 403
    assert client.get(reverse("lodging:desk")).status_code == 403


def test_an_association_searches_books_with_a_code_and_confirms(client, room, abri, amina, code):
    client.force_login(amina)
    url = reverse("lodging:association", args=[abri.pk])

    found = client.get(url, {"first_night": today().isoformat(), "nights": "2"})
    assert [f.place for f in found.context["found"]] == [room]
    client.post(
        url,
        {
            "action": "book",
            "place": room.pk,
            "first_night": today().isoformat(),
            "nights": "2",
            "guest_reference": "AS-1",
            "code": code.display,
        },
    )
    booking = Booking.objects.get()
    assert (booking.status, booking.code, booking.channel) == ("held", code, "web")

    client.post(url, {"action": "confirm", "booking": booking.pk})
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_used_up_code_shows_the_error_and_books_nothing(client, room, abri, amina, desk):
    once = BookingCode.objects.create(
        association=abri, territory=abri.territory, nights=1, expires_on=today()
    )
    client.force_login(amina)

    response = client.post(
        reverse("lodging:association", args=[abri.pk]),
        {
            "action": "book",
            "place": room.pk,
            "first_night": today().isoformat(),
            "nights": "3",
            "guest_reference": "AS-1",
            "code": once.code,
        },
    )

    assert response.status_code == 200
    assert "This code has 1 nights left." in response.content.decode()
    assert not Booking.objects.exists()


def test_the_desk_books_by_phone_gives_codes_and_quotas_and_counts(
    client, room, abri, desk, hotel, quota
):
    client.force_login(desk)
    client.post(
        reverse("lodging:association", args=[abri.pk]),
        {
            "action": "book",
            "place": room.pk,
            "first_night": today().isoformat(),
            "nights": "1",
            "guest_reference": "TEL-3",
        },
    )
    assert Booking.objects.get().channel == "phone"

    client.post(
        reverse("lodging:desk"),
        {
            "action": "code",
            "association": abri.pk,
            "nights": "4",
            "expires_on": (today() + timedelta(days=7)).isoformat(),
        },
    )
    client.post(
        reverse("lodging:desk"),
        {
            "action": "quota",
            "association": abri.pk,
            "host": hotel.pk,
            "nights": "12",
            "month": today().isoformat(),
        },
    )
    assert BookingCode.objects.get().nights == 4
    assert Quota.objects.get(host=hotel).nights == 12

    period = {
        "by": "host",
        "first": today().isoformat(),
        "until": (today() + timedelta(days=1)).isoformat(),
    }
    page = client.get(reverse("lodging:desk"), period)
    assert [(r.name, r.nights) for r in page.context["rows"]] == [("Hôtel du Canal", 1)]
    csv = client.get(reverse("lodging:counts_csv"), period)
    assert csv["Content-Type"].startswith("text/csv")
    assert "Hôtel du Canal,1,0,1,100.0" in csv.content.decode()


@pytest.mark.parametrize("name", ["lodging:home", "lodging:desk"])
def test_the_desk_pages_answer(client, desk, name):
    client.force_login(desk)

    assert client.get(reverse(name)).status_code == 200

"""Home collection pages: the estimate on the public page and the phone desk, booking with or
without an account, the private link, and the staff's slots and day."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import translation

from entraide.dropoff import services
from entraide.dropoff.models import BookingStatus, CollectionBooking, CollectionSlot
from entraide.dropoff.tests.conftest import book, local
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

BIG = {"item_sofa": "1", "item_wardrobe": "1", "postcode": "75011", "town": "Paris"}
WHERE = {"address": "5 rue Oberkampf", "postcode": "75011", "town": "Paris", "country": "FR"}


def _booking_form(slot, **changes) -> dict[str, str]:
    return {
        "item_sofa": "1",
        "item_wardrobe": "1",
        **WHERE,
        "slot": str(slot.pk),
        "floor": "3",
        "name": "Nadia",
        "email": "nadia@example.org",
        "phone": "06 12 34 56 78",
        **changes,
    }


@pytest.fixture
def operator(db):
    return UserFactory(email="sophie@example.org", first_name="Sophie", is_operator=True)


@pytest.fixture
def open_point(point, hana):
    services.point_set_hours(
        point=point,
        weekly=[(d, time(0), time(23, 59)) for d in range(7)],
        actor=hana,
        channel="web",
    )
    return point


def test_a_big_donation_in_a_served_postcode_offers_the_home_collection(client, rule, open_point):
    with translation.override("en"):
        page = client.get(reverse("dropoff:points"), BIG)
    html = page.content.decode()
    assert page.context["choice"].home and page.context["answer"] is None
    assert "Book a free home collection" in html
    assert "About 2.7 m³" in html
    assert reverse("dropoff:book") + "?" in html


def test_a_small_donation_gets_the_nearest_point_of_its_category(client, rule, open_point):
    page = client.get(
        reverse("dropoff:points"),
        {**BIG, "item_sofa": "", "item_wardrobe": "", "item_bag_of_clothes": "2"},
    )
    assert page.context["choice"].reason == "small"
    # The bags are clothes: the nearest point that takes textile, without choosing it.
    assert [c.point for c in page.context["answer"].found] == [open_point]


def test_without_a_rule_the_page_says_so_and_shows_the_points(client, open_point):
    with translation.override("en"):
        page = client.get(reverse("dropoff:points"), BIG)
    assert page.context["choice"].reason == "no_rule"
    assert "there is no home collection in this area yet" in page.content.decode()
    assert page.context["answer"] is not None


def test_a_volume_of_0_or_10000_m3_is_a_field_error(client, rule):
    with translation.override("en"):
        for volume in ("0", "10000"):
            page = client.get(reverse("dropoff:points"), {**BIG, "volume_m3": volume})
            assert page.status_code == 200
            assert page.context["form"].errors["volume_m3"] == [
                "Give a volume between 0.01 and 60 m³."
            ]


def test_a_donor_without_an_account_books_with_an_email_and_a_phone(client, slot):
    url = reverse("dropoff:book")
    page = client.get(url, {**BIG, "country": "FR"})
    assert page.status_code == 200 and page.context["form"]["item_sofa"].value() == "1"
    assert str(slot.pk) in [str(v) for v, _label in page.context["form"].fields["slot"].choices]
    answer = client.post(url, _booking_form(slot))
    booking = CollectionBooking.objects.get()
    assert answer.status_code == 302 and answer["Location"] == booking.get_absolute_url()
    assert booking.donor is None and booking.channel == "web"
    page = client.get(booking.get_absolute_url())
    assert "5 rue Oberkampf" in page.content.decode()


def test_bad_booking_input_shows_errors_and_saves_nothing(client, slot):
    url = reverse("dropoff:book")
    with translation.override("en"):
        page = client.post(url, _booking_form(slot, email="", town="Nulle-part-sur-Mer"))
    assert page.status_code == 200
    assert {"email"} <= set(page.context["form"].errors)
    page = client.post(url, _booking_form(slot, item_sofa="", item_wardrobe="", item_chair="1"))
    assert "volume_m3" in page.context["form"].errors
    assert not CollectionBooking.objects.exists()


def test_a_full_slot_says_so_and_saves_nothing(client, slot):
    book(slot)
    book(slot, email="omar@example.org")
    page = client.post(reverse("dropoff:book"), _booking_form(slot))
    assert page.status_code == 200
    assert CollectionBooking.objects.count() == 2
    with translation.override("en"):
        page = client.post(reverse("dropoff:book"), _booking_form(slot))
    # No longer among the slots with room.
    assert page.context["form"].errors["slot"] == [
        "This slot is no longer free: choose another one."
    ]


def test_a_postcode_without_home_collection_has_no_booking_form(client, rule):
    with translation.override("en"):
        page = client.get(reverse("dropoff:book"), {"postcode": "13001", "country": "FR"})
    html = page.content.decode()
    assert "There is no home collection in the postcode 13001" in html
    assert "Book the collection" not in html


def test_a_logged_in_donor_books_and_finds_it_in_their_collections(client, slot, eve):
    client.force_login(eve)
    client.post(reverse("dropoff:book"), _booking_form(slot, email=""))
    booking = CollectionBooking.objects.get()
    assert booking.donor == eve and booking.email == eve.email
    page = client.get(reverse("dropoff:my_bookings"))
    assert booking.get_absolute_url() in page.content.decode()
    assert reverse("dropoff:my_bookings") in client.get(reverse("dropoff:points")).content.decode()


def test_the_private_link_cancels_and_a_wrong_token_is_404(client, slot):
    booking = book(slot)
    assert client.get(reverse("dropoff:booking", args=["not-a-token"])).status_code == 404
    client.post(booking.get_absolute_url(), {"reason": "Moving earlier"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    again = client.post(booking.get_absolute_url(), {"reason": ""})
    assert again.status_code == 200  # no longer booked: a message, never a 500


def test_an_operator_books_for_a_caller_without_an_email(client, slot, operator, eve):
    page = client.get(reverse("dropoff:phone"), {**BIG, "country": "FR"})
    assert page.status_code == 302  # the log-in page
    client.force_login(operator)
    page = client.get(reverse("dropoff:phone"), {**BIG, "country": "FR"})
    assert reverse("dropoff:phone_book") + "?" in page.content.decode()
    client.post(reverse("dropoff:phone_book"), _booking_form(slot, email=""))
    booking = CollectionBooking.objects.get()
    assert (booking.channel, booking.booked_by, booking.donor) == ("phone", operator, None)
    client.force_login(eve)
    assert client.post(reverse("dropoff:phone_book"), _booking_form(slot)).status_code == 403


def test_staff_open_weekly_slots_on_their_page(client, rule, paris, staff, eve):
    url = reverse("dropoff:slots")
    client.force_login(eve)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert url in client.get(reverse("dropoff:points")).content.decode()
    day = local(paris, 5, 9).date()
    form = {"territory": paris.pk, "day": day.isoformat(), "starts": "09:00", "ends": "12:00"}
    answer = client.post(url, {**form, "capacity": "3", "weeks": "2"})
    assert answer.status_code == 302
    assert CollectionSlot.objects.filter(territory=paris, capacity=3).count() == 2
    page = client.post(url, {**form, "ends": "08:00", "capacity": "3", "weeks": "1"})
    assert "ends" in page.context["form"].errors
    assert CollectionSlot.objects.count() == 2


def test_staff_edit_the_catalogue_and_the_rules_in_the_back_office(client, rule, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    for name in ("catalogueitem", "collectionrule", "collectionslot", "collectionbooking"):
        assert client.get(reverse(f"admin:dropoff_{name}_changelist")).status_code == 200
    with translation.override("en"):
        url = reverse("admin:dropoff_collectionrule_change", args=[rule.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "postcodes": "75 !?"}
    data["categories"] = [c.pk for c in rule.categories.all()]
    data["territory"] = rule.territory_id
    page = client.post(url, data)
    assert "These are not postcode beginnings: !?." in page.content.decode()
    rule.refresh_from_db()
    assert rule.postcodes == "75, 92"


def test_staff_see_the_collections_of_a_day(client, slot, staff, eve):
    book(slot)
    url = reverse("dropoff:collection_day")
    client.force_login(eve)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    day = slot.starts_at.astimezone(slot.territory.zone).date()
    page = client.get(url, {"day": day.isoformat()})
    assert [b.name for b in page.context["bookings"]] == ["Nadia"]
    assert "5 rue Oberkampf" in page.content.decode()
    other = client.get(url, {"day": "2001-01-01"})
    assert list(other.context["bookings"]) == []
    assert client.get(url, {"day": "garbage"}).status_code == 200

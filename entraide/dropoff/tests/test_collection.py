"""Home collection: the catalogue, the rules per territory, booking a slot and cancelling it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.dropoff import collection_selectors, collection_services, jobs
from entraide.dropoff.collection_selectors import estimate
from entraide.dropoff.models import (
    BookingStatus,
    CatalogueItem,
    CollectionBooking,
    CollectionRule,
    CollectionSlot,
)
from entraide.dropoff.tests.conftest import book, local, open_slots, sofa_and_wardrobe
from entraide.notifications import delivery
from entraide.notifications.models import Notification
from entraide.organisations.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_seeded_with_volumes_and_names_in_each_language(db):
    sofa = CatalogueItem.objects.get(code="sofa")
    assert (sofa.volume_m3, sofa.category.code) == (Decimal("1.2"), "furniture")
    assert CatalogueItem.objects.get(code="fridge").category.code == "appliances"
    with translation.override("nl"):
        assert sofa.name == "Zetel"
    with translation.override("fr"):
        assert sofa.name == "Canapé"


def test_an_estimate_adds_the_items_or_takes_the_volume_typed(db):
    found = estimate({"sofa": 1, "wardrobe": 1, "box_of_books": 4, "unicorn": 3})
    assert found.volume_m3 == Decimal("2.9")
    assert sorted(c.code for c in found.categories) == ["books", "furniture"]
    assert estimate({"sofa": 1}, Decimal("5")).volume_m3 == Decimal("5")


def test_the_rule_serves_its_postcode_beginnings_only(rule):
    assert rule.serves("75011") and rule.serves("92100")
    assert not rule.serves("93200") and not rule.serves("")
    assert collection_selectors.rule_for("75011", "FR") == rule
    assert collection_selectors.rule_for("75011", "BE") is None


def test_a_big_donation_in_a_served_postcode_is_collected_at_home(rule):
    choice = collection_selectors.collection_choice(
        sofa_and_wardrobe(), postcode="75011", country="FR"
    )
    assert choice.home and choice.rule == rule


def test_below_the_threshold_the_donor_goes_to_a_point(rule):
    rule.threshold_m3 = Decimal("3")
    rule.save()
    choice = collection_selectors.collection_choice(
        sofa_and_wardrobe(), postcode="75011", country="FR"
    )
    assert (choice.reason, choice.threshold_m3) == ("small", Decimal("3"))


def test_no_rule_or_another_postcode_or_a_category_not_collected_is_said(rule, brussels):
    big = sofa_and_wardrobe()
    served = collection_selectors.collection_choice
    assert served(big, postcode="93200", country="FR").reason == "not_served"
    assert served(big, postcode="1000", country="BE").reason == "no_rule"
    rule.categories.remove(CatalogueItem.objects.get(code="sofa").category)
    assert served(big, postcode="75011", country="FR").reason == "not_collected"


def test_a_donor_books_a_slot_and_gets_a_confirmation(slot):
    booking = book(slot)
    assert booking.status == BookingStatus.BOOKED
    assert booking.volume_m3 == Decimal("2.7") and booking.phone == "+33612345678"
    assert [i["code"] for i in booking.items] == ["wardrobe", "sofa"]
    assert booking.has_position and booking.floor == 3
    assert booking.events.get().kind == "booked"
    email = Notification.objects.get(template="dropoff_collection_booked")
    assert email.to_email == "nadia@example.org"
    assert len(booking.token) >= 32


def test_the_confirmation_email_gives_the_local_slot_and_the_private_link(slot):
    booking = book(slot, language="en")
    email = delivery.render(Notification.objects.get(template="dropoff_collection_booked"))
    assert "Home collection booked for" in email.subject
    assert booking.token in email.body and "1 × Sofa" in email.body
    assert "9 a.m. and noon" in email.body  # the slot's local hours in Paris


def _refused(slot, **changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        book(slot, **changes)
    assert not CollectionBooking.objects.exists()
    assert not Notification.objects.exists()
    return refused.value.message_dict


def test_a_volume_of_0_or_10000_m3_is_refused(slot):
    assert "volume_m3" in _refused(slot, estimate=estimate({}, None))
    assert "volume_m3" in _refused(slot, estimate=estimate({}, Decimal("10000")))


def test_a_donation_below_the_threshold_is_sent_to_a_point(slot):
    with translation.override("en"):
        errors = _refused(slot, estimate=estimate({"chair": 2}))
    assert errors["volume_m3"] == ["We collect at home above 2 m³: bring this to a drop-off point."]


def test_an_unknown_address_or_an_out_of_area_postcode_is_refused(slot):
    assert "town" in _refused(slot, town="Nulle-part-sur-Mer")
    assert "postcode" in _refused(slot, postcode="93200", town="Saint-Denis")


def test_missing_contact_details_are_refused(slot):
    errors = _refused(slot, name=" ", email="", phone="12")
    assert {"name", "email", "phone"} <= set(errors)


def test_a_slot_in_the_past_or_inside_the_minimum_notice_is_refused(rule, paris, staff):
    soon = CollectionSlot.objects.create(
        territory=paris, starts_at=local(paris, 1, 9), ends_at=local(paris, 1, 12), capacity=3
    )
    past = CollectionSlot.objects.create(
        territory=paris, starts_at=local(paris, -1, 9), ends_at=local(paris, -1, 12), capacity=3
    )
    with translation.override("en"):
        assert _refused(soon)["slot"] == ["Book at least 48 hours ahead: choose a later slot."]
        assert "slot" in _refused(past)
    far = CollectionSlot.objects.create(
        territory=paris, starts_at=local(paris, 40, 9), ends_at=local(paris, 40, 12), capacity=3
    )
    assert "slot" in _refused(far)


def test_a_full_slot_is_a_conflict_and_a_cancellation_frees_its_place(slot):
    book(slot)
    second = book(slot, email="omar@example.org")
    with pytest.raises(ConflictError):
        book(slot, email="lea@example.org")
    assert CollectionBooking.objects.count() == 2
    collection_services.booking_cancel(booking=second, by_token=True, actor=None, channel="web")
    assert book(slot, email="lea@example.org").status == BookingStatus.BOOKED


def test_only_the_link_the_donor_or_operators_cancel(slot, eve, staff):
    booking = book(slot, donor=eve)
    other = book(slot, email="omar@example.org")
    with pytest.raises(PermissionDeniedError):
        collection_services.booking_cancel(booking=other, actor=eve, channel="web")
    collection_services.booking_cancel(booking=booking, actor=eve, channel="web")
    collection_services.booking_cancel(booking=other, actor=staff, channel="web")
    with pytest.raises(ConflictError):
        collection_services.booking_cancel(booking=other, actor=staff, channel="web")
    assert [e.kind for e in booking.events.all()] == ["booked", "cancelled"]


def test_a_territory_without_a_rule_takes_no_booking(staff):
    lyon = TerritoryFactory.create(name="Lyon", country="FR", time_zone="Europe/Paris")
    [slot] = open_slots(lyon, staff)
    with translation.override("en"):
        assert _refused(slot)["slot"] == ["There is no home collection in this territory."]


def test_staff_open_a_weekly_series_at_the_same_local_hours(paris, staff, eve):
    made = open_slots(paris, staff, weeks=26)
    assert len(made) == 26
    # Over half a year the daylight-saving change passes: the local hour stays 9:00.
    assert {slot.starts_at.astimezone(paris.zone).hour for slot in made} == {9}
    with pytest.raises(PermissionDeniedError):
        open_slots(paris, eve)


def test_a_slot_that_ends_first_starts_in_the_past_or_repeats_too_long_is_refused(paris, staff):
    def refused(**changes) -> set[str]:
        with pytest.raises(ValidationError) as error:
            open_slots(paris, staff, **changes)
        return set(error.value.message_dict)

    assert refused(ends_at=local(paris, 3, 8)) == {"ends_at"}
    assert refused(starts_at=local(paris, -1, 9), ends_at=local(paris, -1, 12)) == {"starts_at"}
    assert refused(capacity=0) == {"capacity"}
    assert refused(weeks=27) == {"weeks"}
    assert not CollectionSlot.objects.exists()


def test_the_reminder_goes_out_once_the_day_before(slot, time_machine):
    booking = book(slot)
    assert jobs.remind_collections() == 0
    time_machine.move_to(local(slot.territory, 2, 10))
    assert jobs.remind_collections() == 1
    assert jobs.remind_collections() == 0
    reminder = Notification.objects.get(template="dropoff_collection_reminder")
    assert reminder.about_id == booking.pk


def test_the_rules_of_a_territory_live_in_one_row(rule, paris):
    with pytest.raises(IntegrityError):
        CollectionRule.objects.create(territory=paris, postcodes="75")

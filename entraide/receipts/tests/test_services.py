"""Issuing receipts for received pickups: numbers, values pro rata, refusals, cancellation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import ConflictError, DomainError, PermissionDeniedError
from entraide.goods.tests.helpers import declare, offer_for
from entraide.notifications.delivery import render
from entraide.notifications.models import Notification
from entraide.receipts import services
from entraide.receipts.models import Receipt, ReceiptSequence, Regime
from entraide.receipts.tests.helpers import issuer_for, received_pickup

pytestmark = pytest.mark.django_db


def test_it_issues_a_numbered_receipt_with_the_received_kg_and_declared_value(
    shop, sam, paris, pierre, window
):
    sam.first_name, sam.last_name = "Sam", "Baker"
    shop.registration_number = "552 100 554"
    shop.save()
    pickup = received_pickup(shop, sam, paris, pierre, window, kg="40", taken="20")

    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")

    assert receipt.reference.endswith("-000001")
    assert receipt.donor_name == "Boulangerie du Sablon"
    assert receipt.donor_registration_number == "552 100 554"
    assert receipt.issuer_name == "Paris Solidarité ASBL"
    assert receipt.tax_article == "238 bis"
    # 20 of the 40 kg declared at 60 € arrived: 30 €.
    assert receipt.value_cents == 3000
    [line] = receipt.lines.all()
    assert line.kg == Decimal("20") and line.value_cents == 3000
    assert receipt.events.filter(kind="issued").count() == 1
    assert Notification.objects.filter(template="receipts_receipt_issued", recipient=sam).exists()


def test_it_refuses_what_was_not_received_and_a_second_live_receipt(
    shop, sam, paris, pierre, window
):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")

    with pytest.raises(ConflictError, match="already has receipt"):
        services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")

    lot = declare(shop, sam, window, kg="5")
    offer = offer_for(lot, paris, kg=5)
    from entraide.goods import services as goods

    goods.offer_accept(offer=offer, actor=pierre, channel="web")
    planned = goods.pickup_plan(
        offers=[offer],
        starts_at=window[0],
        ends_at=window[1],
        mode="self",
        actor=pierre,
        channel="web",
    )
    with pytest.raises(DomainError, match="confirmed it received"):
        services.receipt_issue_for_pickup(pickup=planned, actor=pierre, channel="web")
    # The refusals left no gap: the counter is at the one receipt issued.
    assert ReceiptSequence.objects.get(issuer__organisation=paris).last_number == 1


def test_it_refuses_without_a_profile_an_eligible_regime_or_a_declared_value(
    shop, sam, restos, alice, paris, pierre, window
):
    pickup = received_pickup(shop, sam, restos, alice, window)
    with pytest.raises(DomainError, match="Set up your receipts first"):
        services.receipt_issue_for_pickup(pickup=pickup, actor=alice, channel="web")

    issuer_for(restos, alice, country="BE", regime=Regime.NONE)
    with pytest.raises(DomainError, match="not eligible"):
        services.receipt_issue_for_pickup(pickup=pickup, actor=alice, channel="web")

    unvalued = received_pickup(shop, sam, paris, pierre, window, value_cents=None)
    with pytest.raises(DomainError, match="declared no value"):
        services.receipt_issue_for_pickup(pickup=unvalued, actor=pierre, channel="web")
    assert not Receipt.objects.exists()


def test_a_belgian_acknowledgement_needs_no_declared_value(
    shop, sam, restos, alice, restos_issuer, window
):
    pickup = received_pickup(shop, sam, restos, alice, window, value_cents=None)
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=alice, channel="web")
    assert receipt.value_cents == 0 and not receipt.is_tax_receipt and receipt.tax_article == ""


def test_it_refuses_strangers_and_lets_an_operator_issue_for_the_association(
    shop, sam, paris, pierre, alice, olga, window
):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    with pytest.raises(PermissionDeniedError):
        services.receipt_issue_for_pickup(pickup=pickup, actor=alice, channel="web")
    with pytest.raises(PermissionDeniedError):
        services.receipt_issue_for_pickup(pickup=pickup, actor=sam, channel="web")
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=olga, channel="phone")
    assert receipt.issued_by == olga and receipt.channel == "phone"


def test_it_cancels_with_a_reason_keeps_the_number_and_the_replacement_points_to_it(
    shop, sam, paris, pierre, window
):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    first = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    with pytest.raises(ValidationError):
        services.receipt_cancel(receipt=first, reason="  ", actor=pierre, channel="web")

    services.receipt_cancel(receipt=first, reason="Wrong donor name", actor=pierre, channel="web")
    with pytest.raises(ConflictError):
        services.receipt_cancel(receipt=first, reason="Again", actor=pierre, channel="web")
    second = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")

    first.refresh_from_db()
    assert first.is_cancelled and first.number == 1 and first.cancel_reason == "Wrong donor name"
    assert second.number == 2 and second.replaces == first
    with pytest.raises(ValueError):
        first.delete()
    with pytest.raises(ValueError):
        Receipt.objects.all().delete()


def test_it_rolls_the_number_back_when_the_issue_fails_after_claiming_it(paris, pierre):
    issuer = paris.receipt_issuer
    donor = services.Donor(kind="person", name="Jean")
    good = services.Line(description="Pâtes", value_cents=100)
    too_big = services.Line(description="Or", value_cents=10**12)

    # The bad line is only checked once the number was claimed and the receipt written.
    with pytest.raises(ValidationError):
        services.receipt_issue(
            issuer=issuer,
            donor=donor,
            nature="in_kind",
            gift_date=pierre.date_joined.date(),
            lines=[good, too_big],
            source_kind="test",
            source_id="1",
            actor=pierre,
            channel="web",
        )
    issued = services.receipt_issue(
        issuer=issuer,
        donor=donor,
        nature="in_kind",
        gift_date=pierre.date_joined.date(),
        lines=[good],
        source_kind="test",
        source_id="1",
        actor=pierre,
        channel="web",
    )

    assert issued.number == 1 and Receipt.objects.count() == 1


def test_it_resends_a_live_receipt_and_refuses_a_cancelled_one(shop, sam, paris, pierre, window):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    assert services.receipt_send(receipt=receipt, actor=pierre, channel="web") == 1
    assert Notification.objects.filter(template="receipts_receipt_issued").count() == 2
    services.receipt_cancel(receipt=receipt, reason="Typo", actor=pierre, channel="web")
    with pytest.raises(ConflictError):
        services.receipt_send(receipt=receipt, actor=pierre, channel="web")


@pytest.mark.parametrize(
    ("country", "number", "regime", "field"),
    [
        ("FR", "12345", Regime.FR_GENERAL_INTEREST, "registration_number"),
        ("BE", "0412.345.678", Regime.FR_GENERAL_INTEREST, "regime"),
        ("FR", "732829320", Regime.BE_ACKNOWLEDGEMENT, "regime"),
        ("XX", "732829320", Regime.NONE, "country"),
    ],
)
def test_it_refuses_a_profile_that_does_not_fit_its_country(
    restos, alice, country, number, regime, field
):
    with pytest.raises(ValidationError) as caught:
        services.issuer_profile_save(
            organisation=restos,
            actor=alice,
            legal_name="Restos",
            address="Rue 1",
            postcode="1000",
            town="Bruxelles",
            country=country,
            registration_number=number,
            purpose="Aide",
            regime=regime,
            signatory_name="A",
            signatory_role="B",
        )
    assert field in caught.value.message_dict


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "Téléchargez-le"), ("nl", "Download het"), ("en", "Download it")],
)
def test_the_donors_email_renders_with_the_link_in_their_language(
    shop, sam, paris, pierre, window, language, words
):
    sam.language = language
    sam.save()
    pickup = received_pickup(shop, sam, paris, pierre, window)
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    notification = Notification.objects.get(template="receipts_receipt_issued", recipient=sam)

    email = render(notification)

    assert receipt.reference in email.subject
    assert words in email.body and f"/receipts/{receipt.pk}/pdf/" in email.body


def test_a_gift_collected_on_new_years_eve_and_received_after_counts_in_the_year_it_was_given(
    shop, sam, paris, pierre
):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from entraide.goods import services as goods
    from entraide.receipts.selectors import donor_statement

    year = 2026
    zone = ZoneInfo("Europe/Paris")
    # Offered and collected on the afternoon of 31 December, received on 2 January.
    with time_machine.travel(datetime(year, 12, 31, 14, tzinfo=zone), tick=False):
        start = datetime(year, 12, 31, 15, tzinfo=zone)
        lot = declare(
            shop,
            sam,
            (start, start + timedelta(hours=4)),
            kg="40",
            code="dry_food",
            declared_value_cents=6000,
        )
        offer = offer_for(lot, paris, kg=40)
        goods.offer_accept(offer=offer, actor=pierre, channel="web")
        pickup = goods.pickup_plan(
            offers=[offer],
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            mode="self",
            actor=pierre,
            channel="web",
        )
    with time_machine.travel(datetime(year, 12, 31, 15, 30, tzinfo=zone), tick=False):
        goods.pickup_record(
            pickup=pickup, collected={"dry_food": "40"}, actor=pierre, channel="web"
        )
    with time_machine.travel(datetime(year + 1, 1, 2, 10, tzinfo=zone), tick=False):
        goods.pickup_confirm_receipt(pickup=pickup, actor=pierre, channel="web")
        pickup.refresh_from_db()
        receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    assert receipt.gift_date.year == year

    given = donor_statement(year=year, organisation=shop)
    after = donor_statement(year=year + 1, organisation=shop)

    assert given.kg == Decimal("40") and given.receipts == [receipt]
    assert after.kg == Decimal("0") and after.receipts == []

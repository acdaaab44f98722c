"""Receipts pages: the association issues and cancels, the donor downloads and reads its
statement, strangers get 403/404, the verification page shows no donor's data."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from entraide.missions.tests.test_certificates import _pdf_text
from entraide.receipts import services
from entraide.receipts.models import Receipt
from entraide.receipts.pdf import receipt_pdf
from entraide.receipts.tests.helpers import received_pickup
from entraide.receipts.words import dutch, english, euros_in_words, french

pytestmark = pytest.mark.django_db


def test_it_issues_from_the_received_pickups_and_cancels_with_a_reason(
    client, shop, sam, paris, pierre, window
):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    client.force_login(pierre)
    url = reverse("receipts:association", args=[paris.slug])
    assert "Boulangerie du Sablon" in client.get(url).content.decode()

    client.post(url, {"action": "issue", "pickup": pickup.pk})
    receipt = Receipt.objects.get()
    page = client.get(url, {"year": receipt.year}).content.decode()
    assert receipt.reference in page and "Every received pickup has its receipt" in page

    refused = client.post(url, {"action": "cancel", "receipt": receipt.pk, "reason": ""})
    assert refused.status_code == 400
    client.post(url, {"action": "cancel", "receipt": receipt.pk, "reason": "Wrong value"})
    receipt.refresh_from_db()
    assert receipt.is_cancelled and receipt.cancel_reason == "Wrong value"


def test_it_keeps_other_organisations_out(client, shop, sam, paris, pierre, alice, eve, window):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    client.force_login(alice)
    assert client.get(reverse("receipts:association", args=[paris.slug])).status_code == 403
    assert client.get(reverse("receipts:issuer_profile", args=[paris.slug])).status_code == 403
    assert client.get(reverse("receipts:donor", args=[shop.slug])).status_code == 403
    assert client.get(reverse("receipts:download", args=[receipt.pk])).status_code == 404
    assert client.get(reverse("receipts:operators")).status_code == 403
    client.force_login(eve)
    assert client.get(reverse("receipts:download", args=[receipt.pk])).status_code == 404
    # Another association cannot issue for a pickup that is not its own.
    other = reverse("receipts:association", args=[paris.slug])
    assert client.post(other, {"action": "issue", "pickup": pickup.pk}).status_code == 403


def test_the_donor_downloads_its_receipt_and_reads_its_statement(
    client, shop, sam, paris, pierre, window
):
    pickup = received_pickup(shop, sam, paris, pierre, window, kg="40", taken="40")
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    client.force_login(sam)

    listing = client.get(reverse("receipts:donor", args=[shop.slug])).content.decode()
    assert receipt.reference in listing
    pdf = client.get(reverse("receipts:download", args=[receipt.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    year = timezone.localdate().year
    statement = reverse("receipts:donor_statement", args=[shop.slug, year])
    page = client.get(statement).content.decode()
    assert receipt.reference in page and "40" in page and "80" in page  # 40 kg, 80 meals
    csv = client.get(statement, {"format": "csv"}).content.decode()
    assert "6000" in csv and receipt.reference in csv
    assert client.get(statement, {"format": "pdf"}).content.startswith(b"%PDF")


def test_a_person_sees_their_own_receipts(client, shop, sam, eve, paris, pierre, window):
    client.force_login(eve)
    page = client.get(reverse("receipts:mine"))
    assert page.status_code == 200 and "No receipt yet" in page.content.decode()
    year = timezone.localdate().year
    assert client.get(reverse("receipts:my_statement", args=[year])).status_code == 200


def test_the_verification_page_says_valid_or_cancelled_without_the_donor(
    client, shop, sam, paris, pierre, window
):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    url = reverse("receipts:verify", args=[receipt.token])
    page = client.get(url).content.decode()
    assert receipt.reference in page and "genuine and valid" in page
    assert "Boulangerie" not in page
    services.receipt_cancel(receipt=receipt, reason="Typo", actor=pierre, channel="web")
    assert "was cancelled" in client.get(url).content.decode()
    assert client.get(reverse("receipts:verify", args=["nope"])).status_code == 404


def test_an_operator_lists_associations_waiting_and_issues_for_them(
    client, shop, sam, paris, pierre, olga, window
):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    client.force_login(olga)
    console = client.get(reverse("operators:quick_entry")).content.decode()
    assert reverse("receipts:operators") in console
    page = client.get(reverse("receipts:operators")).content.decode()
    assert "Paris Solidarité" in page
    url = reverse("receipts:association", args=[paris.slug])
    client.post(url, {"action": "issue", "pickup": pickup.pk})
    assert Receipt.objects.get().channel == "phone"


def test_the_french_pdf_carries_the_cerfa_fields(shop, sam, paris, pierre, window):
    pickup = received_pickup(shop, sam, paris, pierre, window, kg="40", taken="20")
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    services.receipt_cancel(receipt=receipt, reason="Typo", actor=pierre, channel="web")
    receipt.refresh_from_db()
    with override("fr"):
        text = _pdf_text(receipt_pdf(receipt=receipt, verify_url="https://x/v/"))
    for expected in (
        receipt.reference,
        "Paris Solidarit",
        "732 829 320",
        "Boulangerie du Sablon",
        "30,00",
        "trente euros",
        "[X] article 238 bis",
        "[ ] article 200",
        "Marie Curie",
        "https://x/v/",
    ):
        assert expected in text, expected


def test_it_writes_amounts_in_words():
    assert french(80) == "quatre-vingts" and french(81) == "quatre-vingt-un"
    assert french(71) == "soixante et onze" and french(200) == "deux cents"
    assert french(280_000) == "deux cent quatre-vingt mille"
    assert french(2_000_000) == "deux millions"
    assert dutch(22) == "tweeëntwintig" and dutch(1234) == "duizend tweehonderdvierendertig"
    assert english(1234) == "one thousand two hundred thirty-four"
    assert euros_in_words(4005, "fr") == "quarante euros et cinq centimes"
    assert euros_in_words(100, "nl") == "een euro"


def test_my_organisations_links_the_receipts_and_the_gifts(client, shop, sam, paris, pierre):
    client.force_login(pierre)
    page = client.get(reverse("organisations:dashboard")).content.decode()
    assert reverse("receipts:association", args=[paris.slug]) in page
    client.force_login(sam)
    page = client.get(reverse("organisations:dashboard")).content.decode()
    assert reverse("receipts:donor", args=[shop.slug]) in page


def test_a_person_giving_gets_article_200_and_a_statement_with_meals(
    client, eve, paris, pierre, window
):
    eve.first_name, eve.last_name = "Eve", "Durand"
    eve.save()
    pickup = received_pickup(
        None,
        eve,
        paris,
        pierre,
        window,
        kg="10",
        taken="10",
        town="Paris",
        postcode="75011",
        country="FR",
    )
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=pierre, channel="web")
    assert (receipt.donor_kind, receipt.donor_name, receipt.tax_article) == (
        "person",
        "Eve Durand",
        "200",
    )
    client.force_login(eve)
    assert receipt.reference in client.get(reverse("receipts:mine")).content.decode()
    year = timezone.localdate().year
    page = client.get(reverse("receipts:my_statement", args=[year])).content.decode()
    assert "20 meal equivalents" in page  # 10 kg of dry food, 2 meals a kg


def test_the_belgian_pdf_says_it_is_no_tax_certificate_in_dutch(
    shop, sam, restos, alice, restos_issuer, window
):
    pickup = received_pickup(shop, sam, restos, alice, window)
    receipt = services.receipt_issue_for_pickup(pickup=pickup, actor=alice, channel="web")
    with override("nl"):
        text = _pdf_text(receipt_pdf(receipt=receipt, verify_url="https://x/v/"))
    assert "Ontvangstbevestiging van een gift in natura" in text
    assert "geen fiscaal attest" in text and "238 bis" not in text
    assert "zestig euro" in text

"""Certificates: none without hours, what they carry, and the public page that checks a code."""

import base64
import re
import zlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from entraide.core.errors import DomainError
from entraide.missions import selectors, services
from entraide.missions.certificate import certificate_pdf
from entraide.missions.models import Certificate, Participation
from entraide.missions.services.certificates import CODE_ALPHABET, CODE_LENGTH
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MissionFactory,
    MissionSlotFactory,
)


def _give(volunteer, organisation, hours: str, *, title: str = "Meals on wheels") -> None:
    """Record confirmed hours of the volunteer on a past slot of a new mission."""
    slot = MissionSlotFactory.create(
        mission=MissionFactory.create(organisation=organisation, title=title),
        starts_at=timezone.now() - timedelta(days=2),
    )
    application = ApplicationFactory.create(slot=slot, volunteer=volunteer, status="accepted")
    Participation.objects.create(application=application, hours=Decimal(hours))


def test_it_offers_no_certificate_without_confirmed_hours(client, alice, restos):
    client.force_login(alice)
    assert "certificates" not in client.get(reverse("missions:mine")).content.decode().lower()
    page = client.get(reverse("missions:certificate"))
    assert "No certificate yet" in page.content.decode()
    refused = client.get(reverse("missions:certificate_download", args=[restos.slug]))
    assert refused.status_code == 404
    assert "No certificate yet" in refused.content.decode()
    assert not Certificate.objects.exists()
    with pytest.raises(DomainError):
        services.certificate_issue(volunteer=alice, organisation=restos)


def test_it_issues_one_stable_random_code_per_total(alice, restos):
    _give(alice, restos, "2.5")
    first = services.certificate_issue(volunteer=alice, organisation=restos)
    again = services.certificate_issue(volunteer=alice, organisation=restos)
    assert again.pk == first.pk and again.code == first.code
    assert len(first.code) == CODE_LENGTH and set(first.code) <= set(CODE_ALPHABET)
    _give(alice, restos, "1", title="Soup kitchen")
    more = services.certificate_issue(volunteer=alice, organisation=restos)
    assert more.hours == Decimal("3.50") and more.code != first.code


def test_it_puts_the_volunteer_organisation_missions_signature_and_code_on_the_pdf(alice, restos):
    restos.address = "Rue Haute 1"
    restos.postcode = "1000"
    restos.registration_number = "0412.345.678"
    restos.save()
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    _give(alice, restos, "2.5")
    issued = services.certificate_issue(volunteer=alice, organisation=restos)
    lines = selectors.confirmed_hours(alice, organisation=restos)
    assert [line.mission_title for line in lines] == ["Meals on wheels"]
    with override("fr"):
        pdf = certificate_pdf(certificate=issued, lines=lines, verify_url="https://x/v/")
    text = _pdf_text(pdf)
    for expected in (
        "Alice Martin",
        "Les Restos du C",
        "Rue Haute 1",
        "0412.345.678",
        "Meals on wheels",
        "2,50",
        issued.display_code,
        "signature",
    ):
        assert expected in text, expected


def _pdf_text(pdf: bytes) -> str:
    """Return the strings a reportlab PDF draws (its pages are ASCII85 and Flate encoded)."""
    pages = b"".join(
        zlib.decompress(base64.a85decode(stream, adobe=False))
        for stream in re.findall(rb"stream\r?\n(.*?)~>endstream", pdf, re.S)
    )
    return " ".join(m.decode("latin-1") for m in re.findall(rb"\((.*?)\) Tj", pdf + pages))


def test_it_confirms_a_genuine_code_on_a_public_page(client, alice, restos):
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    _give(alice, restos, "2.5")
    issued = services.certificate_issue(volunteer=alice, organisation=restos)
    with override("fr"):
        url = reverse("missions:verify_code", args=[issued.display_code])
        page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Alice Martin" in body and "Les Restos du Cœur" in body and "2,5 h" in body
    typed = client.get(reverse("missions:verify"), {"code": issued.code.lower()})
    assert typed.context["found"] == issued


def test_it_says_clearly_when_a_code_is_unknown(client, db):
    page = client.get(reverse("missions:verify"), {"code": "ABCD-EFGH-JKMN"})
    assert page.status_code == 404
    assert "No certificate has the code" in page.content.decode()
    assert client.get(reverse("missions:verify")).status_code == 200

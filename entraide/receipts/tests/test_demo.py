"""The demo: a Brussels and a Paris association can issue receipts; the bread got one."""

from io import StringIO

import pytest
from django.core.management import call_command

from entraide.receipts.models import IssuerProfile, Receipt, Regime

pytestmark = pytest.mark.django_db


def test_it_loads_two_issuers_and_a_receipt_for_the_received_bread_once():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    regimes = set(IssuerProfile.objects.values_list("country", "regime"))
    assert regimes == {("BE", Regime.BE_ACKNOWLEDGEMENT), ("FR", Regime.FR_GENERAL_INTEREST)}
    receipt = Receipt.objects.get()
    assert receipt.reference.endswith("-000001") and receipt.donor_name.startswith("Boulangerie")
    assert receipt.lines.get().kg == 25

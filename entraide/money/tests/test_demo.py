"""The demo: a Paris solidarity fund with its staff and five contributions, loaded once; the
ledger reconciles and the public page hides the contributor who did not agree to be named."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from entraide.money import selectors
from entraide.money.models import Contribution, Fund

pytestmark = pytest.mark.django_db


def test_it_loads_a_fund_with_contributions_once(client):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    fund = Fund.objects.get()
    assert Contribution.objects.filter(fund=fund).count() == 5
    assert selectors.fund_totals(fund)["balance"] == 3_820_000
    assert fund.managers.get().email.startswith("fonds@")
    assert selectors.reconcile() == []
    page = client.get(reverse("money:fund", args=[fund.slug])).content.decode()
    assert "Claire Besson" in page
    assert "Donateur anonyme" not in page

"""Company pages read and show euros and hours the French, Dutch and English way."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from entraide.companies import services
from entraide.companies.models import LedgerEntry, TopUpRule
from entraide.companies.tests.factories import TopUpRuleFactory, participate

NBSP = "\u00a0"


@pytest.fixture
def due(acme, hugo, judy, restos):
    """Accrue 25 € for acme to pay restos (2.5 h at 10 € an hour)."""
    participate(judy, restos, hours="2.50")
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=1000)
    services.topups_accrue(company=acme)


def _pay_url(language: str) -> str:
    with translation.override(language):
        return reverse("companies:pay", args=["acme"])


@pytest.mark.usefixtures("due")
def test_it_takes_a_french_decimal_comma_for_a_payment(client, hugo, restos):
    client.force_login(hugo)

    response = client.post(_pay_url("fr"), {"association": restos.pk, "amount": "10,50"})

    assert response.status_code == 302
    assert LedgerEntry.objects.get(kind=LedgerEntry.Kind.PAID).amount_cents == 1050


@pytest.mark.usefixtures("due")
def test_it_refuses_a_malformed_amount_clearly_and_saves_nothing(client, hugo, restos):
    client.force_login(hugo)

    response = client.post(_pay_url("fr"), {"association": restos.pk, "amount": "10,5,0"})

    assert response.status_code == 400
    assert "Saisissez un nombre comme 10,50." in response.content.decode()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAID).exists()


@pytest.mark.usefixtures("due")
def test_it_says_how_much_is_due_in_the_readers_format(client, hugo, restos):
    client.force_login(hugo)

    response = client.post(_pay_url("fr"), {"association": restos.pk, "amount": "25,01"})

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"Il n'est dû que 25,00{NBSP}€ à cette association." in page


@pytest.mark.usefixtures("due")
@pytest.mark.parametrize(
    ("language", "accrued", "hours"),
    [("fr", f"25,00{NBSP}€", "2,5 h"), ("nl", f"€{NBSP}25,00", "2,5 u"), ("en", "€25.00", "2.5 h")],
)
def test_the_dashboard_shows_euros_and_hours_the_locales_way(
    client, hugo, language, accrued, hours
):
    client.force_login(hugo)
    with translation.override(language):
        url = reverse("companies:dashboard", args=["acme"])

    page = client.get(url).content.decode()

    assert accrued in page
    assert hours in page
    assert "25.00" not in page or language == "en"


def test_an_employee_sees_their_allowance_in_hours_the_locales_way(client, acme, judy):
    acme.company_profile.yearly_allowance_hours = Decimal("14.50")
    acme.company_profile.save()
    client.force_login(judy.user)
    with translation.override("fr"):
        url = reverse("companies:employee", args=["acme"])

    page = client.get(url).content.decode()

    assert "14,5 h" in page

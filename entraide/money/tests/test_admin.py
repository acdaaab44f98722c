"""Back office for money: funds are set up through the service; the ledger is read only."""

import pytest
from django.urls import reverse

from entraide.money.models import Account, Fund, Transaction
from entraide.money.tests.conftest import funded
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(db):
    return UserFactory(email="boss@example.org", is_staff=True, is_superuser=True)


def _form(**changes: str) -> dict[str, str]:
    data = {
        "name": "Fonds des artisans",
        "slug": "artisans",
        "purpose": "Aider les artisans.",
        "eligibility": "Les artisans.",
        "cap_cents": "150000",
        "cap_window": "lifetime",
        "quorum": "3",
        "majority_percent": "50",
        "tie_rule": "reject",
        "is_public": "on",
    }
    data.update(changes)
    return data


def test_staff_set_up_a_fund_and_its_account_opens(client, boss):
    client.force_login(boss)

    answer = client.post(reverse("admin:money_fund_add"), _form())

    assert answer.status_code == 302
    fund = Fund.objects.get()
    assert (fund.account.key, fund.account.kind) == ("fund:artisans", Account.Kind.FUND)


def test_a_rolling_cap_without_days_is_refused(client, boss):
    client.force_login(boss)

    answer = client.post(reverse("admin:money_fund_add"), _form(cap_window="rolling"))

    assert answer.status_code == 200
    assert not Fund.objects.exists()


def test_the_ledger_is_read_only(client, boss):
    funded("giver", 500)
    posted = Transaction.objects.get()
    client.force_login(boss)

    assert (
        client.get(reverse("admin:money_transaction_change", args=[posted.pk])).status_code == 200
    )
    assert client.get(reverse("admin:money_transaction_add")).status_code == 403
    delete = reverse("admin:money_transaction_delete", args=[posted.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

"""Races on PostgreSQL: two payouts that together exceed the balance, a retried call with one
idempotency key, two reversals of one transaction. Only the row locks keep them apart, so
these run on PostgreSQL only (SQLite takes one writer at a time and proves nothing)."""

from collections.abc import Callable

import pytest
from django.db import connection

from entraide.money import selectors, services
from entraide.money.models import Account, Transaction
from entraide.money.tests.conftest import funded, wallet
from entraide.testing.concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a race needs PostgreSQL"),
]


def _payout(account_pk: int, cents: int, key: str = "") -> Callable[[], object]:
    return lambda: services.payout(
        source=Account.objects.get(pk=account_pk),
        amount_cents=cents,
        actor=None,
        channel="api",
        idempotency_key=key,
    )


def test_it_lets_exactly_one_of_two_payouts_through_when_both_exceed_the_balance():
    account = funded("fund", 1_000)

    outcomes = run_at_once([_payout(account.pk, 700), _payout(account.pk, 700)])

    assert sum(isinstance(o, Transaction) for o in outcomes) == 1, outcomes
    assert selectors.balance_of(account) == 300
    assert selectors.reconcile() == []


def test_it_posts_once_for_a_retried_call_with_one_key():
    account = funded("fund", 1_000)

    outcomes = run_at_once([_payout(account.pk, 100, "retry") for _ in range(3)])

    assert all(isinstance(o, Transaction) for o in outcomes), outcomes
    assert len({o.pk for o in outcomes if isinstance(o, Transaction)}) == 1
    assert selectors.balance_of(account) == 900


def test_it_reverses_once_when_asked_twice_at_once():
    giver = funded("giver", 1_000)
    posted = services.transfer(
        kind="transfer",
        source=giver,
        destination=wallet("taker"),
        amount_cents=250,
        actor=None,
        channel="system",
    )

    def reverse() -> object:
        return services.transaction_reverse(
            original=Transaction.objects.get(pk=posted.pk), actor=None, channel="system"
        )

    outcomes = run_at_once([reverse, reverse])

    assert sum(isinstance(o, Transaction) for o in outcomes) == 1, outcomes
    assert Transaction.objects.filter(reverses=posted).count() == 1
    assert selectors.balance_of(giver) == 1_000

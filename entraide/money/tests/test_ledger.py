"""The ledger: balanced groups only, bad amounts refused whole, append-only rows, reversals at
most once, idempotency keys, and reconciliation that finds every mismatch."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from entraide.core.errors import ConflictError, DomainError
from entraide.money import selectors, services
from entraide.money.models import Account, Entry, Transaction
from entraide.money.services import Line
from entraide.money.tests.conftest import funded, wallet

pytestmark = pytest.mark.django_db


def _post(lines: list[Line]) -> Transaction:
    return services.transaction_post(kind="transfer", lines=lines, actor=None, channel="system")


def test_it_posts_a_balanced_group_and_derives_balances_from_its_entries():
    giver = funded("giver", 10_000)
    taker = wallet("taker")

    posted = _post([Line(giver, -2_500), Line(taker, 2_500)])

    assert sorted(posted.entries.values_list("amount_cents", flat=True)) == [-2_500, 2_500]
    assert selectors.balance_of(giver) == 7_500
    assert selectors.balance_of(taker) == 2_500
    assert selectors.balance_of(services.outside_account()) == -10_000
    assert selectors.reconcile() == []


def test_it_refuses_an_unbalanced_group_and_saves_nothing():
    giver = funded("giver", 10_000)
    before = Entry.objects.count()

    with pytest.raises(ValidationError) as caught:
        _post([Line(giver, -2_500), Line(wallet("taker"), 2_400)])

    assert "unbalanced" in str(caught.value.message_dict["lines"])
    assert Entry.objects.count() == before


def test_it_refuses_a_group_on_one_account_or_a_single_line():
    giver = funded("giver", 10_000)

    with pytest.raises(ValidationError):
        _post([Line(giver, -5), Line(giver, 5)])
    with pytest.raises(ValidationError):
        _post([Line(giver, 0)])


def test_it_refuses_mixed_currencies():
    giver = funded("giver", 10_000)
    other = services.account_for(key="chf", kind=Account.Kind.ORGANISATION)
    Account.objects.filter(pk=other.pk).update(currency="CHF")
    other.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        _post([Line(giver, -100), Line(other, 100)])

    assert "currency" in caught.value.message_dict


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "cannot be zero"),
        (-100, "more than zero"),
        (Decimal("10.5"), "fraction of a cent"),
        ("12.25", "fraction of a cent"),
        (10.0, "whole number of cents"),
        (True, "whole number of cents"),
        ("douze", "whole number of cents"),
        ("NaN", "whole number of cents"),
        ("1e999999999", "at most"),
        (10**12, "at most"),
    ],
)
def test_it_refuses_bad_amounts_with_a_translated_message(amount, message):
    giver = funded("giver", 10_000)
    before = Entry.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.transfer(
            kind="transfer",
            source=giver,
            destination=wallet("taker"),
            amount_cents=amount,
            actor=None,
            channel="system",
        )

    assert message in caught.value.message_dict["amount_cents"][0]
    assert Entry.objects.count() == before


def test_it_says_so_in_french():
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        services.clean_cents("12.5")

    assert caught.value.message_dict["amount_cents"] == [
        "Un montant ne peut pas comporter de fraction de centime."
    ]


def test_it_refuses_to_take_an_account_below_zero():
    giver = funded("giver", 1_000)

    with pytest.raises(DomainError) as caught:
        services.payout(source=giver, amount_cents=1_001, actor=None, channel="system")

    assert caught.value.code == "insufficient_funds"
    assert selectors.balance_of(giver) == 1_000


def test_it_never_updates_or_deletes_ledger_rows():
    posted = _post([Line(funded("giver", 500), -500), Line(wallet("taker"), 500)])
    entry = posted.entries.get(amount_cents=500)

    with pytest.raises(ValueError, match="append-only"):
        posted.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(ValueError, match="append-only"):
        Entry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(ValueError, match="append-only"):
        Transaction.objects.all().delete()


def test_its_database_refuses_a_zero_entry():
    posted = _post([Line(funded("giver", 500), -500), Line(wallet("taker"), 500)])

    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(transaction=posted, account=wallet("taker"), amount_cents=0)


def test_it_reverses_a_transaction_once():
    giver = funded("giver", 1_000)
    taker = wallet("taker")
    posted = _post([Line(giver, -400), Line(taker, 400)])

    reversal = services.transaction_reverse(original=posted, actor=None, channel="system")

    assert reversal.reverses == posted
    assert selectors.balance_of(giver) == 1_000
    assert selectors.balance_of(taker) == 0
    with pytest.raises(ConflictError):
        services.transaction_reverse(original=posted, actor=None, channel="system")
    with pytest.raises(DomainError):
        services.transaction_reverse(original=reversal, actor=None, channel="system")
    assert Transaction.objects.filter(kind="reversal").count() == 1


def test_it_refuses_a_reversal_that_would_take_an_account_below_zero():
    giver = funded("giver", 1_000)
    taker = wallet("taker")
    posted = _post([Line(giver, -400), Line(taker, 400)])
    services.payout(source=taker, amount_cents=400, actor=None, channel="system")

    with pytest.raises(DomainError):
        services.transaction_reverse(original=posted, actor=None, channel="system")


def test_it_returns_the_first_transaction_for_a_repeated_idempotency_key():
    giver = funded("giver", 1_000)

    first = services.payout(
        source=giver, amount_cents=300, actor=None, channel="api", idempotency_key="k1"
    )
    again = services.payout(
        source=giver, amount_cents=300, actor=None, channel="api", idempotency_key="k1"
    )
    other = services.payout(
        source=giver, amount_cents=300, actor=None, channel="api", idempotency_key="k2"
    )

    assert again == first
    assert other != first
    assert selectors.balance_of(giver) == 400


def test_reconcile_reports_every_mismatch():
    giver = funded("giver", 1_000)
    taker = wallet("taker")
    # Rows written around the services, as a faulty import or a hand edit would.
    lopsided = Transaction.objects.create(kind="transfer", occurred_on="2026-01-01")
    Entry.objects.create(transaction=lopsided, account=taker, amount_cents=70)
    overdrawn = Transaction.objects.create(kind="transfer", occurred_on="2026-01-01")
    Entry.objects.create(transaction=overdrawn, account=giver, amount_cents=-5_000)
    Entry.objects.create(transaction=overdrawn, account=taker, amount_cents=5_000)
    empty = Transaction.objects.create(kind="transfer", occurred_on="2026-01-01")

    problems = {(m.problem, m.row_id) for m in selectors.reconcile()}

    assert problems == {
        ("unbalanced", lopsided.pk),
        ("unbalanced", empty.pk),
        ("negative", giver.pk),
    }

"""Property test: any sequence of contributions, commitments, payouts and reversals keeps every
group balanced, every account that may not go below zero at zero or more, and every balance
equal to the sum of its entries (as tracked independently here)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.core.errors import DomainError
from entraide.money import selectors, services
from entraide.money.models import Account, Transaction
from entraide.money.tests.conftest import wallet

STEPS = st.lists(
    st.tuples(
        st.sampled_from(["contribute", "commit", "pay", "reverse"]),
        st.integers(min_value=0, max_value=2),  # which fund or beneficiary
        st.integers(min_value=-5, max_value=5_000),  # the amount (some bad ones)
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_any_sequence_keeps_the_ledger_sound(steps):
    with transaction.atomic():
        outside = services.outside_account()
        funds = [wallet(f"fund-{i}") for i in range(3)]
        people = [
            services.account_for(key=f"beneficiary:{i}", kind=Account.Kind.BENEFICIARY)
            for i in range(3)
        ]
        expected = {a.pk: 0 for a in [outside, *funds, *people]}
        posted: list[Transaction] = []

        def move(kind: str, source: Account, destination: Account, cents: int) -> None:
            try:
                done = services.transfer(
                    kind=kind,
                    source=source,
                    destination=destination,
                    amount_cents=cents,
                    actor=None,
                    channel="system",
                )
            except (ValidationError, DomainError):
                return
            expected[source.pk] -= cents
            expected[destination.pk] += cents
            posted.append(done)

        for action, which, cents in steps:
            if action == "contribute":
                move("contribution", outside, funds[which], cents)
            elif action == "commit":
                move("commitment", funds[which], people[which], cents)
            elif action == "pay":
                move("payout", people[which], outside, cents)
            elif posted:
                original = posted[which % len(posted)]
                try:
                    reversal = services.transaction_reverse(
                        original=original, actor=None, channel="system"
                    )
                except DomainError:
                    continue
                for entry in original.entries.all():
                    expected[entry.account_id] -= entry.amount_cents
                posted.append(reversal)

        assert selectors.reconcile() == []
        actual = selectors.balances()
        assert {pk: actual[pk] for pk in expected} == expected
        assert all(actual[a.pk] >= 0 for a in [*funds, *people])
        transaction.set_rollback(True)

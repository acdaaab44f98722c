"""Gapless numbering: receipts issued at once get consecutive numbers, one gift gets one
live receipt, and any sequence of issues and cancellations numbers each issuer's year 1..n.

On SQLite the test database takes one writer at a time, so the race passes there without
proving much; the PostgreSQL run is the one that would catch a number read outside the lock.
"""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.accounts.models import User
from entraide.core.errors import ConflictError
from entraide.goods.models import Pickup
from entraide.organisations.models import Membership
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.receipts import services
from entraide.receipts.models import Receipt, Regime
from entraide.receipts.tests.helpers import issuer_for, received_pickup
from entraide.testing.concurrency import run_at_once


def _issue(pickup_pk: int, user_pk: int) -> Callable[[], object]:
    return lambda: services.receipt_issue_for_pickup(
        pickup=Pickup.objects.select_related("organisation").get(pk=pickup_pk),
        actor=User.objects.get(pk=user_pk),
        channel="web",
    )


@pytest.mark.django_db(transaction=True)
def test_it_numbers_receipts_issued_at_once_one_after_the_other(
    shop, sam, paris, pierre, olga, window
):
    _issue(received_pickup(shop, sam, paris, pierre, window).pk, pierre.pk)()
    pickups = [received_pickup(shop, sam, paris, pierre, window) for _ in range(4)]

    # The year's counter exists already, so only its row lock keeps the four apart.
    outcomes = run_at_once(
        [_issue(p.pk, user.pk) for p, user in zip(pickups, [pierre, olga] * 2, strict=True)]
    )

    assert all(isinstance(o, Receipt) for o in outcomes), outcomes
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.django_db(transaction=True)
def test_it_gives_one_gift_one_receipt_when_issued_twice_at_once(
    shop, sam, paris, pierre, olga, window
):
    _issue(received_pickup(shop, sam, paris, pierre, window).pk, pierre.pk)()
    pickup = received_pickup(shop, sam, paris, pierre, window)

    outcomes = run_at_once([_issue(pickup.pk, pierre.pk), _issue(pickup.pk, olga.pk)])

    assert sum(isinstance(o, Receipt) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 1
    # The loser's number was rolled back with it: no gap after number 2.
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [1, 2]
    assert paris.receipt_issuer.sequences.get().last_number == 2


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["issue", "cancel", "fail"]), st.integers(0, 2), st.integers(0, 4)),
    max_size=12,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_it_numbers_each_issuers_year_one_to_n_whatever_happens(pierre, operations):
    issuers = []
    for _ in range(3):
        organisation = OrganisationFactory.create(kind="association", country="FR")
        MembershipFactory(
            organisation=organisation, user=pierre, role=Membership.Role.ADMINISTRATOR
        )
        issuers.append(
            issuer_for(organisation, pierre, country="FR", regime=Regime.FR_GENERAL_INTEREST)
        )
    for action, which, gift in operations:
        issuer = issuers[which]
        source = f"{issuer.pk}-{gift}"
        if action == "cancel":
            live = Receipt.objects.filter(issuer=issuer, cancelled_at__isnull=True).first()
            if live is not None:
                services.receipt_cancel(receipt=live, reason="Typo", actor=pierre, channel="web")
            continue
        value = 10**12 if action == "fail" else 500
        try:
            services.receipt_issue(
                issuer=issuer,
                donor=services.Donor(kind="person", name="Jean"),
                nature="in_kind",
                gift_date=timezone.localdate(),
                lines=[services.Line(description="Riz", value_cents=value)],
                source_kind="test",
                source_id=source,
                actor=pierre,
                channel="web",
            )
        except ValidationError:
            assert action == "fail"  # a failed issue takes no number
        except ConflictError:
            pass  # this gift already has a live receipt
    for issuer in issuers:
        numbers = sorted(Receipt.objects.filter(issuer=issuer).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        sequence = issuer.sequences.first()
        assert (sequence.last_number if sequence else 0) == len(numbers)

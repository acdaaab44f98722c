"""Missions selectors: figures an association sees about itself."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from entraide.missions import selectors
from entraide.missions.models import Application
from entraide.missions.tests.factories import ApplicationFactory, MissionSlotFactory


def test_response_rate_is_none_without_applications(restos):
    assert selectors.response_rate(restos, within_days=3) is None


def test_response_rate_counts_answers_within_the_delay_and_leaves_withdrawals_out(
    restos, slot, alice, bob, charlie, dave, django_assert_num_queries
):
    now = timezone.now()
    on_time = ApplicationFactory.create(slot=slot, volunteer=alice, status="accepted")
    late = ApplicationFactory.create(slot=slot, volunteer=bob, status="declined")
    ApplicationFactory.create(slot=slot, volunteer=charlie)  # not answered yet
    ApplicationFactory.create(slot=slot, volunteer=dave, status="withdrawn")
    Application.objects.filter(pk=on_time.pk).update(
        created_at=now - timedelta(days=5), decided_at=now - timedelta(days=4)
    )
    Application.objects.filter(pk=late.pk).update(
        created_at=now - timedelta(days=10), decided_at=now - timedelta(days=2)
    )
    # Someone else's applications do not count.
    ApplicationFactory.create(slot=MissionSlotFactory.create(), decided_at=now)
    with django_assert_num_queries(1):
        rate = selectors.response_rate(restos, within_days=3)
    assert rate == Decimal("0.33")

"""The yearly work-time allowance holds when several requests are approved at the same moment."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from entraide.accounts.models import User
from entraide.companies import selectors, services
from entraide.companies.models import WorkTimeRequest
from entraide.missions.models import Application
from entraide.missions.tests.factories import ApplicationFactory, MissionSlotFactory
from entraide.testing.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_approves_only_what_the_allowance_holds_when_approvals_race(judy, ivy, slot):
    requests = []
    for _ in range(3):
        other_slot = MissionSlotFactory.create(mission=slot.mission, starts_at=slot.starts_at)
        application = ApplicationFactory.create(
            slot=other_slot, volunteer=judy.user, status=Application.Status.ACCEPTED
        )
        requests.append(
            services.work_time_request(employee=judy, application=application, hours="8")
        )

    def approve(request_pk: int) -> Callable[[], object]:
        return lambda: services.work_time_decide(
            request=WorkTimeRequest.objects.get(pk=request_pk),
            actor=User.objects.get(pk=ivy.user_id),
            approve=True,
        )

    outcomes = run_at_once([approve(r.pk) for r in requests])

    assert sum(isinstance(o, WorkTimeRequest) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 2
    year = selectors.local_year(slot.starts_at)
    assert selectors.allowance_balance(judy, year) == Decimal("6.00")

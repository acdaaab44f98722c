"""Hours per participation: one volunteer's hours never change another's, bounded by the slot."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.errors import PermissionDeniedError
from entraide.missions import services
from entraide.missions.models import Application, MissionEvent, Participation
from entraide.missions.tests.factories import ApplicationFactory, MissionSlotFactory
from entraide.testing.concurrency import run_at_once
from entraide.testing.factories import UserFactory


@pytest.fixture
def past_slot(mission):
    """Return a three-hour slot of the mission that started four hours ago."""
    starts_at = timezone.now() - timedelta(hours=4)
    return MissionSlotFactory.create(
        mission=mission, capacity=3, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3)
    )


@pytest.fixture
def two_accepted(past_slot, alice, bob):
    """Return alice's and bob's accepted applications to the past slot."""
    return (
        ApplicationFactory.create(slot=past_slot, volunteer=alice, status="accepted"),
        ApplicationFactory.create(slot=past_slot, volunteer=bob, status="accepted"),
    )


def test_it_keeps_another_volunteers_hours_when_one_is_confirmed(frank, two_accepted):
    first, second = two_accepted
    services.participation_confirm(application=second, hours="2.5", actor=frank)
    services.participation_confirm(application=first, hours="3", actor=frank)
    assert Participation.objects.get(application=second).hours == Decimal("2.50")
    assert Participation.objects.get(application=first).hours == Decimal("3.00")


def test_it_confirms_each_volunteers_own_hours_on_a_slot(frank, past_slot, two_accepted):
    first, second = two_accepted
    services.participation_confirm(application=second, hours="2.5", actor=frank)
    services.participations_confirm(
        slot=past_slot, hours_by_application={first.pk: "3", second.pk: ""}, actor=frank
    )
    assert Participation.objects.get(application=first).hours == Decimal("3.00")
    assert Participation.objects.get(application=second).hours == Decimal("2.50")


@pytest.mark.parametrize("hours", ["3.25", "24", "-1", "0"])
def test_it_refuses_hours_beyond_the_slot_or_below_zero(frank, two_accepted, hours):
    with pytest.raises(ValidationError) as error:
        services.participation_confirm(application=two_accepted[0], hours=hours, actor=frank)
    assert "hours" in error.value.message_dict
    assert not Participation.objects.exists()
    assert not MissionEvent.objects.filter(kind="hours_confirmed").exists()


def test_it_names_the_slots_length_in_the_refusal(frank, two_accepted):
    with pytest.raises(ValidationError) as error:
        services.participation_confirm(application=two_accepted[0], hours="24", actor=frank)
    assert error.value.message_dict["hours"] == ["At most 3 h: the slot lasts 3 hours."]


def test_it_saves_nothing_when_one_volunteers_hours_are_wrong(frank, past_slot, two_accepted):
    first, second = two_accepted
    with pytest.raises(ValidationError) as error:
        services.participations_confirm(
            slot=past_slot, hours_by_application={first.pk: "2", second.pk: "9"}, actor=frank
        )
    assert list(error.value.message_dict) == [f"hours_{second.pk}"]
    assert not Participation.objects.exists()


def test_it_records_each_confirmation_and_change_as_an_event(frank, two_accepted):
    first, _second = two_accepted
    services.participation_confirm(application=first, hours="2", actor=frank)
    services.participation_confirm(application=first, hours="2,75", actor=frank)
    services.participation_confirm(application=first, hours="2.75", actor=frank)
    events = MissionEvent.objects.filter(kind="hours_confirmed").order_by("pk")
    assert [(e.data["previous_hours"], e.data["hours"]) for e in events] == [
        (None, "2.00"),
        ("2.00", "2.75"),
    ]
    assert {e.actor_id for e in events} == {frank.pk}
    assert events[0].data["volunteer"] == first.volunteer_id


def test_it_refuses_hours_from_someone_who_does_not_manage_the_mission(two_accepted):
    with pytest.raises(PermissionDeniedError):
        services.participation_confirm(
            application=two_accepted[0], hours="2", actor=UserFactory.create()
        )
    assert not Participation.objects.exists()


def test_it_shows_one_number_input_per_volunteer_on_the_manage_page(
    client, frank, past_slot, two_accepted
):
    first, second = two_accepted
    services.participation_confirm(application=second, hours="2.5", actor=frank)
    client.force_login(frank)
    url = reverse("missions:manage", args=[past_slot.mission.public_id])
    page = client.get(url).content.decode()
    assert f'name="hours_{first.pk}"' in page
    assert f'type="number" name="hours_{second.pk}" value="2.50"' in page
    assert 'step="0.25"' in page and 'max="3.00"' in page
    refused = client.post(url, {"action": "hours", "slot": past_slot.pk, f"hours_{first.pk}": "24"})
    assert refused.status_code == 200
    assert "At most 3 h: the slot lasts 3 hours." in refused.content.decode()
    assert refused.context["error_summary"][0]["anchor"] == f"id_hours_{first.pk}"
    client.post(url, {"action": "hours", "slot": past_slot.pk, f"hours_{first.pk}": "3,5"})
    assert not Participation.objects.filter(application=first).exists()
    client.post(url, {"action": "hours", "slot": past_slot.pk, f"hours_{first.pk}": "1,5"})
    assert Participation.objects.get(application=first).hours == Decimal("1.50")
    assert Participation.objects.get(application=second).hours == Decimal("2.50")


@pytest.mark.django_db(transaction=True)
def test_it_records_one_event_per_change_when_two_managers_confirm_at_once(frank, two_accepted):
    first, _second = two_accepted

    def confirm(hours: str) -> Callable[[], object]:
        return lambda: services.participation_confirm(
            application=Application.objects.get(pk=first.pk),
            hours=hours,
            actor=User.objects.get(pk=frank.pk),
        )

    outcomes = run_at_once([confirm("2"), confirm("2")])

    assert all(isinstance(o, Participation) for o in outcomes)
    assert Participation.objects.filter(application=first).count() == 1
    assert MissionEvent.objects.filter(kind="hours_confirmed").count() == 1

"""The write path of missions: validation, permissions, places, waiting list and hours."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from entraide.core.errors import ConflictError, DomainError
from entraide.matching.geo import cell_of
from entraide.missions import services
from entraide.missions.models import Application, Mission, MissionEvent, Participation
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.organisations.models import Organisation
from entraide.testing.factories import UserFactory

FIELDS = {"title": "Sort food parcels", "description": "At the warehouse.", "theme": "food"}


def test_it_creates_an_on_site_mission_with_its_position(frank, restos):
    mission = services.mission_create(organisation=restos, actor=frank, town="Liège", **FIELDS)
    assert mission.status == Mission.Status.DRAFT
    assert mission.lat == pytest.approx(50.63, abs=0.05)
    assert mission.lat is not None and mission.lon is not None
    assert mission.cell == cell_of(mission.lat, mission.lon)
    assert mission.events.get().kind == "created"


def test_it_refuses_an_on_site_mission_without_a_town(frank, restos):
    with pytest.raises(ValidationError) as error:
        services.mission_create(organisation=restos, actor=frank, **FIELDS)
    assert "town" in error.value.message_dict
    assert not Mission.objects.exists()


def test_it_refuses_an_unknown_town(frank, restos):
    with pytest.raises(ValidationError) as error:
        services.mission_create(organisation=restos, actor=frank, town="Zzyzxqville", **FIELDS)
    assert "town" in error.value.message_dict


def test_it_creates_a_remote_mission_without_position(frank, restos):
    mission = services.mission_create(
        organisation=restos, actor=frank, is_remote=True, skills="phone, Excel ,phone", **FIELDS
    )
    assert mission.lat is None and mission.cell is None
    assert mission.skills == ["phone", "Excel"]


def test_it_refuses_people_who_do_not_manage_the_organisation(alice, restos):
    with pytest.raises(DomainError):
        services.mission_create(organisation=restos, actor=alice, is_remote=True, **FIELDS)


def test_it_updates_and_geocodes_a_new_town(frank, mission):
    services.mission_update(mission=mission, actor=frank, town="Namur")
    mission.refresh_from_db()
    assert mission.lat == pytest.approx(50.46, abs=0.05)
    assert mission.events.get(kind="updated").data == {"fields": ["town"]}


def test_it_publishes_at_once_for_a_verified_organisation(frank, restos):
    mission = MissionFactory.create(organisation=restos, status=Mission.Status.DRAFT)
    MissionSlotFactory.create(mission=mission)
    services.mission_submit(mission=mission, actor=frank)
    assert mission.status == Mission.Status.PUBLISHED
    assert mission.published_at is not None


def test_it_sends_a_pending_organisations_mission_to_moderation(frank, restos, grace):
    Organisation.objects.filter(pk=restos.pk).update(status=Organisation.Status.PENDING)
    restos.refresh_from_db()
    mission = MissionFactory.create(organisation=restos, status=Mission.Status.DRAFT)
    MissionSlotFactory.create(mission=mission)
    services.mission_submit(mission=mission, actor=frank)
    assert mission.status == Mission.Status.SUBMITTED
    with pytest.raises(DomainError):
        services.mission_publish(mission=mission, actor=frank)
    services.mission_publish(mission=mission, actor=grace)
    assert mission.status == Mission.Status.PUBLISHED


def test_it_refuses_to_submit_a_mission_without_slots(frank, restos):
    mission = MissionFactory.create(organisation=restos, status=Mission.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.mission_submit(mission=mission, actor=frank)
    mission.refresh_from_db()
    assert mission.status == Mission.Status.DRAFT


def test_it_refuses_a_slot_in_the_past_or_ending_before_it_starts(frank, mission):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.slot_add(
            mission=mission, actor=frank, starts_at=now - timedelta(hours=1), ends_at=now
        )
    assert "starts_at" in error.value.message_dict
    later = now + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.slot_add(mission=mission, actor=frank, starts_at=later, ends_at=later)
    assert "ends_at" in error.value.message_dict
    assert not mission.slots.exists()


@time_machine.travel("2026-03-02 08:00 +01:00", tick=False)
def test_it_adds_weekly_slots_in_local_time(frank, mission):
    slots = services.slots_add_weekly(
        mission=mission,
        actor=frank,
        first_day=date(2026, 3, 2),
        last_day=date(2026, 4, 5),
        weekdays=[0, 2],
        start_time=time(18, 0),
        end_time=time(20, 0),
        capacity=3,
    )
    assert len(slots) == 10
    # 30 March is after the switch to summer time: still 18:00 on the wall clock.
    last_monday = mission.slots.get(starts_at__date=date(2026, 3, 30))
    assert timezone.localtime(last_monday.starts_at).hour == 18
    assert last_monday.starts_at.utcoffset() is not None


def test_it_refuses_weekly_slots_without_weekdays(frank, mission):
    with pytest.raises(ValidationError) as error:
        services.slots_add_weekly(
            mission=mission,
            actor=frank,
            first_day=date(2030, 1, 7),
            last_day=date(2030, 1, 1),
            weekdays=[],
            start_time=time(18),
            end_time=time(17),
        )
    assert set(error.value.message_dict) == {"last_day", "weekdays", "end_time"}


def test_it_duplicates_a_mission_as_a_draft_with_shifted_or_no_slots(frank, mission, slot):
    shifted = services.mission_duplicate(mission=mission, actor=frank, shift_days=7)
    assert shifted.status == Mission.Status.DRAFT
    assert shifted.title == mission.title and shifted.cell == mission.cell
    assert shifted.slots.get().starts_at == slot.starts_at + timedelta(days=7)
    bare = services.mission_duplicate(mission=mission, actor=frank)
    assert not bare.slots.exists()


def test_it_takes_one_application_per_slot(alice, slot):
    services.application_submit(slot=slot, volunteer=alice, message="Hi")
    with pytest.raises(ValidationError):
        services.application_submit(slot=slot, volunteer=alice)
    assert Application.objects.count() == 1


def test_it_tells_the_managers_about_a_new_application(
    frank, alice, slot, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(slot=slot, volunteer=alice)
    assert [m.to for m in mailoutbox] == [["frank@example.org"]]
    assert "Meals on wheels" in mailoutbox[0].subject


def test_it_waitlists_applications_to_a_full_slot(frank, alice, bob, mission):
    slot = MissionSlotFactory.create(mission=mission, capacity=1, accepted_count=1)
    application = services.application_submit(slot=slot, volunteer=alice)
    assert application.status == Application.Status.WAITLISTED


def test_it_hides_internal_missions_from_outsiders(alice, restos):
    slot = MissionSlotFactory.create(
        mission=MissionFactory.create(organisation=restos, is_internal=True)
    )
    with pytest.raises(DomainError):
        services.application_submit(slot=slot, volunteer=alice)


def test_it_gives_the_last_place_to_exactly_one_of_two_accepts(frank, alice, bob, mission):
    slot = MissionSlotFactory.create(mission=mission, capacity=1)
    first = ApplicationFactory.create(slot=slot, volunteer=alice)
    second = ApplicationFactory.create(slot=slot, volunteer=bob)
    # Both organisers loaded the page before either clicked.
    services.application_accept(application=first, actor=frank)
    with pytest.raises(ConflictError):
        services.application_accept(application=second, actor=frank)
    slot.refresh_from_db()
    second.refresh_from_db()
    assert slot.accepted_count == 1
    assert second.status == Application.Status.PENDING
    assert Application.objects.filter(status="accepted").count() == 1


def test_it_marks_the_mission_full_when_every_slot_is_full(
    frank, alice, mission, mailoutbox, django_capture_on_commit_callbacks
):
    slot = MissionSlotFactory.create(mission=mission, capacity=1)
    application = ApplicationFactory.create(slot=slot, volunteer=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(application=application, actor=frank)
    mission.refresh_from_db()
    assert mission.status == Mission.Status.FULL
    assert MissionEvent.objects.filter(mission=mission, kind="full").count() == 1
    assert mailoutbox[-1].to == ["alice@example.org"]


def test_it_refuses_accepts_from_non_managers(alice, bob, slot):
    application = ApplicationFactory.create(slot=slot, volunteer=alice)
    with pytest.raises(DomainError):
        services.application_accept(application=application, actor=bob)
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING


def test_it_needs_a_reason_to_decline(
    frank, alice, slot, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory.create(slot=slot, volunteer=alice)
    with pytest.raises(ValidationError):
        services.application_decline(application=application, actor=frank, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(application=application, actor=frank, reason="Too far away")
    assert application.status == Application.Status.DECLINED
    assert "Too far away" in mailoutbox[-1].body


def test_it_moves_the_first_waitlisted_up_when_a_place_frees(
    frank, alice, bob, mission, django_capture_on_commit_callbacks
):
    slot = MissionSlotFactory.create(mission=mission, capacity=1)
    accepted = ApplicationFactory.create(slot=slot, volunteer=alice)
    services.application_accept(application=accepted, actor=frank)
    carol = UserFactory.create(email="carol@example.org")
    waiting_bob = services.application_submit(slot=slot, volunteer=bob)
    waiting_carol = services.application_submit(slot=slot, volunteer=carol)
    assert waiting_bob.status == waiting_carol.status == Application.Status.WAITLISTED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=accepted, volunteer=alice)
    waiting_bob.refresh_from_db()
    waiting_carol.refresh_from_db()
    slot.refresh_from_db()
    mission.refresh_from_db()
    assert waiting_bob.status == Application.Status.PENDING
    assert waiting_carol.status == Application.Status.WAITLISTED
    assert slot.accepted_count == 0
    assert mission.status == Mission.Status.PUBLISHED
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_it_refuses_to_withdraw_someone_elses_application(alice, bob, slot):
    application = ApplicationFactory.create(slot=slot, volunteer=alice)
    with pytest.raises(DomainError):
        services.application_withdraw(application=application, volunteer=bob)


def test_it_tells_waiting_applicants_when_a_mission_closes(
    frank, alice, bob, slot, mailoutbox, django_capture_on_commit_callbacks
):
    accepted = ApplicationFactory.create(slot=slot, volunteer=alice)
    services.application_accept(application=accepted, actor=frank)
    waiting = ApplicationFactory.create(slot=slot, volunteer=bob)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_close(mission=slot.mission, actor=frank, reason="Enough people")
    waiting.refresh_from_db()
    accepted.refresh_from_db()
    assert waiting.status == Application.Status.DECLINED
    assert accepted.status == Application.Status.ACCEPTED
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]


def test_it_tells_everyone_when_a_mission_is_cancelled(
    frank, alice, bob, slot, mailoutbox, django_capture_on_commit_callbacks
):
    accepted = ApplicationFactory.create(slot=slot, volunteer=alice)
    services.application_accept(application=accepted, actor=frank)
    ApplicationFactory.create(slot=slot, volunteer=bob)
    mailoutbox.clear()
    with pytest.raises(ValidationError):
        services.mission_cancel(mission=slot.mission, actor=frank, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_cancel(mission=slot.mission, actor=frank, reason="Storm warning")
    slot.refresh_from_db()
    assert slot.accepted_count == 0
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "bob@example.org"]
    assert slot.mission.status == Mission.Status.CANCELLED


@pytest.mark.parametrize("hours", [0, "-1", "24.5", 2.5, "two", "NaN"])
def test_it_refuses_bad_hours(frank, alice, mission, hours):
    slot = MissionSlotFactory.create(mission=mission, starts_at=timezone.now() - timedelta(hours=4))
    application = ApplicationFactory.create(slot=slot, volunteer=alice, status="accepted")
    with pytest.raises(ValidationError) as error:
        services.participation_confirm(application=application, hours=hours, actor=frank)
    assert "hours" in error.value.message_dict
    assert not Participation.objects.exists()


def test_it_refuses_hours_before_the_slot_starts(frank, alice, slot):
    application = ApplicationFactory.create(slot=slot, volunteer=alice, status="accepted")
    with pytest.raises(DomainError):
        services.participation_confirm(application=application, hours="2", actor=frank)


def test_it_refuses_the_suspended_organisations_managers(alice, frank, restos):
    Organisation.objects.filter(pk=restos.pk).update(status=Organisation.Status.SUSPENDED)
    other = OrganisationFactory.create()
    with pytest.raises(DomainError):
        services.mission_create(
            organisation=Organisation.objects.get(pk=restos.pk),
            actor=frank,
            is_remote=True,
            **FIELDS,
        )
    with pytest.raises(DomainError):
        services.mission_create(organisation=other, actor=frank, is_remote=True, **FIELDS)

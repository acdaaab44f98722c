"""Reminders (the volunteer the day before, the organisation slow to answer), digests' isolation."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from entraide.missions import jobs
from entraide.missions.jobs import send_saved_search_digests
from entraide.missions.models import Application
from entraide.missions.services import saved_search_create
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.notifications.models import Notification
from entraide.testing.faults import refused_writes

BRUSSELS = ZoneInfo("Europe/Brussels")


@time_machine.travel(datetime(2030, 5, 6, 9, 0, tzinfo=BRUSSELS), tick=False)
def test_it_reminds_accepted_volunteers_once_the_day_before(
    alice, bob, mission, django_capture_on_commit_callbacks, mailoutbox
):
    tomorrow = MissionSlotFactory.create(
        mission=mission, starts_at=datetime(2030, 5, 7, 14, 0, tzinfo=BRUSSELS)
    )
    later = MissionSlotFactory.create(
        mission=mission, starts_at=datetime(2030, 5, 9, 14, 0, tzinfo=BRUSSELS)
    )
    ApplicationFactory.create(slot=tomorrow, volunteer=alice, status=Application.Status.ACCEPTED)
    ApplicationFactory.create(slot=tomorrow, volunteer=bob, status=Application.Status.PENDING)
    ApplicationFactory.create(slot=later, volunteer=bob, status=Application.Status.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.remind_tomorrows_slots() == 1
    assert jobs.remind_tomorrows_slots() == 0
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert "2030-05-07 14:00" in mailoutbox[0].body


def test_it_reminds_the_organisation_of_old_pending_applications_once_a_day(
    frank, alice, bob, slot, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.MISSIONS_UNANSWERED_DAYS = 3
    old = ApplicationFactory.create(slot=slot, volunteer=alice)
    ApplicationFactory.create(slot=slot, volunteer=bob)
    Application.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.remind_unanswered_applications() == 1
    assert jobs.remind_unanswered_applications() == 0
    assert [m.to for m in mailoutbox] == [["frank@example.org"]]
    assert "/missions/organisation/restos/" in mailoutbox[0].body
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert jobs.remind_unanswered_applications() == 1


def test_it_leaves_organisations_that_answer_in_time_alone(frank, alice, slot):
    ApplicationFactory.create(slot=slot, volunteer=alice)
    assert jobs.remind_unanswered_applications() == 0


def _old_pending_applications_in_organisations(count: int) -> None:
    """Create `count` organisations, each with a manager and one application pending for days."""
    for _ in range(count):
        organisation = OrganisationFactory.create()
        MembershipFactory.create(organisation=organisation)
        application = ApplicationFactory.create(
            slot=MissionSlotFactory.create(mission=MissionFactory.create(organisation=organisation))
        )
        Application.objects.filter(pk=application.pk).update(
            created_at=timezone.now() - timedelta(days=10)
        )


def _organisation_reads(queries: CaptureQueriesContext) -> int:
    """Count the reads of organisations and memberships (notify's own work is left out)."""
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and (
            'FROM "organisations_organisation"' in query["sql"]
            or 'FROM "organisations_membership"' in query["sql"]
        )
    )


def test_it_reads_organisations_and_managers_once_whatever_their_number(db, settings):
    settings.MISSIONS_UNANSWERED_DAYS = 3
    _old_pending_applications_in_organisations(2)
    with CaptureQueriesContext(connection) as few:
        assert jobs.remind_unanswered_applications() == 2
    _old_pending_applications_in_organisations(4)
    with (
        time_machine.travel(timezone.now() + timedelta(days=1)),
        CaptureQueriesContext(connection) as many,
    ):
        assert jobs.remind_unanswered_applications() == 6
    assert _organisation_reads(many) == _organisation_reads(few) == 2


def _refused_emails_to(user):
    """Make the outbox refuse (a database error) every email to this user."""
    return refused_writes("notifications_notification", where=f"NEW.recipient_id = {user.pk}")


@time_machine.travel(datetime(2030, 5, 6, 9, 0, tzinfo=BRUSSELS), tick=False)
def test_it_reminds_the_other_volunteers_when_one_reminder_fails(alice, bob, mission):
    tomorrow = MissionSlotFactory.create(
        mission=mission, starts_at=datetime(2030, 5, 7, 14, 0, tzinfo=BRUSSELS)
    )
    for volunteer in (alice, bob):
        ApplicationFactory.create(
            slot=tomorrow, volunteer=volunteer, status=Application.Status.ACCEPTED
        )
    with _refused_emails_to(alice):
        assert jobs.remind_tomorrows_slots() == 1
    assert [n.recipient for n in Notification.objects.all()] == [bob]
    assert jobs.remind_tomorrows_slots() == 1  # Alice's, at the next run; Bob's only once


def test_it_reminds_the_other_managers_when_one_reminder_fails(frank, alice, bob, slot, settings):
    settings.MISSIONS_UNANSWERED_DAYS = 3
    other = OrganisationFactory.create()
    grace = MembershipFactory.create(organisation=other).user
    other_slot = MissionSlotFactory.create(mission=MissionFactory.create(organisation=other))
    for application in (
        ApplicationFactory.create(slot=slot, volunteer=alice),
        ApplicationFactory.create(slot=other_slot, volunteer=bob),
    ):
        Application.objects.filter(pk=application.pk).update(
            created_at=timezone.now() - timedelta(days=4)
        )
    first = min((frank, grace), key=lambda user: user.pk)
    with _refused_emails_to(first):
        assert jobs.remind_unanswered_applications() == 1
    assert jobs.remind_unanswered_applications() == 1
    assert {n.recipient for n in Notification.objects.all()} == {frank, grace}


def test_it_sends_the_other_saved_search_digests_when_one_fails(restos, alice, bob):
    evening = datetime(2030, 3, 4, 18, 0, tzinfo=BRUSSELS)
    with time_machine.travel(evening - timedelta(days=1), tick=False):
        searches = [
            saved_search_create(user=user, name="Food", params={"theme": "food"})
            for user in (alice, bob)
        ]
    mission = MissionFactory.create(
        organisation=restos, title="New pantry", theme="food", published_at=evening
    )
    MissionSlotFactory.create(mission=mission, starts_at=evening + timedelta(days=10))

    with time_machine.travel(evening + timedelta(minutes=5), tick=False):
        with _refused_emails_to(alice):
            assert send_saved_search_digests() == 1
        for search in searches:
            search.refresh_from_db()
        # Alice's search keeps its date, so her digest goes at the next run.
        assert (searches[0].last_digest_at, searches[1].last_digest_at is not None) == (None, True)
        assert send_saved_search_digests() == 1
    assert {n.recipient for n in Notification.objects.all()} == {alice, bob}

"""Periodic jobs: due waves, expiry, purge of personal data."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from entraide.help_requests.jobs import (
    advance_due_waves,
    expire_overdue_requests,
    purge_personal_data,
)
from entraide.help_requests.models import HelpRequest, HelpRequestEvent, Offer, Status
from entraide.help_requests.tests.helpers import volunteer_at
from entraide.notifications.models import Notification
from entraide.testing.factories import HelpRequestFactory
from entraide.testing.faults import refused_writes

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_it_sends_the_waves_that_are_due():
    with time_machine.travel(START, tick=False):
        volunteer = volunteer_at(5.0)
        due = HelpRequestFactory.create(status=Status.OFFERED, wave=1, next_wave_at=START)
        later = HelpRequestFactory.create(
            status=Status.OFFERED, wave=1, next_wave_at=START + timedelta(minutes=1)
        )

        assert advance_due_waves() == 1

    assert Offer.objects.get().help_request == due
    assert Offer.objects.get().volunteer == volunteer
    assert not Offer.objects.filter(help_request=later).exists()


def test_it_leaves_escalated_requests_to_the_operators():
    with time_machine.travel(START, tick=False):
        HelpRequestFactory.create(
            status=Status.OFFERED, wave=3, next_wave_at=None, escalated_at=START
        )

        assert advance_due_waves() == 0


def test_it_picks_up_a_new_request_whose_dispatch_was_lost():
    with time_machine.travel(START, tick=False):
        volunteer_at(1.0)
        stuck = HelpRequestFactory.create()
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        assert advance_due_waves() == 0
    with time_machine.travel(START + timedelta(minutes=3), tick=False):
        assert advance_due_waves() == 1

    stuck.refresh_from_db()
    assert stuck.status == Status.OFFERED


def test_it_expires_requests_past_their_date():
    with time_machine.travel(START, tick=False):
        overdue = HelpRequestFactory.create(expires_at=START - timedelta(minutes=1))
        current = HelpRequestFactory.create(expires_at=START + timedelta(days=1))
        closed = HelpRequestFactory.create(
            status=Status.CANCELLED, closed_at=START, expires_at=START - timedelta(days=1)
        )

        assert expire_overdue_requests() == 1

    overdue.refresh_from_db()
    current.refresh_from_db()
    closed.refresh_from_db()
    assert overdue.status == Status.EXPIRED
    assert overdue.events.filter(kind=HelpRequestEvent.Kind.EXPIRED).exists()
    assert current.status == Status.NEW
    assert closed.status == Status.CANCELLED


def test_it_purges_personal_data_after_the_retention_period(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    with time_machine.travel(START, tick=False):
        old = HelpRequestFactory.create(
            status=Status.DONE,
            closed_at=START - timedelta(days=31),
            address="Rue Haute 12",
            postcode="1000",
            when_note="After 3 pm",
            lat=50.84671,
            lon=4.35251,
        )
        Notification.objects.create(
            to_email=old.requester_email,
            language="fr",
            template="help_request_received",
            dedupe_key="x",
            about=old,
        )
        recent = HelpRequestFactory.create(status=Status.DONE, closed_at=START - timedelta(days=29))
        open_request = HelpRequestFactory.create(created_at=START - timedelta(days=60))

        assert purge_personal_data() == 1
        assert purge_personal_data() == 0

    old.refresh_from_db()
    assert old.requester_name == old.requester_phone == old.requester_email == ""
    assert old.address == old.details == old.when_note == ""
    assert (old.town, old.postcode, old.kind) == ("Bruxelles", "1000", "groceries")
    assert (old.lat, old.lon) != (50.84671, 4.35251)
    assert abs(old.lat - 50.84671) < 0.01
    assert old.personal_data_purged_at == START
    assert old.events.filter(kind=HelpRequestEvent.Kind.PURGED).count() == 1
    assert not Notification.objects.about(old).exists()
    assert HelpRequest.objects.get(pk=recent.pk).requester_name != ""
    assert HelpRequest.objects.get(pk=open_request.pk).requester_name != ""


def _refused_updates_of(help_request):
    """Make the database refuse every change to this request (an unforeseen error)."""
    return refused_writes(
        HelpRequest._meta.db_table, on="UPDATE", where=f"NEW.id = {help_request.pk}"
    )


def test_it_expires_the_other_requests_when_one_fails():
    with time_machine.travel(START, tick=False):
        stuck, overdue = (
            HelpRequestFactory.create(expires_at=START - timedelta(minutes=minutes))
            for minutes in (2, 1)
        )
        with _refused_updates_of(stuck):
            assert expire_overdue_requests() == 1
        assert HelpRequest.objects.get(pk=stuck.pk).status == Status.NEW
        assert not stuck.events.filter(kind=HelpRequestEvent.Kind.EXPIRED).exists()
        assert HelpRequest.objects.get(pk=overdue.pk).status == Status.EXPIRED
        assert expire_overdue_requests() == 1  # the stuck one, at the next run


def test_it_purges_the_other_requests_when_one_fails(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    with time_machine.travel(START, tick=False):
        stuck, old = (
            HelpRequestFactory.create(status=Status.DONE, closed_at=START - timedelta(days=days))
            for days in (32, 31)
        )
        with _refused_updates_of(stuck):
            assert purge_personal_data() == 1
        assert HelpRequest.objects.get(pk=stuck.pk).personal_data_purged_at is None
        assert HelpRequest.objects.get(pk=old.pk).personal_data_purged_at == START
        assert purge_personal_data() == 1

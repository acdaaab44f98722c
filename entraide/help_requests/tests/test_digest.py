"""The daily digest of offers: one email a day with the requests that are still open."""

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from entraide.notifications.jobs import send_daily_digests
from entraide.notifications.models import Notification
from entraide.notifications.services import notify
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status


@pytest.fixture
def digest_alice(alice, settings):
    """Alice chose one email a day, sent after 17:00 local time."""
    settings.NOTIFICATION_DIGEST_HOUR = 17
    settings.TIME_ZONE = "Europe/Brussels"
    alice.volunteer_profile.notification_mode = "digest"
    alice.volunteer_profile.save()
    return alice


def _offer(help_request, volunteer, distance_km=1.2):
    return notify(
        template="help_request_offer",
        context={"help_request_id": help_request.pk, "distance_km": distance_km},
        dedupe_key=f"offer:{help_request.pk}:{volunteer.pk}",
        recipient=volunteer,
        about=help_request,
    )


def test_it_holds_offers_for_the_digest(digest_alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(HelpRequestFactory.create(), digest_alice)
    assert offer.status == Status.DIGEST
    assert mail.outbox == []


def test_it_sends_one_digest_a_day_with_the_open_offers(
    digest_alice, django_capture_on_commit_callbacks
):
    open_request = HelpRequestFactory.create(town="Ixelles", status="offered")
    taken_request = HelpRequestFactory.create(town="Uccle", status="offered")
    with (
        time_machine.travel("2026-11-23 09:00:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        open_offer = _offer(open_request, digest_alice, distance_km=3.4)
        taken_offer = _offer(taken_request, digest_alice)
        assert send_daily_digests() == 0  # too early in the day
    taken_request.status = "taken"
    taken_request.taken_by = digest_alice
    taken_request.save()
    with (
        time_machine.travel("2026-11-23 17:05:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_daily_digests() == 1
        assert send_daily_digests() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "lundi 23 novembre" in message.subject
    assert "Ixelles" in message.body
    assert "(moins de 1 km)" in message.body  # Alice lives where the request is
    assert f"/fr/volunteer/requests/{open_request.public_id}/" in message.body
    assert "Uccle" not in message.body
    assert "List-Unsubscribe" in message.extra_headers
    open_offer.refresh_from_db()
    taken_offer.refresh_from_db()
    assert open_offer.status == Status.DIGESTED
    assert taken_offer.status == Status.SKIPPED


def test_it_keeps_late_offers_for_the_next_days_digest(
    digest_alice, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel("2026-11-23 17:05:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _offer(HelpRequestFactory.create(), digest_alice)
        assert send_daily_digests() == 1
    with (
        time_machine.travel("2026-11-23 19:00:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        late = _offer(HelpRequestFactory.create(town="Etterbeek"), digest_alice)
        assert send_daily_digests() == 0
    late.refresh_from_db()
    assert late.status == Status.DIGEST
    with (
        time_machine.travel("2026-11-24 17:00:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_daily_digests() == 1
    assert len(mail.outbox) == 2
    assert "Etterbeek" in mail.outbox[1].body
    late.refresh_from_db()
    assert late.status == Status.DIGESTED


def test_it_drops_waiting_offers_when_the_volunteer_unsubscribed(
    digest_alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(HelpRequestFactory.create(), digest_alice)
    digest_alice.volunteer_profile.notification_mode = "none"
    digest_alice.volunteer_profile.save()
    with time_machine.travel("2026-11-23 18:00:00+01:00", tick=False):
        assert send_daily_digests() == 0
    offer.refresh_from_db()
    assert offer.status == Status.SKIPPED
    assert mail.outbox == []


def _digest_queries(volunteer, offers, day, capture_on_commit):
    """Return how many queries queueing and sending one digest of `offers` offers takes."""
    with capture_on_commit(execute=True):
        for help_request in HelpRequestFactory.create_batch(offers):
            _offer(help_request, volunteer)
    with (
        time_machine.travel(f"{day} 17:05:00+01:00", tick=False),
        CaptureQueriesContext(connection) as queries,
        capture_on_commit(execute=True),
    ):
        assert send_daily_digests() == 1
    return len(queries)


def test_it_sends_a_digest_in_as_many_queries_for_many_offers(
    digest_alice, django_capture_on_commit_callbacks
):
    few = _digest_queries(digest_alice, 2, "2026-11-23", django_capture_on_commit_callbacks)
    many = _digest_queries(digest_alice, 6, "2026-11-24", django_capture_on_commit_callbacks)

    assert mail.outbox[1].body.count("/volunteer/requests/") == 6
    assert many == few

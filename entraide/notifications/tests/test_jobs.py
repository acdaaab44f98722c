"""The daily digest job: one recipient or message that fails never stops the others."""

import pytest
import time_machine
from django.contrib.auth.models import Group

from entraide.notifications import registry
from entraide.notifications.jobs import send_daily_digests
from entraide.notifications.models import Notification
from entraide.notifications.registry import Digest, EmailKind
from entraide.notifications.services import notify
from entraide.testing.faults import refused_writes

Status = Notification.Status
MORNING = "2026-11-23 09:00:00+01:00"
EVENING = "2026-11-23 17:05:00+01:00"
# A digestible kind whose digest item needs a weight: a message stored without one cannot
# be told (as a message queued by an older version of an app might be).
PARCEL_WEIGHED = EmailKind(
    "parcel_weighed",
    digest=Digest(
        kind="parcel_digest",
        item=lambda row: {"parcel_id": row.about_id, "weight_kg": row.context["weight_kg"]},
        still_relevant=lambda rows: rows,
    ),
)


@pytest.fixture
def digest_readers(alice, bob, settings, parcels):
    """Alice and Bob chose one email a day, sent after 17:00 local time."""
    settings.NOTIFICATION_DIGEST_HOUR = 17
    settings.TIME_ZONE = "Europe/Brussels"
    for user in (alice, bob):
        user.volunteer_profile.notification_mode = registry.DIGEST
        user.volunteer_profile.save()
    registry.register(PARCEL_WEIGHED)
    yield alice, bob
    registry.unregister(PARCEL_WEIGHED.name)


def _waiting(recipient, parcel, template="parcel_waiting", **context):
    with time_machine.travel(MORNING, tick=False):
        row = notify(
            template=template,
            context=context,
            dedupe_key=f"{template}:{parcel.pk}:{recipient.pk}",
            recipient=recipient,
            about=parcel,
        )
    assert row is not None and row.status == Status.DIGEST
    return row


def test_it_sends_the_other_digests_when_one_cannot_be_queued(digest_readers):
    alice, bob = digest_readers
    parcel = Group.objects.create(name="Parcel 8")
    for_alice, for_bob = _waiting(alice, parcel), _waiting(bob, parcel)

    with (
        time_machine.travel(EVENING, tick=False),
        refused_writes(
            "notifications_notification",
            where=f"NEW.recipient_id = {alice.pk} AND NEW.template = 'parcel_digest'",
        ),
    ):
        assert send_daily_digests() == 1

    for_alice.refresh_from_db()
    for_bob.refresh_from_db()
    assert (for_alice.status, for_bob.status) == (Status.DIGEST, Status.DIGESTED)
    with time_machine.travel(EVENING, tick=False):
        assert send_daily_digests() == 1  # Alice's, now that it can be queued
    assert Notification.objects.filter(template="parcel_digest").count() == 2


def test_it_leaves_out_a_message_that_cannot_be_told_and_digests_the_rest(digest_readers):
    alice, _bob = digest_readers
    parcel = Group.objects.create(name="Parcel 8")
    weighed = _waiting(alice, parcel, "parcel_weighed", weight_kg=2)
    unweighed = _waiting(alice, Group.objects.create(name="P9"), "parcel_weighed")
    waiting = _waiting(alice, parcel)

    with time_machine.travel(EVENING, tick=False):
        assert send_daily_digests() == 1

    statuses = {row.pk: row.status for row in Notification.objects.all()}
    assert statuses[weighed.pk] == statuses[waiting.pk] == Status.DIGESTED
    assert statuses[unweighed.pk] == Status.FAILED
    assert "KeyError" in Notification.objects.get(pk=unweighed.pk).last_error
    digest = Notification.objects.get(template="parcel_digest")
    assert [item["parcel_id"] for item in digest.context["items"]] == [parcel.pk, parcel.pk]

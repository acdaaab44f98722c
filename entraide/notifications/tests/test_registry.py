"""The registry of email kinds: a domain the outbox has never heard of sends its own emails."""

from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from entraide.notifications import delivery, registry
from entraide.notifications.checks import check_email_kinds
from entraide.notifications.jobs import send_daily_digests
from entraide.notifications.models import Notification
from entraide.notifications.registry import Digest, EmailKind, UnknownEmailKindError
from entraide.notifications.services import notify
from entraide.notifications.tests.conftest import PARCEL_READY

pytestmark = pytest.mark.django_db
Status = Notification.Status
SUNDAY = "2026-11-22 10:00:00+01:00"


def _ready(parcel, **recipient):
    return notify(
        template="parcel_ready",
        context={"counter": "the town hall"},
        dedupe_key=f"parcel:{parcel.pk}:ready:{recipient}",
        about=parcel,
        **recipient,
    )


def test_it_renders_and_delivers_a_kind_registered_by_a_test(
    parcels, parcel, alice, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(SUNDAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = _ready(parcel, recipient=alice)
    message = mail.outbox[0]
    assert message.subject == "Parcel 7 dimanche 22 novembre"
    assert "Hello Alice, the parcel Parcel 7 waits for you at the town hall." in message.body
    assert message.extra_headers["Content-Language"] == "fr"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/fr/notifications/unsubscribe/")
    assert f"Stop: {unsubscribe.strip('<>')}" in message.body
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.about == parcel
    assert list(Notification.objects.about(parcel)) == [notification]


def test_it_gives_no_unsubscribe_link_to_someone_without_preferences(
    parcels, parcel, charlie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ready(parcel, recipient=charlie)
    message = mail.outbox[0]
    assert "List-Unsubscribe" not in message.extra_headers
    assert "Stop:" not in message.body


def test_it_refuses_to_queue_a_kind_nobody_registered(alice):
    with pytest.raises(UnknownEmailKindError, match="'parcel_lost'.*emails.py"):
        notify(template="parcel_lost", context={}, dedupe_key="lost", recipient=alice)
    assert not Notification.objects.exists()


def test_it_records_a_row_of_an_unknown_kind_as_a_failure(settings):
    settings.TASK_MAX_ATTEMPTS = 1
    row = Notification.objects.create(
        to_email="eve@example.org", language="en", template="parcel_lost", dedupe_key="lost"
    )
    assert delivery.deliver(row.pk) == Status.FAILED
    row.refresh_from_db()
    assert row.last_error.startswith("UnknownEmailKindError: No app registered the email kind")
    assert mail.outbox == []


def test_it_accepts_the_same_kind_twice_but_not_two_kinds_of_one_name(parcels):
    registry.register(PARCEL_READY)
    assert registry.kind("parcel_ready") is PARCEL_READY
    with pytest.raises(ImproperlyConfigured, match="parcel_ready"):
        registry.register(EmailKind("parcel_ready"))
    assert registry.kind("parcel_ready") is PARCEL_READY


def test_it_finds_every_registered_kinds_templates_at_start_up():
    assert check_email_kinds() == []


def test_it_reports_a_kind_without_templates_or_digest_at_start_up():
    broken = EmailKind(
        "parcel_broken",
        digest=Digest(kind="parcel_nowhere", item=lambda row: {}, still_relevant=lambda rows: rows),
    )
    registry.register(broken)
    try:
        errors = check_email_kinds()
    finally:
        registry.unregister("parcel_broken")
    assert [error.id for error in errors] == [
        "notifications.E001",
        "notifications.E001",
        "notifications.E002",
    ]
    assert "notifications/email/parcel_broken_subject.txt" in errors[0].msg


def test_it_knows_every_email_the_apps_have_templates_for():
    """Each app's notifications/email templates belong to a kind that app registered."""
    root = Path(__file__).resolve().parents[2]
    names = {
        path.name.removesuffix("_subject.txt")
        for path in root.glob("*/templates/notifications/email/*_subject.txt")
    }
    assert names  # the apps' templates were found
    assert names <= {kind.name for kind in registry.kinds()}


def test_it_finds_no_choice_for_a_user_without_preferences(alice, charlie):
    chosen = registry.preferences()
    assert chosen is not None
    assert chosen.mode_of(alice) == registry.IMMEDIATE
    assert chosen.mode_of(charlie) is None


@pytest.fixture
def digest_alice(alice, settings):
    """Alice chose one email a day, sent after 17:00 local time."""
    settings.NOTIFICATION_DIGEST_HOUR = 17
    settings.TIME_ZONE = "Europe/Brussels"
    alice.volunteer_profile.notification_mode = registry.DIGEST
    alice.volunteer_profile.save()
    return alice


def test_it_gathers_a_digestible_kind_into_its_digest(
    parcels, digest_alice, django_capture_on_commit_callbacks
):
    waiting, collected = Group.objects.create(name="Parcel 8"), Group.objects.create(name="P9")
    with (
        time_machine.travel("2026-11-23 09:00:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        rows = [
            notify(
                template="parcel_waiting",
                context={},
                dedupe_key=f"waiting:{parcel.pk}",
                recipient=digest_alice,
                about=parcel,
            )
            for parcel in (waiting, collected)
        ]
    assert all(row is not None for row in rows)
    assert [row.status for row in rows if row] == [Status.DIGEST, Status.DIGEST]
    collected.name = "collected P9"
    collected.save()
    with (
        time_machine.travel("2026-11-23 17:05:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_daily_digests() == 1
        assert send_daily_digests() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "1 parcels wait for you"
    assert "- Parcel 8" in message.body
    assert "P9" not in message.body
    assert "List-Unsubscribe" in message.extra_headers
    digest = Notification.objects.get(template="parcel_digest")
    assert digest.dedupe_key == f"parcel_digest:{digest_alice.pk}:2026-11-23"
    statuses = [Notification.objects.get(pk=row.pk).status for row in rows if row]
    assert statuses == [Status.DIGESTED, Status.SKIPPED]

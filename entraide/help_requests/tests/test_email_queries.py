"""Delivering one email about a request reads each row it needs once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from entraide.notifications import delivery
from entraide.notifications.models import Notification
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def _queries_to_deliver(notification: Notification) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert delivery.deliver(notification.pk) == Notification.Status.SENT
    return len(queries)


def _row(**fields) -> Notification:
    return Notification.objects.create(
        language="en", status=Notification.Status.PENDING, dedupe_key=str(fields), **fields
    )


def test_it_reads_no_more_to_mail_a_volunteer_about_a_taken_request(alice, bob):
    """The holder and the recipient's profile come with the rows, not in queries of their own."""
    bare = _row(to_email="someone@example.org", template="help_request_received", context={})
    help_request = HelpRequestFactory.create(status="taken", taken_by=bob, taken_at=timezone.now())
    about_request = _row(
        recipient=alice,
        to_email=alice.email,
        template="help_request_taken",
        context={"distance_km": 2.0},
        about=help_request,
    )

    baseline = _queries_to_deliver(bare)
    with_relations = _queries_to_deliver(about_request)

    # Two extra queries: the request itself (the volunteer's profile and the holder are
    # joined), and the recipient's territory (the email's time zone and phone line).
    assert with_relations == baseline + 2

"""Helpers shared by the notifications tests: a flaky SMTP server and a domain of parcels.

The outbox is tested with email kinds of a domain it has never heard of: parcels, kept as
auth Groups (any model would do), registered here as a domain app would from its emails.py.
"""

import copy
import smtplib
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.contrib.auth.models import Group
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db.models import QuerySet

from entraide.notifications import registry
from entraide.notifications.models import Notification
from entraide.notifications.registry import Digest, EmailKind

TEMPLATES_DIR = Path(__file__).parent / "templates"


class FlakySMTPBackend(BaseEmailBackend):
    """Stand in for an SMTP server that is down for the first `failures` sends."""

    failures: ClassVar[int] = 0
    calls: ClassVar[int] = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return LocmemBackend().send_messages(email_messages)


def parcel_context(notification: Notification) -> dict[str, Any]:
    """Return the parcel the email is about."""
    return {"parcel": notification.about}


def parcel_digest_context(notification: Notification) -> dict[str, Any]:
    """Return the parcels still waiting, from the digest's stored ids."""
    ids = [item["parcel_id"] for item in notification.context["items"]]
    return {"items": list(Group.objects.filter(pk__in=ids).order_by("name"))}


def parcels_still_waiting(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    """Return the messages whose parcel was not collected (collected ones are renamed)."""
    collected = Group.objects.filter(name__startswith="collected")
    return rows.exclude(about_id__in=collected.values("pk"))


PARCEL_READY = EmailKind("parcel_ready", context=parcel_context, unsubscribable=True)
PARCEL_WAITING = EmailKind(
    "parcel_waiting",
    context=parcel_context,
    digest=Digest(
        kind="parcel_digest",
        item=lambda row: {"parcel_id": row.about_id},
        still_relevant=parcels_still_waiting,
    ),
)
PARCEL_DIGEST = EmailKind("parcel_digest", context=parcel_digest_context, unsubscribable=True)
PARCEL_KINDS = (PARCEL_READY, PARCEL_WAITING, PARCEL_DIGEST)


@pytest.fixture
def parcels(settings):
    """Register the parcel domain's email kinds and templates for one test."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates
    registry.register(*PARCEL_KINDS)
    yield PARCEL_KINDS
    registry.unregister(*(kind.name for kind in PARCEL_KINDS))


@pytest.fixture
def parcel(db):
    """Return a parcel waiting at the counter."""
    return Group.objects.create(name="Parcel 7")

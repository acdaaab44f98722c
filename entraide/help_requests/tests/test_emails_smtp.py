"""Emails about requests go out through Django's SMTP backend to a real SMTP server on localhost."""

import socket
from email import policy
from email.parser import BytesParser

import pytest
import time_machine
from aiosmtpd.controller import Controller

from entraide.notifications.models import Notification
from entraide.notifications.services import notify
from entraide.testing.factories import HelpRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.smtp]


class Collector:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start an SMTP server on a free local port and point Django's SMTP backend at it."""
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


def test_it_delivers_notifications_over_smtp(smtp_server, bob, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-11-22 10:00:00+01:00", tick=False):
        help_request = HelpRequestFactory.create(requester_language="nl", town="Schaerbeek")
        with django_capture_on_commit_callbacks(execute=True):
            received = notify(
                template="help_request_received",
                context={"help_request_id": help_request.pk},
                dedupe_key="smtp:received",
                to_email=help_request.requester_email,
                language="nl",
                about=help_request,
            )
            offer = notify(
                template="help_request_offer",
                context={"help_request_id": help_request.pk, "distance_km": 0.6},
                dedupe_key="smtp:offer",
                recipient=bob,
                about=help_request,
            )
    assert len(smtp_server.envelopes) == 2
    by_recipient = {
        envelope.rcpt_tos[0]: BytesParser(policy=policy.default).parsebytes(envelope.content)
        for envelope in smtp_server.envelopes
    }
    to_requester = by_recipient[help_request.requester_email]
    assert "zondag 22 november" in to_requester["Subject"]
    assert f"/nl/help/track/{help_request.tracking_token}/" in to_requester.get_content()
    to_bob = by_recipient["bob@example.org"]
    assert "Schaerbeek" in to_bob["Subject"]
    assert to_bob["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/nl/notifications/unsubscribe/" in to_bob["List-Unsubscribe"]
    for notification in (received, offer):
        assert notification is not None
        notification.refresh_from_db()
        assert notification.status == Notification.Status.SENT

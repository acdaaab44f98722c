"""The local outbox backend, the staff pages that read it, and the notifications back office."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
OUTBOX = "entraide.notifications.backends.OutboxBackend"


@pytest.fixture
def outbox(settings, tmp_path):
    """Write emails as files in a temporary outbox."""
    settings.EMAIL_BACKEND = OUTBOX
    settings.EMAIL_OUTBOX_DIR = tmp_path / "outbox"
    return tmp_path / "outbox"


def _send(subject: str, to: str = "eve@example.org") -> None:
    message = EmailMultiAlternatives(subject, f"Body of {subject} — café", to=[to])
    message.attach_alternative(f"<p>{subject}</p>", "text/html")
    assert message.send() == 1


def test_it_writes_each_message_as_an_eml_file(outbox):
    _send("Première")
    _send("Second")
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    assert b"Subject: =?utf-8?" in files[0].read_bytes()
    assert list(outbox.glob("*.part")) == []


def test_it_lists_the_outbox_for_staff_newest_first(client, dave, outbox):
    _send("Older message")
    _send("Newer message", to="bob@example.org")
    client.force_login(dave)
    response = client.get(reverse("admin:notifications_outbox"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Newer message") < content.index("Older message")
    assert "bob@example.org" in content


def test_it_shows_one_message_to_staff(client, dave, outbox):
    _send("Première")
    name = next(outbox.glob("*.eml")).name
    client.force_login(dave)
    response = client.get(reverse("admin:notifications_outbox_message", args=[name]))
    assert response.status_code == 200
    assert "Body of Première — café" in response.content.decode()


def test_it_refuses_names_outside_the_outbox(client, dave, outbox):
    _send("Hello")
    client.force_login(dave)
    for name in ["..secret.eml", "nothing.eml", "x.txt"]:
        url = reverse("admin:notifications_outbox_message", args=[name])
        assert client.get(url).status_code == 404


def test_it_keeps_the_outbox_from_non_staff(client, alice, outbox):
    _send("Secret")
    client.force_login(alice)
    response = client.get(reverse("admin:notifications_outbox"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    name = next(outbox.glob("*.eml")).name
    response = client.get(reverse("admin:notifications_outbox_message", args=[name]))
    assert response.status_code == 302
    assert b"Secret" not in response.content


def test_it_lists_notifications_and_sends_failed_ones_again(
    client, dave, parcels, parcel, django_capture_on_commit_callbacks
):
    failed = Notification.objects.create(
        to_email="eve@example.org",
        language="en",
        template="parcel_ready",
        context={"counter": "the town hall"},
        dedupe_key="failed-once",
        about=parcel,
        status="failed",
        attempts=5,
        last_error="SMTPServerDisconnected",
    )
    client.force_login(dave)
    changelist = reverse("admin:notifications_notification_changelist")
    page = client.get(changelist, {"status__exact": "failed"})
    assert page.status_code == 200
    assert b"eve@example.org" in page.content
    assert reverse("admin:notifications_outbox").encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "retry", "_selected_action": [failed.pk]}, follow=True
        )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert len(mail.outbox) == 1
    detail = client.get(reverse("admin:notifications_notification_change", args=[failed.pk]))
    assert detail.status_code == 200
    assert b'name="to_email"' not in detail.content

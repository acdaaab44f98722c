"""The emails about requests: each reader's language, links, and what each may know."""

import pytest
import time_machine
from django.core import mail

from entraide.notifications.models import Notification
from entraide.notifications.services import notify
from entraide.testing.factories import BRUSSELS, HelpRequestFactory

pytestmark = pytest.mark.django_db
SUNDAY = "2026-11-22 10:00:00+01:00"


def _notify_received(help_request, **extra):
    return notify(
        template="help_request_received",
        context={"help_request_id": help_request.pk},
        dedupe_key=f"help_request:{help_request.pk}:received",
        to_email=help_request.requester_email,
        language=help_request.requester_language,
        about=help_request,
        **extra,
    )


@pytest.mark.parametrize(
    ("language", "day"),
    [("fr", "dimanche 22 novembre"), ("nl", "zondag 22 november"), ("en", "Sunday 22 November")],
)
def test_it_sends_in_the_requesters_language(language, day, django_capture_on_commit_callbacks):
    with time_machine.travel(SUNDAY, tick=False):
        help_request = HelpRequestFactory.create(requester_language=language)
        with django_capture_on_commit_callbacks(execute=True):
            notification = _notify_received(help_request)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert day in message.subject
    assert help_request.reference in message.subject
    assert message.to == [help_request.requester_email]
    assert message.extra_headers["Content-Language"] == language
    assert f"http://testserver/{language}/help/track/{help_request.tracking_token}/" in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.subject == message.subject
    assert notification.attempts == 1


def test_it_gives_each_language_its_own_subject(django_capture_on_commit_callbacks):
    with time_machine.travel(SUNDAY, tick=False):
        for language in ["fr", "nl", "en"]:
            help_request = HelpRequestFactory.create(requester_language=language)
            with django_capture_on_commit_callbacks(execute=True):
                _notify_received(help_request)
    subjects = [m.subject.split("(")[0] for m in mail.outbox]
    assert len(set(subjects)) == 3


def test_it_tells_a_volunteer_about_an_offer_without_the_address_or_phone(
    alice, django_capture_on_commit_callbacks
):
    help_request = HelpRequestFactory.create(
        address="Rue de la Loi 16",
        requester_phone="+32470123456",
        town="Ixelles",
        when_note="tomorrow morning, ring 0470 12 34 56",
        lat=BRUSSELS[0] + 2.4 / 111.32,
        lon=BRUSSELS[1],
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            template="help_request_offer",
            context={"help_request_id": help_request.pk, "distance_km": 2.4},
            dedupe_key=f"offer:{help_request.pk}:{alice.pk}",
            recipient=alice,
            about=help_request,
        )
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "Ixelles" in message.subject
    assert "Rue de la Loi" not in message.body
    # Not "470" alone: the random request id or unsubscribe token may hold those digits.
    for spelling in ("+32470123456", "0470123456", "0470 12 34 56", "470 12 34 56"):
        assert spelling not in message.body
    assert "tomorrow morning, ring [" in message.body  # the note stays, its number is hidden
    assert help_request.requester_name not in message.body
    assert "(1–3 km de chez vous)" in message.body  # a band, to the rounded position
    assert f"/fr/volunteer/requests/{help_request.public_id}/" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/fr/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body


def test_it_gives_the_requester_only_the_volunteers_first_name(
    alice, django_capture_on_commit_callbacks
):
    alice.last_name = "Dupont"
    alice.save()
    help_request = HelpRequestFactory.create(
        status="taken", taken_by=alice, requester_language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            template="help_request_taken",
            context={"help_request_id": help_request.pk},
            dedupe_key="taken",
            to_email=help_request.requester_email,
            language="en",
            about=help_request,
        )
    body = mail.outbox[0].body
    assert "Alice" in body
    assert "Dupont" not in body
    assert "alice@example.org" not in body


def test_it_measures_the_band_from_the_home_to_the_public_position_not_the_offer(
    alice, django_capture_on_commit_callbacks
):
    help_request = HelpRequestFactory.create(status="offered", town="Etterbeek")
    help_request.offers.create(volunteer=alice, wave=1, distance_km=4.4)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            template="help_request_offer",
            context={},
            dedupe_key="offer-without-distance",
            recipient=alice,
            about=help_request,
        )
    # Alice lives where the request is: the exact distance the dispatch kept is not shown.
    assert "(moins de 1 km de chez vous)" in mail.outbox[0].body
    assert "4 km" not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("language", "change"), [("fr", "modifi"), ("nl", "wijzig"), ("en", "change it")]
)
def test_the_tracking_email_offers_only_cancelling_and_the_phone_line(
    language, change, settings, django_capture_on_commit_callbacks
):
    settings.PHONE_LINE = "+3225550000"
    settings.PHONE_LINE_HOURS = "9-17"
    help_request = HelpRequestFactory.create(requester_language=language)
    with django_capture_on_commit_callbacks(execute=True):
        _notify_received(help_request)

    body = mail.outbox[0].body
    link_line = body.split(help_request.tracking_token)[0].splitlines()[-2]
    assert change not in link_line.lower()
    assert "+32 2 555 00 00 (9-17)" in body


def test_the_tracking_email_leaves_out_a_phone_line_nobody_set(
    settings, django_capture_on_commit_callbacks
):
    settings.PHONE_LINE = ""
    help_request = HelpRequestFactory.create(requester_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _notify_received(help_request)

    assert "phone line:" not in mail.outbox[0].body

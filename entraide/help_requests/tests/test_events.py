from typing import cast

import pytest

from entraide.accounts.models import User
from entraide.core.events import record_event
from entraide.core.vocabulary import Channel
from entraide.help_requests.models import HelpRequest, HelpRequestEvent
from entraide.testing.factories import HelpRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request() -> HelpRequest:
    return cast(HelpRequest, HelpRequestFactory())


def test_it_records_an_event_on_its_subject_with_channel_actor_and_statuses():
    help_request = _request()
    operator = cast(User, UserFactory(is_operator=True))
    event = record_event(
        HelpRequestEvent,
        help_request,
        HelpRequestEvent.Kind.UPDATED,
        actor=operator,
        channel=Channel.PHONE,
        from_status="new",
        to_status="new",
        data={"fields": ["details"]},
    )
    assert list(help_request.events.all()) == [event]
    event.refresh_from_db()
    assert (event.actor, event.channel, event.data) == (operator, "phone", {"fields": ["details"]})


def test_it_cuts_a_reason_too_long_to_store_instead_of_refusing_the_write():
    help_request = _request()
    event = record_event(
        HelpRequestEvent,
        help_request,
        HelpRequestEvent.Kind.CANCELLED,
        channel=Channel.WEB,
        reason="x" * 900,
    )
    event.refresh_from_db()
    assert event.reason == "x" * 500


def test_it_never_changes_or_deletes_a_recorded_event():
    help_request = _request()
    event = record_event(
        HelpRequestEvent, help_request, HelpRequestEvent.Kind.CREATED, channel=Channel.WEB
    )
    event.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()

"""Writes of the phone line: calls, call-backs, and requests entered or closed by phone."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from entraide.core.errors import ConflictError, DomainError
from entraide.help_requests.models import HelpRequest, HelpRequestEvent, Status
from entraide.operators import services
from entraide.operators.models import Call, Callback
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def phone_request(operator, **overrides):
    """Enter a valid request by phone, with any field overridden."""
    fields = {
        "operator": operator,
        "phone": "0470 12 34 56",
        "kind": "groceries",
        "requester_name": "Jeanne Dupont",
        "town": "Bruxelles",
        "consent": True,
        "languages": ["fr"],
        "details": "Bread and milk",
        "address": "Rue Haute 12",
    }
    fields.update(overrides)
    return services.help_request_create_by_phone(**fields)


def test_it_logs_a_call_with_the_number_normalised(charlie):
    call = services.call_log(
        operator=charlie, direction="in", phone="0470 12 34 56", outcome="listening", note=" hi "
    )

    call.refresh_from_db()
    assert call.phone == "+32470123456"
    assert call.operator == charlie
    assert call.note == "hi"


def test_it_refuses_a_call_with_a_bad_number(charlie):
    with pytest.raises(ValidationError) as caught:
        services.call_log(operator=charlie, direction="in", phone="12", outcome="listening")

    assert "phone" in caught.value.message_dict
    assert not Call.objects.exists()


def test_it_refuses_a_call_without_a_number(charlie):
    with pytest.raises(ValidationError) as caught:
        services.call_log(operator=charlie, direction="in", phone="  ", outcome="listening")

    assert "phone" in caught.value.message_dict


def test_it_refuses_an_unknown_outcome_or_language(charlie):
    with pytest.raises(ValidationError) as caught:
        services.call_log(
            operator=charlie, direction="in", phone="0470123456", outcome="chat", language="xx"
        )

    assert set(caught.value.message_dict) == {"outcome", "language"}
    assert not Call.objects.exists()


def test_it_refuses_calls_logged_by_a_volunteer(alice):
    with pytest.raises(DomainError):
        services.call_log(operator=alice, direction="in", phone="0470123456", outcome="listening")


def test_it_schedules_a_callback_in_the_future(charlie):
    due = timezone.now() + timedelta(hours=2)

    callback = services.callback_schedule(
        operator=charlie, phone="0032 470 12 34 56", due_at=due, note="Ask about the pharmacy"
    )

    assert callback.phone == "+32470123456"
    assert callback.created_by == charlie
    assert callback.done_at is None


@time_machine.travel("2026-03-10 10:00 +01:00", tick=False)
def test_it_refuses_a_callback_in_the_past(charlie):
    with pytest.raises(ValidationError) as caught:
        services.callback_schedule(
            operator=charlie, phone="0470123456", due_at=timezone.now() - timedelta(minutes=1)
        )

    assert "due_at" in caught.value.message_dict
    assert not Callback.objects.exists()


def test_it_lets_only_one_operator_close_a_callback(charlie, dave):
    callback = services.callback_schedule(
        operator=charlie, phone="0470123456", due_at=timezone.now() + timedelta(hours=1)
    )
    stale_copy = Callback.objects.get(pk=callback.pk)

    services.callback_done(callback=callback, operator=dave)
    with pytest.raises(ConflictError):
        services.callback_done(callback=stale_copy, operator=charlie)

    callback.refresh_from_db()
    assert callback.done_by == dave
    assert callback.done_at is not None


def test_it_enters_a_request_and_logs_the_call_together(charlie):
    help_request, call = phone_request(charlie, languages=["nl", "fr"])

    assert help_request.channel == "phone"
    assert help_request.created_by == charlie
    assert help_request.requester_phone == "+32470123456"
    assert help_request.address == "Rue Haute 12"
    assert call.help_request == help_request
    assert call.outcome == Call.Outcome.NEW_REQUEST
    assert call.direction == Call.Direction.INBOUND
    assert call.language == "nl"
    created = help_request.events.get()
    assert (created.kind, created.channel, created.actor) == ("created", "phone", charlie)


def test_it_saves_nothing_when_the_town_is_unknown(charlie):
    with pytest.raises(ValidationError) as caught:
        phone_request(charlie, town="Nowhere-on-the-map")

    assert "town" in caught.value.message_dict
    assert not HelpRequest.objects.exists()
    assert not Call.objects.exists()


def test_it_requires_a_phone_for_a_request_entered_by_phone(charlie):
    with pytest.raises(ValidationError) as caught:
        phone_request(charlie, phone="", requester_email="jeanne@example.org")

    assert "phone" in caught.value.message_dict
    assert not HelpRequest.objects.exists()
    assert not Call.objects.exists()


def test_it_reports_every_problem_of_a_request_at_once(charlie):
    with pytest.raises(ValidationError) as caught:
        phone_request(charlie, phone="12", consent=False, languages=[])

    assert {"phone", "consent", "languages"} <= set(caught.value.message_dict)


def test_it_cancels_by_phone_and_logs_the_call(charlie):
    help_request = HelpRequestFactory.create()

    services.help_request_cancel_by_phone(
        help_request=help_request, operator=charlie, direction="in", reason="Neighbour helped"
    )

    help_request.refresh_from_db()
    assert help_request.status == Status.CANCELLED
    call = Call.objects.get()
    assert (call.outcome, call.help_request, call.phone) == (
        "cancelled",
        help_request,
        "+32470123456",
    )


def test_it_cancels_without_a_call_when_none_is_given(charlie):
    help_request = HelpRequestFactory.create()

    services.help_request_cancel_by_phone(help_request=help_request, operator=charlie)

    assert HelpRequest.objects.get().status == Status.CANCELLED
    assert not Call.objects.exists()


def test_it_keeps_the_request_open_when_the_call_cannot_be_logged(charlie):
    help_request = HelpRequestFactory.create(requester_phone="")

    with pytest.raises(ValidationError):
        services.help_request_cancel_by_phone(
            help_request=help_request, operator=charlie, direction="out"
        )

    assert HelpRequest.objects.get().status == Status.NEW


def test_it_confirms_by_phone_and_logs_the_call(charlie, alice):
    help_request = HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice)

    services.help_request_confirm_by_phone(
        help_request=help_request, operator=charlie, direction="out", note="All fine"
    )

    help_request.refresh_from_db()
    assert help_request.status == Status.DONE
    assert help_request.confirmed_at is not None
    assert Call.objects.get().outcome == Call.Outcome.CONFIRMED
    confirmed = help_request.events.get(kind=HelpRequestEvent.Kind.CONFIRMED)
    assert (confirmed.channel, confirmed.actor) == ("phone", charlie)


def test_it_assigns_by_phone(charlie, alice):
    help_request = HelpRequestFactory.create()

    services.help_request_assign_by_phone(
        help_request=help_request, volunteer=alice, operator=charlie
    )

    help_request.refresh_from_db()
    assert (help_request.status, help_request.taken_by) == (Status.TAKEN, alice)
    assigned = help_request.events.get(kind=HelpRequestEvent.Kind.ASSIGNED)
    assert (assigned.channel, assigned.actor) == ("phone", charlie)


def test_it_refuses_to_assign_a_request_already_taken(charlie, alice, bob):
    help_request = HelpRequestFactory.create(status=Status.TAKEN, taken_by=bob)

    with pytest.raises(ConflictError):
        services.help_request_assign_by_phone(
            help_request=help_request, volunteer=alice, operator=charlie
        )

    assert HelpRequest.objects.get().taken_by == bob

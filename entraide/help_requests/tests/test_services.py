"""The request lifecycle: every transition, the conflicts, and a real race between volunteers."""

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError
from entraide.help_requests import services
from entraide.help_requests.models import HelpRequest, Status
from entraide.help_requests.tests.helpers import volunteer_at
from entraide.notifications.models import Notification
from entraide.testing.concurrency import run_at_once
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def kinds(help_request: HelpRequest) -> list[str]:
    """Return the kinds of the request's events, oldest first."""
    return list(help_request.events.values_list("kind", flat=True))


def test_it_creates_a_request_and_starts_the_waves(django_capture_on_commit_callbacks):
    volunteer = volunteer_at(1.0)

    with django_capture_on_commit_callbacks(execute=True):
        help_request = services.help_request_create(
            kind="pharmacy",
            requester_name="Jeanne",
            town="Bruxelles",
            consent=True,
            channel="web",
            languages=["fr"],
            requester_email="Jeanne@Example.org",
        )

    help_request.refresh_from_db()
    assert help_request.requester_email == "jeanne@example.org"
    assert help_request.status == Status.OFFERED
    assert kinds(help_request) == ["created", "wave_sent"]
    assert help_request.offers.get().volunteer == volunteer
    assert Notification.objects.filter(template="help_request_received").count() == 1


def test_it_refuses_a_request_without_consent_or_contact():
    with pytest.raises(ValidationError) as caught:
        services.help_request_create(
            kind="meal", requester_name="X", town="Bruxelles", consent=False, channel="web"
        )

    assert set(caught.value.message_dict) == {"consent", "requester_phone", "languages"}
    assert not HelpRequest.objects.exists()


def test_it_gives_the_request_to_the_first_volunteer(alice):
    help_request = HelpRequestFactory.create(status=Status.OFFERED)

    services.help_request_take(help_request=help_request, volunteer=alice)

    help_request.refresh_from_db()
    assert help_request.status == Status.TAKEN
    assert help_request.taken_by == alice
    assert help_request.next_wave_at is None
    assert kinds(help_request) == ["taken"]


def test_it_refuses_a_request_already_taken(alice, bob):
    help_request = HelpRequestFactory.create()
    services.help_request_take(help_request=help_request, volunteer=alice)

    stale_copy = HelpRequest.objects.get(pk=help_request.pk)
    with pytest.raises(ConflictError):
        services.help_request_take(help_request=stale_copy, volunteer=bob)

    assert HelpRequest.objects.get(pk=help_request.pk).taken_by == alice


def test_it_refuses_a_volunteer_at_capacity():
    volunteer = volunteer_at(1.0, max_open_requests=1)
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=volunteer)

    with pytest.raises(DomainError) as caught:
        services.help_request_take(help_request=HelpRequestFactory.create(), volunteer=volunteer)

    assert caught.value.code == "capacity"


def test_it_lets_an_operator_assign_a_request(alice, charlie):
    help_request = HelpRequestFactory.create()

    services.help_request_assign(help_request=help_request, volunteer=alice, actor=charlie)

    help_request.refresh_from_db()
    assert help_request.taken_by == alice
    event = help_request.events.get()
    assert (event.kind, event.actor, event.data) == (
        "assigned",
        charlie,
        {"volunteer_id": alice.pk},
    )
    assert Notification.objects.filter(recipient=alice, template="help_request_assigned").exists()


def test_it_tells_an_operator_the_volunteer_already_holds_their_maximum(charlie):
    volunteer = volunteer_at(1.0, max_open_requests=1)
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=volunteer)
    help_request = HelpRequestFactory.create()

    with pytest.raises(DomainError) as caught:
        services.help_request_assign(help_request=help_request, volunteer=volunteer, actor=charlie)

    assert caught.value.code == "capacity"
    assert "1" in str(caught.value)
    help_request.refresh_from_db()
    assert (help_request.status, help_request.taken_by) == (Status.NEW, None)


def test_it_lets_an_operator_assign_over_the_limit_when_they_say_so(charlie):
    volunteer = volunteer_at(1.0, max_open_requests=1)
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=volunteer)
    help_request = HelpRequestFactory.create()

    services.help_request_assign(
        help_request=help_request, volunteer=volunteer, actor=charlie, over_limit=True
    )

    help_request.refresh_from_db()
    assert help_request.taken_by == volunteer
    assert help_request.events.get().data == {"volunteer_id": volunteer.pk, "over_limit": True}


def test_it_puts_a_given_back_request_into_matching_again(alice, bob):
    help_request = HelpRequestFactory.create()
    services.help_request_take(help_request=help_request, volunteer=alice)

    with pytest.raises(ConflictError):
        services.help_request_release(help_request=help_request, volunteer=bob)
    services.help_request_release(help_request=help_request, volunteer=alice, reason="ill")

    help_request.refresh_from_db()
    assert help_request.status in (Status.NEW, Status.OFFERED)
    assert help_request.taken_by is None
    assert kinds(help_request)[:2] == ["taken", "released"]


def test_it_marks_done_then_the_requester_confirms(alice, bob):
    help_request = HelpRequestFactory.create()
    services.help_request_take(help_request=help_request, volunteer=alice)

    with pytest.raises(DomainError):
        services.help_request_mark_done(help_request=help_request, actor=bob)
    services.help_request_mark_done(help_request=help_request, actor=alice, report="Delivered")
    services.help_request_confirm(help_request=help_request, channel="web")
    with pytest.raises(ConflictError):
        services.help_request_confirm(help_request=help_request, channel="web")

    help_request.refresh_from_db()
    assert help_request.status == Status.DONE
    assert help_request.confirmed_at is not None
    assert kinds(help_request) == ["taken", "done", "confirmed"]


def test_it_cancels_and_tells_the_volunteer(alice):
    help_request = HelpRequestFactory.create()
    services.help_request_take(help_request=help_request, volunteer=alice)

    services.help_request_cancel(help_request=help_request, channel="web", reason="no need")
    with pytest.raises(ConflictError):
        services.help_request_cancel(help_request=help_request, channel="web")

    assert HelpRequest.objects.get(pk=help_request.pk).status == Status.CANCELLED
    assert Notification.objects.filter(recipient=alice, template="help_request_cancelled").exists()


def test_it_expires_only_after_the_expiry_date():
    help_request = HelpRequestFactory.create(expires_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ConflictError):
        services.help_request_expire(help_request=help_request)

    HelpRequest.objects.filter(pk=help_request.pk).update(expires_at=timezone.now())
    services.help_request_expire(help_request=help_request)

    assert HelpRequest.objects.get(pk=help_request.pk).status == Status.EXPIRED


def test_it_replaces_the_tracking_token():
    help_request = HelpRequestFactory.create()
    old_token = help_request.tracking_token

    services.help_request_revoke_tracking_link(help_request=help_request, channel="web")

    assert help_request.tracking_token != old_token
    assert not HelpRequest.objects.filter(tracking_token=old_token).exists()
    assert kinds(help_request) == ["token_revoked"]


def test_it_purges_only_closed_requests():
    help_request = HelpRequestFactory.create()

    with pytest.raises(ConflictError):
        services.help_request_purge_personal_data(help_request=help_request)

    assert HelpRequest.objects.get(pk=help_request.pk).requester_name != ""


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_racing_volunteers_take_a_request():
    first, second = volunteer_at(1.0), volunteer_at(2.0)
    help_request = HelpRequestFactory.create(status=Status.OFFERED)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(volunteer: User) -> None:
        copy = HelpRequest.objects.get(pk=help_request.pk)
        barrier.wait()
        try:
            for _attempt in range(200):
                try:
                    services.help_request_take(help_request=copy, volunteer=volunteer)
                except ConflictError:
                    outcomes.append("conflict")
                except OperationalError as exc:
                    # The in-memory test database reports a busy lock at once where a file
                    # database waits for its timeout: wait and retry, as that timeout would.
                    assert "locked" in str(exc)
                    time.sleep(0.01)
                    continue
                else:
                    outcomes.append("taken")
                break
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(v,)) for v in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "taken"]
    help_request.refresh_from_db()
    assert help_request.taken_by in (first, second)
    assert help_request.events.filter(kind="taken").count() == 1


def _take(request_pk: int, volunteer_pk: int) -> Callable[[], object]:
    """Return a call that takes the request for the volunteer, from fresh rows of its own."""

    def take() -> object:
        return services.help_request_take(
            help_request=HelpRequest.objects.get(pk=request_pk),
            volunteer=User.objects.get(pk=volunteer_pk),
        )

    return take


@pytest.mark.django_db(transaction=True)
def test_it_gives_a_request_to_exactly_one_of_four_racing_volunteers_ten_times_over():
    volunteers = [volunteer_at(float(km), max_open_requests=20) for km in range(1, 5)]

    for _round in range(10):
        help_request = HelpRequestFactory.create(status=Status.OFFERED)
        outcomes = run_at_once([_take(help_request.pk, v.pk) for v in volunteers])

        assert sum(isinstance(o, HelpRequest) for o in outcomes) == 1
        assert sum(isinstance(o, ConflictError) for o in outcomes) == 3
        assert help_request.events.filter(kind="taken").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_keeps_a_volunteers_limit_when_they_take_six_requests_at_once():
    volunteer = volunteer_at(1.0, max_open_requests=1)
    requests = HelpRequestFactory.create_batch(6, status=Status.OFFERED)

    outcomes = run_at_once([_take(r.pk, volunteer.pk) for r in requests])

    assert sum(isinstance(o, HelpRequest) for o in outcomes) == 1
    refusals = [o for o in outcomes if isinstance(o, DomainError)]
    assert [r.code for r in refusals] == ["capacity"] * 5
    assert HelpRequest.objects.filter(taken_by=volunteer, status=Status.TAKEN).count() == 1
    assert HelpRequest.objects.filter(status=Status.OFFERED).count() == 5


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_limit_when_operators_assign_while_the_volunteer_takes():
    volunteer = volunteer_at(1.0, max_open_requests=1)
    operator = User.objects.create(username="op", email="op@example.org", is_operator=True)
    requests = HelpRequestFactory.create_batch(6, status=Status.OFFERED)

    def assign(request_pk: int) -> Callable[[], object]:
        return lambda: services.help_request_assign(
            help_request=HelpRequest.objects.get(pk=request_pk),
            volunteer=User.objects.get(pk=volunteer.pk),
            actor=operator,
        )

    outcomes = run_at_once(
        [_take(r.pk, volunteer.pk) for r in requests[:3]] + [assign(r.pk) for r in requests[3:]]
    )

    assert sum(isinstance(o, HelpRequest) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, DomainError)] == ["capacity"] * 5
    assert HelpRequest.objects.filter(taken_by=volunteer).count() == 1

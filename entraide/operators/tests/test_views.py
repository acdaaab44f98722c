"""The operators' console pages: who gets in, quick entry, actions on a request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entraide.help_requests.models import HelpRequest, Status
from entraide.operators.models import Call, Callback
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

QUICK_ENTRY = {
    "phone": "0470 12 34 56",
    "kind": "pharmacy",
    "languages": ["fr"],
    "requester_name": "Jeanne Dupont",
    "town": "Bruxelles",
    "postcode": "1000",
    "address": "Rue Haute 12",
    "urgency": "within_hours",
    "details": "Prescription ready at the pharmacy",
    "when_note": "",
    "requester_email": "",
    "consent": "on",
    "call_note": "Sounded tired",
}


@pytest.fixture
def operator_client(client, charlie):
    """Return a client logged in as charlie, the operator."""
    client.force_login(charlie)
    return client


def detail_url(help_request):
    """Return the operator's page of a request."""
    return reverse("operators:request_detail", args=[help_request.public_id])


def test_it_sends_visitors_to_the_login_page(client):
    response = client.get(reverse("operators:console"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("operators:console", False),
        ("operators:quick_entry", False),
        ("operators:request_detail", True),
    ],
)
def test_it_refuses_volunteers(client, alice, name, kwargs):
    client.force_login(alice)
    args = [HelpRequestFactory.create().public_id] if kwargs else []

    response = client.get(reverse(name, args=args))

    assert response.status_code == 403


def test_it_refuses_volunteers_who_post_an_assignment(client, alice):
    help_request = HelpRequestFactory.create()
    client.force_login(alice)

    response = client.post(
        reverse("operators:request_assign", args=[help_request.public_id]), {"volunteer": alice.pk}
    )

    assert response.status_code == 403
    assert HelpRequest.objects.get().status == Status.NEW


def test_it_shows_the_console_to_operators(operator_client, charlie):
    urgent = HelpRequestFactory.create(urgency="within_hours", escalated_at=timezone.now())
    Callback.objects.create(
        phone="+32470123456",
        due_at=timezone.now() - timedelta(minutes=5),
        created_by=charlie,
        note="Ask how the delivery went",
    )

    response = operator_client.get(reverse("operators:console"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "autofocus" in page
    assert urgent.reference in page
    assert "Ask how the delivery went" in page


def test_it_lets_staff_in(client, dave):
    client.force_login(dave)

    assert client.get(reverse("operators:console")).status_code == 200


def test_it_shows_a_callers_earlier_requests_and_warns_of_a_duplicate(operator_client, charlie):
    active = HelpRequestFactory.create(
        requester_phone="+32470123456", requester_name="Jeanne Dupont"
    )
    Call.objects.create(
        operator=charlie, direction="in", phone="+32470123456", outcome="listening", note="Lonely"
    )

    response = operator_client.get(reverse("operators:lookup"), {"phone": "0470 12 34 56"})

    assert response.status_code == 200
    page = response.content.decode()
    assert active.reference in page
    assert "Jeanne Dupont" in page
    assert "Lonely" in page
    assert response.context["history"].active_requests == [active]
    assert "phone=%2B32470123456" in page


def test_it_shows_an_error_for_a_number_that_is_not_one(operator_client):
    response = operator_client.get(reverse("operators:lookup"), {"phone": "hello"})

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_it_prefills_the_quick_entry_with_the_callers_number(operator_client):
    response = operator_client.get(reverse("operators:quick_entry"), {"phone": "+32470123456"})

    assert response.status_code == 200
    assert response.context["form"].initial["phone"] == "+32470123456"
    assert 'accesskey="1"' in response.content.decode()


def test_it_enters_a_request_and_logs_the_call_in_one_go(operator_client, charlie):
    response = operator_client.post(reverse("operators:quick_entry"), QUICK_ENTRY)

    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(help_request)
    assert help_request.channel == "phone"
    assert help_request.created_by == charlie
    assert help_request.requester_phone == "+32470123456"
    assert help_request.urgency == "within_hours"
    call = Call.objects.get()
    assert (call.help_request, call.outcome, call.note) == (
        help_request,
        "new_request",
        "Sounded tired",
    )


def test_it_does_not_offer_transport_to_callers(operator_client):
    page = operator_client.get(reverse("operators:quick_entry"))
    response = operator_client.post(
        reverse("operators:quick_entry"), {**QUICK_ENTRY, "kind": "transport"}
    )

    assert 'value="transport"' not in page.content.decode()
    assert response.status_code == 400
    assert "goods" in response.context["form"].errors["kind"][0]
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"consent": ""}, "consent"),
        ({"town": "Nowhere-on-the-map"}, "town"),
        ({"phone": "12"}, "phone"),
        ({"languages": []}, "languages"),
        ({"kind": "spaceship"}, "kind"),
    ],
)
def test_it_shows_errors_and_saves_nothing_on_bad_input(operator_client, change, field):
    response = operator_client.post(reverse("operators:quick_entry"), {**QUICK_ENTRY, **change})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "error-summary" in response.content.decode()
    assert not HelpRequest.objects.exists()
    assert not Call.objects.exists()


def test_it_shows_the_full_request_to_operators(operator_client, alice):
    help_request = HelpRequestFactory.create(address="Rue Haute 12", languages=["fr"])

    response = operator_client.get(detail_url(help_request))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rue Haute 12" in page
    assert "+32 470 12 34 56" in page
    assert [c.user for c in response.context["view"].candidates] == [alice]
    assert alice.email in page


def test_it_assigns_a_volunteer_from_the_request_page(operator_client, alice):
    help_request = HelpRequestFactory.create()

    response = operator_client.post(
        reverse("operators:request_assign", args=[help_request.public_id]), {"volunteer": alice.pk}
    )

    assert response.status_code == 302
    help_request.refresh_from_db()
    assert (help_request.status, help_request.taken_by) == (Status.TAKEN, alice)


def test_it_says_so_when_the_request_was_already_taken(operator_client, alice, bob):
    help_request = HelpRequestFactory.create(status=Status.TAKEN, taken_by=bob)

    response = operator_client.post(
        reverse("operators:request_assign", args=[help_request.public_id]),
        {"volunteer": alice.pk},
        follow=True,
    )

    assert response.status_code == 200
    [message] = list(response.context["messages"])
    assert message.level_tag == "error"
    assert str(message) in response.content.decode()
    assert HelpRequest.objects.get().taken_by == bob


def test_it_refuses_to_assign_somebody_who_is_not_a_volunteer(operator_client, charlie):
    help_request = HelpRequestFactory.create()

    response = operator_client.post(
        reverse("operators:request_assign", args=[help_request.public_id]),
        {"volunteer": charlie.pk},
        follow=True,
    )

    assert "message-error" in response.content.decode()
    assert HelpRequest.objects.get().status == Status.NEW


def test_it_cancels_the_request_and_logs_the_call(operator_client):
    help_request = HelpRequestFactory.create()

    response = operator_client.post(
        reverse("operators:request_cancel", args=[help_request.public_id]),
        {"cancel-reason": "A neighbour helped", "cancel-direction": "in"},
    )

    assert response.status_code == 302
    assert HelpRequest.objects.get().status == Status.CANCELLED
    assert Call.objects.get().outcome == "cancelled"


def test_it_says_so_when_cancelling_a_closed_request(operator_client):
    help_request = HelpRequestFactory.create(status=Status.CANCELLED, closed_at=timezone.now())

    response = operator_client.post(
        reverse("operators:request_cancel", args=[help_request.public_id]),
        {"cancel-reason": "", "cancel-direction": ""},
        follow=True,
    )

    assert response.status_code == 200
    assert "message-error" in response.content.decode()


def test_it_confirms_the_help_was_given_by_phone(operator_client, alice):
    help_request = HelpRequestFactory.create(status=Status.TAKEN, taken_by=alice)

    response = operator_client.post(
        reverse("operators:request_confirm", args=[help_request.public_id]),
        {"confirm-note": "Very happy", "confirm-direction": "out"},
    )

    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == Status.DONE
    assert help_request.confirmed_at is not None
    assert Call.objects.get().direction == "out"


def test_it_logs_a_call_about_a_request(operator_client):
    help_request = HelpRequestFactory.create()

    response = operator_client.post(
        reverse("operators:request_call", args=[help_request.public_id]),
        {
            "call-phone": "0470 12 34 56",
            "call-direction": "out",
            "call-outcome": "no_answer",
            "call-language": "fr",
            "call-note": "",
        },
    )

    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.help_request, call.outcome, call.phone) == (
        help_request,
        "no_answer",
        "+32470123456",
    )


def test_it_shows_errors_for_a_callback_in_the_past(operator_client):
    help_request = HelpRequestFactory.create()
    past = timezone.localtime() - timedelta(hours=1)

    response = operator_client.post(
        reverse("operators:request_callback", args=[help_request.public_id]),
        {
            "callback-phone": "0470123456",
            "callback-due_at": past.strftime("%Y-%m-%dT%H:%M"),
            "callback-note": "",
        },
    )

    assert response.status_code == 400
    assert "due_at" in response.context["callback_form"].errors
    assert not Callback.objects.exists()


def test_it_schedules_a_callback_about_a_request(operator_client, charlie):
    help_request = HelpRequestFactory.create()
    later = timezone.localtime() + timedelta(days=1)

    response = operator_client.post(
        reverse("operators:request_callback", args=[help_request.public_id]),
        {
            "callback-phone": "0470123456",
            "callback-due_at": later.strftime("%Y-%m-%dT%H:%M"),
            "callback-note": "Did the volunteer come?",
        },
    )

    assert response.status_code == 302
    callback = Callback.objects.get()
    assert (callback.help_request, callback.created_by) == (help_request, charlie)


def test_it_logs_a_listening_call_without_a_request(operator_client):
    response = operator_client.post(
        reverse("operators:call_new"),
        {
            "call-phone": "0470123456",
            "call-direction": "in",
            "call-outcome": "listening",
            "call-language": "nl",
            "call-note": "Talked for 20 minutes",
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?phone=%2B32470123456")
    assert Call.objects.get().help_request is None


def test_it_marks_a_callback_made_once(operator_client, charlie):
    callback = Callback.objects.create(
        phone="+32470123456", due_at=timezone.now(), created_by=charlie
    )
    url = reverse("operators:callback_done", args=[callback.pk])

    operator_client.post(url)
    second = operator_client.post(url, follow=True)

    callback.refresh_from_db()
    assert callback.done_by == charlie
    assert "message-error" in second.content.decode()


def _add_line_activity(operator, rows):
    """Add requests, calls and call-backs from the same caller, each linked to a request."""
    for _ in range(rows):
        help_request = HelpRequestFactory.create(requester_phone="+32470123456")
        Call.objects.create(
            operator=operator,
            phone="+32470123456",
            direction=Call.Direction.INBOUND,
            outcome=Call.Outcome.FOLLOW_UP,
            help_request=help_request,
        )
        Callback.objects.create(
            created_by=operator,
            phone="+32470123456",
            due_at=timezone.now(),
            help_request=help_request,
        )


@pytest.mark.parametrize(
    ("name", "query"), [("operators:console", ""), ("operators:lookup", "?phone=0470123456")]
)
def test_it_shows_the_line_in_as_many_queries_for_many_rows(operator_client, charlie, name, query):
    url = reverse(name) + query
    _add_line_activity(charlie, 2)
    with CaptureQueriesContext(connection) as few:
        assert operator_client.get(url).status_code == 200
    _add_line_activity(charlie, 4)
    with CaptureQueriesContext(connection) as many:
        response = operator_client.get(url)

    assert response.content.decode().count("/operators/requests/") >= 6
    assert len(many) == len(few)


def test_it_gives_operators_a_tel_link_to_each_candidate_and_the_holder(operator_client, alice):
    alice.phone = "+32470998877"
    alice.save(update_fields=["phone"])
    help_request = HelpRequestFactory.create(languages=["fr"])
    url = reverse("operators:request_detail", args=[help_request.public_id])

    candidates = operator_client.get(url).content.decode()
    help_request.status, help_request.taken_by = Status.TAKEN, alice
    help_request.save()
    holder = operator_client.get(url).content.decode()

    for page in (candidates, holder):
        assert '<a href="tel:+32470998877"' in page
        assert "+32 470 99 88 77</a>" in page


def test_it_says_when_a_candidate_gave_no_phone(operator_client, alice):
    help_request = HelpRequestFactory.create(languages=["fr"])

    page = operator_client.get(reverse("operators:request_detail", args=[help_request.public_id]))

    assert "No phone number" in page.content.decode()
    assert 'href="tel:' not in page.content.decode().split("Assign a volunteer")[1]

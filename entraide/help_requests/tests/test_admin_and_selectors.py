"""Back-office actions and the reads used by the operators' queue and the volunteers' map."""

from datetime import timedelta

import pytest
from django.utils import timezone

from entraide.help_requests.models import HelpRequest, HelpRequestEvent, Status
from entraide.help_requests.selectors import (
    help_request_by_token,
    open_requests_for_queue,
)
from entraide.testing.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db
ADMIN_LIST = "/fr/backoffice/help_requests/helprequest/"


def test_it_cancels_requests_from_the_back_office(client, dave):
    help_request = HelpRequestFactory.create()
    client.force_login(dave)

    response = client.post(
        ADMIN_LIST, {"action": "cancel_requests", "_selected_action": [help_request.pk]}
    )

    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == Status.CANCELLED
    event = help_request.events.get()
    assert (event.channel, event.actor) == ("backoffice", dave)


def test_it_replaces_tracking_links_from_the_back_office(client, dave):
    help_request = HelpRequestFactory.create()
    old_token = help_request.tracking_token
    client.force_login(dave)

    client.post(
        ADMIN_LIST, {"action": "revoke_tracking_links", "_selected_action": [help_request.pk]}
    )

    help_request.refresh_from_db()
    assert help_request.tracking_token != old_token


def test_it_finds_a_request_by_its_reference(client, dave):
    wanted, other = HelpRequestFactory.create(), HelpRequestFactory.create()
    client.force_login(dave)

    response = client.get(ADMIN_LIST, {"q": wanted.reference})

    found = list(response.context["cl"].result_list)
    assert wanted in found
    assert other not in found


def test_it_keeps_request_events_read_only(client, dave):
    help_request = HelpRequestFactory.create()
    event = HelpRequestEvent.objects.create(
        help_request=help_request, kind="created", channel="web"
    )
    client.force_login(dave)
    base = "/fr/backoffice/help_requests/helprequestevent/"

    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert HelpRequestEvent.objects.filter(pk=event.pk).exists()


def test_it_returns_none_for_an_unknown_token():
    HelpRequestFactory.create()

    assert help_request_by_token("nope") is None
    assert help_request_by_token("") is None


def test_it_orders_the_queue_most_urgent_then_oldest():
    now = timezone.now()
    flexible_old = HelpRequestFactory.create(urgency="flexible")
    today_new = HelpRequestFactory.create(urgency="today")
    today_old = HelpRequestFactory.create(urgency="today")
    urgent = HelpRequestFactory.create(urgency="within_hours")
    HelpRequestFactory.create(urgency="within_hours", status=Status.CANCELLED)
    HelpRequest.objects.filter(pk=flexible_old.pk).update(created_at=now - timedelta(days=3))
    HelpRequest.objects.filter(pk=today_old.pk).update(created_at=now - timedelta(hours=2))

    queue = list(open_requests_for_queue())

    assert queue == [urgent, today_old, today_new, flexible_old]

"""Back office of the phone line: calls and call-backs found by phone however typed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.operators.models import Call, Callback

pytestmark = pytest.mark.django_db


def test_it_finds_calls_by_a_number_typed_the_local_way(client, dave, charlie):
    Call.objects.create(
        operator=charlie, direction="in", phone="+32470123456", outcome="listening", note="Mine"
    )
    Call.objects.create(
        operator=charlie, direction="in", phone="+32470999999", outcome="listening", note="Other"
    )
    client.force_login(dave)

    response = client.get(reverse("admin:operators_call_changelist"), {"q": "0470 12 34 56"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("note", flat=True)) == ["Mine"]


def test_it_lists_callbacks_still_to_make(client, dave, charlie):
    due = timezone.now() + timedelta(hours=1)
    Callback.objects.create(phone="+32470123456", due_at=due, created_by=charlie, note="Todo")
    Callback.objects.create(
        phone="+32470123456", due_at=due, created_by=charlie, note="Made", done_at=due
    )
    client.force_login(dave)

    response = client.get(
        reverse("admin:operators_callback_changelist"), {"done_at__isnull": "True"}
    )

    assert response.status_code == 200
    assert [c.note for c in response.context["cl"].result_list] == ["Todo"]

"""The back office decides on organisations through the same services."""

from django.contrib.admin import helpers
from django.urls import reverse

from entraide.organisations.models import Organisation


def test_it_verifies_from_the_back_office(client, restos, dave):
    client.force_login(dave)

    response = client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "verify_organisations", helpers.ACTION_CHECKBOX_NAME: [restos.pk]},
    )

    assert response.status_code == 302
    restos.refresh_from_db()
    assert restos.status == Organisation.Status.VERIFIED
    assert restos.events.get().actor == dave


def test_it_asks_for_a_reason_before_rejecting_from_the_back_office(client, restos, dave):
    client.force_login(dave)
    url = reverse("admin:organisations_organisation_changelist")
    selected = {"action": "reject_organisations", helpers.ACTION_CHECKBOX_NAME: [restos.pk]}

    first = client.post(url, selected)
    restos.refresh_from_db()
    assert first.status_code == 200
    assert restos.status == Organisation.Status.PENDING

    client.post(url, {**selected, "apply": "1", "reason": "Duplicate of Croix-Rouge"})
    restos.refresh_from_db()
    assert restos.status == Organisation.Status.REJECTED
    assert restos.status_reason == "Duplicate of Croix-Rouge"


def test_it_shows_the_organisation_with_its_history(client, restos, dave):
    client.force_login(dave)

    response = client.get(reverse("admin:organisations_organisation_change", args=[restos.pk]))

    assert response.status_code == 200
    assert "Alice" in response.content.decode()

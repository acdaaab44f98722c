"""The back office decides on organisations through the same services."""

import pytest
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.urls import reverse

from entraide.core.errors import DomainError
from entraide.notifications.models import Notification
from entraide.organisations import selectors, services
from entraide.organisations.models import Organisation
from entraide.testing.factories import UserFactory


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


def test_staff_move_an_organisation_to_another_territory(client, restos, dave, mona, walter):
    client.force_login(dave)
    url = reverse("admin:organisations_organisation_changelist")
    selected = {"action": "move_organisations", helpers.ACTION_CHECKBOX_NAME: [restos.pk]}
    wallonia = walter.moderated_territories.get()

    form = client.post(url, selected)
    assert form.status_code == 200
    assert "Wallonie" in form.content.decode()

    no_territory = client.post(url, {**selected, "apply": "1", "territory": "nowhere"})
    assert no_territory.status_code == 200  # the form comes back with its error
    assert no_territory.context["form"].errors["territory"]

    no_reason = client.post(url, {**selected, "apply": "1", "territory": wallonia.pk})
    assert no_reason.status_code == 302
    restos.refresh_from_db()
    assert restos.territory.name == "Bruxelles-Capitale"

    client.post(
        url, {**selected, "apply": "1", "territory": wallonia.pk, "reason": "Based in Namur"}
    )
    restos.refresh_from_db()
    assert restos.territory == wallonia
    event = restos.events.get(kind="moved")
    assert (event.actor, event.reason) == (dave, "Based in Namur")
    assert event.data["to_territory"] == [wallonia.pk, "Wallonie"]
    # Still waiting for verification: the new territory's moderator is told, and decides now.
    waiting = Notification.objects.filter(template="organisation_waiting")
    assert set(waiting.values_list("recipient", flat=True)) == {walter.pk}
    assert list(selectors.moderation_queue(walter)) == [restos]
    assert list(selectors.moderation_queue(mona)) == []


def test_only_staff_move_organisations(restos, mona, walter, brussels):
    wallonia = walter.moderated_territories.get()
    with pytest.raises(DomainError):
        services.organisation_move(
            organisation=restos, territory=wallonia, actor=mona, reason="Namur"
        )
    staff = UserFactory.create(is_staff=True)
    with pytest.raises(ValidationError) as caught:
        services.organisation_move(organisation=restos, territory=brussels, actor=staff, reason="")
    assert set(caught.value.message_dict) == {"territory", "reason"}

"""Contact people: administrators choose which members the public page shows."""

import pytest
from django.urls import reverse

from entraide.core.errors import DomainError
from entraide.organisations import services
from entraide.organisations.models import Membership, OrganisationEvent

Role = Membership.Role


def test_it_shows_a_chosen_contact_person_on_the_public_page(client, restos, alice, mona):
    services.organisation_verify(organisation=restos, moderator=mona)
    membership = Membership.objects.get(organisation=restos, user=alice)
    public = reverse("organisations:public", args=[restos.slug])
    assert alice.email not in client.get(public).content.decode()

    client.force_login(alice)
    response = client.post(
        reverse("organisations:set_contact", args=[restos.slug, membership.pk]),
        {"is_contact": "1"},
    )

    assert response.status_code == 302
    client.logout()
    assert alice.email in client.get(public).content.decode()
    event = OrganisationEvent.objects.get(organisation=restos, kind="contact_changed")
    assert event.data == {"user": alice.pk, "is_contact": True}


def test_it_lets_only_administrators_choose_contact_people(client, restos, alice, bob):
    manager = Membership.objects.create(organisation=restos, user=bob, role=Role.MISSION_MANAGER)

    with pytest.raises(DomainError):
        services.member_set_contact(membership=manager, is_contact=True, actor=bob)
    client.force_login(bob)
    response = client.post(
        reverse("organisations:set_contact", args=[restos.slug, manager.pk]), {"is_contact": "1"}
    )

    assert response.status_code == 403
    manager.refresh_from_db()
    assert manager.is_contact is False

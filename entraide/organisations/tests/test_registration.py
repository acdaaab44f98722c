"""Registering an organisation and changing its details."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from entraide.core.errors import DomainError
from entraide.organisations import selectors, services
from entraide.organisations.models import Membership, Organisation, OrganisationEvent
from entraide.testing.factories import UserFactory


def register(user, territory, **overrides):
    arguments = {
        "user": user,
        "name": "Les Restos du Quartier",
        "kind": Organisation.Kind.ASSOCIATION,
        "territory": territory,
        "town": "Bruxelles",
    }
    arguments.update(overrides)
    return services.organisation_register(**arguments)


def test_it_registers_a_pending_organisation_administered_by_its_author(alice, brussels):
    organisation = register(alice, brussels, phone="02 511 11 11")

    assert organisation.status == Organisation.Status.PENDING
    assert organisation.slug == "les-restos-du-quartier"
    assert organisation.phone == "+3225111111"
    assert organisation.lat == pytest.approx(50.85, abs=0.1)
    assert selectors.member_role(alice, organisation) == Membership.Role.ADMINISTRATOR
    event = OrganisationEvent.objects.get(organisation=organisation)
    assert (event.kind, event.to_status, event.actor) == ("created", "pending", alice)


def test_it_gives_each_organisation_its_own_slug(alice, bob, brussels):
    first = register(alice, brussels)
    second = register(bob, brussels)
    third = register(bob, brussels, name="Les Restos du Quartier!")

    assert [first.slug, second.slug, third.slug] == [
        "les-restos-du-quartier",
        "les-restos-du-quartier-2",
        "les-restos-du-quartier-3",
    ]


def test_it_never_takes_the_address_of_another_page(alice, brussels):
    organisation = register(alice, brussels, name="Moderation")

    assert organisation.slug == "moderation-organisation"


def test_it_reports_every_bad_field_and_saves_nothing(alice, brussels):
    with pytest.raises(ValidationError) as caught:
        register(alice, None, name=" ", kind="club", town="Nowhereville", phone="12")

    assert set(caught.value.message_dict) == {"name", "kind", "territory", "town", "phone"}
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_it_rejects_an_invalid_website(alice, brussels):
    with pytest.raises(ValidationError) as caught:
        register(alice, brussels, website="not a url")

    assert "website" in caught.value.message_dict
    assert not Organisation.objects.exists()


def test_it_tells_the_moderators_of_the_territory(
    alice, brussels, mona, walter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(alice, brussels)

    assert [m.to for m in mail.outbox] == [["mona@example.org"]]
    assert "/en/organisations/moderation/" in mail.outbox[0].body


def test_it_lets_an_administrator_change_the_details(restos, alice):
    services.organisation_update(
        organisation=restos, actor=alice, description="Hot meals every evening", town="Namur"
    )

    restos.refresh_from_db()
    assert restos.description == "Hot meals every evening"
    assert restos.lat == pytest.approx(50.47, abs=0.1)
    event = restos.events.get(kind="updated")
    assert event.data["before"]["town"] == "Bruxelles"
    assert event.data["after"]["town"] == "Namur"


def test_it_refuses_changes_from_a_mission_manager(restos, bob):
    Membership.objects.create(organisation=restos, user=bob, role=Membership.Role.MISSION_MANAGER)

    with pytest.raises(DomainError):
        services.organisation_update(organisation=restos, actor=bob, name="Hijacked")

    restos.refresh_from_db()
    assert restos.name == "Les Restos du Quartier"


def test_it_keeps_the_old_details_when_a_change_is_invalid(restos, alice):
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(
            organisation=restos, actor=alice, name="New name", town="Nowhereville"
        )

    assert "town" in caught.value.message_dict
    restos.refresh_from_db()
    assert restos.name == "Les Restos du Quartier"
    assert not restos.events.filter(kind="updated").exists()


def test_it_lets_staff_change_any_organisation(restos, dave):
    services.organisation_update(organisation=restos, actor=dave, website="https://restos.be")

    restos.refresh_from_db()
    assert restos.website == "https://restos.be"


def test_it_lists_only_my_organisations(restos, alice, brussels):
    other = register(UserFactory(), brussels, name="Croix-Rouge")

    assert list(selectors.organisations_of(alice)) == [restos]
    assert selectors.member_role(alice, other) is None

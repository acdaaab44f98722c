"""The organisations' pages: who sees what, and what each form does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entraide.core.events import record_event
from entraide.organisations import selectors, services
from entraide.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
)
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import UserFactory

Status = Organisation.Status
Role = Membership.Role


@pytest.fixture
def other(brussels, bob):
    """Return another Brussels organisation, administered by bob."""
    organisation = OrganisationFactory(name="Croix-Rouge", slug="croix-rouge", territory=brussels)
    MembershipFactory(organisation=organisation, user=bob, role=Role.ADMINISTRATOR)
    return organisation


def test_it_sends_visitors_to_the_log_in_page(client, db):
    response = client.get(reverse("organisations:register"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_registers_an_organisation_from_the_form(client, alice, brussels):
    client.force_login(alice)

    response = client.post(
        reverse("organisations:register"),
        {
            "name": "Épicerie solidaire",
            "kind": "association",
            "territory": brussels.pk,
            "town": "Bruxelles",
        },
    )

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:settings", args=[organisation.slug])
    assert organisation.slug == "epicerie-solidaire"
    assert selectors.member_role(alice, organisation) == Role.ADMINISTRATOR


def test_it_shows_the_errors_and_keeps_the_values(client, alice, brussels):
    client.force_login(alice)

    response = client.post(
        reverse("organisations:register"),
        {
            "name": "Épicerie solidaire",
            "kind": "association",
            "territory": brussels.pk,
            "town": "Nowhereville",
        },
    )

    assert response.status_code == 400
    anchors = [error["anchor"] for error in response.context["error_summary"]]
    assert anchors == ["id_town"]
    assert 'value="Épicerie solidaire"' in response.content.decode()
    assert not Organisation.objects.exists()


def test_it_hides_the_public_page_until_the_organisation_is_verified(client, restos, mona):
    url = reverse("organisations:public", args=[restos.slug])

    assert client.get(url).status_code == 404
    services.organisation_verify(organisation=restos, moderator=mona)
    response = client.get(url)

    assert response.status_code == 200
    assert "Les Restos du Quartier" in response.content.decode()


def test_it_hides_the_page_of_a_suspended_organisation(client, restos, mona):
    services.organisation_verify(organisation=restos, moderator=mona)
    services.organisation_suspend(organisation=restos, moderator=mona, reason="Complaint")

    assert client.get(reverse("organisations:public", args=[restos.slug])).status_code == 404


def test_it_lets_members_preview_their_page(client, restos, alice):
    client.force_login(alice)

    response = client.get(reverse("organisations:public", args=[restos.slug]))

    assert response.status_code == 200
    assert response.context["preview"] is True


def test_it_forbids_the_settings_of_another_organisation(client, restos, other, alice):
    client.force_login(alice)
    slug = other.slug
    bob_membership = Membership.objects.get(organisation=other)

    attempts = [
        client.get(reverse("organisations:settings", args=[slug])),
        client.post(
            reverse("organisations:settings", args=[slug]),
            {"name": "Hijacked", "kind": "company", "town": "Bruxelles"},
        ),
        client.post(
            reverse("organisations:invite", args=[slug]),
            {"email": "spy@example.org", "role": "administrator"},
        ),
        client.post(
            reverse("organisations:change_role", args=[slug, bob_membership.pk]),
            {"role": "mission_manager"},
        ),
        client.post(reverse("organisations:remove_member", args=[slug, bob_membership.pk])),
    ]

    assert [r.status_code for r in attempts] == [403] * 5
    other.refresh_from_db()
    assert other.name == "Croix-Rouge"
    assert not Invitation.objects.exists()
    assert Membership.objects.get(pk=bob_membership.pk).role == Role.ADMINISTRATOR


def test_it_cannot_reach_another_organisations_member_through_its_own_settings(
    client, restos, other, alice
):
    client.force_login(alice)
    bob_membership = Membership.objects.get(organisation=other)

    response = client.post(
        reverse("organisations:change_role", args=[restos.slug, bob_membership.pk]),
        {"role": "mission_manager"},
    )

    assert response.status_code == 404
    assert Membership.objects.get(pk=bob_membership.pk).role == Role.ADMINISTRATOR


def test_it_forbids_the_settings_to_a_mission_manager(client, restos, bob):
    Membership.objects.create(organisation=restos, user=bob, role=Role.MISSION_MANAGER)
    client.force_login(bob)

    assert client.get(reverse("organisations:settings", args=[restos.slug])).status_code == 403


def test_it_saves_the_details_from_the_settings_page(client, restos, alice):
    client.force_login(alice)
    url = reverse("organisations:settings", args=[restos.slug])

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Les Restos",
            "kind": "association",
            "town": "Bruxelles",
            "description": "Repas chauds",
        },
    )

    assert response.status_code == 302
    restos.refresh_from_db()
    assert (restos.name, restos.description) == ("Les Restos", "Repas chauds")


def test_it_invites_from_the_settings_page_and_lists_the_invitation(client, restos, alice):
    client.force_login(alice)

    response = client.post(
        reverse("organisations:invite", args=[restos.slug]),
        {"email": "zoe@example.org", "role": "mission_manager"},
        follow=True,
    )

    assert response.status_code == 200
    assert "zoe@example.org" in response.content.decode()
    assert Invitation.objects.get().email == "zoe@example.org"


def test_it_shows_invitation_errors_on_the_settings_page(client, restos, alice):
    client.force_login(alice)

    response = client.post(
        reverse("organisations:invite", args=[restos.slug]),
        {"email": "alice@example.org", "role": "mission_manager"},
    )

    assert response.status_code == 400
    assert response.context["error_summary"][0]["anchor"] == "id_email"


def test_it_keeps_the_last_administrator_from_leaving(client, restos, alice):
    client.force_login(alice)
    membership = Membership.objects.get(organisation=restos, user=alice)

    response = client.post(
        reverse("organisations:remove_member", args=[restos.slug, membership.pk]), follow=True
    )

    assert response.status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_joins_a_logged_in_person_from_the_invitation_page(client, restos, alice, bob):
    _invitation, token = services.member_invite(
        organisation=restos, email="bob@example.org", role=Role.MISSION_MANAGER, actor=alice
    )
    client.force_login(bob)
    url = reverse("organisations:invitation", args=[token])

    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    assert selectors.member_role(bob, restos) == Role.MISSION_MANAGER


def test_it_asks_a_person_with_an_account_to_log_in(client, restos, alice, bob):
    _invitation, token = services.member_invite(
        organisation=restos, email="bob@example.org", role=Role.MISSION_MANAGER, actor=alice
    )

    response = client.get(reverse("organisations:invitation", args=[token]))

    assert response.status_code == 200
    assert reverse("accounts:login") + "?next=" in response.content.decode()
    assert 'name="password"' not in response.content.decode()


def test_it_signs_up_a_newcomer_from_the_invitation_page(client, restos, alice):
    _invitation, token = services.member_invite(
        organisation=restos, email="zoe@example.org", role=Role.MISSION_MANAGER, actor=alice
    )
    url = reverse("organisations:invitation", args=[token])

    response = client.post(
        url, {"first_name": "Zoé", "language": "fr", "password": "a long passphrase 42"}
    )

    assert response.status_code == 302
    membership = Membership.objects.get(organisation=restos, role=Role.MISSION_MANAGER)
    assert membership.user.email == "zoe@example.org"
    assert int(client.session["_auth_user_id"]) == membership.user.pk


def test_it_says_when_an_invitation_link_is_wrong(client, db):
    response = client.get(reverse("organisations:invitation", args=["made-up-token"]))

    assert response.status_code == 404
    assert response.context["problem"]


def test_it_shows_moderators_only_their_queue(client, restos, mona, wallonia):
    elsewhere = OrganisationFactory(name="Liège solidaire", territory=wallonia)
    client.force_login(mona)

    response = client.get(reverse("organisations:moderation"))

    assert response.status_code == 200
    assert list(response.context["queue"]) == [restos]
    assert elsewhere.name not in response.content.decode()


def test_it_forbids_the_moderation_queue_to_others(client, alice):
    client.force_login(alice)

    assert client.get(reverse("organisations:moderation")).status_code == 403


def test_it_verifies_from_the_queue(client, restos, mona):
    client.force_login(mona)

    response = client.post(reverse("organisations:moderate", args=[restos.slug, "verify"]))

    assert response.status_code == 302
    restos.refresh_from_db()
    assert restos.status == Status.VERIFIED


def test_it_forbids_a_moderator_of_another_territory(client, restos, walter):
    client.force_login(walter)

    response = client.post(reverse("organisations:moderate", args=[restos.slug, "verify"]))

    assert response.status_code == 403
    restos.refresh_from_db()
    assert restos.status == Status.PENDING


def test_it_asks_for_a_reason_before_rejecting(client, restos, mona):
    client.force_login(mona)
    url = reverse("organisations:moderate", args=[restos.slug, "reject"])

    response = client.post(url, {"reason": ""}, follow=True)

    restos.refresh_from_db()
    assert restos.status == Status.PENDING
    assert any(m.level_tag == "error" for m in response.context["messages"])
    client.post(url, {"reason": "Unknown association"})
    restos.refresh_from_db()
    assert restos.status == Status.REJECTED


def test_it_lists_my_organisations_on_the_dashboard(client, restos, other, alice):
    client.force_login(alice)

    response = client.get(reverse("organisations:dashboard"))

    assert [m.organisation for m in response.context["memberships"]] == [restos]


def test_it_lets_a_member_of_nothing_see_an_empty_dashboard(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("organisations:dashboard"))

    assert response.status_code == 200
    assert list(response.context["memberships"]) == []


def test_it_shows_an_empty_queue_to_a_moderator_without_territory(client, restos):
    client.force_login(UserFactory(is_moderator=True))

    response = client.get(reverse("organisations:moderation"))

    assert response.status_code == 200
    assert list(response.context["queue"]) == []
    assert restos.name not in response.content.decode()


def test_it_links_to_my_organisations_and_to_moderation(client, mona):
    mona.is_moderator = True
    mona.save()
    client.force_login(mona)

    content = client.get(reverse("organisations:dashboard")).content.decode()

    assert f'href="{reverse("organisations:moderation")}"' in content
    assert f'href="{reverse("organisations:dashboard")}"' in content


@pytest.fixture
def registered(bob, brussels):
    """Return an organisation bob registered with the evidence a moderator checks."""
    return services.organisation_register(
        user=bob,
        name="Épicerie solidaire",
        kind=Organisation.Kind.ASSOCIATION,
        territory=brussels,
        town="Bruxelles",
        address="Rue Haute 12",
        postcode="1000",
        registration_number="0123.456.789",
        website="https://epicerie.example.org",
    )


def test_it_shows_moderators_the_evidence_to_check(client, registered, bob, mona):
    client.force_login(mona)

    content = client.get(reverse("organisations:moderation")).content.decode()

    assert "0123.456.789" in content
    assert '<a href="https://epicerie.example.org" rel="noopener noreferrer nofollow">' in content
    assert "Rue Haute 12, 1000 Bruxelles" in content
    assert bob.get_full_name() in content
    assert 'href="mailto:bob@example.org"' in content


def _registrant_on_card(client, moderator, organisation: Organisation) -> str:
    """Return what the moderation card of the organisation says about who registered it."""
    client.force_login(moderator)
    content = client.get(reverse("organisations:moderation")).content.decode()
    card = content.split(f">{organisation.name}</a></h3>", 1)[1]
    return card.split("<dt>Registered by</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_it_says_the_registrant_was_not_recorded_when_no_event_tells(client, restos, mona):
    assert restos.events.count() == 0
    assert _registrant_on_card(client, mona, restos) == "Not recorded"


def test_it_takes_the_registrant_from_the_first_event_by_the_organisation_s_people(
    client, restos, alice, bob, mona, brussels
):
    # Registered before the "created" event existed: a moderator's move comes first, then
    # alice's invitation; the moderator is not the registrant, alice is.
    record_event(
        OrganisationEvent,
        restos,
        "moved",
        actor=mona,
        from_status="pending",
        to_status="pending",
        data={"territory": brussels.pk},
    )
    record_event(OrganisationEvent, restos, "member_invited", actor=alice)
    record_event(OrganisationEvent, restos, "member_invited", actor=bob)

    registrant = _registrant_on_card(client, mona, restos)

    assert alice.email in registrant
    assert bob.email not in registrant
    assert mona.email not in registrant


def test_it_shows_the_registrants_in_the_same_queries_however_many_organisations_wait(
    client, restos, mona, brussels
):
    client.force_login(mona)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("organisations:moderation"))
    for n in range(3):
        registrant = UserFactory.create()
        services.organisation_register(
            user=registrant,
            name=f"Association {n}",
            kind="association",
            territory=brussels,
            town="Bruxelles",
        )
    with CaptureQueriesContext(connection) as four:
        content = client.get(reverse("organisations:moderation")).content.decode()
    assert content.count("Not recorded") == 1
    assert len(four) == len(one)


def test_it_keeps_the_evidence_from_everybody_else(client, registered, alice, walter):
    client.force_login(walter)
    response = client.get(reverse("organisations:moderation"))
    assert "0123.456.789" not in response.content.decode()
    assert "bob@example.org" not in response.content.decode()

    client.force_login(alice)
    response = client.get(reverse("organisations:moderation"))
    assert response.status_code == 403
    assert "bob@example.org" not in response.content.decode()

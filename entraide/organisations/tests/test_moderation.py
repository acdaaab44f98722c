"""Moderators verify, reject, suspend and reinstate the organisations of their territory."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from entraide.core.errors import ConflictError, DomainError
from entraide.organisations import permissions, selectors, services
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import OrganisationFactory

Status = Organisation.Status


def test_it_verifies_a_pending_organisation(restos, mona):
    services.organisation_verify(organisation=restos, moderator=mona)

    restos.refresh_from_db()
    assert restos.status == Status.VERIFIED
    assert restos.verified_at is not None
    event = restos.events.get(kind="verified")
    assert (event.from_status, event.to_status, event.actor) == ("pending", "verified", mona)


def test_it_refuses_a_moderator_of_another_territory(restos, walter):
    with pytest.raises(DomainError) as caught:
        services.organisation_verify(organisation=restos, moderator=walter)

    assert caught.value.code == "forbidden"
    restos.refresh_from_db()
    assert restos.status == Status.PENDING
    assert not restos.events.exists()


def test_it_refuses_a_member_who_is_not_a_moderator(restos, alice):
    with pytest.raises(DomainError):
        services.organisation_verify(organisation=restos, moderator=alice)


def test_it_lets_staff_moderate_every_territory(restos, dave):
    services.organisation_verify(organisation=restos, moderator=dave)

    restos.refresh_from_db()
    assert restos.status == Status.VERIFIED


def test_it_needs_a_reason_to_reject(restos, mona):
    with pytest.raises(ValidationError) as caught:
        services.organisation_reject(organisation=restos, moderator=mona, reason="   ")

    assert "reason" in caught.value.message_dict
    restos.refresh_from_db()
    assert restos.status == Status.PENDING


def test_it_rejects_with_the_reason_and_emails_the_administrators(
    restos, mona, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_reject(
            organisation=restos, moderator=mona, reason="No registration number found"
        )

    restos.refresh_from_db()
    assert restos.status == Status.REJECTED
    assert restos.status_reason == "No registration number found"
    assert restos.events.get(kind="rejected").reason == "No registration number found"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.extra_headers["Content-Language"] == "fr"
    assert "No registration number found" in message.body
    assert "http://testserver/fr/organisations/les-restos-du-quartier/settings/" in message.body


def test_it_cannot_verify_a_rejected_organisation_without_reinstating_it(restos, mona):
    services.organisation_reject(organisation=restos, moderator=mona, reason="Unknown")

    with pytest.raises(ConflictError):
        services.organisation_verify(organisation=restos, moderator=mona)

    services.organisation_reinstate(organisation=restos, moderator=mona)
    restos.refresh_from_db()
    assert restos.status == Status.PENDING
    services.organisation_verify(organisation=restos, moderator=mona)
    restos.refresh_from_db()
    assert restos.status == Status.VERIFIED


def test_it_suspends_only_a_verified_organisation(restos, mona):
    with pytest.raises(ConflictError):
        services.organisation_suspend(organisation=restos, moderator=mona, reason="Spam")

    services.organisation_verify(organisation=restos, moderator=mona)
    with pytest.raises(ValidationError):
        services.organisation_suspend(organisation=restos, moderator=mona, reason="")
    services.organisation_suspend(organisation=restos, moderator=mona, reason="Spam")

    restos.refresh_from_db()
    assert restos.status == Status.SUSPENDED
    assert not restos.can_publish


def test_it_lifts_a_suspension_back_to_verified(restos, mona):
    services.organisation_verify(organisation=restos, moderator=mona)
    services.organisation_suspend(organisation=restos, moderator=mona, reason="Complaint")

    services.organisation_reinstate(organisation=restos, moderator=mona, reason="Cleared")

    restos.refresh_from_db()
    assert restos.status == Status.VERIFIED
    assert restos.status_reason == "Cleared"
    kinds = list(restos.events.values_list("kind", flat=True))
    assert kinds == ["verified", "suspended", "reinstated"]


def test_it_cannot_reinstate_a_pending_organisation(restos, mona):
    with pytest.raises(ConflictError):
        services.organisation_reinstate(organisation=restos, moderator=mona)


def test_it_lets_only_one_of_two_moderators_decide(restos, mona, dave):
    stale_copy = Organisation.objects.get(pk=restos.pk)
    services.organisation_verify(organisation=restos, moderator=mona)

    with pytest.raises(ConflictError):
        services.organisation_reject(organisation=stale_copy, moderator=dave, reason="Duplicate")

    assert Organisation.objects.get(pk=restos.pk).status == Status.VERIFIED
    assert restos.events.count() == 1


def test_it_queues_the_pending_organisations_of_my_territories_oldest_first(
    restos, mona, brussels, wallonia
):
    newer = OrganisationFactory(territory=brussels)
    OrganisationFactory(territory=wallonia)
    OrganisationFactory(territory=brussels, status=Status.VERIFIED)

    assert list(selectors.moderation_queue(mona)) == [restos, newer]


def test_it_queues_every_territory_for_staff(restos, dave, wallonia):
    elsewhere = OrganisationFactory(territory=wallonia)

    assert set(selectors.moderation_queue(dave)) == {restos, elsewhere}


def test_it_lets_mission_managers_act_only_for_acting_organisations(restos, alice, bob, mona):
    Membership.objects.create(organisation=restos, user=bob, role=Membership.Role.MISSION_MANAGER)
    assert permissions.can_manage_missions(bob, restos)
    assert not permissions.can_administer(bob, restos)
    assert permissions.can_administer(alice, restos)

    services.organisation_reject(organisation=restos, moderator=mona, reason="Unknown")
    restos.refresh_from_db()

    assert not permissions.can_manage_missions(alice, restos)
    assert not permissions.can_manage_missions(bob, restos)


def test_it_lets_staff_manage_missions_of_any_organisation(restos, dave, charlie):
    assert permissions.can_manage_missions(dave, restos)
    assert not permissions.can_manage_missions(charlie, restos)
    assert not permissions.can_moderate(charlie, restos)


def test_it_emails_each_decision_in_the_administrators_language(
    restos, mona, bob, django_capture_on_commit_callbacks
):
    Membership.objects.create(organisation=restos, user=bob, role=Membership.Role.ADMINISTRATOR)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_verify(organisation=restos, moderator=mona)
        services.organisation_suspend(organisation=restos, moderator=mona, reason="Complaint")
        services.organisation_reinstate(organisation=restos, moderator=mona)

    sent = sorted((m.to[0], m.extra_headers["Content-Language"]) for m in mail.outbox)
    assert sent == [("alice@example.org", "fr")] * 3 + [("bob@example.org", "nl")] * 3
    bodies = [m.body for m in mail.outbox if m.to == ["bob@example.org"]]
    assert all("http://testserver/nl/organisations/" in body for body in bodies)
    assert all("Les Restos du Quartier" in m.subject for m in mail.outbox)

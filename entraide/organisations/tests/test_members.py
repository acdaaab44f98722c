"""Invitations by email, roles, and the rule that an organisation keeps an administrator."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError
from entraide.organisations import selectors, services
from entraide.organisations.models import Invitation, Membership

Role = Membership.Role


def invite(organisation, actor, email="zoe@example.org", role=Role.MISSION_MANAGER):
    return services.member_invite(organisation=organisation, email=email, role=role, actor=actor)


def test_it_emails_an_invitation_link_and_stores_only_its_fingerprint(
    restos, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(restos, alice, email=" Zoe@Example.org ")

    assert invitation.email == "zoe@example.org"
    assert token not in invitation.token_hash
    assert len(token) >= 40
    assert mail.outbox[0].to == ["zoe@example.org"]
    link = re.search(r"http://testserver/\S+", str(mail.outbox[0].body))
    assert link is not None
    assert link.group(0) == f"http://testserver/fr/organisations/invitations/{token}/"


def test_it_refuses_invitations_from_a_mission_manager(restos, bob):
    Membership.objects.create(organisation=restos, user=bob, role=Role.MISSION_MANAGER)

    with pytest.raises(DomainError):
        invite(restos, bob)

    assert not Invitation.objects.exists()


def test_it_refuses_a_bad_address_a_bad_role_a_member_and_a_second_invitation(restos, alice):
    with pytest.raises(ValidationError) as caught:
        invite(restos, alice, email="not-an-address", role="owner")
    assert set(caught.value.message_dict) == {"email", "role"}

    with pytest.raises(ValidationError):
        invite(restos, alice, email="ALICE@example.org")

    invite(restos, alice)
    with pytest.raises(ValidationError):
        invite(restos, alice)
    assert Invitation.objects.count() == 1


def test_it_lets_a_person_join_once(restos, alice, bob):
    _invitation, token = invite(restos, alice, email="bob@example.org")

    first = services.invitation_accept(token=token, user=bob)
    again = services.invitation_accept(token=token, user=bob)

    assert first.pk == again.pk
    assert first.role == Role.MISSION_MANAGER
    assert Membership.objects.filter(organisation=restos, user=bob).count() == 1
    assert restos.events.filter(kind="member_joined").count() == 1


def test_it_refuses_a_used_link_to_somebody_else(restos, alice, bob, charlie):
    _invitation, token = invite(restos, alice, email="bob@example.org")
    services.invitation_accept(token=token, user=bob)

    with pytest.raises(DomainError) as caught:
        services.invitation_accept(token=token, user=charlie)

    assert caught.value.code == "used"
    assert selectors.member_role(charlie, restos) is None


def test_it_refuses_a_tampered_token(restos, alice, bob):
    _invitation, token = invite(restos, alice, email="bob@example.org")

    with pytest.raises(DomainError) as caught:
        services.invitation_accept(token=token[:-1] + ("A" if token[-1] != "A" else "B"), user=bob)

    assert caught.value.code == "invalid"
    assert selectors.member_role(bob, restos) is None


def test_it_refuses_an_expired_invitation(restos, alice, bob):
    _invitation, token = invite(restos, alice, email="bob@example.org")

    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        pytest.raises(DomainError) as caught,
    ):
        services.invitation_accept(token=token, user=bob)

    assert caught.value.code == "expired"
    assert selectors.member_role(bob, restos) is None


def test_it_accepts_an_invitation_on_its_last_day(restos, alice, bob):
    _invitation, token = invite(restos, alice, email="bob@example.org")

    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        services.invitation_accept(token=token, user=bob)

    assert selectors.member_role(bob, restos) == Role.MISSION_MANAGER


def test_it_refuses_a_cancelled_invitation(restos, alice, bob):
    invitation, token = invite(restos, alice, email="bob@example.org")
    services.invitation_revoke(invitation=invitation, actor=alice)

    with pytest.raises(DomainError) as caught:
        services.invitation_accept(token=token, user=bob)

    assert caught.value.code == "revoked"
    with pytest.raises(ConflictError):
        services.invitation_revoke(invitation=invitation, actor=alice)


def test_it_never_demotes_a_member_who_accepts_an_invitation(restos, alice, bob):
    _invitation, token = invite(restos, alice, email="bob@example.org", role=Role.ADMINISTRATOR)
    services.invitation_accept(token=token, user=bob)
    invitation, token = invite(restos, alice, email="bob2@example.org")

    services.invitation_accept(token=token, user=bob)

    assert selectors.member_role(bob, restos) == Role.ADMINISTRATOR


def test_it_creates_the_account_of_a_newcomer_and_joins(restos, alice):
    _invitation, token = invite(restos, alice)

    membership = services.invitation_accept_with_new_account(
        token=token, first_name="Zoé", password="a long passphrase 42", language="nl"
    )

    user = User.objects.get(email="zoe@example.org")
    assert membership.user == user
    assert user.check_password("a long passphrase 42")
    assert user.email_verified_at is not None
    assert user.language == "nl"


def test_it_creates_no_account_when_the_password_is_weak(restos, alice):
    _invitation, token = invite(restos, alice)

    with pytest.raises(ValidationError) as caught:
        services.invitation_accept_with_new_account(
            token=token, first_name="Zoé", password="123", language="fr"
        )

    assert "password" in caught.value.message_dict
    assert not User.objects.filter(email="zoe@example.org").exists()


def test_it_never_removes_the_last_administrator(restos, alice):
    membership = Membership.objects.get(organisation=restos, user=alice)

    with pytest.raises(DomainError) as caught:
        services.member_remove(membership=membership, actor=alice)
    assert caught.value.code == "last_administrator"
    with pytest.raises(DomainError):
        services.member_change_role(membership=membership, role=Role.MISSION_MANAGER, actor=alice)

    assert selectors.member_role(alice, restos) == Role.ADMINISTRATOR


def test_it_lets_an_administrator_step_down_once_another_exists(restos, alice, bob):
    bob_membership = Membership.objects.create(
        organisation=restos, user=bob, role=Role.MISSION_MANAGER
    )
    services.member_change_role(membership=bob_membership, role=Role.ADMINISTRATOR, actor=alice)
    alice_membership = Membership.objects.get(organisation=restos, user=alice)

    services.member_change_role(membership=alice_membership, role=Role.MISSION_MANAGER, actor=alice)

    assert selectors.member_role(alice, restos) == Role.MISSION_MANAGER
    assert selectors.member_role(bob, restos) == Role.ADMINISTRATOR
    with pytest.raises(DomainError):
        services.member_remove(membership=bob_membership, actor=bob)


def test_it_lets_a_mission_manager_leave_but_not_remove_others(restos, alice, bob, charlie):
    bob_membership = Membership.objects.create(
        organisation=restos, user=bob, role=Role.MISSION_MANAGER
    )
    charlie_membership = Membership.objects.create(
        organisation=restos, user=charlie, role=Role.MISSION_MANAGER
    )

    with pytest.raises(DomainError):
        services.member_remove(membership=charlie_membership, actor=bob)
    services.member_remove(membership=bob_membership, actor=bob)

    assert selectors.member_role(bob, restos) is None
    assert selectors.member_role(charlie, restos) == Role.MISSION_MANAGER

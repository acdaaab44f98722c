"""Inviting employees by email: the manager's list, the single-use link, its refusals."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from entraide.companies import services
from entraide.companies.models import Employee, EmployeeInvitation
from entraide.core.errors import DomainError, PermissionDeniedError
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/\w\w/companies/invitations/[\w-]+/)")


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Return employee_invite, sending its emails as a committed transaction would."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.employee_invite(**kwargs)

    return run


def _link(to: str) -> str:
    message = next(m for m in mail.outbox if m.to == [to])
    found = LINK.search(str(message.body))
    assert found, message.body
    return found.group(1)


def test_it_emails_each_address_a_link_once(acme, hugo, invite):
    sent = invite(
        company=acme,
        emails="Lea@Example.org, max@example.org\nlea@example.org",
        actor=hugo,
    )

    assert sorted(i.email for i, _token in sent) == ["lea@example.org", "max@example.org"]
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.org", "max@example.org"]
    message = next(m for m in mail.outbox if m.to == ["lea@example.org"])
    assert message.subject == "Join Acme on entraide"
    assert "works once, for this email address" in message.body
    # Only a fingerprint is stored, never the token in the link.
    token = sent[0][1]
    assert not EmployeeInvitation.objects.filter(token_hash=token).exists()


def test_it_refuses_the_whole_list_naming_each_bad_address(acme, hugo, judy, invite):
    invite(company=acme, emails="max@example.org", actor=hugo)
    mail.outbox.clear()

    with pytest.raises(ValidationError) as refused:
        invite(
            company=acme,
            emails="new@example.org, not-an-address, judy@acme.example, max@example.org",
            actor=hugo,
        )

    assert refused.value.message_dict["emails"] == [
        "“not-an-address” is not a valid email address.",
        "judy@acme.example is already an employee.",
        "max@example.org already has an invitation; cancel it to send a new one.",
    ]
    assert not EmployeeInvitation.objects.filter(email="new@example.org").exists()
    assert mail.outbox == []


def test_it_refuses_an_empty_list_and_non_administrators(acme, hugo, judy):
    with pytest.raises(ValidationError) as empty:
        services.employee_invite(company=acme, emails=" ,\n ", actor=hugo)
    assert empty.value.message_dict["emails"] == ["Enter at least one email address."]
    with pytest.raises(PermissionDeniedError):
        services.employee_invite(company=acme, emails="a@example.org", actor=judy.user)


def test_it_makes_the_invited_address_an_employee_once(acme, hugo, invite):
    lea = UserFactory.create(email="lea@example.org")
    [(invitation, token)] = invite(company=acme, emails="lea@example.org", actor=hugo)

    employee = services.employee_invitation_accept(token=token, user=lea)

    assert employee.company == acme and employee.user == lea
    invitation.refresh_from_db()
    assert invitation.status == EmployeeInvitation.Status.ACCEPTED
    assert invitation.accepted_by == lea
    with pytest.raises(DomainError) as reused:
        services.employee_invitation_accept(token=token, user=lea)
    assert reused.value.code == "used"
    assert Employee.objects.filter(company=acme, user=lea).count() == 1


def test_it_refuses_another_address_than_the_invited_one(acme, hugo, invite):
    [(invitation, token)] = invite(company=acme, emails="lea@example.org", actor=hugo)
    other = UserFactory.create(email="other@example.org")

    with pytest.raises(DomainError) as refused:
        services.employee_invitation_accept(token=token, user=other)

    assert refused.value.code == "wrong_address"
    assert "sent to lea@example.org, but you are logged in as other@example.org" in str(
        refused.value.message
    )
    assert not Employee.objects.filter(user=other).exists()
    invitation.refresh_from_db()
    assert invitation.status == EmployeeInvitation.Status.PENDING


def test_it_refuses_an_expired_link(acme, hugo, invite):
    lea = UserFactory.create(email="lea@example.org")
    [(invitation, token)] = invite(company=acme, emails="lea@example.org", actor=hugo)

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert invitation.status == EmployeeInvitation.Status.EXPIRED
        with pytest.raises(DomainError) as refused:
            services.employee_invitation_accept(token=token, user=lea)
        assert refused.value.code == "expired"
        # An expired invitation no longer blocks a new one.
        invite(company=acme, emails="lea@example.org", actor=hugo)
    assert not Employee.objects.filter(user=lea).exists()


def test_a_cancelled_link_no_longer_works(acme, hugo, invite):
    lea = UserFactory.create(email="lea@example.org")
    [(invitation, token)] = invite(company=acme, emails="lea@example.org", actor=hugo)

    services.employee_invitation_revoke(invitation=invitation, actor=hugo)

    with pytest.raises(DomainError) as refused:
        services.employee_invitation_accept(token=token, user=lea)
    assert refused.value.code == "revoked"
    with pytest.raises(DomainError):
        services.employee_invitation_revoke(invitation=invitation, actor=hugo)


def test_the_manager_invites_lists_and_cancels_from_the_page(client, acme, hugo):
    client.force_login(hugo)
    url = reverse("companies:invitations", args=["acme"])

    bad = client.post(url, {"emails": "lea@example.org, oops"})
    assert bad.status_code == 400
    assert "“oops” is not a valid email address." in bad.content.decode()
    assert not EmployeeInvitation.objects.exists()

    sent = client.post(url, {"emails": "lea@example.org\nmax@example.org"}, follow=True)
    page = sent.content.decode()
    assert "We emailed 2 invitations." in page
    assert "lea@example.org" in page and "Waiting for an answer" in page

    invitation = EmployeeInvitation.objects.get(email="lea@example.org")
    cancel = reverse("companies:revoke_invitation", args=["acme", invitation.pk])
    page = client.post(cancel, follow=True).content.decode()
    assert "The invitation to lea@example.org is cancelled." in page
    assert "Cancelled" in page


def test_only_the_companys_administrators_see_the_invitations(client, acme, judy, kim):
    url = reverse("companies:invitations", args=["acme"])
    for user in (judy.user, kim):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"emails": "x@example.org"}).status_code == 403
    assert not EmployeeInvitation.objects.exists()


def test_the_link_joins_the_logged_in_invitee(client, acme, hugo, invite):
    lea = UserFactory.create(email="lea@example.org", language="en")
    invite(company=acme, emails="lea@example.org", actor=hugo)
    link = _link("lea@example.org")
    client.force_login(lea)

    assert "Accept the invitation" in client.get(link).content.decode()
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("companies:employee", args=["acme"])
    assert Employee.objects.filter(company=acme, user=lea).exists()
    again = client.get(link)
    assert again.status_code == 410
    assert "This invitation has already been used." in again.content.decode()


def test_the_link_says_so_when_opened_with_another_account(client, acme, hugo, invite):
    invite(company=acme, emails="lea@example.org", actor=hugo)
    link = _link("lea@example.org")
    client.force_login(UserFactory.create(email="other@example.org"))

    response = client.post(link)

    assert response.status_code == 400
    assert "logged in as other@example.org" in response.content.decode()
    assert not Employee.objects.filter(user__email="other@example.org").exists()


def test_a_newcomer_signs_up_from_the_link(client, acme, hugo, invite):
    invite(company=acme, emails="new@example.org", actor=hugo)
    link = _link("new@example.org")

    refused = client.post(link, {"first_name": "", "language": "en", "password": "x"})
    assert refused.status_code == 400
    assert not Employee.objects.filter(user__email="new@example.org").exists()

    response = client.post(
        link, {"first_name": "Nina", "language": "en", "password": "a long enough passphrase"}
    )

    assert response.status_code == 302
    employee = Employee.objects.get(company=acme, user__email="new@example.org")
    assert employee.user.email_verified_at is not None
    assert client.get(reverse("companies:employee", args=["acme"])).status_code == 200


@pytest.mark.parametrize("token", ["nope", "x" * 200])
def test_a_wrong_link_is_a_clear_404(client, token):
    response = client.get(reverse("companies:invitation", args=[token]))

    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()

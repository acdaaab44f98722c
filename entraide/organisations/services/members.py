"""Writes for the members of an organisation: change a role, remove or leave."""

from django.db import transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError
from entraide.core.events import record_event
from entraide.organisations.models import Membership, Organisation, OrganisationEvent
from entraide.organisations.services._common import Role, _check_administrator, _check_role


def _other_administrators(membership: Membership) -> int:
    """Return how many other administrators the organisation has (its row locked first)."""
    Organisation.objects.select_for_update().filter(pk=membership.organisation_id).first()
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Role.ADMINISTRATOR
        )
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def member_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Give a member another role; an organisation always keeps one administrator."""
    _check_administrator(membership.organisation, actor)
    _check_role(role)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == role:
        return locked
    if locked.role == Role.ADMINISTRATOR and _other_administrators(locked) == 0:
        raise DomainError(
            _("The organisation needs at least one administrator. Name another one first."),
            code="last_administrator",
        )
    old_role = locked.role
    locked.role = role
    locked.full_clean()
    locked.save(update_fields=["role"])
    record_event(
        OrganisationEvent,
        locked.organisation,
        "role_changed",
        actor=actor,
        data={"user": locked.user_id, "before": old_role, "after": role},
    )
    membership.role = role
    return locked


@transaction.atomic
def member_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member (administrators), or leave (the member themselves); keep one admin."""
    if membership.user_id != actor.pk:
        _check_administrator(membership.organisation, actor)
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise ConflictError(_("This person is no longer a member."))
    if locked.role == Role.ADMINISTRATOR and _other_administrators(locked) == 0:
        raise DomainError(
            _("The organisation needs at least one administrator. Name another one first."),
            code="last_administrator",
        )
    record_event(
        OrganisationEvent,
        locked.organisation,
        "member_removed",
        actor=actor,
        data={"user": locked.user_id, "role": locked.role},
    )
    locked.delete()


@transaction.atomic
def member_set_contact(*, membership: Membership, is_contact: bool, actor: User) -> Membership:
    """Show or hide a member as a contact person on the organisation's public page."""
    _check_administrator(membership.organisation, actor)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.is_contact == is_contact:
        return locked
    locked.is_contact = is_contact
    locked.save(update_fields=["is_contact"])
    record_event(
        OrganisationEvent,
        locked.organisation,
        "contact_changed",
        actor=actor,
        data={"user": locked.user_id, "is_contact": is_contact},
    )
    membership.is_contact = is_contact
    return locked

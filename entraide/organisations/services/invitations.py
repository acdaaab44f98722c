"""Writes for inviting people into an organisation and answering the invitation."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.accounts.services import user_set_password
from entraide.core.errors import ConflictError, DomainError
from entraide.core.events import record_event
from entraide.core.links import absolute_url
from entraide.notifications.services import notify
from entraide.organisations import selectors
from entraide.organisations.models import Invitation, Membership, Organisation, OrganisationEvent
from entraide.organisations.services._common import (
    Role,
    Status,
    _check_administrator,
)

INVITATION_VALID_DAYS = 14


@transaction.atomic
def member_invite(
    *, organisation: Organisation, email: str, role: str, actor: User
) -> tuple[Invitation, str]:
    """Invite a person by email; return the invitation and the token of its link."""
    _check_administrator(organisation, actor)
    errors: dict[str, list[str]] = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    if role not in Role.values:
        errors["role"] = [_("Choose a role.")]
    if errors:
        raise ValidationError(errors)
    # Lock the organisation so two administrators inviting the same address make one link.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": [_("This person is already a member.")]})
    now = timezone.now()
    if (
        selectors.open_invitations(organisation)
        .filter(email__iexact=email, expires_at__gt=now)
        .exists()
    ):
        raise ValidationError(
            {"email": [_("This person already has an invitation. Cancel it to send a new one.")]}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=selectors.token_hash(token),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    record_event(
        OrganisationEvent,
        organisation,
        "member_invited",
        actor=actor,
        data={"invitation": invitation.pk, "email": email, "role": role},
    )
    existing = User.objects.filter(email__iexact=email).first()
    # A newcomer has no language yet: the colleague who invites them probably shares theirs.
    language = existing.language if existing is not None else actor.language
    with translation.override(language):
        context = {
            "organisation_name": organisation.name,
            "inviter_name": actor.get_full_name() or actor.display_name,
            "role": str(invitation.get_role_display()),
            "url": absolute_url("organisations:invitation", language=language, args=[token]),
            "valid_days": INVITATION_VALID_DAYS,
            "site_name": settings.SITE_NAME,
        }
    notify(
        template="organisation_invitation",
        context=context,
        dedupe_key=f"organisation:{organisation.pk}:invitation:{invitation.pk}",
        recipient=existing,
        to_email=email,
        language=language,
    )
    return invitation, token


def _open_invitation(token: str) -> Invitation:
    """Return the locked invitation of a link, or raise DomainError saying what is wrong."""
    found = selectors.invitation_for_token(token)
    invalid = DomainError(
        _("This invitation link is not valid. Check that you copied all of it."),
        code="invalid",
    )
    if found is None:
        raise invalid
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=found.pk)
    )
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation was cancelled."), code="revoked")
    return invitation


def _check_not_expired(invitation: Invitation) -> None:
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation has expired. Ask the organisation to send you a new one."),
            code="expired",
        )


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Join the organisation of an invitation; opening the link twice joins once."""
    invitation = _open_invitation(token)
    organisation = invitation.organisation
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == user.pk:
            membership = Membership.objects.filter(organisation=organisation, user=user).first()
            if membership is not None:
                return membership
        raise DomainError(_("This invitation has already been used."), code="used")
    _check_not_expired(invitation)
    if organisation.status == Status.REJECTED:
        raise DomainError(_("This organisation was not accepted on the platform."), code="rejected")
    now = timezone.now()
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=now, accepted_by=user
    )
    if claimed != 1:
        raise DomainError(_("This invitation has already been used."), code="used")
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is None:
        membership = Membership(organisation=organisation, user=user, role=invitation.role)
        membership.full_clean()
        membership.save()
    # Someone already a member keeps their role: an invitation never demotes anybody.
    record_event(
        OrganisationEvent,
        organisation,
        "member_joined",
        actor=user,
        data={"invitation": invitation.pk, "user": user.pk, "role": membership.role},
    )
    return membership


@transaction.atomic
def invitation_accept_with_new_account(
    *, token: str, first_name: str, password: str, language: str
) -> Membership:
    """Create the invited person's account (the link proves the address), then join."""
    invitation = _open_invitation(token)
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used."), code="used")
    _check_not_expired(invitation)
    errors: dict[str, list[str]] = {}
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise DomainError(
            _("An account already exists with this address. Log in to accept the invitation."),
            code="account_exists",
        )
    if not first_name.strip():
        errors["first_name"] = [_("Enter your first name.")]
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = [_("Choose a language.")]
    if errors:
        raise ValidationError(errors)
    user = User(
        email=invitation.email,
        username=invitation.email,
        first_name=first_name.strip(),
        language=language,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user_set_password(user=user, password=password, from_emailed_link=True)
    return invitation_accept(token=token, user=user)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Cancel an invitation nobody has accepted yet."""
    _check_administrator(invitation.organisation, actor)
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if updated != 1:
        raise ConflictError(_("This invitation was already accepted or cancelled."))
    invitation.refresh_from_db()
    record_event(
        OrganisationEvent,
        invitation.organisation,
        "invitation_revoked",
        actor=actor,
        data={"invitation": invitation.pk, "email": invitation.email},
    )
    return invitation

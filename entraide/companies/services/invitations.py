"""Writes for inviting employees by email and answering the invitation."""

import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.accounts.services import user_check_new, user_save_new
from entraide.companies import selectors
from entraide.companies.models import Employee, EmployeeInvitation
from entraide.companies.services._common import _lock_profile, _require_administrator
from entraide.companies.services.employees import _join
from entraide.core.errors import ConflictError, DomainError
from entraide.core.links import absolute_url
from entraide.notifications.services import notify
from entraide.organisations.models import Organisation

INVITATION_VALID_DAYS = 14
# One paste from a spreadsheet column; more is a bulk import, not an invitation.
MAX_ADDRESSES = 200
_SEPARATORS = re.compile(r"[\s,;]+")


def _addresses(text: str) -> list[str]:
    """Return the addresses typed one per line or separated by commas, each once, in order."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text or ""):
        if part:
            seen.setdefault(part.strip("<>").lower(), None)
    return list(seen)


@transaction.atomic
def employee_invite(
    *, company: Organisation, emails: str, actor: User
) -> list[tuple[EmployeeInvitation, str]]:
    """Email each address a link to join the company; return the invitations and their tokens.

    Every address must be valid and new: if one is not, none is sent and the error names
    each problem, so the manager fixes the list and sends it again.
    """
    _require_administrator(actor, company)
    addresses = _addresses(emails)
    if not addresses:
        raise ValidationError({"emails": [_("Enter at least one email address.")]})
    if len(addresses) > MAX_ADDRESSES:
        raise ValidationError(
            {"emails": [_("Invite at most %(count)s people at once.") % {"count": MAX_ADDRESSES}]}
        )
    # Serialise a company's invitations: two managers pasting one address send one link.
    _lock_profile(company)
    now = timezone.now()
    employees = {
        email.lower()
        for email in Employee.objects.filter(company=company).values_list("user__email", flat=True)
    }
    invited = {
        email.lower()
        for email in EmployeeInvitation.objects.filter(
            company=company, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).values_list("email", flat=True)
    }
    problems = []
    for email in addresses:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("“%(email)s” is not a valid email address.") % {"email": email})
            continue
        if email in employees:
            problems.append(_("%(email)s is already an employee.") % {"email": email})
        elif email in invited:
            problems.append(
                _("%(email)s already has an invitation; cancel it to send a new one.")
                % {"email": email}
            )
    if problems:
        raise ValidationError({"emails": problems})
    return [_invite_one(company, email, actor, now) for email in addresses]


def _invite_one(
    company: Organisation, email: str, actor: User, now: datetime
) -> tuple[EmployeeInvitation, str]:
    """Create one invitation and queue its email."""
    token = secrets.token_urlsafe(32)
    invitation = EmployeeInvitation(
        company=company,
        email=email,
        token_hash=selectors.invitation_token_hash(token),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    existing = User.objects.filter(email__iexact=email).first()
    # A newcomer has no language yet: the colleague who invites them probably shares it.
    language = existing.language if existing is not None else actor.language
    with translation.override(language):
        url = absolute_url("companies:invitation", language=language, args=[token])
    notify(
        template="employee_invitation",
        context={
            "company_name": company.name,
            "inviter_name": actor.get_full_name() or actor.email,
            "url": url,
            "valid_days": INVITATION_VALID_DAYS,
            "site_name": settings.SITE_NAME,
        },
        dedupe_key=f"company:{company.pk}:employee_invitation:{invitation.pk}",
        recipient=existing,
        to_email=email,
        language=language,
        about=invitation,
    )
    return invitation, token


def _open_invitation(token: str) -> EmployeeInvitation:
    """Return the locked, usable invitation of a link, or raise DomainError saying why not."""
    found = selectors.employee_invitation_for_token(token)
    if found is None:
        raise DomainError(
            _("This invitation link is not valid. Check that you copied all of it."),
            code="invalid",
        )
    invitation = (
        EmployeeInvitation.objects.select_for_update().select_related("company").get(pk=found.pk)
    )
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used."), code="used")
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation was cancelled."), code="revoked")
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation has expired. Ask your company to send you a new one."),
            code="expired",
        )
    return invitation


@transaction.atomic
def employee_invitation_accept(*, token: str, user: User) -> Employee:
    """Make the invited person an employee; the link works once, for its own address only."""
    invitation = _open_invitation(token)
    if user.email.lower() != invitation.email.lower():
        raise DomainError(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(email)s. "
                "Log out and log in with the invited address."
            )
            % {"invited": invitation.email, "email": user.email},
            code="wrong_address",
        )
    employee = _join(user, _lock_profile(invitation.company))
    EmployeeInvitation.objects.filter(pk=invitation.pk).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    return employee


@transaction.atomic
def employee_invitation_accept_with_new_account(
    *, token: str, first_name: str, password: str, language: str
) -> Employee:
    """Create the invited person's account (the link proves the address), then join."""
    invitation = _open_invitation(token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise DomainError(
            _("An account already exists with this address. Log in to accept the invitation."),
            code="account_exists",
        )
    errors: dict[str, list[str]] = {}
    user = user_check_new(
        email=invitation.email,
        password=password,
        first_name=first_name,
        language=language,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    user.email_verified_at = timezone.now()
    user_save_new(user=user, password=password)
    return employee_invitation_accept(token=token, user=user)


@transaction.atomic
def employee_invitation_revoke(*, invitation: EmployeeInvitation, actor: User) -> None:
    """Cancel an invitation nobody has accepted yet (its link stops working)."""
    _require_administrator(actor, invitation.company)
    cancelled = EmployeeInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if cancelled != 1:
        raise ConflictError(_("This invitation was already accepted or cancelled."))
    invitation.refresh_from_db()

"""Writes for organisations: registration, moderation, members and invitations.

The web pages, the back office and commands all call these functions. Every status change is
a conditional UPDATE (of two moderators deciding at once, exactly one wins) followed by an
append-only OrganisationEvent in the same transaction.
"""

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError
from entraide.core.phones import normalise_phone
from entraide.core.places import geocode
from entraide.notifications.services import notify
from entraide.organisations import permissions, selectors
from entraide.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
    Territory,
)

logger = logging.getLogger(__name__)

Status = Organisation.Status
Role = Membership.Role

INVITATION_VALID_DAYS = 14
# Public pages live at /organisations/<slug>/: these words are other pages of the app.
RESERVED_SLUGS = {"new", "moderation", "invitations", "mine"}
SLUG_MAX_LENGTH = 70
# Fields an administrator may change after registration (the territory is the moderators').
EDITABLE_FIELDS = (
    "name",
    "kind",
    "description",
    "website",
    "email",
    "phone",
    "registration_number",
    "address",
    "postcode",
    "town",
    "country",
)


def _record(
    organisation: Organisation,
    kind: str,
    *,
    actor: User | None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> OrganisationEvent:
    """Append one fact to the organisation's history."""
    return OrganisationEvent.objects.create(
        organisation=organisation,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:500],
        data=data or {},
    )


def _absolute_url(language: str, name: str, *args: Any) -> str:
    """Return the full URL of a page in the given language, for an email."""
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args)


def _notify_administrators(
    organisation: Organisation, event: OrganisationEvent, template: str
) -> None:
    """Email every administrator of the organisation about a moderation decision."""
    for user in selectors.administrators(organisation):
        with translation.override(user.language):
            context = {
                "first_name": user.display_name,
                "organisation_name": organisation.name,
                "reason": event.reason,
                "status": str(organisation.get_status_display()),
                "settings_url": _absolute_url(
                    user.language, "organisations:settings", organisation.slug
                ),
                "public_url": _absolute_url(
                    user.language, "organisations:public", organisation.slug
                ),
                "site_name": settings.SITE_NAME,
            }
        notify(
            template=template,
            context=context,
            dedupe_key=f"organisation:{organisation.pk}:event:{event.pk}:{user.pk}",
            recipient=user,
        )


def _notify_moderators(organisation: Organisation, event: OrganisationEvent) -> None:
    """Tell the territory's moderators that an organisation waits for their verification."""
    for user in organisation.territory.moderators.filter(is_active=True):
        context = {
            "first_name": user.display_name,
            "organisation_name": organisation.name,
            "territory_name": organisation.territory.name,
            "moderation_url": _absolute_url(user.language, "organisations:moderation"),
            "site_name": settings.SITE_NAME,
        }
        notify(
            template="organisation_waiting",
            context=context,
            dedupe_key=f"organisation:{organisation.pk}:event:{event.pk}:{user.pk}",
            recipient=user,
        )


def _unique_slug(name: str) -> str:
    """Return a free slug made from the name (suffixed -2, -3… when taken)."""
    base = slugify(name)[:SLUG_MAX_LENGTH].strip("-") or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    candidate, number = base, 2
    while Organisation.objects.filter(slug=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _clean_contact(
    *, phone: str, town: str, address: str, postcode: str, country: str
) -> tuple[str, float | None, float | None, str, dict[str, list[str]]]:
    """Return the normalised phone, the position, the country and any field errors."""
    errors: dict[str, list[str]] = {}
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    lat = lon = None
    if not town.strip():
        errors["town"] = [_("Enter the town where the organisation is based.")]
    else:
        try:
            place = geocode(address=address, postcode=postcode, town=town, country=country)
        except ValidationError as exc:
            errors.update({k: list(v) for k, v in exc.message_dict.items()})
        else:
            lat, lon = place.lat, place.lon
            country = country or place.country
    return phone, lat, lon, (country or "BE").upper(), errors


@transaction.atomic
def organisation_register(
    *,
    user: User,
    name: str,
    kind: str,
    territory: Territory | None,
    town: str,
    description: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    registration_number: str = "",
    address: str = "",
    postcode: str = "",
    country: str = "",
) -> Organisation:
    """Register an organisation waiting for verification; the user becomes its administrator."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter the name of the organisation.")]
    if kind not in Organisation.Kind.values:
        errors["kind"] = [_("Choose what kind of organisation it is.")]
    if territory is None:
        errors["territory"] = [_("Choose the territory where the organisation works.")]
    phone, lat, lon, country, contact_errors = _clean_contact(
        phone=phone, town=town, address=address, postcode=postcode, country=country
    )
    errors.update(contact_errors)
    if errors:
        raise ValidationError(errors)
    assert territory is not None
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        website=website.strip(),
        email=email.strip().lower(),
        phone=phone,
        registration_number=registration_number.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
        town=town.strip(),
        country=country,
        lat=lat,
        lon=lon,
        territory=territory,
        status=Status.PENDING,
    )
    # Two registrations with the same name may race for one slug: the loser takes the next.
    for _attempt in range(5):
        organisation.slug = _unique_slug(organisation.name)
        organisation.full_clean(exclude=["slug"])
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError:
            organisation.pk = None
            continue
        break
    else:
        raise ConflictError(_("Please try again: another organisation took this address."))
    membership = Membership(organisation=organisation, user=user, role=Role.ADMINISTRATOR)
    membership.full_clean()
    membership.save()
    event = _record(
        organisation,
        "created",
        actor=user,
        to_status=Status.PENDING,
        data={"slug": organisation.slug, "administrator": user.pk},
    )
    _notify_moderators(organisation, event)
    logger.info("organisation %s registered by user %s", organisation.pk, user.pk)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **changes: Any) -> Organisation:
    """Change the organisation's description and contact details (its administrators only)."""
    if not permissions.can_administer(actor, organisation):
        raise DomainError(
            _("Only the administrators of this organisation can change it."), code="forbidden"
        )
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() cannot change {sorted(unknown)}")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    values = {
        field: (str(changes[field]).strip() if field in changes else getattr(locked, field))
        for field in EDITABLE_FIELDS
    }
    errors: dict[str, list[str]] = {}
    if not values["name"]:
        errors["name"] = [_("Enter the name of the organisation.")]
    if values["kind"] not in Organisation.Kind.values:
        errors["kind"] = [_("Choose what kind of organisation it is.")]
    place_changed = any(
        values[f] != getattr(locked, f) for f in ("town", "address", "postcode", "country")
    )
    if place_changed or values["phone"] != locked.phone:
        phone, lat, lon, country, contact_errors = _clean_contact(
            phone=values["phone"],
            town=values["town"],
            address=values["address"],
            postcode=values["postcode"],
            country=values["country"],
        )
        errors.update(contact_errors)
        values["phone"] = phone
        if place_changed:
            values["country"] = country
            locked.lat, locked.lon = lat, lon
    if errors:
        raise ValidationError(errors)
    values["email"] = values["email"].lower()
    before = {f: getattr(locked, f) for f in EDITABLE_FIELDS}
    for field, value in values.items():
        setattr(locked, field, value)
    locked.full_clean()
    changed = [f for f in EDITABLE_FIELDS if before[f] != values[f]]
    if changed:
        locked.save()
        _record(
            locked,
            "updated",
            actor=actor,
            data={
                "before": {f: before[f] for f in changed},
                "after": {f: values[f] for f in changed},
            },
        )
    organisation.refresh_from_db()
    return organisation


def _check_moderator(organisation: Organisation, moderator: User) -> None:
    """Refuse anyone who is not a moderator of the organisation's territory (or staff)."""
    if not permissions.can_moderate(moderator, organisation):
        raise DomainError(
            _("Only the moderators of %(territory)s can decide on this organisation.")
            % {"territory": organisation.territory.name},
            code="forbidden",
        )


def _change_status(
    organisation: Organisation,
    *,
    moderator: User,
    allowed_from: tuple[str, ...],
    to_status: str,
    kind: str,
    reason: str = "",
    template: str,
    refused: str,
) -> Organisation:
    """Move the organisation to `to_status` if it is still in `allowed_from`, and record it."""
    _check_moderator(organisation, moderator)
    old_status = (
        Organisation.objects.filter(pk=organisation.pk).values_list("status", flat=True).first()
    )
    if old_status is None:
        raise DomainError(_("This organisation no longer exists."), code="not_found")
    if old_status not in allowed_from:
        raise ConflictError(refused)
    now = timezone.now()
    changes: dict[str, Any] = {"status": to_status, "status_reason": reason, "updated_at": now}
    if to_status == Status.VERIFIED and old_status == Status.PENDING:
        changes["verified_at"] = now
    updated = Organisation.objects.filter(pk=organisation.pk, status=old_status).update(**changes)
    if updated != 1:
        raise ConflictError(
            _("Another moderator has just decided on this organisation. Reload the page.")
        )
    organisation.refresh_from_db()
    event = _record(
        organisation,
        kind,
        actor=moderator,
        from_status=old_status,
        to_status=to_status,
        reason=reason,
    )
    _notify_administrators(organisation, event, template)
    logger.info("organisation %s %s by user %s", organisation.pk, kind, moderator.pk)
    return organisation


def _required_reason(reason: str) -> str:
    """Return the stripped reason, or raise a field error when it is missing or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Explain the decision: the organisation will read this reason.")]}
        )
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Use at most 500 characters.")]})
    return reason


@transaction.atomic
def organisation_verify(*, organisation: Organisation, moderator: User) -> Organisation:
    """Verify a pending organisation: its page becomes public and it may publish missions."""
    return _change_status(
        organisation,
        moderator=moderator,
        allowed_from=(Status.PENDING,),
        to_status=Status.VERIFIED,
        kind="verified",
        template="organisation_verified",
        refused=_("Only an organisation waiting for verification can be verified."),
    )


@transaction.atomic
def organisation_reject(
    *, organisation: Organisation, moderator: User, reason: str
) -> Organisation:
    """Refuse a pending organisation, telling its administrators why."""
    _check_moderator(organisation, moderator)
    return _change_status(
        organisation,
        moderator=moderator,
        allowed_from=(Status.PENDING,),
        to_status=Status.REJECTED,
        kind="rejected",
        reason=_required_reason(reason),
        template="organisation_rejected",
        refused=_("Only an organisation waiting for verification can be rejected."),
    )


@transaction.atomic
def organisation_suspend(
    *, organisation: Organisation, moderator: User, reason: str
) -> Organisation:
    """Suspend a verified organisation: its page and missions are hidden until reinstated."""
    _check_moderator(organisation, moderator)
    return _change_status(
        organisation,
        moderator=moderator,
        allowed_from=(Status.VERIFIED,),
        to_status=Status.SUSPENDED,
        kind="suspended",
        reason=_required_reason(reason),
        template="organisation_suspended",
        refused=_("Only a verified organisation can be suspended."),
    )


@transaction.atomic
def organisation_reinstate(
    *, organisation: Organisation, moderator: User, reason: str = ""
) -> Organisation:
    """Lift a suspension (back to verified) or reopen a rejection (back to pending)."""
    _check_moderator(organisation, moderator)
    current = Organisation.objects.filter(pk=organisation.pk).values_list("status", flat=True)
    to_status = Status.PENDING if current.first() == Status.REJECTED else Status.VERIFIED
    return _change_status(
        organisation,
        moderator=moderator,
        allowed_from=(Status.SUSPENDED, Status.REJECTED),
        to_status=to_status,
        kind="reinstated",
        reason=(reason or "").strip()[:500],
        template="organisation_reinstated",
        refused=_("Only a suspended or rejected organisation can be reinstated."),
    )


def _check_administrator(organisation: Organisation, actor: User) -> None:
    if not permissions.can_administer(actor, organisation):
        raise DomainError(
            _("Only the administrators of this organisation can manage its members."),
            code="forbidden",
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role.")]})


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
    _record(
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
            "url": _absolute_url(language, "organisations:invitation", token),
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
    _record(
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
    from entraide.accounts.services import user_set_password

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
    _record(
        invitation.organisation,
        "invitation_revoked",
        actor=actor,
        data={"invitation": invitation.pk, "email": invitation.email},
    )
    return invitation


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
    _record(
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
    _record(
        locked.organisation,
        "member_removed",
        actor=actor,
        data={"user": locked.user_id, "role": locked.role},
    )
    locked.delete()

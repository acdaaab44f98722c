"""Writes for the moderators' decisions (verify, reject, suspend, reinstate) and moves."""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, NotFoundError, PermissionDeniedError, clean_reason
from entraide.core.events import record_event
from entraide.core.links import absolute_url
from entraide.notifications.services import notify
from entraide.organisations import permissions, selectors
from entraide.organisations.models import Organisation, OrganisationEvent, Territory
from entraide.organisations.services._common import Status

logger = logging.getLogger(__name__)


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
                "settings_url": absolute_url(
                    "organisations:settings", language=user.language, args=[organisation.slug]
                ),
                "public_url": absolute_url(
                    "organisations:public", language=user.language, args=[organisation.slug]
                ),
                "site_name": settings.SITE_NAME,
            }
        notify(
            template=template,
            context=context,
            dedupe_key=f"organisation:{organisation.pk}:event:{event.pk}:{user.pk}",
            recipient=user,
        )


def _check_moderator(organisation: Organisation, moderator: User) -> None:
    """Refuse anyone who is not a moderator of the organisation's territory (or staff)."""
    if not permissions.can_moderate(moderator, organisation):
        raise PermissionDeniedError(
            _("Only the moderators of %(territory)s can decide on this organisation.")
            % {"territory": organisation.territory.name}
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
        raise NotFoundError(_("This organisation no longer exists."))
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
    event = record_event(
        OrganisationEvent,
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
    """Return the stripped reason of a decision the organisation will read."""
    return clean_reason(
        reason, missing=_("Explain the decision: the organisation will read this reason.")
    )


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


@transaction.atomic
def organisation_move(
    *, organisation: Organisation, territory: Territory, actor: User, reason: str
) -> Organisation:
    """Move an organisation to another territory (staff only): its moderators change too.

    A pending organisation then waits in the new territory's queue, whose moderators are told.
    """
    from entraide.organisations.services.registration import _notify_moderators

    if not (actor.is_active and actor.is_staff):
        raise PermissionDeniedError(_("Only staff can move an organisation to another territory."))
    errors: dict[str, list[str]] = {}
    try:
        reason = clean_reason(
            reason, missing=_("Say why the organisation moves: its history keeps the reason.")
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if territory.pk == organisation.territory_id:
        errors["territory"] = [_("The organisation is already in this territory.")]
    if errors:
        raise ValidationError(errors)
    old = (
        Organisation.objects.select_for_update().select_related("territory").get(pk=organisation.pk)
    )
    if old.territory_id != organisation.territory_id:
        raise ConflictError(_("This organisation changed in the meantime. Reload the page."))
    Organisation.objects.filter(pk=old.pk).update(territory=territory, updated_at=timezone.now())
    organisation.refresh_from_db()
    event = record_event(
        OrganisationEvent,
        organisation,
        "moved",
        actor=actor,
        from_status=old.status,
        to_status=old.status,
        reason=reason,
        data={
            "from_territory": [old.territory_id, old.territory.name],
            "to_territory": [territory.pk, territory.name],
        },
    )
    if organisation.status == Status.PENDING:
        _notify_moderators(organisation, event)
    logger.info(
        "organisation %s moved from territory %s to %s by user %s",
        organisation.pk,
        old.territory_id,
        territory.pk,
        actor.pk,
    )
    return organisation

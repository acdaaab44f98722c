"""Writes for the hours accepted volunteers gave, as confirmed by the organisation."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.core.events import record_event
from entraide.missions.models import Application, MissionEvent, MissionSlot, Participation
from entraide.missions.services._common import EventKind, _require_manager

MAX_HOURS_PER_PARTICIPATION = Decimal("24")


def clean_hours(hours: Any) -> Decimal:
    """Return hours as a Decimal with two places, or raise a field error (floats refused)."""
    if isinstance(hours, float | bool):
        raise ValidationError({"hours": [_("Give the hours as a number like 2.5.")]})
    try:
        value = Decimal(str(hours).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"hours": [_("Give the hours as a number like 2.5.")]}) from exc
    if not value.is_finite() or value <= 0:
        raise ValidationError({"hours": [_("The hours must be more than zero.")]})
    if value > MAX_HOURS_PER_PARTICIPATION:
        raise ValidationError({"hours": [_("Nobody gives more than 24 hours in one slot.")]})
    return value.quantize(Decimal("0.01"))


def _confirm(application: Application, hours: Decimal, actor: User) -> Participation:
    """Record or correct one accepted volunteer's hours."""
    if application.status != Application.Status.ACCEPTED:
        raise DomainError(_("Only an accepted volunteer's hours can be confirmed."))
    if application.slot.starts_at > timezone.now():
        raise DomainError(_("Hours can be confirmed once the slot has started."))
    participation, created = Participation.objects.update_or_create(
        application=application, defaults={"hours": hours, "confirmed_by": actor}
    )
    record_event(
        MissionEvent,
        application.slot.mission,
        EventKind.HOURS_CONFIRMED,
        actor=actor,
        data={"application": application.pk, "hours": str(hours), "corrected": not created},
    )
    return participation


@transaction.atomic
def participation_confirm(*, application: Application, hours: Any, actor: User) -> Participation:
    """Confirm the hours an accepted volunteer gave (more than 0, at most 24)."""
    _require_manager(actor, application.slot.mission.organisation)
    return _confirm(application, clean_hours(hours), actor)


@transaction.atomic
def participations_confirm_bulk(
    *, slot: MissionSlot, hours: Any, actor: User
) -> list[Participation]:
    """Confirm the same hours for every accepted volunteer of a slot."""
    _require_manager(actor, slot.mission.organisation)
    value = clean_hours(hours)
    applications = Application.objects.select_related("slot__mission").filter(
        slot=slot, status=Application.Status.ACCEPTED
    )
    return [_confirm(application, value, actor) for application in applications]

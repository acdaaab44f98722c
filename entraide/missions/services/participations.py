"""Writes for the hours accepted volunteers gave, as confirmed by the organisation.

Hours belong to one participation (one volunteer on one slot): confirming one volunteer's
hours never changes another's. Each confirmation or change appends an `hours_confirmed`
event with the hours before and after, in the same transaction.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.core.events import record_event
from entraide.core.formats import format_number
from entraide.core.vocabulary import Channel
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


def slot_length_hours(slot: MissionSlot) -> Decimal:
    """Return how many hours the slot lasts, to two places."""
    seconds = Decimal(int((slot.ends_at - slot.starts_at).total_seconds()))
    return (seconds / Decimal(3600)).quantize(Decimal("0.01"))


def clean_participation_hours(hours: Any, slot: MissionSlot) -> Decimal:
    """Return the hours given on a slot, or raise a field error (over 0, at most its length)."""
    value = clean_hours(hours)
    length = slot_length_hours(slot)
    if value > length:
        raise ValidationError(
            {
                "hours": [
                    _("At most %(hours)s h: the slot lasts %(hours)s hours.")
                    % {"hours": format_number(length)}
                ]
            }
        )
    return value


def _confirm(application: Application, hours: Decimal, actor: User, channel: str) -> Participation:
    """Record or correct one accepted volunteer's hours (the application row is locked)."""
    if application.status != Application.Status.ACCEPTED:
        raise DomainError(_("Only an accepted volunteer's hours can be confirmed."))
    if application.slot.starts_at > timezone.now():
        raise DomainError(_("Hours can be confirmed once the slot has started."))
    participation = Participation.objects.filter(application=application).first()
    previous = None if participation is None else participation.hours
    if participation is None:
        participation = Participation(application=application)
    elif previous == hours:
        return participation
    participation.hours = hours
    participation.confirmed_by = actor
    participation.full_clean(exclude=["application"])
    participation.save()
    record_event(
        MissionEvent,
        application.slot.mission,
        EventKind.HOURS_CONFIRMED,
        actor=actor,
        channel=channel,
        data={
            "application": application.pk,
            "volunteer": application.volunteer_id,
            "hours": str(hours),
            "previous_hours": None if previous is None else str(previous),
            "corrected": previous is not None,
        },
    )
    return participation


def _locked(applications: Any) -> Any:
    """Lock the applications' rows so two managers' confirmations take turns."""
    return applications.select_for_update(of=("self",)).select_related("slot__mission")


@transaction.atomic
def participation_confirm(
    *, application: Application, hours: Any, actor: User, channel: str = Channel.WEB
) -> Participation:
    """Confirm or correct the hours one accepted volunteer gave (more than 0, at most the slot)."""
    _require_manager(actor, application.slot.mission.organisation)
    locked = _locked(Application.objects.filter(pk=application.pk)).get()
    return _confirm(locked, clean_participation_hours(hours, locked.slot), actor, channel)


@transaction.atomic
def participations_confirm(
    *,
    slot: MissionSlot,
    hours_by_application: Mapping[int, Any],
    actor: User,
    channel: str = Channel.WEB,
) -> list[Participation]:
    """Confirm each accepted volunteer's own hours on a slot: all of them, or none.

    Blank values are left as they were. A bad value raises a ValidationError keyed
    `hours_<application id>`, so that each message lands on that volunteer's input.
    """
    _require_manager(actor, slot.mission.organisation)
    applications = list(
        _locked(Application.objects.filter(slot=slot, pk__in=list(hours_by_application)))
    )
    errors: dict[str, list[str]] = {}
    values: list[tuple[Application, Decimal]] = []
    for application in applications:
        raw = hours_by_application[application.pk]
        if raw is None or str(raw).strip() == "":
            continue
        try:
            values.append((application, clean_participation_hours(raw, application.slot)))
        except ValidationError as exc:
            errors[f"hours_{application.pk}"] = exc.message_dict["hours"]
    if errors:
        raise ValidationError(errors)
    return [_confirm(application, value, actor, channel) for application, value in values]

"""Writes for a mission's time slots: one at a time or every chosen weekday."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.core.events import record_event
from entraide.missions.models import Mission, MissionEvent, MissionSlot
from entraide.missions.services._common import (
    EDITABLE_STATUSES,
    EventKind,
    _reopen_if_full,
    _require_manager,
    _zone,
)

MAX_WEEKLY_SLOTS = 200


def _check_slot(mission: Mission, slot: MissionSlot) -> None:
    """Validate a new slot: in the future, ending after it starts, on an open mission."""
    if mission.status not in EDITABLE_STATUSES:
        raise DomainError(_("A closed or cancelled mission cannot get new slots."))
    errors: dict[str, list[str]] = {}
    if slot.starts_at is not None and slot.starts_at <= timezone.now():
        errors["starts_at"] = [_("A slot must start in the future.")]
    if slot.starts_at is not None and slot.ends_at is not None and slot.ends_at <= slot.starts_at:
        errors["ends_at"] = [_("A slot must end after it starts.")]
    if slot.capacity is not None and slot.capacity < 1:
        errors["capacity"] = [_("A slot needs at least one volunteer.")]
    if errors:
        raise ValidationError(errors)
    slot.full_clean()


@transaction.atomic
def slot_add(
    *, mission: Mission, actor: User, starts_at: datetime, ends_at: datetime, capacity: int = 1
) -> MissionSlot:
    """Add one time slot to a mission."""
    _require_manager(actor, mission.organisation)
    mission.refresh_from_db()
    slot = MissionSlot(mission=mission, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    _check_slot(mission, slot)
    slot.save()
    record_event(
        MissionEvent,
        mission,
        EventKind.SLOT_ADDED,
        actor=actor,
        data={"slots": 1, "first": starts_at.isoformat(), "capacity": capacity},
    )
    _reopen_if_full(mission, actor=actor)
    return slot


@transaction.atomic
def slots_add_weekly(
    *,
    mission: Mission,
    actor: User,
    first_day: date,
    last_day: date,
    weekdays: list[int],
    start_time: time,
    end_time: time,
    capacity: int = 1,
) -> list[MissionSlot]:
    """Add a slot on each chosen weekday (0 = Monday) between two dates, in local time."""
    _require_manager(actor, mission.organisation)
    mission.refresh_from_db()
    errors: dict[str, list[str]] = {}
    if last_day < first_day:
        errors["last_day"] = [_("The last day must be on or after the first day.")]
    if not weekdays or any(day not in range(7) for day in weekdays):
        errors["weekdays"] = [_("Choose at least one day of the week.")]
    if end_time <= start_time:
        errors["end_time"] = [_("A slot must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    days = [
        first_day + timedelta(days=offset)
        for offset in range((last_day - first_day).days + 1)
        if (first_day + timedelta(days=offset)).weekday() in weekdays
    ]
    if not days:
        raise ValidationError({"weekdays": [_("None of these days falls between the two dates.")]})
    if len(days) > MAX_WEEKLY_SLOTS:
        raise ValidationError(
            {"last_day": [_("Add at most %(count)d slots at once.") % {"count": MAX_WEEKLY_SLOTS}]}
        )
    zone = _zone(mission)
    slots = []
    for day in days:
        slot = MissionSlot(
            mission=mission,
            starts_at=datetime.combine(day, start_time, tzinfo=zone),
            ends_at=datetime.combine(day, end_time, tzinfo=zone),
            capacity=capacity,
        )
        _check_slot(mission, slot)
        slots.append(slot)
    MissionSlot.objects.bulk_create(slots)
    record_event(
        MissionEvent,
        mission,
        EventKind.SLOT_ADDED,
        actor=actor,
        data={"slots": len(slots), "first": days[0].isoformat(), "capacity": capacity},
    )
    _reopen_if_full(mission, actor=actor)
    return slots

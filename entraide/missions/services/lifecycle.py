"""Writes for a mission's life: create, change, submit, moderate, close, cancel, duplicate."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError, PermissionDeniedError, clean_reason
from entraide.core.events import record_event
from entraide.core.places import place_from_input
from entraide.missions.models import Application, Mission, MissionEvent, MissionSlot
from entraide.missions.services._common import (
    ACTIVE_APPLICATION_STATUSES,
    EDITABLE_STATUSES,
    MISSION_FIELDS,
    EventKind,
    _mission_context,
    _require_manager,
    _tell,
    slot_context,
)
from entraide.missions.services.applications import managers
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_moderate


def _set_status(
    mission: Mission, *, allowed_from: tuple[str, ...], to_status: str, **changes: Any
) -> str:
    """Move the mission to `to_status` only if it is still in `allowed_from`; return the old one."""
    old_status = Mission.objects.filter(pk=mission.pk).values_list("status", flat=True).first()
    updated = Mission.objects.filter(pk=mission.pk, status__in=allowed_from).update(
        status=to_status, updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise ConflictError(_("This mission changed in the meantime. Reload the page."))
    mission.refresh_from_db()
    return old_status or ""


def _clean_list(values: Any, field: str) -> list[str]:
    """Return a list of short non-empty strings, or raise a field error."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, list | tuple):
        raise ValidationError({field: [_("Give a list of words separated by commas.")]})
    cleaned = []
    for value in values:
        text = " ".join(str(value).split())[:60]
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned[:30]


def _check_town(mission: Mission) -> None:
    """Refuse an on-site mission without a town, with a clear message on the town field."""
    if not mission.is_remote and not mission.town.strip():
        raise ValidationError({"town": [_("An on-site mission needs a town.")]})


def _locate(mission: Mission) -> None:
    """Geocode an on-site mission's town (and address); a remote one has no position."""
    if mission.is_remote:
        mission.set_position(None, None)
        return
    mission.set_place(
        place_from_input(
            address=mission.address,
            postcode=mission.postcode,
            town=mission.town,
            country=mission.country,
        )
    )


@transaction.atomic
def mission_create(*, organisation: Organisation, actor: User, **fields: Any) -> Mission:
    """Create a draft mission for an organisation (on site: the town is geocoded)."""
    _require_manager(actor, organisation)
    unknown = set(fields) - set(MISSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown mission fields: {sorted(unknown)}")
    fields["skills"] = _clean_list(fields.get("skills"), "skills")
    fields["languages"] = _clean_list(fields.get("languages"), "languages")
    mission = Mission(organisation=organisation, created_by=actor, **fields)
    _check_town(mission)
    mission.full_clean(exclude=["lat", "lon", "cell"])
    _locate(mission)
    mission.save()
    record_event(MissionEvent, mission, EventKind.CREATED, actor=actor, to_status=mission.status)
    return mission


@transaction.atomic
def mission_update(*, mission: Mission, actor: User, **fields: Any) -> Mission:
    """Change a mission's description, place or contact while it is still open."""
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    _require_manager(actor, mission.organisation)
    if mission.status not in EDITABLE_STATUSES:
        raise DomainError(_("A closed or cancelled mission cannot be changed."))
    unknown = set(fields) - set(MISSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown mission fields: {sorted(unknown)}")
    for list_field in ("skills", "languages"):
        if list_field in fields:
            fields[list_field] = _clean_list(fields[list_field], list_field)
    place_before = (mission.is_remote, mission.address, mission.postcode, mission.town)
    changed = sorted(name for name, value in fields.items() if getattr(mission, name) != value)
    for name, value in fields.items():
        setattr(mission, name, value)
    _check_town(mission)
    mission.full_clean(exclude=["lat", "lon", "cell"])
    place_after = (mission.is_remote, mission.address, mission.postcode, mission.town)
    if place_after != place_before or (not mission.is_remote and mission.lat is None):
        _locate(mission)
    mission.save()
    if changed:
        record_event(
            MissionEvent, mission, EventKind.UPDATED, actor=actor, data={"fields": changed}
        )
    return mission


@transaction.atomic
def mission_submit(*, mission: Mission, actor: User) -> Mission:
    """Publish a draft at once for a verified organisation, else send it to moderation."""
    _require_manager(actor, mission.organisation)
    if not mission.slots.exists():
        raise ValidationError({"__all__": [_("Add at least one slot before submitting.")]})
    verified = mission.organisation.can_publish
    to_status = Mission.Status.PUBLISHED if verified else Mission.Status.SUBMITTED
    changes = {"published_at": timezone.now()} if verified else {}
    old = _set_status(mission, allowed_from=(Mission.Status.DRAFT,), to_status=to_status, **changes)
    event = record_event(
        MissionEvent,
        mission,
        EventKind.SUBMITTED,
        actor=actor,
        from_status=old,
        to_status=to_status,
    )
    if to_status == Mission.Status.SUBMITTED:
        _tell_moderators(mission, event_id=event.pk)
    return mission


def _tell_moderators(mission: Mission, *, event_id: int) -> None:
    """Email the moderators of the organisation's territory that a mission waits for them."""
    for moderator in mission.organisation.territory.moderators.filter(is_active=True):
        _tell(
            "mission_waiting",
            recipient=moderator,
            key=f"mission:{mission.pk}:waiting:{event_id}:{moderator.pk}",
            context=_mission_context(mission),
        )


@transaction.atomic
def mission_publish(*, mission: Mission, actor: User) -> Mission:
    """Publish a mission waiting for moderation (a moderator of its territory)."""
    if not can_moderate(actor, mission.organisation):
        raise PermissionDeniedError(_("Only a moderator can publish this mission."))
    old = _set_status(
        mission,
        allowed_from=(Mission.Status.SUBMITTED,),
        to_status=Mission.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    event = record_event(
        MissionEvent,
        mission,
        EventKind.PUBLISHED,
        actor=actor,
        from_status=old,
        to_status=mission.status,
    )
    _tell_managers(mission, "mission_published", key=f"mission:{mission.pk}:published:{event.pk}")
    return mission


@transaction.atomic
def mission_send_back(*, mission: Mission, actor: User, reason: str) -> Mission:
    """Return a mission waiting for moderation to its draft, telling its managers why."""
    if not can_moderate(actor, mission.organisation):
        raise PermissionDeniedError(_("Only a moderator can send this mission back."))
    reason = clean_reason(
        reason, missing=_("Explain what to change: the organisation will read this reason.")
    )
    old = _set_status(
        mission, allowed_from=(Mission.Status.SUBMITTED,), to_status=Mission.Status.DRAFT
    )
    event = record_event(
        MissionEvent,
        mission,
        EventKind.SENT_BACK,
        actor=actor,
        from_status=old,
        to_status=mission.status,
        reason=reason,
    )
    _tell_managers(
        mission,
        "mission_sent_back",
        key=f"mission:{mission.pk}:sent_back:{event.pk}",
        reason=reason,
    )
    return mission


def _tell_managers(mission: Mission, template: str, *, key: str, **context: Any) -> None:
    """Email the people who manage the organisation's missions about one of them."""
    for manager in managers(mission.organisation):
        _tell(
            template,
            recipient=manager,
            key=f"{key}:{manager.pk}",
            context=_mission_context(mission, **context),
        )


def _end_applications(
    mission: Mission,
    *,
    statuses: tuple[str, ...],
    reason: str,
    actor: User,
    template: str,
) -> int:
    """Decline the mission's applications in `statuses` for upcoming slots and tell each person."""
    applications = list(
        Application.objects.select_related("volunteer", "slot")
        .select_for_update()
        .filter(slot__mission=mission, status__in=statuses, slot__starts_at__gt=timezone.now())
    )
    for application in applications:
        if application.status == Application.Status.ACCEPTED:
            MissionSlot.objects.filter(pk=application.slot_id, accepted_count__gt=0).update(
                accepted_count=F("accepted_count") - 1
            )
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.DECLINED,
            decline_reason=reason[:500],
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _tell(
            template,
            recipient=application.volunteer,
            key=f"mission:{mission.pk}:{template}:{application.pk}",
            context=slot_context(application.slot, reason=reason[:500]),
        )
    return len(applications)


@transaction.atomic
def mission_close(*, mission: Mission, actor: User, reason: str = "") -> Mission:
    """Stop taking applications; waiting applicants are told, accepted ones keep their place."""
    _require_manager(actor, mission.organisation)
    old = _set_status(mission, allowed_from=EDITABLE_STATUSES, to_status=Mission.Status.CLOSED)
    told = _end_applications(
        mission,
        statuses=(Application.Status.PENDING, Application.Status.WAITLISTED),
        reason=reason,
        actor=actor,
        template="mission_closed",
    )
    record_event(
        MissionEvent,
        mission,
        EventKind.CLOSED,
        actor=actor,
        from_status=old,
        to_status=mission.status,
        reason=reason,
        data={"applicants_told": told},
    )
    return mission


@transaction.atomic
def mission_cancel(*, mission: Mission, actor: User, reason: str) -> Mission:
    """Cancel a mission: every applicant of an upcoming slot, accepted or not, is told."""
    _require_manager(actor, mission.organisation)
    if not reason.strip():
        raise ValidationError({"reason": [_("Tell the volunteers why the mission is cancelled.")]})
    old = _set_status(mission, allowed_from=EDITABLE_STATUSES, to_status=Mission.Status.CANCELLED)
    told = _end_applications(
        mission,
        statuses=ACTIVE_APPLICATION_STATUSES,
        reason=reason,
        actor=actor,
        template="mission_cancelled",
    )
    record_event(
        MissionEvent,
        mission,
        EventKind.CANCELLED,
        actor=actor,
        from_status=old,
        to_status=mission.status,
        reason=reason,
        data={"applicants_told": told},
    )
    return mission


@transaction.atomic
def mission_duplicate(*, mission: Mission, actor: User, shift_days: int | None = None) -> Mission:
    """Copy a mission as a new draft; its slots move by `shift_days`, or are dropped if None."""
    _require_manager(actor, mission.organisation)
    copy = Mission(
        organisation=mission.organisation,
        created_by=actor,
        lat=mission.lat,
        lon=mission.lon,
        cell=mission.cell,
        **{name: getattr(mission, name) for name in MISSION_FIELDS},
    )
    copy.full_clean()
    copy.save()
    slots = 0
    if shift_days is not None:
        shift = timedelta(days=shift_days)
        for slot in mission.slots.all():
            new_slot = MissionSlot(
                mission=copy,
                starts_at=slot.starts_at + shift,
                ends_at=slot.ends_at + shift,
                capacity=slot.capacity,
            )
            new_slot.full_clean()
            new_slot.save()
            slots += 1
    record_event(
        MissionEvent,
        copy,
        EventKind.CREATED,
        actor=actor,
        to_status=copy.status,
        data={"copied_from": str(mission.public_id), "slots": slots},
    )
    record_event(
        MissionEvent, mission, EventKind.DUPLICATED, actor=actor, data={"copy": str(copy.public_id)}
    )
    return copy

"""Writes for missions, slots, applications and participations: the one path for every client.

Places are counted by conditional UPDATEs (`accepted_count < capacity` in the WHERE clause),
so two organisers accepting two volunteers for the last place get exactly one success.
Every change appends a MissionEvent in the same transaction.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError
from entraide.core.places import geocode
from entraide.matching.geo import cell_of
from entraide.missions.models import (
    Application,
    Mission,
    MissionEvent,
    MissionSlot,
    MissionTemplate,
    Participation,
    SavedSearch,
)
from entraide.missions.selectors import visible_internal_organisation_ids
from entraide.organisations.models import Membership, Organisation

MAX_WEEKLY_SLOTS = 200
MAX_HOURS_PER_PARTICIPATION = Decimal("24")
# Which missions volunteers can still apply to and organisers can still change.
OPEN_STATUSES = (Mission.Status.PUBLISHED, Mission.Status.FULL)
EDITABLE_STATUSES = (
    Mission.Status.DRAFT,
    Mission.Status.SUBMITTED,
    Mission.Status.PUBLISHED,
    Mission.Status.FULL,
)
ACTIVE_APPLICATION_STATUSES = (
    Application.Status.PENDING,
    Application.Status.WAITLISTED,
    Application.Status.ACCEPTED,
)
MISSION_FIELDS = (
    "title",
    "description",
    "theme",
    "is_remote",
    "address",
    "postcode",
    "town",
    "country",
    "skills",
    "languages",
    "min_age",
    "background_check_required",
    "practical_information",
    "contact_name",
    "contact_email",
    "contact_phone",
    "is_internal",
)


class EventKind:
    """The names of the facts recorded in a mission's history."""

    CREATED = "created"
    UPDATED = "updated"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    FULL = "full"
    REOPENED = "reopened"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    DUPLICATED = "duplicated"
    SLOT_ADDED = "slot_added"
    APPLIED = "applied"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    PROMOTED = "promoted"
    HOURS_CONFIRMED = "hours_confirmed"
    TEMPLATE_SAVED = "template_saved"
    PROPOSED = "proposed"


def _record(
    mission: Mission,
    kind: str,
    *,
    actor: User | None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> MissionEvent:
    """Append one event to the mission's history."""
    return MissionEvent.objects.create(
        mission=mission,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:500],
        data=data or {},
    )


def _require_manager(actor: User, organisation: Organisation) -> None:
    """Refuse unless the actor may manage this organisation's missions."""
    from entraide.organisations.permissions import can_manage_missions

    if not can_manage_missions(actor, organisation):
        raise DomainError(
            _("You cannot manage the missions of this organisation."), code="forbidden"
        )


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


def _tell(
    template: str, *, recipient: User, key: str, context: dict[str, Any] | None = None
) -> None:
    """Email a person about a mission (once per key)."""
    from entraide.notifications.services import notify

    notify(template=template, context=context or {}, dedupe_key=key, recipient=recipient)


def _mission_context(mission: Mission, **extra: Any) -> dict[str, Any]:
    """Return the JSON context every mission email needs."""
    return {
        "mission_title": mission.title,
        "organisation_name": mission.organisation.name,
        "mission_public_id": str(mission.public_id),
        **extra,
    }


def slot_context(slot: MissionSlot, **extra: Any) -> dict[str, Any]:
    """Return the context of an email about one slot, its start written out in local time."""
    local = timezone.localtime(slot.starts_at, _zone(slot.mission))
    return _mission_context(slot.mission, slot_starts=local.strftime("%Y-%m-%d %H:%M"), **extra)


def _zone(mission: Mission) -> ZoneInfo:
    """Return the time zone of the mission's territory (slots are typed in local time)."""
    return ZoneInfo(mission.organisation.territory.time_zone)


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
        mission.lat = mission.lon = mission.cell = None
        return
    place = geocode(
        address=mission.address,
        postcode=mission.postcode,
        town=mission.town,
        country=mission.country,
    )
    mission.lat, mission.lon = place.lat, place.lon
    mission.cell = cell_of(place.lat, place.lon)


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
    _record(mission, EventKind.CREATED, actor=actor, to_status=mission.status)
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
        _record(mission, EventKind.UPDATED, actor=actor, data={"fields": changed})
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
    _record(mission, EventKind.SUBMITTED, actor=actor, from_status=old, to_status=to_status)
    return mission


@transaction.atomic
def mission_publish(*, mission: Mission, actor: User) -> Mission:
    """Publish a mission waiting for moderation (a moderator of its territory)."""
    from entraide.organisations.permissions import can_moderate

    if not can_moderate(actor, mission.organisation):
        raise DomainError(_("Only a moderator can publish this mission."), code="forbidden")
    old = _set_status(
        mission,
        allowed_from=(Mission.Status.SUBMITTED,),
        to_status=Mission.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    _record(mission, EventKind.PUBLISHED, actor=actor, from_status=old, to_status=mission.status)
    return mission


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
    _record(
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
    _record(
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
    _record(
        copy,
        EventKind.CREATED,
        actor=actor,
        to_status=copy.status,
        data={"copied_from": str(mission.public_id), "slots": slots},
    )
    _record(mission, EventKind.DUPLICATED, actor=actor, data={"copy": str(copy.public_id)})
    return copy


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


def _reopen_if_full(mission: Mission, *, actor: User | None) -> None:
    """Put a full mission back in the catalogue once one of its slots has a place again."""
    if Mission.objects.filter(pk=mission.pk, status=Mission.Status.FULL).update(
        status=Mission.Status.PUBLISHED, updated_at=timezone.now()
    ):
        _record(
            mission,
            EventKind.REOPENED,
            actor=actor,
            from_status=Mission.Status.FULL,
            to_status=Mission.Status.PUBLISHED,
        )
        mission.status = Mission.Status.PUBLISHED


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
    _record(
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
    _record(
        mission,
        EventKind.SLOT_ADDED,
        actor=actor,
        data={"slots": len(slots), "first": days[0].isoformat(), "capacity": capacity},
    )
    _reopen_if_full(mission, actor=actor)
    return slots


def managers(organisation: Organisation) -> list[User]:
    """Return the people who answer applications for an organisation."""
    return [
        membership.user
        for membership in Membership.objects.select_related("user").filter(
            organisation=organisation, user__is_active=True
        )
    ]


def _is_member(user: User, organisation: Organisation) -> bool:
    """Return True when the person belongs to the organisation (its employees, for a company)."""
    return organisation.pk in visible_internal_organisation_ids(user)


@transaction.atomic
def application_submit(*, slot: MissionSlot, volunteer: User, message: str = "") -> Application:
    """Apply to one slot; on a full slot the volunteer goes on the waiting list."""
    slot = MissionSlot.objects.select_for_update().select_related("mission").get(pk=slot.pk)
    mission = slot.mission
    if mission.status not in OPEN_STATUSES:
        raise DomainError(_("This mission no longer takes applications."))
    if mission.is_internal and not _is_member(volunteer, mission.organisation):
        raise DomainError(_("This mission is open to the organisation's employees only."))
    if slot.starts_at <= timezone.now():
        raise DomainError(_("This slot has already started."))
    if Application.objects.filter(slot=slot, volunteer=volunteer).exists():
        raise ValidationError({"slot": [_("You have already applied to this slot.")]})
    status = Application.Status.PENDING if slot.places_left else Application.Status.WAITLISTED
    application = Application(slot=slot, volunteer=volunteer, message=message, status=status)
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError({"slot": [_("You have already applied to this slot.")]}) from exc
    _record(
        mission,
        EventKind.APPLIED,
        actor=volunteer,
        to_status=status,
        data={"application": application.pk, "slot": slot.pk},
    )
    for manager in managers(mission.organisation):
        _tell(
            "mission_application_new",
            recipient=manager,
            key=f"application:{application.pk}:new:{manager.pk}",
            context=slot_context(slot, volunteer_first_name=volunteer.first_name),
        )
    return application


def _decide(
    application: Application, *, allowed_from: tuple[str, ...], actor: User, **changes: Any
) -> str:
    """Change the application's status only if it is still in `allowed_from`; return the old one."""
    old = Application.objects.filter(pk=application.pk).values_list("status", flat=True).first()
    updated = Application.objects.filter(pk=application.pk, status__in=allowed_from).update(
        decided_by=actor, decided_at=timezone.now(), **changes
    )
    if updated != 1:
        raise ConflictError(_("This application changed in the meantime. Reload the page."))
    application.refresh_from_db()
    return old or ""


@transaction.atomic
def application_accept(*, application: Application, actor: User) -> Application:
    """Give the volunteer a place; refused when the slot has no place left."""
    slot = application.slot
    mission = slot.mission
    _require_manager(actor, mission.organisation)
    if mission.status not in OPEN_STATUSES:
        raise DomainError(_("This mission no longer takes volunteers."))
    old = _decide(
        application,
        allowed_from=(Application.Status.PENDING, Application.Status.WAITLISTED),
        actor=actor,
        status=Application.Status.ACCEPTED,
    )
    # The WHERE clause is the guard: of two concurrent accepts for the last place, the second
    # matches no row, raises, and its transaction (and its application change) rolls back.
    took_place = MissionSlot.objects.filter(pk=slot.pk, accepted_count__lt=F("capacity")).update(
        accepted_count=F("accepted_count") + 1
    )
    if took_place != 1:
        raise ConflictError(_("This slot has no place left."), code="slot_full")
    _record(
        mission,
        EventKind.ACCEPTED,
        actor=actor,
        from_status=old,
        to_status=Application.Status.ACCEPTED,
        data={"application": application.pk, "slot": slot.pk},
    )
    still_open = MissionSlot.objects.filter(
        mission=mission, accepted_count__lt=F("capacity"), starts_at__gt=timezone.now()
    ).exists()
    if not still_open and Mission.objects.filter(
        pk=mission.pk, status=Mission.Status.PUBLISHED
    ).update(status=Mission.Status.FULL, updated_at=timezone.now()):
        _record(
            mission,
            EventKind.FULL,
            actor=actor,
            from_status=Mission.Status.PUBLISHED,
            to_status=Mission.Status.FULL,
        )
    _tell(
        "mission_application_accepted",
        recipient=application.volunteer,
        key=f"application:{application.pk}:accepted",
        context=slot_context(slot),
    )
    return application


@transaction.atomic
def application_decline(*, application: Application, actor: User, reason: str) -> Application:
    """Decline an application with a reason the volunteer is told."""
    mission = application.slot.mission
    _require_manager(actor, mission.organisation)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Tell the volunteer why, in a few words.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Keep the reason under 500 characters.")]})
    old = _decide(
        application,
        allowed_from=(Application.Status.PENDING, Application.Status.WAITLISTED),
        actor=actor,
        status=Application.Status.DECLINED,
        decline_reason=reason,
    )
    _record(
        mission,
        EventKind.DECLINED,
        actor=actor,
        from_status=old,
        to_status=Application.Status.DECLINED,
        reason=reason,
        data={"application": application.pk},
    )
    _tell(
        "mission_application_declined",
        recipient=application.volunteer,
        key=f"application:{application.pk}:declined",
        context=slot_context(application.slot, reason=reason),
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, volunteer: User) -> Application:
    """Withdraw one's own application; a freed place goes to the first on the waiting list."""
    if application.volunteer_id != volunteer.pk:
        raise DomainError(_("This is not your application."), code="forbidden")
    slot = (
        MissionSlot.objects.select_for_update()
        .select_related("mission")
        .get(pk=application.slot_id)
    )
    if slot.starts_at <= timezone.now():
        raise DomainError(_("This slot has already started."))
    old = Application.objects.filter(pk=application.pk).values_list("status", flat=True).first()
    updated = Application.objects.filter(
        pk=application.pk, status__in=ACTIVE_APPLICATION_STATUSES
    ).update(status=Application.Status.WITHDRAWN)
    if updated != 1:
        raise ConflictError(_("This application is no longer active."))
    application.refresh_from_db()
    _record(
        slot.mission,
        EventKind.WITHDRAWN,
        actor=volunteer,
        from_status=old or "",
        to_status=Application.Status.WITHDRAWN,
        data={"application": application.pk},
    )
    if old == Application.Status.ACCEPTED:
        MissionSlot.objects.filter(pk=slot.pk, accepted_count__gt=0).update(
            accepted_count=F("accepted_count") - 1
        )
        _reopen_if_full(slot.mission, actor=volunteer)
        _promote_first_waiting(slot)
    return application


def _promote_first_waiting(slot: MissionSlot) -> Application | None:
    """Move the first waitlisted applicant of a slot up to pending and tell them."""
    first = (
        Application.objects.filter(slot=slot, status=Application.Status.WAITLISTED)
        .order_by("created_at", "pk")
        .select_related("volunteer")
        .first()
    )
    if first is None:
        return None
    if not Application.objects.filter(pk=first.pk, status=Application.Status.WAITLISTED).update(
        status=Application.Status.PENDING
    ):
        return None
    first.refresh_from_db()
    _record(
        slot.mission,
        EventKind.PROMOTED,
        actor=None,
        from_status=Application.Status.WAITLISTED,
        to_status=Application.Status.PENDING,
        data={"application": first.pk},
    )
    _tell(
        "mission_application_promoted",
        recipient=first.volunteer,
        key=f"application:{first.pk}:promoted",
        context=slot_context(slot),
    )
    return first


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
    _record(
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


# Templates ----------------------------------------------------------------------------------


@transaction.atomic
def mission_template_save(*, mission: Mission, actor: User, name: str) -> MissionTemplate:
    """Save a mission's description as a named template of its organisation (same name: replace)."""
    _require_manager(actor, mission.organisation)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Give the template a name.")]})
    fields = {field: getattr(mission, field) for field in MISSION_FIELDS}
    template = MissionTemplate.objects.filter(organisation=mission.organisation, name=name).first()
    template = template or MissionTemplate(organisation=mission.organisation, name=name)
    template.fields = fields
    template.created_by = actor
    template.full_clean()
    template.save()
    _record(mission, EventKind.TEMPLATE_SAVED, actor=actor, data={"template": name})
    return template


@transaction.atomic
def mission_template_delete(*, template: MissionTemplate, actor: User) -> None:
    """Delete a template (missions made from it are not touched)."""
    _require_manager(actor, template.organisation)
    template.delete()


def template_initial(template: MissionTemplate) -> dict[str, Any]:
    """Return the mission form's initial values from a template."""
    initial = {name: value for name, value in template.fields.items() if name in MISSION_FIELDS}
    initial["skills"] = ", ".join(initial.get("skills") or [])
    return initial


# Saved searches -----------------------------------------------------------------------------

MAX_SAVED_SEARCHES = 20
# The catalogue filters a saved search keeps; dates are left out, they would soon be stale.
SAVED_SEARCH_PARAMS = ("q", "theme", "where", "town", "radius_km", "skills")
SAVED_SEARCH_SALT = "entraide.missions.saved-search"


@transaction.atomic
def saved_search_create(
    *,
    user: User,
    name: str,
    params: dict[str, Any],
    lat: float | None = None,
    lon: float | None = None,
) -> SavedSearch:
    """Save the catalogue's current filters under a name; new matches are emailed daily."""
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give this search a name.")]
    elif SavedSearch.objects.filter(user=user, name=name).exists():
        errors["name"] = [_("You already have a search with this name.")]
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        errors["name"] = [
            _("You can keep at most %(count)d searches: delete one first.")
            % {"count": MAX_SAVED_SEARCHES}
        ]
    if errors:
        raise ValidationError(errors)
    kept = {key: str(params[key]).strip() for key in SAVED_SEARCH_PARAMS if params.get(key)}
    search = SavedSearch(
        user=user,
        name=name,
        params=kept,
        lat=lat if kept.get("town") else None,
        lon=lon if kept.get("town") else None,
    )
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, user: User) -> None:
    """Delete one of the volunteer's saved searches."""
    if search.user_id != user.pk:
        raise DomainError(_("This is not your search."), code="forbidden")
    search.delete()


@transaction.atomic
def saved_search_set_active(*, search: SavedSearch, active: bool) -> SavedSearch:
    """Turn a saved search's daily email on or off (the unsubscribe link turns it off)."""
    SavedSearch.objects.filter(pk=search.pk).update(is_active=active)
    search.refresh_from_db()
    return search


def saved_search_token(search: SavedSearch) -> str:
    """Return the signed token of a saved search's one-click unsubscribe link."""
    return signing.dumps(search.pk, salt=SAVED_SEARCH_SALT)


def saved_search_for_token(token: str) -> SavedSearch | None:
    """Return the saved search a token was made for, or None when it was tampered with."""
    try:
        search_id = signing.loads(token, salt=SAVED_SEARCH_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(search_id, int):
        return None
    return SavedSearch.objects.filter(pk=search_id).first()


# Proposals ----------------------------------------------------------------------------------


@transaction.atomic
def mission_propose(*, mission: Mission, volunteer: User, actor: User) -> MissionEvent:
    """Email a fitting volunteer about a published mission, once, within the daily limit."""
    from entraide.missions.selectors import can_be_proposed_to, proposals_sent_today

    mission = Mission.objects.select_for_update().select_related("organisation").get(pk=mission.pk)
    _require_manager(actor, mission.organisation)
    if mission.status != Mission.Status.PUBLISHED:
        raise DomainError(_("Only a published mission with places left can be proposed."))
    if not can_be_proposed_to(mission, volunteer):
        raise DomainError(_("This volunteer cannot be proposed this mission."))
    limit = settings.MISSIONS_PROPOSALS_PER_DAY
    if proposals_sent_today(mission) >= limit:
        raise DomainError(
            _("This mission was already proposed to %(count)d volunteers today. Try tomorrow.")
            % {"count": limit},
            code="limit",
        )
    sent = _notify_once(
        "mission_proposed",
        recipient=volunteer,
        key=f"mission:{mission.pk}:proposed:{volunteer.pk}",
        context=_mission_context(mission, proposed_by=actor.first_name),
    )
    if not sent:
        raise DomainError(_("This mission was already proposed to this volunteer."))
    return _record(mission, EventKind.PROPOSED, actor=actor, data={"volunteer": volunteer.pk})


def _notify_once(template: str, *, recipient: User, key: str, context: dict[str, Any]) -> bool:
    """Queue an email; return False when one with the same key was already queued."""
    from entraide.notifications.services import notify

    return (
        notify(template=template, context=context, dedupe_key=key, recipient=recipient) is not None
    )

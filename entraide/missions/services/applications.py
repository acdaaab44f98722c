"""Writes for applications: apply, accept, decline, withdraw and the waiting list."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError, PermissionDeniedError, clean_reason
from entraide.core.events import record_event
from entraide.missions.models import Application, Mission, MissionEvent, MissionSlot
from entraide.missions.selectors import visible_internal_organisation_ids
from entraide.missions.services._common import (
    ACTIVE_APPLICATION_STATUSES,
    OPEN_STATUSES,
    EventKind,
    _reopen_if_full,
    _require_manager,
    _tell,
    slot_context,
)
from entraide.organisations.models import Membership, Organisation


def managers(organisation: Organisation) -> list[User]:
    """Return the people who answer applications for an organisation."""
    return managers_by_organisation([organisation.pk]).get(organisation.pk, [])


def managers_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """Return the people who answer applications, per organisation id, in one read."""
    found: dict[int, list[User]] = {}
    for membership in Membership.objects.select_related("user").filter(
        organisation_id__in=list(organisation_ids), user__is_active=True
    ):
        found.setdefault(membership.organisation_id, []).append(membership.user)
    return found


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
    record_event(
        MissionEvent,
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
    record_event(
        MissionEvent,
        mission,
        EventKind.ACCEPTED,
        actor=actor,
        from_status=old,
        to_status=Application.Status.ACCEPTED,
        data={"application": application.pk, "slot": slot.pk},
    )
    # Lock the mission before looking at its other slots: two accepts taking the last places
    # of two slots at once would each still see the other's place open, and neither would
    # mark the mission full. The second waits here and then reads the first's committed count.
    Mission.objects.select_for_update().filter(pk=mission.pk).values_list("pk").first()
    still_open = MissionSlot.objects.filter(
        mission=mission, accepted_count__lt=F("capacity"), starts_at__gt=timezone.now()
    ).exists()
    if not still_open and Mission.objects.filter(
        pk=mission.pk, status=Mission.Status.PUBLISHED
    ).update(status=Mission.Status.FULL, updated_at=timezone.now()):
        record_event(
            MissionEvent,
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
    reason = clean_reason(
        reason,
        missing=_("Tell the volunteer why, in a few words."),
        too_long=_("Keep the reason under 500 characters."),
    )
    old = _decide(
        application,
        allowed_from=(Application.Status.PENDING, Application.Status.WAITLISTED),
        actor=actor,
        status=Application.Status.DECLINED,
        decline_reason=reason,
    )
    record_event(
        MissionEvent,
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
        raise PermissionDeniedError(_("This is not your application."))
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
    record_event(
        MissionEvent,
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
    record_event(
        MissionEvent,
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

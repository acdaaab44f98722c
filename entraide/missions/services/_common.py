"""What the mission services share: statuses, event names, history, permission and emails."""

from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import PermissionDeniedError
from entraide.core.events import record_event
from entraide.missions.models import Application, Mission, MissionEvent, MissionSlot
from entraide.notifications.services import notify
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_manage_missions

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
    SENT_BACK = "sent_back"
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


def _require_manager(actor: User, organisation: Organisation) -> None:
    """Refuse unless the actor may manage this organisation's missions."""
    if not can_manage_missions(actor, organisation):
        raise PermissionDeniedError(_("You cannot manage the missions of this organisation."))


def _tell(
    template: str, *, recipient: User, key: str, context: dict[str, Any] | None = None
) -> None:
    """Email a person about a mission (once per key)."""
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


def _reopen_if_full(mission: Mission, *, actor: User | None) -> None:
    """Put a full mission back in the catalogue once one of its slots has a place again."""
    if Mission.objects.filter(pk=mission.pk, status=Mission.Status.FULL).update(
        status=Mission.Status.PUBLISHED, updated_at=timezone.now()
    ):
        record_event(
            MissionEvent,
            mission,
            EventKind.REOPENED,
            actor=actor,
            from_status=Mission.Status.FULL,
            to_status=Mission.Status.PUBLISHED,
        )
        mission.status = Mission.Status.PUBLISHED

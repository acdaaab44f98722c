"""Writes for proposing a published mission to a fitting volunteer."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.core.events import record_event
from entraide.missions.models import Mission, MissionEvent
from entraide.missions.services._common import (
    EventKind,
    _mission_context,
    _require_manager,
)
from entraide.notifications.services import notify


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
    return record_event(
        MissionEvent, mission, EventKind.PROPOSED, actor=actor, data={"volunteer": volunteer.pk}
    )


def _notify_once(template: str, *, recipient: User, key: str, context: dict[str, Any]) -> bool:
    """Queue an email; return False when one with the same key was already queued."""
    return (
        notify(template=template, context=context, dedupe_key=key, recipient=recipient) is not None
    )

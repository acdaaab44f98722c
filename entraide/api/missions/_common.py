"""Look-ups shared by the missions API views: the mission, application or page a caller may see."""

import uuid
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied

from entraide.accounts.models import Viewer
from entraide.api.common import id_or_404
from entraide.api.missions.serializers import (
    MissionPrivateSerializer,
    MissionSerializer,
    SlotSerializer,
)
from entraide.missions import selectors
from entraide.missions.models import Application, Mission
from entraide.organisations.permissions import can_manage_missions


def _mission_or_404(user: Viewer, public_id: str) -> Mission:
    """Return the mission if the caller may see it, else raise Http404 (also for a bad id)."""
    try:
        parsed = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    mission = selectors.mission_by_public_id(parsed)
    if mission is None or not selectors.can_see(mission, user):
        raise Http404
    return mission


def _managed_mission(user: Viewer, public_id: str) -> Mission:
    """Return the mission if the caller manages it; 403 if they only see it, else 404.

    For the reads only: the write services refuse a non-manager themselves.
    """
    mission = _mission_or_404(user, public_id)
    if not can_manage_missions(user, mission.organisation):
        raise PermissionDenied(_("Only the organisation's mission managers can do this."))
    return mission


def _application_or_404(application_id: str) -> Application:
    """Return the application with this id, with its slot and mission, or raise Http404."""
    application = (
        Application.objects.select_related(
            "volunteer", "slot", "slot__mission", "slot__mission__organisation__territory"
        )
        .filter(pk=id_or_404(application_id))
        .first()
    )
    if application is None:
        raise Http404
    return application


def _managed_application(user: Viewer, application_id: str) -> Application:
    """Return the application if the caller manages its mission; others never learn it exists."""
    application = _application_or_404(application_id)
    if not can_manage_missions(user, application.slot.mission.organisation):
        raise Http404
    return application


def _mission_page(user: Viewer, mission: Mission) -> dict[str, Any]:
    """Return a mission with its slots as the caller may see them."""
    manages = can_manage_missions(user, mission.organisation)
    private = manages or selectors.is_accepted_on(mission, user)
    mission_data = (MissionPrivateSerializer if private else MissionSerializer)(mission).data
    slots = selectors.mission_slots(mission, upcoming_only=not manages)
    return {
        "mission": mission_data,
        "slots": SlotSerializer(slots, many=True).data,
        "can_manage": manages,
    }

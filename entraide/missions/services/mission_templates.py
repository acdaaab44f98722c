"""Writes for mission templates: an organisation's reusable mission descriptions."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.events import record_event
from entraide.missions.models import Mission, MissionEvent, MissionTemplate
from entraide.missions.services._common import MISSION_FIELDS, EventKind, _require_manager


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
    record_event(
        MissionEvent, mission, EventKind.TEMPLATE_SAVED, actor=actor, data={"template": name}
    )
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

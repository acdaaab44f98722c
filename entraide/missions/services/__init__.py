"""Writes for missions, slots, applications and participations: the one path for every client.

Places are counted by conditional UPDATEs (`accepted_count < capacity` in the WHERE clause),
so two organisers accepting two volunteers for the last place get exactly one success.
Every change appends a MissionEvent in the same transaction.
"""

from entraide.missions.services._common import (
    ACTIVE_APPLICATION_STATUSES,
    EDITABLE_STATUSES,
    MISSION_FIELDS,
    OPEN_STATUSES,
    EventKind,
    # Private, but entraide.missions.importing checks permissions with it.
    _require_manager,
    slot_context,
)
from entraide.missions.services.applications import (
    application_accept,
    application_decline,
    application_submit,
    application_withdraw,
    managers,
    managers_by_organisation,
)
from entraide.missions.services.certificates import (
    certificate_issue,
    normalise_certificate_code,
)
from entraide.missions.services.lifecycle import (
    mission_cancel,
    mission_close,
    mission_create,
    mission_duplicate,
    mission_publish,
    mission_send_back,
    mission_submit,
    mission_update,
)
from entraide.missions.services.mission_templates import (
    mission_template_delete,
    mission_template_save,
    template_initial,
)
from entraide.missions.services.participations import (
    MAX_HOURS_PER_PARTICIPATION,
    clean_hours,
    clean_participation_hours,
    participation_confirm,
    participations_confirm,
    slot_length_hours,
)
from entraide.missions.services.proposals import (
    mission_propose,
)
from entraide.missions.services.saved_searches import (
    MAX_SAVED_SEARCHES,
    SAVED_SEARCH_PARAMS,
    SAVED_SEARCH_SALT,
    saved_search_create,
    saved_search_delete,
    saved_search_for_token,
    saved_search_set_active,
    saved_search_token,
)
from entraide.missions.services.slots import (
    MAX_WEEKLY_SLOTS,
    slot_add,
    slots_add_weekly,
)

__all__ = [
    "ACTIVE_APPLICATION_STATUSES",
    "EDITABLE_STATUSES",
    "EventKind",
    "MAX_HOURS_PER_PARTICIPATION",
    "MAX_SAVED_SEARCHES",
    "MAX_WEEKLY_SLOTS",
    "MISSION_FIELDS",
    "OPEN_STATUSES",
    "SAVED_SEARCH_PARAMS",
    "SAVED_SEARCH_SALT",
    "_require_manager",
    "application_accept",
    "application_decline",
    "application_submit",
    "application_withdraw",
    "certificate_issue",
    "clean_hours",
    "clean_participation_hours",
    "managers",
    "managers_by_organisation",
    "mission_cancel",
    "mission_close",
    "mission_create",
    "mission_duplicate",
    "mission_propose",
    "mission_publish",
    "mission_send_back",
    "mission_submit",
    "mission_template_delete",
    "mission_template_save",
    "mission_update",
    "normalise_certificate_code",
    "participation_confirm",
    "participations_confirm",
    "saved_search_create",
    "saved_search_delete",
    "saved_search_for_token",
    "saved_search_set_active",
    "saved_search_token",
    "slot_add",
    "slot_context",
    "slot_length_hours",
    "slots_add_weekly",
    "template_initial",
]

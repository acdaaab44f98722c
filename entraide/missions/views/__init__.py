"""Missions pages: the catalogue, a mission, an organisation's management, my applications."""

from entraide.missions.views.browsing import (
    catalogue,
    detail,
)
from entraide.missions.views.csv_import import (
    IMPORT_SESSION_KEY,
    mission_import,
)
from entraide.missions.views.management import (
    manage,
    mission_create,
    mission_edit,
    organisation_missions,
    propose,
)
from entraide.missions.views.moderation import moderate, review
from entraide.missions.views.volunteering import (
    certificate,
    certificate_download,
    my_applications,
    saved_search_unsubscribe,
    saved_searches,
    verify,
)

__all__ = [
    "IMPORT_SESSION_KEY",
    "catalogue",
    "certificate",
    "certificate_download",
    "detail",
    "manage",
    "mission_create",
    "mission_edit",
    "mission_import",
    "moderate",
    "my_applications",
    "organisation_missions",
    "propose",
    "review",
    "saved_search_unsubscribe",
    "saved_searches",
    "verify",
]

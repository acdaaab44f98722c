"""The emails about missions: their context is stored whole when they are queued."""

from entraide.notifications.registry import EmailKind

KINDS = tuple(
    EmailKind(name)
    for name in (
        "mission_application_accepted",
        "mission_application_declined",
        "mission_application_new",
        "mission_application_promoted",
        "mission_applications_unanswered",
        "mission_cancelled",
        "mission_closed",
        "mission_proposed",
        "mission_published",
        # Carries its own unsubscribe link (the saved search's), in its stored context.
        "mission_saved_search_digest",
        "mission_sent_back",
        "mission_slot_reminder",
        "mission_waiting",
    )
)

"""The emails about volunteering on work time: their context is stored whole when queued."""

from entraide.notifications.registry import EmailKind

KINDS = tuple(
    EmailKind(name) for name in ("work_time_approved", "work_time_rejected", "work_time_requested")
)

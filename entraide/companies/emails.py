"""The companies' emails (work time, top-up accrual problems): their context is stored whole."""

from entraide.notifications.registry import EmailKind

KINDS = tuple(
    EmailKind(name)
    for name in (
        "topup_accrual_problems",
        "work_time_approved",
        "work_time_rejected",
        "work_time_requested",
    )
)

"""The companies' emails (invitations, work time, top-up problems): context stored whole."""

from entraide.notifications.registry import EmailKind

KINDS = tuple(
    EmailKind(name)
    for name in (
        "employee_invitation",
        "topup_accrual_problems",
        "work_time_approved",
        "work_time_rejected",
        "work_time_requested",
    )
)

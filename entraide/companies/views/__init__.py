"""Companies' pages: join, my work time, approvals, the company dashboard and its exports."""

from entraide.companies.views.administration import (
    donations,
    profile,
    reverse_topup,
    rule_end,
    rules,
)
from entraide.companies.views.dashboard import dashboard, dashboard_csv, ledger_csv, pay
from entraide.companies.views.employees import (
    decide,
    decisions,
    employee_page,
    join,
    join_by_email,
)
from entraide.companies.views.invitations import invitation, invitations, revoke_invitation

__all__ = [
    "dashboard",
    "dashboard_csv",
    "decide",
    "decisions",
    "donations",
    "employee_page",
    "invitation",
    "invitations",
    "join",
    "join_by_email",
    "ledger_csv",
    "pay",
    "profile",
    "reverse_topup",
    "revoke_invitation",
    "rule_end",
    "rules",
]

"""Writes for companies: joining, work time, top-up rules, donations, the ledger, accruals.

Money is integer cents; hours are Decimal. Every ledger write locks the company's profile
row first, so two concurrent accruals or payments for one company run one after the other
and the "cannot pay more than due" check sees the other's entries.
"""

from entraide.companies.services.accrual import (
    topup_amount_cents,
    topups_accrue,
)
from entraide.companies.services.employees import (
    employee_join,
    employee_join_by_email,
    employee_set_manager,
    employee_update,
)
from entraide.companies.services.invitations import (
    employee_invitation_accept,
    employee_invitation_accept_with_new_account,
    employee_invitation_revoke,
    employee_invite,
)
from entraide.companies.services.profiles import (
    MAX_DOMAINS,
    company_profile_set,
)
from entraide.companies.services.topups import (
    donation_record,
    topup_pay,
    topup_reverse,
    topup_rule_end,
    topup_rule_set,
)
from entraide.companies.services.work_time import (
    work_time_decide,
    work_time_request,
)

__all__ = [
    "MAX_DOMAINS",
    "company_profile_set",
    "donation_record",
    "employee_invitation_accept",
    "employee_invitation_accept_with_new_account",
    "employee_invitation_revoke",
    "employee_invite",
    "employee_join",
    "employee_join_by_email",
    "employee_set_manager",
    "employee_update",
    "topup_amount_cents",
    "topup_pay",
    "topup_reverse",
    "topup_rule_end",
    "topup_rule_set",
    "topups_accrue",
    "work_time_decide",
    "work_time_request",
]

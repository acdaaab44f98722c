"""Writes for top-up rules, donations, and payments and reversals in the top-up ledger."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.companies import selectors
from entraide.companies.models import (
    MAX_MATCH_PERCENT,
    MAX_RULE_AMOUNT_CENTS,
    Donation,
    Employee,
    LedgerEntry,
    TopUpRule,
)
from entraide.companies.services._common import (
    _clean_cents,
    _lock_profile,
    _posted,
    _require_administrator,
    _require_company,
)
from entraide.core.errors import DomainError, PermissionDeniedError
from entraide.core.formats import format_money
from entraide.core.vocabulary import Channel
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_administer


def _clean_percent(value: Any) -> int:
    """Return a matching percentage from 1 to MAX_MATCH_PERCENT, or raise a field error."""
    if value in (None, "", 0):
        raise ValidationError({"match_percent": [_("Give the matching percentage.")]})
    try:
        if isinstance(value, bool | float):
            raise ValueError
        percent = int(str(value).strip())
    except ValueError as exc:
        raise ValidationError(
            {"match_percent": [_("Give the percentage as a whole number, for example 50.")]}
        ) from exc
    if not 1 <= percent <= MAX_MATCH_PERCENT:
        raise ValidationError(
            {
                "match_percent": [
                    _("Give a percentage from 1 to %(maximum)s.") % {"maximum": MAX_MATCH_PERCENT}
                ]
            }
        )
    return percent


@transaction.atomic
def topup_rule_set(
    *,
    company: Organisation,
    actor: User,
    kind: str,
    valid_from: date,
    amount_cents: Any = 0,
    match_percent: Any = None,
    cap_cents: Any = None,
    valid_until: date | None = None,
    rule: TopUpRule | None = None,
) -> TopUpRule:
    """Create a top-up rule, or change one that nothing has accrued under yet."""
    _require_administrator(actor, company)
    _require_company(company)
    if rule is None:
        rule = TopUpRule(company=company)
    elif rule.company_id != company.pk:
        raise PermissionDeniedError(_("This rule belongs to another company."))
    elif rule.entries.exists():
        raise DomainError(
            _("Money has accrued under this rule: end it and create a new one instead.")
        )
    rule.kind = kind
    rule.valid_from = valid_from
    rule.valid_until = valid_until
    rule.cap_cents = None if cap_cents in (None, "") else _clean_cents(cap_cents, "cap_cents")
    if kind == TopUpRule.Kind.DONATION_MATCH:
        rule.match_percent = _clean_percent(match_percent)
        rule.amount_cents = 0
    else:
        rule.amount_cents = _clean_cents(
            amount_cents, "amount_cents", maximum=MAX_RULE_AMOUNT_CENTS
        )
        rule.match_percent = None
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": [_("The end comes before the start.")]})
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def topup_rule_end(*, rule: TopUpRule, actor: User, on: date) -> TopUpRule:
    """End a rule on a date: nothing done after it accrues under the rule."""
    _require_administrator(actor, rule.company)
    if on < rule.valid_from:
        raise ValidationError({"valid_until": [_("The end comes before the start.")]})
    TopUpRule.objects.filter(pk=rule.pk).update(valid_until=on)
    rule.refresh_from_db()
    return rule


@transaction.atomic
def donation_record(
    *,
    employee: Employee,
    association: Organisation,
    amount_cents: Any,
    actor: User,
    made_at: Any = None,
) -> Donation:
    """Record an employee's donation to an association (the employee or their HR)."""
    if actor.pk != employee.user_id and not can_administer(actor, employee.company):
        raise PermissionDeniedError(_("You cannot record donations for this employee."))
    if association.kind == Organisation.Kind.COMPANY:
        raise ValidationError({"association": [_("Donations go to associations, not companies.")]})
    made_at = made_at or timezone.now()
    if made_at > timezone.now():
        raise ValidationError({"made_at": [_("A donation cannot be dated in the future.")]})
    donation = Donation(
        employee=employee,
        association=association,
        amount_cents=_clean_cents(amount_cents, "amount_cents"),
        made_at=made_at,
    )
    donation.full_clean()
    donation.save()
    return donation


def _take_from_due(entry: LedgerEntry) -> LedgerEntry:
    """Save a payment or a correction, never more than is due, and post it to the ledger."""
    _lock_profile(entry.company)
    due = selectors.due_cents(entry.company, entry.association)
    if entry.amount_cents > due:
        raise ValidationError(
            {
                "amount_cents": [
                    _("Only %(amount)s is due to this association.") % {"amount": format_money(due)}
                ]
            }
        )
    _posted(entry, channel=Channel.WEB)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def topup_pay(
    *,
    company: Organisation,
    association: Organisation,
    amount_cents: Any,
    actor: User,
    note: str = "",
) -> LedgerEntry:
    """Record money the company paid an association; never more than is due."""
    _require_administrator(actor, company)
    cents = _clean_cents(amount_cents, "amount_cents")
    return _take_from_due(
        LedgerEntry(
            company=company,
            association=association,
            kind=LedgerEntry.Kind.PAID,
            amount_cents=cents,
            note=(note or "").strip()[:500],
            created_by=actor,
        )
    )


@transaction.atomic
def topup_reverse(
    *,
    company: Organisation,
    association: Organisation,
    amount_cents: Any,
    actor: User,
    note: str,
) -> LedgerEntry:
    """Take back part of what accrued (a mistaken accrual); never more than is still due."""
    _require_administrator(actor, company)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say why the amount is reversed.")]})
    return _take_from_due(
        LedgerEntry(
            company=company,
            association=association,
            kind=LedgerEntry.Kind.REVERSED,
            amount_cents=_clean_cents(amount_cents, "amount_cents"),
            note=note[:500],
            created_by=actor,
        )
    )

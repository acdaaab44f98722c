"""Writes for top-up rules, donations and the append-only top-up ledger."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.companies import selectors
from entraide.companies.models import Donation, Employee, LedgerEntry, TopUpRule
from entraide.companies.services._common import (
    _clean_cents,
    _lock_profile,
    _require_administrator,
    _require_company,
)
from entraide.core.errors import DomainError, PermissionDeniedError
from entraide.missions.models import Participation
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_administer


@transaction.atomic
def topup_rule_set(
    *,
    company: Organisation,
    actor: User,
    kind: str,
    valid_from: date,
    amount_cents: Any = 0,
    match_percent: int | None = None,
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
        if not match_percent:
            raise ValidationError({"match_percent": [_("Give the matching percentage.")]})
        rule.match_percent = match_percent
        rule.amount_cents = 0
    else:
        rule.amount_cents = _clean_cents(amount_cents, "amount_cents")
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


def _rule_applies(rule: TopUpRule, on: date) -> bool:
    """Return True when the rule was in force on that date."""
    return rule.valid_from <= on and (rule.valid_until is None or on <= rule.valid_until)


def topup_amount_cents(
    rule: TopUpRule, *, hours: Decimal | None = None, donation_cents: int = 0
) -> int:
    """Return what a rule gives before caps, in whole cents rounded half up."""
    if rule.kind == TopUpRule.Kind.PER_HOUR:
        amount = Decimal(hours or 0) * rule.amount_cents
    elif rule.kind == TopUpRule.Kind.PER_ACTION:
        amount = Decimal(rule.amount_cents)
    else:
        amount = Decimal(donation_cents) * (rule.match_percent or 0) / 100
    return int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _capped(rule: TopUpRule, employee: Employee, on: date, amount: int) -> int:
    """Return the amount reduced to what the rule's yearly cap per employee still allows."""
    if rule.cap_cents is None:
        return amount
    already = LedgerEntry.objects.filter(
        rule=rule, employee=employee, kind=LedgerEntry.Kind.ACCRUED, occurred_on__year=on.year
    ).values_list("amount_cents", flat=True)
    return max(0, min(amount, rule.cap_cents - sum(already)))


def _accrue(
    *,
    company: Organisation,
    rule: TopUpRule,
    employee: Employee,
    association: Organisation,
    on: date,
    amount: int,
    note: str,
    participation: Participation | None = None,
    donation: Donation | None = None,
) -> LedgerEntry | None:
    """Append one accrual unless the cap leaves nothing (None then)."""
    amount = _capped(rule, employee, on, amount)
    if amount <= 0:
        return None
    entry = LedgerEntry(
        company=company,
        association=association,
        kind=LedgerEntry.Kind.ACCRUED,
        amount_cents=amount,
        employee=employee,
        occurred_on=on,
        rule=rule,
        participation=participation,
        donation=donation,
        note=note[:500],
    )
    entry.full_clean(validate_constraints=False)
    entry.save()
    return entry


@transaction.atomic
def topups_accrue(*, company: Organisation) -> list[LedgerEntry]:
    """Accrue what the company's rules give for its employees' volunteering and donations.

    Idempotent: a participation or donation accrues at most once per rule (checked here,
    and enforced by the ledger's unique constraints), so running it twice adds nothing.
    """
    _lock_profile(company)
    rules = list(TopUpRule.objects.filter(company=company).order_by("pk"))
    if not rules:
        return []
    staff = {e.user_id: e for e in Employee.objects.filter(company=company)}
    created: list[LedgerEntry] = []
    action_rules = [r for r in rules if r.kind != TopUpRule.Kind.DONATION_MATCH]
    match_rules = [r for r in rules if r.kind == TopUpRule.Kind.DONATION_MATCH]
    if action_rules:
        done = set(
            LedgerEntry.objects.filter(
                company=company, kind=LedgerEntry.Kind.ACCRUED, participation__isnull=False
            ).values_list("rule_id", "participation_id")
        )
        participations = selectors.employee_participations(company).order_by(
            "application__slot__starts_at", "pk"
        )
        for participation in participations:
            slot = participation.application.slot
            on = selectors.local_date(slot.starts_at)
            employee = staff[participation.application.volunteer_id]
            for rule in action_rules:
                if (rule.pk, participation.pk) in done or not _rule_applies(rule, on):
                    continue
                entry = _accrue(
                    company=company,
                    rule=rule,
                    employee=employee,
                    association=slot.mission.organisation,
                    on=on,
                    amount=topup_amount_cents(rule, hours=participation.hours),
                    note=f"{slot.mission.title} · {participation.hours} h",
                    participation=participation,
                )
                if entry is not None:
                    created.append(entry)
    if match_rules:
        done = set(
            LedgerEntry.objects.filter(
                company=company, kind=LedgerEntry.Kind.ACCRUED, donation__isnull=False
            ).values_list("rule_id", "donation_id")
        )
        donations = (
            Donation.objects.filter(employee__company=company)
            .select_related("association", "employee")
            .order_by("made_at", "pk")
        )
        for donation in donations:
            on = selectors.local_date(donation.made_at)
            for rule in match_rules:
                if (rule.pk, donation.pk) in done or not _rule_applies(rule, on):
                    continue
                entry = _accrue(
                    company=company,
                    rule=rule,
                    employee=donation.employee,
                    association=donation.association,
                    on=on,
                    amount=topup_amount_cents(rule, donation_cents=donation.amount_cents),
                    note=_("Matching %(percent)s%% of a donation")
                    % {"percent": rule.match_percent},
                    donation=donation,
                )
                if entry is not None:
                    created.append(entry)
    return created


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
    _lock_profile(company)
    due = selectors.due_cents(company, association)
    if cents > due:
        raise ValidationError(
            {
                "amount_cents": [
                    _("Only %(amount)s € is due to this association.")
                    % {"amount": selectors.cents_as_euros(due)}
                ]
            }
        )
    entry = LedgerEntry(
        company=company,
        association=association,
        kind=LedgerEntry.Kind.PAID,
        amount_cents=cents,
        note=(note or "").strip()[:500],
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    return entry


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
    cents = _clean_cents(amount_cents, "amount_cents")
    _lock_profile(company)
    due = selectors.due_cents(company, association)
    if cents > due:
        raise ValidationError(
            {
                "amount_cents": [
                    _("Only %(amount)s € is due to this association.")
                    % {"amount": selectors.cents_as_euros(due)}
                ]
            }
        )
    entry = LedgerEntry(
        company=company,
        association=association,
        kind=LedgerEntry.Kind.REVERSED,
        amount_cents=cents,
        note=note[:500],
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    return entry

"""The hourly accrual of top-ups: each item in its own savepoint, its failures reported to HR.

One rule or participation that cannot accrue (a rule stored beyond today's bounds, an amount
too large for the ledger, any error) writes nothing for itself only: the others accrue, and
the problem is kept as an `AccrualProblem` shown on the company's dashboard; the company's
administrators are emailed once when a run meets new problems.
"""

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.companies import selectors
from entraide.companies.models import (
    MAX_ENTRY_CENTS,
    AccrualProblem,
    Donation,
    Employee,
    LedgerEntry,
    TopUpRule,
)
from entraide.companies.services._common import _lock_profile, _posted
from entraide.core.links import absolute_url
from entraide.core.vocabulary import Channel
from entraide.missions.models import Participation
from entraide.notifications.services import notify
from entraide.organisations.models import Membership, Organisation

logger = logging.getLogger(__name__)
Reason = AccrualProblem.Reason


class AccrualTooLargeError(Exception):
    """One accrual would be larger than a ledger entry may hold."""


def _rule_applies(rule: TopUpRule, on: date) -> bool:
    """Return True when the rule was in force on that date."""
    return rule.valid_from <= on and (rule.valid_until is None or on <= rule.valid_until)


def topup_amount_cents(
    rule: TopUpRule, *, hours: Decimal | None = None, donation_cents: int = 0
) -> int:
    """Return what a rule gives before caps, in whole cents rounded half up (once)."""
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
    if amount > MAX_ENTRY_CENTS:
        # For the logs and the back office; HR read the problem's translated reason.
        raise AccrualTooLargeError(f"{amount} cents, over the {MAX_ENTRY_CENTS} an entry holds")
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
    _posted(entry, channel=Channel.SYSTEM)
    entry.full_clean(validate_constraints=False)
    entry.save()
    return entry


@dataclass
class _Run:
    """One company's accrual run: the entries it wrote and the problems it met, by key."""

    company: Organisation
    created: list[LedgerEntry] = field(default_factory=list)
    problems: dict[str, AccrualProblem] = field(default_factory=dict)

    def problem(
        self,
        key: str,
        reason: str,
        rule: TopUpRule,
        *,
        participation: Participation | None = None,
        donation: Donation | None = None,
        detail: str = "",
    ) -> None:
        """Note a problem (once per key and run)."""
        self.problems.setdefault(
            key,
            AccrualProblem(
                company=self.company,
                key=key,
                reason=reason,
                rule=rule,
                participation=participation,
                donation=donation,
                detail=detail[:500],
            ),
        )

    def usable(self, rule: TopUpRule) -> bool:
        """Return False (and note it) for a rule stored beyond today's bounds."""
        if not rule.out_of_bounds():
            return True
        self.problem(f"rule:{rule.pk}", Reason.RULE_OUT_OF_BOUNDS, rule)
        return False

    def accrue(
        self,
        key: str,
        *,
        rule: TopUpRule,
        employee: Employee,
        association: Organisation,
        on: date,
        note: str,
        participation: Participation | None = None,
        donation: Donation | None = None,
    ) -> None:
        """Write one accrual in its own savepoint: a failure writes nothing for it and is noted."""
        try:
            with transaction.atomic():
                if participation is not None:
                    amount = topup_amount_cents(rule, hours=participation.hours)
                else:
                    assert donation is not None
                    amount = topup_amount_cents(rule, donation_cents=donation.amount_cents)
                written = _accrue(
                    company=self.company,
                    rule=rule,
                    employee=employee,
                    association=association,
                    on=on,
                    amount=amount,
                    note=note,
                    participation=participation,
                    donation=donation,
                )
        except AccrualTooLargeError as exc:
            logger.warning("Top-up %s of company %s not accrued: %s", key, self.company.pk, exc)
            self.problem(
                key,
                Reason.TOO_LARGE,
                rule,
                participation=participation,
                donation=donation,
                detail=str(exc),
            )
        except Exception as exc:  # one bad item must not stop the company's other accruals
            logger.exception("Top-up %s of company %s failed", key, self.company.pk)
            self.problem(
                key,
                Reason.FAILED,
                rule,
                participation=participation,
                donation=donation,
                detail=type(exc).__name__,
            )
        else:
            if written is not None:
                self.created.append(written)


def _accrue_participations(run: _Run, rules: list[TopUpRule]) -> None:
    """Accrue the per-hour and per-action rules for every confirmed participation."""
    company = run.company
    staff = {e.user_id: e for e in Employee.objects.filter(company=company)}
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
        for rule in rules:
            if (rule.pk, participation.pk) in done or not _rule_applies(rule, on):
                continue
            if not run.usable(rule):
                continue
            run.accrue(
                f"rule:{rule.pk}:participation:{participation.pk}",
                rule=rule,
                participation=participation,
                employee=staff[participation.application.volunteer_id],
                association=slot.mission.organisation,
                on=on,
                note=f"{slot.mission.title} · {participation.hours} h",
            )


def _accrue_donations(run: _Run, rules: list[TopUpRule]) -> None:
    """Accrue the donation-matching rules for every recorded donation."""
    company = run.company
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
        for rule in rules:
            if (rule.pk, donation.pk) in done or not _rule_applies(rule, on):
                continue
            if not run.usable(rule):
                continue
            run.accrue(
                f"rule:{rule.pk}:donation:{donation.pk}",
                rule=rule,
                donation=donation,
                employee=donation.employee,
                association=donation.association,
                on=on,
                note=_("Matching %(percent)s%% of a donation") % {"percent": rule.match_percent},
            )


def _keep_problems(run: _Run) -> list[AccrualProblem]:
    """Store the problems this run met, forget those it no longer meets; return the new ones."""
    stored = AccrualProblem.objects.filter(company=run.company)
    stored.exclude(key__in=list(run.problems)).delete()
    known = set(stored.values_list("key", flat=True))
    stored.filter(key__in=known).update(last_seen_at=timezone.now())
    return AccrualProblem.objects.bulk_create(
        [problem for key, problem in run.problems.items() if key not in known]
    )


def _tell_administrators(company: Organisation, new: list[AccrualProblem]) -> None:
    """Email the company's administrators once about the problems a run newly met."""
    administrators = User.objects.filter(
        is_active=True,
        memberships__organisation=company,
        memberships__role=Membership.Role.ADMINISTRATOR,
    ).order_by("pk")
    for recipient in administrators:
        notify(
            template="topup_accrual_problems",
            context={
                "company_name": company.name,
                "count": len(new),
                "url": absolute_url(
                    "companies:dashboard", language=recipient.language, args=[company.slug]
                ),
            },
            # The first new problem names this batch: the next run, meeting the same
            # problems, adds none and sends nothing.
            dedupe_key=f"topup_accrual_problems:{company.pk}:{new[0].pk}:{recipient.pk}",
            recipient=recipient,
            about=company,
        )


@transaction.atomic
def topups_accrue(*, company: Organisation) -> list[LedgerEntry]:
    """Accrue what the company's rules give for its employees' volunteering and donations.

    Idempotent: a participation or donation accrues at most once per rule (checked here,
    and enforced by the ledger's unique constraints), so running it twice adds nothing. The
    company's profile row is locked first, so two workers running it at once take turns.
    """
    _lock_profile(company)
    rules = list(TopUpRule.objects.filter(company=company).order_by("pk"))
    run = _Run(company=company)
    action_rules = [r for r in rules if r.kind != TopUpRule.Kind.DONATION_MATCH]
    match_rules = [r for r in rules if r.kind == TopUpRule.Kind.DONATION_MATCH]
    if action_rules:
        _accrue_participations(run, action_rules)
    if match_rules:
        _accrue_donations(run, match_rules)
    new = _keep_problems(run)
    if new:
        _tell_administrators(company, new)
    return run.created

"""Writes for companies: joining, work time, top-up rules, donations and the top-up ledger.

Money is integer cents; hours are Decimal. Every ledger write locks the company's profile
row first, so two concurrent accruals or payments for one company run one after the other
and the "cannot pay more than due" check sees the other's entries.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.companies import selectors
from entraide.companies.models import (
    CompanyProfile,
    Donation,
    Employee,
    LedgerEntry,
    TopUpRule,
    WorkTimeRequest,
)
from entraide.core.errors import ConflictError, DomainError
from entraide.missions.models import Application, Participation
from entraide.missions.services import clean_hours
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_administer

MAX_DOMAINS = 20


def _require_company(company: Organisation) -> None:
    """Refuse organisations that are not companies."""
    if company.kind != Organisation.Kind.COMPANY:
        raise DomainError(_("This organisation is not a company."))


def _require_administrator(actor: User, company: Organisation) -> None:
    """Refuse unless the actor administers the company (its HR)."""
    if not can_administer(actor, company):
        raise DomainError(_("Only the company's administrators can do this."), code="forbidden")


def _lock_profile(company: Organisation) -> CompanyProfile:
    """Return the company's profile locked for this transaction (created when missing)."""
    _require_company(company)
    CompanyProfile.objects.get_or_create(organisation=company)
    return CompanyProfile.objects.select_for_update().get(organisation=company)


def _clean_domains(domains: Any) -> list[str]:
    """Return email domains lower-cased and deduplicated, or raise a field error."""
    if isinstance(domains, str):
        domains = domains.replace(",", " ").split()
    cleaned: list[str] = []
    for domain in domains or []:
        value = str(domain).strip().lower().lstrip("@")
        if not value:
            continue
        if "." not in value or " " in value or len(value) > 120 or "@" in value:
            raise ValidationError(
                {"email_domains": [_("“%(domain)s” is not an email domain.") % {"domain": value}]}
            )
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > MAX_DOMAINS:
        raise ValidationError({"email_domains": [_("Give at most 20 domains.")]})
    return cleaned


@transaction.atomic
def company_profile_set(
    *,
    company: Organisation,
    actor: User,
    email_domains: Any = None,
    yearly_allowance_hours: Any = None,
    new_code: bool = False,
) -> CompanyProfile:
    """Change the company's email domains, yearly allowance, or draw a new invitation code."""
    _require_administrator(actor, company)
    profile = _lock_profile(company)
    if email_domains is not None:
        profile.email_domains = _clean_domains(email_domains)
    if yearly_allowance_hours is not None:
        try:
            hours = Decimal(str(yearly_allowance_hours).strip().replace(",", "."))
        except ArithmeticError as exc:
            raise ValidationError(
                {"yearly_allowance_hours": [_("Give the hours as a number like 7.5.")]}
            ) from exc
        if isinstance(yearly_allowance_hours, float) or not hours.is_finite() or hours < 0:
            raise ValidationError(
                {"yearly_allowance_hours": [_("Give the hours as a number like 7.5.")]}
            )
        profile.yearly_allowance_hours = hours.quantize(Decimal("0.01"))
    if new_code:
        profile.invitation_code = CompanyProfile._meta.get_field("invitation_code").get_default()
    profile.full_clean()
    profile.save()
    return profile


def _join(user: User, profile: CompanyProfile) -> Employee:
    """Make the user an employee of the profile's company (once)."""
    if not user.is_active:
        raise DomainError(_("This account is disabled."))
    existing = Employee.objects.filter(company=profile.organisation, user=user).first()
    if existing is not None:
        return existing
    employee = Employee(company=profile.organisation, user=user)
    employee.full_clean()
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError:
        return Employee.objects.get(company=profile.organisation, user=user)
    return employee


@transaction.atomic
def employee_join(*, user: User, code: str) -> Employee:
    """Join a company with the invitation code its HR gave out."""
    profile = selectors.profile_for_code(code)
    if profile is None:
        raise ValidationError({"code": [_("This code matches no company. Check it and retry.")]})
    return _join(user, profile)


@transaction.atomic
def employee_join_by_email(*, user: User, company: Organisation) -> Employee:
    """Join a company whose email domain matches the user's verified address."""
    _require_company(company)
    profile = selectors.company_profile(company)
    if profile is None or profile not in selectors.profiles_for_email(user):
        if Employee.objects.filter(company=company, user=user).exists():
            return Employee.objects.get(company=company, user=user)
        raise DomainError(
            _("Your verified email address does not belong to this company's domains.")
        )
    return _join(user, profile)


@transaction.atomic
def employee_update(
    *,
    employee: Employee,
    actor: User,
    site: str | None = None,
    department: str | None = None,
    manager: User | None = None,
    clear_manager: bool = False,
) -> Employee:
    """Set an employee's site, department or manager (company administrators only)."""
    _require_administrator(actor, employee.company)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if site is not None:
        employee.site = site.strip()
    if department is not None:
        employee.department = department.strip()
    if clear_manager:
        employee.manager = None
    elif manager is not None:
        employee_set_manager(employee=employee, manager=manager, actor=actor)
        employee.refresh_from_db()
    employee.full_clean()
    employee.save()
    return employee


@transaction.atomic
def employee_set_manager(*, employee: Employee, manager: User | None, actor: User) -> Employee:
    """Name the colleague who approves the employee's work time (None: HR only)."""
    _require_administrator(actor, employee.company)
    if manager is not None:
        if manager.pk == employee.user_id:
            raise ValidationError({"manager": [_("Nobody approves their own work time.")]})
        if not Employee.objects.filter(company=employee.company, user=manager).exists():
            raise ValidationError(
                {"manager": [_("The manager must be an employee of the same company.")]}
            )
    Employee.objects.filter(pk=employee.pk).update(manager=manager)
    employee.refresh_from_db()
    return employee


@transaction.atomic
def work_time_request(
    *, employee: Employee, application: Application, hours: Any
) -> WorkTimeRequest:
    """Ask to volunteer on work time; refused beyond what is left of the yearly allowance."""
    value = clean_hours(hours)
    # Serialise one employee's requests so two tabs cannot both spend the last hours.
    employee = Employee.objects.select_for_update().select_related("company").get(pk=employee.pk)
    application = Application.objects.select_related("slot").get(pk=application.pk)
    if application.volunteer_id != employee.user_id:
        raise DomainError(_("This is not your application."), code="forbidden")
    if application.status not in (Application.Status.ACCEPTED, Application.Status.PENDING):
        raise ValidationError(
            {"application": [_("Only an accepted or pending application can use work time.")]}
        )
    year = selectors.local_year(application.slot.starts_at)
    balance = selectors.allowance_balance(employee, year)
    if value > balance:
        raise ValidationError(
            {
                "hours": [
                    _("Only %(hours)s hours of work time are left for %(year)s.")
                    % {"hours": max(balance, Decimal("0.00")), "year": year}
                ]
            }
        )
    if (
        WorkTimeRequest.objects.filter(employee=employee, application=application)
        .exclude(status=WorkTimeRequest.Status.REJECTED)
        .exists()
    ):
        raise ValidationError(
            {"application": [_("You already asked for work time for this slot.")]}
        )
    request = WorkTimeRequest(employee=employee, application=application, hours=value)
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def work_time_decide(
    *, request: WorkTimeRequest, actor: User, approve: bool, reason: str = ""
) -> WorkTimeRequest:
    """Approve or reject a work-time request (the employee's manager or the company's HR)."""
    request = (
        WorkTimeRequest.objects.select_for_update()
        .select_related("employee__company", "application__slot")
        .get(pk=request.pk)
    )
    if not selectors.can_decide(actor, request):
        raise DomainError(_("You cannot decide on this request."), code="forbidden")
    if request.employee.user_id == actor.pk and not actor.is_staff:
        raise DomainError(_("Nobody approves their own work time."), code="forbidden")
    if request.status != WorkTimeRequest.Status.PENDING:
        raise ConflictError(_("This request has already been decided."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": [_("Tell the employee why, in a few words.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Keep the reason under 500 characters.")]})
    if approve:
        Employee.objects.select_for_update().get(pk=request.employee_id)
        year = selectors.local_year(request.application.slot.starts_at)
        if request.hours > selectors.allowance_balance(request.employee, year):
            raise ValidationError(
                {"__all__": [_("The employee has not enough work time left this year.")]}
            )
    request.status = WorkTimeRequest.Status.APPROVED if approve else WorkTimeRequest.Status.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.reason = reason
    request.full_clean()
    request.save()
    return request


def _clean_cents(value: Any, field: str, *, allow_zero: bool = False) -> int:
    """Return an amount in whole cents, or raise a field error (floats refused)."""
    if isinstance(value, bool | float) or not isinstance(value, int | str | Decimal):
        raise ValidationError({field: [_("Give the amount in cents, as a whole number.")]})
    try:
        cents = int(str(value).strip())
    except ValueError as exc:
        raise ValidationError({field: [_("Give the amount in cents, as a whole number.")]}) from exc
    if cents < 0 or (cents == 0 and not allow_zero):
        raise ValidationError({field: [_("The amount must be more than zero.")]})
    return cents


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
        raise DomainError(_("This rule belongs to another company."), code="forbidden")
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
        raise DomainError(_("You cannot record donations for this employee."), code="forbidden")
    if association.kind == Organisation.Kind.COMPANY:
        raise ValidationError({"association": [_("Donations go to associations, not companies.")]})
    donation = Donation(
        employee=employee,
        association=association,
        amount_cents=_clean_cents(amount_cents, "amount_cents"),
        made_at=made_at or timezone.now(),
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

"""Reads for companies: employees, work-time balances, the top-up ledger and the dashboard."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from entraide.accounts.models import User, Viewer
from entraide.companies.models import (
    AccrualProblem,
    CompanyProfile,
    Donation,
    Employee,
    EmployeeInvitation,
    LedgerEntry,
    TopUpRule,
    WorkTimeRequest,
)
from entraide.missions.models import Application, Mission, Participation
from entraide.money import selectors as money_selectors
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_administer


def local_year(moment: Any) -> int:
    """Return the calendar year of a moment in the deployment's time zone."""
    return int(timezone.localtime(moment).year)


def local_date(moment: Any) -> date:
    """Return the calendar date of a moment in the deployment's time zone."""
    return timezone.localtime(moment).date()


def company_profile(company: Organisation) -> CompanyProfile | None:
    """Return the company's profile, or None for an organisation that is not set up as one."""
    return CompanyProfile.objects.filter(organisation=company).first()


def invitation_token_hash(token: str) -> str:
    """Return the fingerprint under which an employee invitation's token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def employee_invitation_for_token(token: str) -> EmployeeInvitation | None:
    """Return the invitation a link's token belongs to, or None when it matches none."""
    if not token or len(token) > 100:
        return None
    return (
        EmployeeInvitation.objects.filter(token_hash=invitation_token_hash(token))
        .select_related("company")
        .first()
    )


def employee_invitations(company: Organisation) -> QuerySet[EmployeeInvitation]:
    """Return the company's invitations, newest first, with who sent and who accepted them."""
    return EmployeeInvitation.objects.filter(company=company).select_related(
        "invited_by", "accepted_by"
    )


def profile_for_code(code: str) -> CompanyProfile | None:
    """Return the profile behind an invitation code (exact match), or None."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    return (
        CompanyProfile.objects.select_related("organisation")
        .filter(invitation_code=code, organisation__kind=Organisation.Kind.COMPANY)
        .first()
    )


def email_domain(email: str) -> str:
    """Return the lower-case domain of an email address ("" when there is none)."""
    return email.rpartition("@")[2].strip().lower() if "@" in email else ""


def profiles_for_email(user: Viewer) -> list[CompanyProfile]:
    """Return the companies a user may join through their verified email's domain."""
    if user is None or not user.is_authenticated or user.email_verified_at is None:
        return []
    domain = email_domain(user.email)
    if not domain:
        return []
    joined = Employee.objects.filter(user=user).values("company_id")
    return [
        profile
        for profile in CompanyProfile.objects.select_related("organisation")
        .filter(organisation__kind=Organisation.Kind.COMPANY)
        .exclude(organisation_id__in=joined)
        if domain in {d.lower() for d in profile.email_domains}
    ]


def employments_of(user: Viewer) -> QuerySet[Employee]:
    """Return the user's employments with their companies, by company name."""
    if user is None or not user.is_authenticated:
        return Employee.objects.none()
    return (
        Employee.objects.filter(user=user)
        .select_related("company", "manager")
        .order_by("company__name")
    )


def employments_for_organisations_page(user: User) -> list[Employee]:
    """Return the user's employers they are not a member of, each with the team they manage."""
    team = (
        Employee.objects.filter(company=OuterRef("company"), manager=user)
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Employee.objects.filter(user=user)
        .exclude(company__memberships__user=user)
        .select_related("company")
        .annotate(team_size=Coalesce(Subquery(team, output_field=IntegerField()), Value(0)))
        .order_by("company__name")
    )


def employee_of(user: Viewer, company: Organisation) -> Employee | None:
    """Return the user's employment in the company, or None."""
    if user is None or not user.is_authenticated:
        return None
    return Employee.objects.filter(user=user, company=company).select_related("company").first()


def employees(company: Organisation) -> QuerySet[Employee]:
    """Return the company's employees with their managers."""
    return Employee.objects.filter(company=company).select_related("user", "manager")


def approved_hours(employee: Employee, year: int) -> Decimal:
    """Return the work-time hours approved for the employee's slots starting in that year."""
    total = WorkTimeRequest.objects.filter(
        employee=employee,
        status=WorkTimeRequest.Status.APPROVED,
        application__slot__starts_at__year=year,
    ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0.00")


def allowance_hours(employee: Employee) -> Decimal:
    """Return how many hours of work time the employee's company allows each year."""
    profile = company_profile(employee.company)
    return profile.yearly_allowance_hours if profile else Decimal("0.00")


def allowance_balance(employee: Employee, year: int) -> Decimal:
    """Return the hours of work time left: the yearly allowance minus the approved hours."""
    return allowance_hours(employee) - approved_hours(employee, year)


def work_time_requests_of(employee: Employee) -> QuerySet[WorkTimeRequest]:
    """Return the employee's requests, newest first, with their missions."""
    return WorkTimeRequest.objects.filter(employee=employee).select_related(
        "application__slot__mission__organisation", "decided_by"
    )


def applications_for_work_time(employee: Employee) -> QuerySet[Application]:
    """Return the employee's accepted or pending applications with no live work-time request."""
    live = WorkTimeRequest.objects.filter(employee=employee).exclude(
        status=WorkTimeRequest.Status.REJECTED
    )
    return (
        Application.objects.filter(
            volunteer=employee.user,
            status__in=(Application.Status.ACCEPTED, Application.Status.PENDING),
            slot__starts_at__gt=timezone.now(),
        )
        .exclude(pk__in=live.values("application_id"))
        .select_related("slot__mission__organisation")
        .order_by("slot__starts_at")
    )


def can_decide(user: Viewer, request: WorkTimeRequest) -> bool:
    """Return True for the employee's manager and the company's administrators (HR)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    employee = request.employee
    if employee.manager_id is not None and employee.manager_id == user.pk:
        return True
    return can_administer(user, employee.company)


def requests_to_decide(user: Viewer) -> QuerySet[WorkTimeRequest]:
    """Return the pending requests this user may decide on, oldest first."""
    if user is None or not user.is_authenticated or not user.is_active:
        return WorkTimeRequest.objects.none()
    administered = Organisation.objects.filter(
        kind=Organisation.Kind.COMPANY,
        memberships__user=user,
        memberships__role="administrator",
    ).values("pk")
    return (
        WorkTimeRequest.objects.filter(status=WorkTimeRequest.Status.PENDING)
        .filter(Q(employee__manager=user) | Q(employee__company_id__in=administered))
        .select_related("employee__user", "employee__company", "application__slot__mission")
        .order_by("created_at", "id")
    )


def internal_missions_for(user: Viewer) -> QuerySet[Mission]:
    """Return the published internal missions of the companies the user works for.

    The missions catalogue shows them too (to members and to employees who joined with a
    code, see missions.selectors.visible_internal_organisation_ids); the employee's work-time
    page lists them here so they are one click from asking for work time.
    """
    if user is None or not user.is_authenticated:
        return Mission.objects.none()
    companies = Employee.objects.filter(user=user).values("company_id")
    return (
        Mission.objects.filter(
            is_internal=True,
            organisation_id__in=companies,
            status__in=(Mission.Status.PUBLISHED, Mission.Status.FULL),
        )
        .select_related("organisation")
        .order_by("-published_at", "-id")
    )


def donation_associations() -> QuerySet[Organisation]:
    """Return the verified organisations that are not companies, by name (donations go there)."""
    return (
        Organisation.objects.filter(status=Organisation.Status.VERIFIED)
        .exclude(kind=Organisation.Kind.COMPANY)
        .order_by("name", "pk")
    )


def donations_of(company: Organisation) -> QuerySet[Donation]:
    """Return the donations of the company's employees, newest first."""
    return Donation.objects.filter(employee__company=company).select_related(
        "employee__user", "association"
    )


def active_rules(company: Organisation) -> QuerySet[TopUpRule]:
    """Return the company's rules, newest first."""
    return TopUpRule.objects.filter(company=company)


def accrual_problems(company: Organisation) -> QuerySet[AccrualProblem]:
    """Return the top-ups the last accrual could not write, for the dashboard's notice."""
    return AccrualProblem.objects.filter(company=company).select_related(
        "rule",
        "participation__application__slot__mission",
        "participation__application__volunteer",
        "donation__association",
        "donation__employee__user",
    )


def employee_participations(company: Organisation) -> QuerySet[Participation]:
    """Return confirmed participations of the company's employees for other organisations."""
    users = Employee.objects.filter(company=company).values("user_id")
    return (
        Participation.objects.filter(application__volunteer_id__in=users)
        .exclude(application__slot__mission__organisation__kind=Organisation.Kind.COMPANY)
        .select_related("application__slot__mission__organisation")
    )


def due_cents(company: Organisation, association: Organisation) -> int:
    """Return what the company still owes the association: accrued − paid − reversed."""
    totals = _sums_by_kind(LedgerEntry.objects.filter(company=company, association=association))
    return (
        totals[LedgerEntry.Kind.ACCRUED]
        - totals[LedgerEntry.Kind.PAID]
        - totals[LedgerEntry.Kind.REVERSED]
    )


def _sums_by_kind(entries: QuerySet[LedgerEntry]) -> dict[str, int]:
    """Return the sum of amounts per kind (0 for kinds with no entry)."""
    sums = {kind: 0 for kind in LedgerEntry.Kind.values}
    for row in entries.values("kind").annotate(total=Sum("amount_cents")):
        sums[row["kind"]] = int(row["total"] or 0)
    return sums


@dataclass
class AssociationTotals:
    """What a company accrued, paid and reversed for one association, in cents."""

    association: Organisation
    accrued_cents: int = 0
    paid_cents: int = 0
    reversed_cents: int = 0

    @property
    def due_cents(self) -> int:
        """Return what is still to pay."""
        return self.accrued_cents - self.paid_cents - self.reversed_cents


def ledger_totals(company: Organisation) -> list[AssociationTotals]:
    """Return the ledger's totals per association, by association name."""
    rows = (
        LedgerEntry.objects.filter(company=company)
        .values("association_id", "kind")
        .annotate(total=Sum("amount_cents"))
    )
    by_association: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        by_association[row["association_id"]][row["kind"]] = int(row["total"] or 0)
    associations = Organisation.objects.in_bulk(list(by_association))
    totals = [
        AssociationTotals(
            association=associations[pk],
            accrued_cents=kinds.get(LedgerEntry.Kind.ACCRUED, 0),
            paid_cents=kinds.get(LedgerEntry.Kind.PAID, 0),
            reversed_cents=kinds.get(LedgerEntry.Kind.REVERSED, 0),
        )
        for pk, kinds in by_association.items()
    ]
    return sorted(totals, key=lambda t: (t.association.name, t.association.pk))


def ledger_reconciles(
    company: Organisation, *, shown: list[AssociationTotals] | None = None
) -> bool:
    """Return True when the totals shown match the entries one by one and nothing is overpaid.

    The per-association totals come from one aggregate query (pass `shown`, the totals a
    page already read, to check exactly those); this walks every entry independently, so a
    wrong aggregate or a negative balance shows up as a mismatch.
    """
    walked: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in LedgerEntry.objects.filter(company=company).iterator():
        walked[entry.association_id][entry.kind] += entry.amount_cents
    if shown is None:
        shown = ledger_totals(company)
    shown_by_pk = {t.association.pk: t for t in shown}
    if set(shown_by_pk) != set(walked):
        return False
    for pk, totals in shown_by_pk.items():
        kinds = walked[pk]
        if (
            totals.accrued_cents != kinds[LedgerEntry.Kind.ACCRUED]
            or totals.paid_cents != kinds[LedgerEntry.Kind.PAID]
            or totals.reversed_cents != kinds[LedgerEntry.Kind.REVERSED]
            or totals.due_cents < 0
        ):
            return False
    overall = _sums_by_kind(LedgerEntry.objects.filter(company=company))
    if not all(
        overall[kind] == sum(t[kind] for t in walked.values()) for kind in LedgerEntry.Kind.values
    ):
        return False
    # The money ledger holds the same story: every entry has its transaction, and what it
    # says is due to each association is what the entries say.
    if LedgerEntry.objects.filter(company=company, transaction__isnull=True).exists():
        return False
    due_in_money = money_selectors.topup_due_by_association(company.pk)
    return all(due_in_money.get(pk, 0) == totals.due_cents for pk, totals in shown_by_pk.items())


def ledger_entries(company: Organisation) -> QuerySet[LedgerEntry]:
    """Return the company's ledger, oldest first, for the page and the CSV export."""
    return LedgerEntry.objects.filter(company=company).select_related(
        "association", "employee__user", "rule", "created_by"
    )


@dataclass
class GroupFigures:
    """Volunteering figures for one site or department."""

    name: str
    participants: int = 0
    hours: Decimal = Decimal("0.00")
    participations: int = 0


@dataclass
class Dashboard:
    """A company's volunteering and top-up figures."""

    employees: int
    participants: int
    participations: int
    hours: Decimal
    missions: int
    associations_helped: int
    accrued_cents: int
    paid_cents: int
    reversed_cents: int
    by_site: list[GroupFigures] = field(default_factory=list)
    by_department: list[GroupFigures] = field(default_factory=list)

    @property
    def due_cents(self) -> int:
        """Return the top-ups still to pay, all associations together."""
        return self.accrued_cents - self.paid_cents - self.reversed_cents


def _group(participations: list[Participation], key: dict[int, str]) -> list[GroupFigures]:
    """Sum participations per site or department (key maps a volunteer to the group)."""
    groups: dict[str, GroupFigures] = {}
    people: dict[str, set[int]] = defaultdict(set)
    for participation in participations:
        volunteer_id = participation.application.volunteer_id
        name = key.get(volunteer_id, "")
        figures = groups.setdefault(name, GroupFigures(name=name))
        figures.hours += participation.hours
        figures.participations += 1
        people[name].add(volunteer_id)
    for name, figures in groups.items():
        figures.participants = len(people[name])
    return sorted(groups.values(), key=lambda g: (g.name == "", g.name.casefold()))


def company_dashboard(company: Organisation) -> Dashboard:
    """Return the company's figures: people, hours, missions, associations and top-ups."""
    staff = list(Employee.objects.filter(company=company).values("user_id", "site", "department"))
    participations = list(
        Participation.objects.filter(application__volunteer_id__in=[e["user_id"] for e in staff])
        .select_related("application__slot__mission")
        .order_by("pk")
    )
    counts = Participation.objects.filter(pk__in=[p.pk for p in participations]).aggregate(
        missions=Count("application__slot__mission", distinct=True),
        associations=Count(
            "application__slot__mission__organisation",
            distinct=True,
            filter=~Q(application__slot__mission__organisation=company),
        ),
    )
    sums = _sums_by_kind(LedgerEntry.objects.filter(company=company))
    return Dashboard(
        employees=len(staff),
        participants=len({p.application.volunteer_id for p in participations}),
        participations=len(participations),
        hours=sum((p.hours for p in participations), Decimal("0.00")),
        missions=counts["missions"],
        associations_helped=counts["associations"],
        accrued_cents=sums[LedgerEntry.Kind.ACCRUED],
        paid_cents=sums[LedgerEntry.Kind.PAID],
        reversed_cents=sums[LedgerEntry.Kind.REVERSED],
        by_site=_group(participations, {e["user_id"]: e["site"] for e in staff}),
        by_department=_group(participations, {e["user_id"]: e["department"] for e in staff}),
    )


def cents_as_euros(cents: int) -> str:
    """Return cents as a plain decimal amount ("12.35"), for exports and templates."""
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))

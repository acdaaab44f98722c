"""Companies: their employees, work-time volunteering, top-up rules, donations and the ledger."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from entraide.core.models import AppendOnlyModel
from entraide.organisations.models import InvitationFields, Organisation

COMPANY = models.Q(kind=Organisation.Kind.COMPANY)

# Bounds on the amounts and rates people enter; no real company comes near them. The largest
# top-up they allow — a 1,000 % match of the largest donation — is 10⁹ cents, under the
# 2³¹ − 1 a PostgreSQL integer column (PositiveIntegerField) holds, so an accrual can never
# overflow its ledger entry, and sums of entries are 64-bit.
MAX_RULE_AMOUNT_CENTS = 1_000_000  # 10,000 € per hour volunteered or per action (× 24 h at most)
MAX_MATCH_PERCENT = 1000  # a donation matched ten times
MAX_AMOUNT_CENTS = 100_000_000  # 1,000,000 €: one donation, payment, reversal or yearly cap
MAX_ENTRY_CENTS = MAX_AMOUNT_CENTS * MAX_MATCH_PERCENT // 100  # one ledger entry: 10,000,000 €
MAX_ALLOWANCE_HOURS = Decimal("2000")  # work time per employee and year: a full-time year


def new_invitation_code() -> str:
    """Return an unguessable code employees type to join their company (about 72 bits)."""
    return secrets.token_urlsafe(9)


class CompanyProfile(models.Model):
    """What a company organisation adds: its email domains, join code and work-time allowance."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="company_profile",
        limit_choices_to=COMPANY,
        verbose_name=_("company"),
    )
    email_domains = models.JSONField(
        _("email domains"),
        default=list,
        blank=True,
        help_text=_("People with a verified address at one of these domains may join."),
    )
    invitation_code = models.CharField(
        _("invitation code"), max_length=32, unique=True, default=new_invitation_code
    )
    yearly_allowance_hours = models.DecimalField(
        _("work time allowed per employee and year (hours)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("7.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_ALLOWANCE_HOURS)],
    )
    # French agrees the participle with the noun: "créé le" for a profile, "créée le" elsewhere.
    created_at = models.DateTimeField(
        pgettext_lazy("a company profile", "created at"), auto_now_add=True
    )

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(yearly_allowance_hours__gte=0)
                & models.Q(yearly_allowance_hours__lte=MAX_ALLOWANCE_HOURS),
                name="company_allowance_hours_bounded",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Employee(models.Model):
    """A person who works for a company, where, and who their manager is."""

    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="employees",
        limit_choices_to=COMPANY,
        verbose_name=_("company"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="employments",
        verbose_name=_("person"),
    )
    site = models.CharField(_("site"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_employees",
        verbose_name=_("manager"),
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["company", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="one_employee_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.company}"


class WorkTimeRequest(models.Model):
    """An employee asks to volunteer on work time for one mission application."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="work_time_requests",
        verbose_name=_("employee"),
    )
    application = models.ForeignKey(
        "missions.Application",
        on_delete=models.CASCADE,
        related_name="work_time_requests",
        verbose_name=_("application"),
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Not the "asked at" of a help request's offer: French says "demandée le" here.
    created_at = models.DateTimeField(
        pgettext_lazy("a work-time request", "asked at"), auto_now_add=True
    )

    class Meta:
        verbose_name = _("work-time request")
        verbose_name_plural = _("work-time requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24),
                name="work_time_hours_between_0_and_24",
            ),
            # A rejected request may be asked again; a live one only once.
            models.UniqueConstraint(
                fields=["employee", "application"],
                condition=~models.Q(status="rejected"),
                name="one_live_work_time_request_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.hours} h ({self.get_status_display()})"


class TopUpRule(models.Model):
    """How much a company adds to its employees' volunteering or donations, and when."""

    class Kind(models.TextChoices):
        PER_HOUR = "per_hour", _("Amount per hour volunteered")
        PER_ACTION = "per_action", _("Amount per action")
        DONATION_MATCH = "donation_match", _("Percentage of employees' donations")

    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="topup_rules",
        limit_choices_to=COMPANY,
        verbose_name=_("company"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), default=0, validators=[MaxValueValidator(MAX_RULE_AMOUNT_CENTS)]
    )
    match_percent = models.PositiveSmallIntegerField(
        _("matching percentage"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MATCH_PERCENT)],
    )
    cap_cents = models.PositiveIntegerField(
        _("cap per employee and year (cents)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AMOUNT_CENTS)],
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("top-up rule")
        verbose_name_plural = _("top-up rules")
        ordering = ["company", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="topup_rule_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__lte=MAX_RULE_AMOUNT_CENTS)
                & (models.Q(cap_cents__isnull=True) | models.Q(cap_cents__lte=MAX_AMOUNT_CENTS))
                & (
                    models.Q(match_percent__isnull=True)
                    | models.Q(match_percent__gte=1, match_percent__lte=MAX_MATCH_PERCENT)
                ),
                name="topup_rule_amounts_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.get_kind_display()}"

    def out_of_bounds(self) -> bool:
        """Return True for a rule beyond today's bounds (stored before they existed)."""
        return (
            self.amount_cents > MAX_RULE_AMOUNT_CENTS
            or (self.cap_cents is not None and self.cap_cents > MAX_AMOUNT_CENTS)
            or (self.match_percent is not None and not 1 <= self.match_percent <= MAX_MATCH_PERCENT)
        )


class Donation(models.Model):
    """Money an employee gave to an association (payroll giving or a one-off gift)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="donations", verbose_name=_("employee")
    )
    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="employee_donations",
        verbose_name=_("association"),
    )
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), validators=[MaxValueValidator(MAX_AMOUNT_CENTS)]
    )
    made_at = models.DateTimeField(_("given at"), default=timezone.now)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-made_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="donation_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__lte=MAX_AMOUNT_CENTS),
                name="donation_amount_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} → {self.association}: {self.amount_cents / 100:.2f}"


class LedgerEntry(AppendOnlyModel):
    """One movement of top-up money between a company and an association; never changed.

    `amount_cents` is always positive: its kind gives the sign (accrued adds to what the
    company owes, paid and reversed take from it), see `signed_cents`.
    """

    class Kind(models.TextChoices):
        ACCRUED = "accrued", _("Accrued")
        PAID = "paid", _("Paid")
        REVERSED = "reversed", _("Reversed")

    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="topup_ledger",
        limit_choices_to=COMPANY,
        verbose_name=_("company"),
    )
    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="topups_received",
        verbose_name=_("association"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), validators=[MaxValueValidator(MAX_ENTRY_CENTS)]
    )
    employee = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employee"),
    )
    occurred_on = models.DateField(_("date of the volunteering or donation"), null=True, blank=True)
    rule = models.ForeignKey(
        TopUpRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("rule"),
    )
    participation = models.ForeignKey(
        "missions.Participation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topup_entries",
        verbose_name=_("participation"),
    )
    donation = models.ForeignKey(
        Donation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topup_entries",
        verbose_name=_("donation"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    # The money moved, in the platform's one ledger (money.Transaction); this row keeps what
    # only companies know (the rule, the employee, the participation or donation). Every
    # entry written by the services has one; reconciliation reports any without.
    transaction = models.OneToOneField(
        "money.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topup_entry",
        verbose_name=_("money transaction"),
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="ledger_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__lte=MAX_ENTRY_CENTS),
                name="ledger_amount_bounded",
            ),
            models.UniqueConstraint(
                fields=["rule", "participation"],
                condition=models.Q(kind="accrued", participation__isnull=False),
                name="participation_accrues_once_per_rule",
            ),
            models.UniqueConstraint(
                fields=["rule", "donation"],
                condition=models.Q(kind="accrued", donation__isnull=False),
                name="donation_accrues_once_per_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_cents / 100:.2f} → {self.association}"

    @property
    def signed_cents(self) -> int:
        """Return the amount with the sign its kind gives it (what the company owes)."""
        return self.amount_cents if self.kind == self.Kind.ACCRUED else -self.amount_cents


class AccrualProblem(models.Model):
    """A top-up the hourly accrual could not write, shown to the company's HR until it can.

    One row per rule (a rule beyond the bounds) or per rule and participation or donation (an
    accrual that failed); the others accrue regardless. The row goes once the run no longer
    meets the problem, so the administrators are emailed once per new problem, not each hour.
    """

    class Reason(models.TextChoices):
        RULE_OUT_OF_BOUNDS = (
            "rule_out_of_bounds",
            _("The rule's amount, percentage or cap is beyond what the platform accepts."),
        )
        TOO_LARGE = "too_large", _("The top-up would be larger than one ledger entry may hold.")
        FAILED = "failed", _("The accrual failed; the platform's staff can read why in the logs.")

    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="accrual_problems",
        limit_choices_to=COMPANY,
        verbose_name=_("company"),
    )
    key = models.CharField(_("key"), max_length=100)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    rule = models.ForeignKey(
        TopUpRule, on_delete=models.CASCADE, related_name="+", verbose_name=_("rule")
    )
    participation = models.ForeignKey(
        "missions.Participation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participation"),
    )
    donation = models.ForeignKey(
        Donation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donation"),
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"), default=timezone.now)

    class Meta:
        verbose_name = _("top-up accrual problem")
        verbose_name_plural = _("top-up accrual problems")
        ordering = ["company", "first_seen_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "key"], name="one_accrual_problem_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.get_reason_display()}"


class EmployeeInvitation(InvitationFields):
    """An emailed, single-use link that makes the person at that address an employee.

    Only a hash of the token is stored: a leaked database does not hand out employments.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="employee_invitations",
        limit_choices_to=COMPANY,
        verbose_name=_("company"),
    )

    class Meta:
        verbose_name = _("employee invitation")
        verbose_name_plural = _("employee invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "email"], name="employee_invitation_email")]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    @property
    def status(self) -> str:
        """Return where the invitation stands: pending, accepted, cancelled or expired."""
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        """Return the status in the reader's language."""
        return str(self.Status(self.status).label)

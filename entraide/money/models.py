"""The money ledger (accounts, balanced transactions of signed entries) and solidarity funds.

Every amount is a whole number of cents. An entry's sign says which way money moved for its
account: positive means the account received it, negative that it gave it; the entries of one
transaction add up to zero (docs/money.md explains why signed entries rather than debit and
credit columns). Transactions and entries are never updated or deleted: a correction is a
reversing transaction.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entraide.core.models import AppendOnlyModel
from entraide.core.vocabulary import Channel
from entraide.organisations.models import Organisation, Territory

CURRENCIES = (("EUR", "EUR"),)
DEFAULT_CURRENCY = "EUR"
# One entry moves at most ten million euros: far above any real movement, far below 2**63.
MAX_ENTRY_CENTS = 1_000_000_000
DEFAULT_CAP_CENTS = 150_000


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk updates and deletes, which would bypass the models' own refusal."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise ValueError(f"{self.model.__name__} is append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise ValueError(f"{self.model.__name__} is append-only")


class Account(models.Model):
    """Where money sits: a fund, a campaign, a company budget, an organisation, a person, outside.

    `key` names the account for good ("fund:12", "outside:EUR", "beneficiary:<keyed hash>"),
    so a beneficiary's account never carries their name.
    """

    class Kind(models.TextChoices):
        FUND = "fund", _("Fund")
        CAMPAIGN = "campaign", _("Campaign")
        COMPANY_BUDGET = "company_budget", _("Company budget")
        ORGANISATION = "organisation", _("Organisation")
        BENEFICIARY = "beneficiary", _("Beneficiary (pseudonymous)")
        OUTSIDE = "outside", _("Outside world")

    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCIES, default=DEFAULT_CURRENCY
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="money_accounts",
        verbose_name=_("organisation"),
    )
    # The outside world is where contributions come from and payouts go: it has no balance to
    # protect. Every other account refuses to go below zero (checked under a row lock).
    may_go_negative = models.BooleanField(_("may go below zero"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or self.key


class Transaction(AppendOnlyModel):
    """A balanced group of entries: why money moved, who moved it, when; never changed."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contribution")
        COMMITMENT = "commitment", _("Commitment")
        PAYOUT = "payout", _("Payout")
        TRANSFER = "transfer", _("Transfer")
        TOPUP = "topup", _("Company top-up accrued")
        TOPUP_PAYMENT = "topup_payment", _("Company top-up paid")
        TOPUP_CORRECTION = "topup_correction", _("Company top-up taken back")
        REVERSAL = "reversal", _("Reversal")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCIES, default=DEFAULT_CURRENCY
    )
    memo = models.CharField(_("description"), max_length=500, blank=True)
    occurred_on = models.DateField(_("value date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    # A retried form or API call names its attempt; the same key in the same scope returns
    # the first transaction instead of posting twice.
    idempotency_scope = models.CharField(_("idempotency scope"), max_length=80, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True)
    # One-to-one: the database itself refuses a second reversal of the same transaction.
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="money_transaction_idempotency_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class Entry(AppendOnlyModel):
    """One account's side of a transaction, in signed cents (+ received, − given)."""

    transaction = models.ForeignKey(
        Transaction,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("transaction"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["pk"]
        indexes = [models.Index(fields=["account", "-id"], name="money_entry_account_id")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount_cents=0)
                & Q(amount_cents__gte=-MAX_ENTRY_CENTS)
                & Q(amount_cents__lte=MAX_ENTRY_CENTS),
                name="money_entry_amount_nonzero_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_cents:+d}"

    @property
    def size_cents(self) -> int:
        """Return how much moved, whichever way."""
        return abs(self.amount_cents)


class Fund(models.Model):
    """A solidarity fund: its purpose, its rules, its committee's rules and its ledger account."""

    class Window(models.TextChoices):
        LIFETIME = "lifetime", _("Over a lifetime")
        ROLLING = "rolling", _("Over a rolling window of days")

    class TieRule(models.TextChoices):
        REJECT = "reject", _("A tie rejects the application")
        APPROVE = "approve", _("A tie approves the application")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address of the public page"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"), max_length=5000)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funds",
        verbose_name=_("territory"),
    )
    cap_cents = models.PositiveIntegerField(
        _("cap per beneficiary (cents)"), default=DEFAULT_CAP_CENTS
    )
    cap_window = models.CharField(
        _("cap counted"), max_length=10, choices=Window.choices, default=Window.LIFETIME
    )
    cap_window_days = models.PositiveIntegerField(_("rolling window (days)"), null=True, blank=True)
    eligibility = models.TextField(_("who may apply"), max_length=5000)
    documents_required = models.TextField(_("documents required"), max_length=5000, blank=True)
    quorum = models.PositiveSmallIntegerField(_("quorum (votes)"), default=3)
    majority_percent = models.PositiveSmallIntegerField(
        _("majority (percentage of the votes cast, strictly more than)"), default=50
    )
    tie_rule = models.CharField(
        _("on a tie"), max_length=10, choices=TieRule.choices, default=TieRule.REJECT
    )
    account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="fund", verbose_name=_("account")
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_funds",
        verbose_name=_("fund staff"),
    )
    is_public = models.BooleanField(_("public page shown"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cap_window="lifetime", cap_window_days__isnull=True)
                | Q(cap_window="rolling", cap_window_days__isnull=False, cap_window_days__gte=1),
                name="money_fund_window_days",
            ),
            models.CheckConstraint(
                condition=Q(majority_percent__gte=50, majority_percent__lte=99),
                name="money_fund_majority_range",
            ),
            models.CheckConstraint(condition=Q(quorum__gte=1), name="money_fund_quorum_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Contribution(AppendOnlyModel):
    """Money given to a fund (a bank transfer recorded by fund staff), posted to the ledger."""

    class ContributorKind(models.TextChoices):
        COMPANY = "company", _("Company")
        ORGANISATION = "organisation", _("Organisation")
        INDIVIDUAL = "individual", _("Individual")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("fund")
    )
    contributor_kind = models.CharField(
        _("contributor"), max_length=12, choices=ContributorKind.choices
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_contributions",
        verbose_name=_("organisation"),
    )
    contributor_name = models.CharField(_("contributor's name"), max_length=200)
    # An individual's name is shown publicly only when they agreed to it.
    name_is_public = models.BooleanField(_("name shown publicly"), default=False)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    received_on = models.DateField(_("received on"))
    bank_reference = models.CharField(_("bank reference"), max_length=140, blank=True)
    transaction = models.OneToOneField(
        Transaction,
        on_delete=models.PROTECT,
        related_name="contribution",
        verbose_name=_("transaction"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gte=1, amount_cents__lte=MAX_ENTRY_CENTS),
                name="money_contribution_amount_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contributor_name} → {self.fund_id}"

    @property
    def public_name(self) -> str:
        """Return the name the public pages show: an individual's only with their consent."""
        if self.contributor_kind != self.ContributorKind.INDIVIDUAL or self.name_is_public:
            return self.contributor_name
        return str(_("An individual"))


class BalanceSnapshot(AppendOnlyModel):
    """Every account's balance at the end of a day (UTC), chained by SHA-256 to the day before.

    `payload` is the exact canonical JSON that was hashed; `digest` is SHA-256 of the previous
    day's digest and this payload, so rewriting an old day changes every digest after it.
    """

    day = models.DateField(_("day"), unique=True)
    previous_digest = models.CharField(_("previous digest"), max_length=64, blank=True)
    payload = models.TextField(_("balances (canonical JSON)"))
    digest = models.CharField(_("digest (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("balance snapshot")
        verbose_name_plural = _("balance snapshots")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.digest[:12]}"

"""Writes to the money ledger and the funds: the one write path for pages, API and commands."""

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from entraide.core.formats import format_money
from entraide.money import permissions
from entraide.money.models import (
    DEFAULT_CURRENCY,
    MAX_ENTRY_CENTS,
    Account,
    Contribution,
    Entry,
    Fund,
    Transaction,
)
from entraide.organisations.models import Organisation


@dataclass(frozen=True)
class Line:
    """One account's side of a transaction to post: + the account receives, − it gives."""

    account: Account
    amount_cents: int


def clean_cents(value: object, *, field: str = "amount_cents", signed: bool = False) -> int:
    """Return a whole number of cents, or raise a translated field error (never a float)."""
    not_a_number = ValidationError({field: [_("Give the amount as a whole number of cents.")]})
    if isinstance(value, bool | float):
        raise not_a_number
    try:
        number = Decimal(value) if isinstance(value, int) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise not_a_number from None
    if not number.is_finite():
        raise not_a_number
    # Bounds before anything else: "1e999999999" must not become a huge integer.
    if number.copy_abs() > MAX_ENTRY_CENTS:
        limit = format_money(MAX_ENTRY_CENTS)
        raise ValidationError(
            {field: [_("An amount can be at most %(limit)s.") % {"limit": limit}]}
        )
    if number != number.to_integral_value():
        raise ValidationError({field: [_("An amount cannot have a fraction of a cent.")]})
    cents = int(number)
    if cents == 0:
        raise ValidationError({field: [_("An amount cannot be zero.")]})
    if cents < 0 and not signed:
        raise ValidationError({field: [_("An amount must be more than zero.")]})
    return cents


def account_for(
    *,
    key: str,
    kind: str,
    name: str = "",
    currency: str = DEFAULT_CURRENCY,
    organisation: Organisation | None = None,
    may_go_negative: bool | None = None,
) -> Account:
    """Return the account with this key, opening it the first time (by default only the
    outside world may go below zero)."""
    if may_go_negative is None:
        may_go_negative = kind == Account.Kind.OUTSIDE
    account, _created = Account.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "name": name,
            "currency": currency,
            "organisation": organisation,
            "may_go_negative": may_go_negative,
        },
    )
    return account


def outside_account(currency: str = DEFAULT_CURRENCY) -> Account:
    """Return the outside world's account in a currency: where money comes from and goes to."""
    return account_for(key=f"outside:{currency}", kind=Account.Kind.OUTSIDE, currency=currency)


def _balances(account_ids: Sequence[int]) -> dict[int, int]:
    """Return each account's balance, the sum of its entries."""
    rows = (
        Entry.objects.filter(account_id__in=account_ids)
        .values("account_id")
        .annotate(total=Sum("amount_cents"))
    )
    balances = {account_id: 0 for account_id in account_ids}
    balances.update({row["account_id"]: row["total"] for row in rows})
    return balances


def _existing(scope: str, key: str) -> Transaction | None:
    if not key:
        return None
    return Transaction.objects.filter(idempotency_scope=scope, idempotency_key=key).first()


def _check_key(scope: str, key: str) -> None:
    if len(key) > 80 or len(scope) > 80:
        raise ValidationError({"idempotency_key": [_("Use at most 80 characters.")]})


@transaction.atomic
def transaction_post(
    *,
    kind: str,
    lines: Sequence[Line],
    actor: User | None,
    channel: str,
    occurred_on: datetime.date | None = None,
    memo: str = "",
    currency: str = DEFAULT_CURRENCY,
    idempotency_scope: str = "",
    idempotency_key: str = "",
    reverses: Transaction | None = None,
) -> Transaction:
    """Post a balanced group of entries; refuse it whole when anything is wrong.

    The accounts are locked (in id order, so two postings never deadlock) before their
    balances are read: no account but the outside world can be taken below zero, even by
    two postings at once. The same idempotency key in the same scope returns the first
    transaction and posts nothing.
    """
    _check_key(idempotency_scope, idempotency_key)
    if kind not in Transaction.Kind.values:
        raise ValidationError({"kind": [_("Choose a kind of transaction.")]})
    if len(memo) > 500:
        raise ValidationError({"memo": [_("Use at most 500 characters.")]})
    if len(lines) < 2:
        raise ValidationError(
            {"lines": [_("A transaction moves money between at least two accounts.")]}
        )
    amounts = [clean_cents(line.amount_cents, signed=True) for line in lines]
    if sum(amounts) != 0:
        raise ValidationError(
            {"lines": [_("The entries of a transaction must add up to zero (it is unbalanced).")]}
        )
    account_ids = sorted({line.account.pk for line in lines})
    if len(account_ids) < 2:
        raise ValidationError(
            {"lines": [_("A transaction moves money between at least two accounts.")]}
        )
    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=account_ids)}
    if any(account.currency != currency for account in locked.values()):
        raise ValidationError(
            {"currency": [_("Every account of a transaction must be in its currency.")]}
        )
    # After the locks: a retry that waited for the first attempt now sees it.
    if existing := _existing(idempotency_scope, idempotency_key):
        return existing
    balances = _balances(account_ids)
    for line, amount in zip(lines, amounts, strict=True):
        balances[line.account.pk] += amount
    for account_id, balance in balances.items():
        if balance < 0 and not locked[account_id].may_go_negative:
            raise DomainError(
                _("There is not enough money in %(account)s for this.")
                % {"account": locked[account_id]},
                code="insufficient_funds",
            )
    try:
        with transaction.atomic():
            posted = Transaction.objects.create(
                kind=kind,
                currency=currency,
                memo=memo,
                occurred_on=occurred_on or timezone.localdate(),
                actor=actor,
                channel=channel,
                idempotency_scope=idempotency_scope,
                idempotency_key=idempotency_key,
                reverses=reverses,
            )
            Entry.objects.bulk_create(
                Entry(transaction=posted, account=line.account, amount_cents=amount)
                for line, amount in zip(lines, amounts, strict=True)
            )
    except IntegrityError:
        # Two retries with one key that locked no account in common: the first one won.
        if existing := _existing(idempotency_scope, idempotency_key):
            return existing
        if reverses is not None:
            raise ConflictError(_("This transaction has already been reversed.")) from None
        raise
    return posted


def transfer(
    *,
    kind: str,
    source: Account,
    destination: Account,
    amount_cents: object,
    actor: User | None,
    channel: str,
    occurred_on: datetime.date | None = None,
    memo: str = "",
    idempotency_scope: str = "",
    idempotency_key: str = "",
) -> Transaction:
    """Move a positive amount from one account to another (one balanced pair of entries)."""
    cents = clean_cents(amount_cents)
    return transaction_post(
        kind=kind,
        lines=[Line(source, -cents), Line(destination, cents)],
        actor=actor,
        channel=channel,
        occurred_on=occurred_on,
        memo=memo,
        currency=source.currency,
        idempotency_scope=idempotency_scope,
        idempotency_key=idempotency_key,
    )


def payout(
    *,
    source: Account,
    amount_cents: object,
    actor: User | None,
    channel: str,
    destination: Account | None = None,
    memo: str = "",
    idempotency_key: str = "",
) -> Transaction:
    """Pay money out of an account to the outside world, checking its balance under a lock."""
    return transfer(
        kind=Transaction.Kind.PAYOUT,
        source=source,
        destination=destination or outside_account(source.currency),
        amount_cents=amount_cents,
        actor=actor,
        channel=channel,
        memo=memo,
        idempotency_scope=f"payout:{source.pk}",
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def transaction_reverse(
    *, original: Transaction, actor: User | None, channel: str, memo: str = ""
) -> Transaction:
    """Post the mirror image of a transaction; a transaction is reversed at most once."""
    # The original's row lock makes a second reversal wait, then see the first one.
    locked = Transaction.objects.select_for_update().filter(pk=original.pk).first()
    if locked is None:
        raise NotFoundError(_("No such transaction."))
    if locked.kind == Transaction.Kind.REVERSAL:
        raise DomainError(_("A reversal cannot itself be reversed: post a new transaction."))
    if Transaction.objects.filter(reverses=locked).exists():
        raise ConflictError(_("This transaction has already been reversed."))
    lines = [
        Line(entry.account, -entry.amount_cents)
        for entry in locked.entries.select_related("account").order_by("pk")
    ]
    return transaction_post(
        kind=Transaction.Kind.REVERSAL,
        lines=lines,
        actor=actor,
        channel=channel,
        memo=memo or _("Reversal of transaction #%(id)s") % {"id": locked.pk},
        currency=locked.currency,
        reverses=locked,
    )


# Companies' top-ups: what a company promised its employees' associations, and paid.


def topup_due_key(company_id: int, association_id: int) -> str:
    """Return the key of the account holding what a company still owes an association."""
    return f"topup_due:{company_id}:{association_id}"


def _topup_accounts(
    company: Organisation, association: Organisation
) -> tuple[Account, Account, Account]:
    """Return the company's budget, the amount due to the association, and the association."""
    budget = account_for(
        key=f"company:{company.pk}",
        kind=Account.Kind.COMPANY_BUDGET,
        name=company.name,
        organisation=company,
        # A company's budget is what it promised: it goes below zero as top-ups accrue.
        may_go_negative=True,
    )
    due = account_for(
        key=topup_due_key(company.pk, association.pk),
        kind=Account.Kind.COMPANY_BUDGET,
        name=f"{company.name} → {association.name}",
        organisation=company,
    )
    receiver = account_for(
        key=f"organisation:{association.pk}",
        kind=Account.Kind.ORGANISATION,
        name=association.name,
        organisation=association,
    )
    return budget, due, receiver


def topup_post(
    *,
    kind: str,
    company: Organisation,
    association: Organisation,
    amount_cents: int,
    actor: User | None,
    channel: str,
    occurred_on: datetime.date | None = None,
    memo: str = "",
) -> Transaction:
    """Post a company top-up: accrued (budget → due), paid (due → association) or taken back
    (due → budget); what is due can never go below zero."""
    budget, due, receiver = _topup_accounts(company, association)
    source, destination = {
        Transaction.Kind.TOPUP: (budget, due),
        Transaction.Kind.TOPUP_PAYMENT: (due, receiver),
        Transaction.Kind.TOPUP_CORRECTION: (due, budget),
    }[Transaction.Kind(kind)]
    return transfer(
        kind=kind,
        source=source,
        destination=destination,
        amount_cents=amount_cents,
        actor=actor,
        channel=channel,
        occurred_on=occurred_on,
        memo=memo[:500],
    )


# Funds


def _fund_account(fund_slug: str, name: str) -> Account:
    return account_for(key=f"fund:{fund_slug}", kind=Account.Kind.FUND, name=name)


@transaction.atomic
def fund_save(*, fund: Fund, actor: User | None) -> Fund:
    """Create or change a fund's description and rules (staff only); open its account."""
    if not permissions.can_set_up_funds(actor):
        raise PermissionDeniedError(_("Only staff can set up funds."))
    if fund.cap_window == Fund.Window.LIFETIME:
        fund.cap_window_days = None
    elif not fund.cap_window_days:
        raise ValidationError(
            {"cap_window_days": [_("Give the number of days of the rolling window.")]}
        )
    if fund.account_id is None:
        fund.account = _fund_account(fund.slug, fund.name)
    fund.full_clean()
    fund.save()
    return fund


def new_idempotency_key() -> str:
    """Return a fresh key for a form, so that submitting it twice records once."""
    return secrets.token_urlsafe(16)


def contribution_scope(fund: Fund) -> str:
    """Return the idempotency scope of a fund's contributions."""
    return f"contribution:{fund.pk}"


@transaction.atomic
def contribution_record(
    *,
    fund: Fund,
    contributor_kind: str,
    contributor_name: str,
    amount_cents: object,
    received_on: datetime.date,
    actor: User,
    channel: str,
    organisation: Organisation | None = None,
    name_is_public: bool = False,
    bank_reference: str = "",
    idempotency_key: str = "",
) -> Contribution:
    """Record money a fund received (by bank transfer) and post it to the fund's account.

    Sent twice with the same idempotency key (a double-clicked form, a retried API call), it
    returns the first contribution and records nothing more.
    """
    if not permissions.can_manage(actor, fund):
        raise PermissionDeniedError(_("Only this fund's staff can record contributions."))
    errors: dict[str, list[str]] = {}
    if contributor_kind not in Contribution.ContributorKind.values:
        errors["contributor_kind"] = [_("Choose who gave the money.")]
    name = (contributor_name or "").strip()
    if organisation is not None and not name:
        name = organisation.name
    if not name:
        errors["contributor_name"] = [_("Give the contributor's name.")]
    elif len(name) > 200:
        errors["contributor_name"] = [_("Use at most 200 characters.")]
    if len(bank_reference) > 140:
        errors["bank_reference"] = [_("Use at most 140 characters.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    try:
        cents = clean_cents(amount_cents)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    scope = contribution_scope(fund)
    posted = transfer(
        kind=Transaction.Kind.CONTRIBUTION,
        source=outside_account(fund.account.currency),
        destination=fund.account,
        amount_cents=cents,
        actor=actor,
        channel=channel,
        occurred_on=received_on,
        # No name in the ledger itself: an individual's name stays on the contribution.
        memo=bank_reference.strip()[:500],
        idempotency_scope=scope,
        idempotency_key=idempotency_key,
    )
    existing = Contribution.objects.filter(transaction=posted).first()
    if existing is not None:
        return existing
    return Contribution.objects.create(
        fund=fund,
        contributor_kind=contributor_kind,
        organisation=organisation,
        contributor_name=name,
        name_is_public=name_is_public,
        amount_cents=cents,
        received_on=received_on,
        bank_reference=bank_reference.strip(),
        transaction=posted,
        recorded_by=actor,
    )

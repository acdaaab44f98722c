"""Reads of the money ledger: balances, reconciliation, a fund's movements by key."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from entraide.accounts.models import Viewer
from entraide.money import permissions
from entraide.money.models import Account, BalanceSnapshot, Entry, Fund, Transaction

MOVEMENTS_PAGE = 50


def balance_of(account: Account) -> int:
    """Return an account's balance in cents: the sum of its entries."""
    total = Entry.objects.filter(account=account).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


@dataclass(frozen=True)
class Mismatch:
    """One thing reconciliation found wrong: what, which row, and the numbers involved."""

    problem: str
    row_id: int
    detail: str


def reconcile() -> list[Mismatch]:
    """Return every mismatch in the ledger (an empty list when it is sound).

    Checks each transaction adds up to zero over at least two entries in its own currency, and
    each account that may not go below zero has a balance of zero or more.
    """
    mismatches: list[Mismatch] = []
    groups = (
        Transaction.objects.annotate(total=Sum("entries__amount_cents"), count=Count("entries"))
        .filter(Q(total__isnull=True) | ~Q(total=0) | Q(count__lt=2))
        .values_list("pk", "total", "count")
    )
    for pk, total, count in groups:
        mismatches.append(
            Mismatch("unbalanced", pk, f"{count} entries adding up to {total or 0} cents")
        )
    wrong_currency = (
        Entry.objects.exclude(account__currency=F("transaction__currency"))
        .values_list("transaction_id", flat=True)
        .distinct()
    )
    for pk in wrong_currency:
        mismatches.append(Mismatch("currency", pk, "an entry in another currency"))
    negative = (
        Account.objects.filter(may_go_negative=False)
        .annotate(balance=Sum("entries__amount_cents"))
        .filter(balance__lt=0)
        .values_list("pk", "balance")
    )
    for pk, balance in negative:
        mismatches.append(Mismatch("negative", pk, f"balance {balance} cents"))
    return mismatches


def balances() -> dict[int, int]:
    """Return every account's balance by account id (accounts with no entries: zero)."""
    totals = dict(
        Entry.objects.values("account_id")
        .annotate(t=Sum("amount_cents"))
        .values_list("account_id", "t")
    )
    return {pk: int(totals.get(pk) or 0) for pk in Account.objects.values_list("pk", flat=True)}


def funds_public() -> QuerySet[Fund]:
    """Return the funds shown publicly."""
    return Fund.objects.filter(is_public=True).select_related("account", "territory")


def funds_managed_by(viewer: Viewer) -> QuerySet[Fund]:
    """Return the funds whose staff pages this person may open."""
    if permissions.can_set_up_funds(viewer):
        return Fund.objects.select_related("account")
    if not viewer.is_authenticated:
        return Fund.objects.none()
    return Fund.objects.filter(managers=viewer).select_related("account")


def fund_movements(
    fund: Fund, *, before: int | None = None, limit: int | None = None
) -> tuple[list[Entry], int | None]:
    """Return a page of the fund's movements, newest first, from before an entry id (by key,
    never an offset), and the key of the next page (None on the last)."""
    entries = (
        Entry.objects.filter(account_id=fund.account_id)
        .select_related("transaction", "transaction__contribution", "transaction__reverses")
        .order_by("-pk")
    )
    if before is not None:
        entries = entries.filter(pk__lt=before)
    limit = limit or MOVEMENTS_PAGE
    page = list(entries[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, (page[-1].pk if more else None)


def fund_totals(fund: Fund) -> dict[str, int]:
    """Return the fund's balance and what came in and went out, in cents."""
    row = Entry.objects.filter(account_id=fund.account_id).aggregate(
        received=Sum("amount_cents", filter=Q(amount_cents__gt=0)),
        spent=Sum("amount_cents", filter=Q(amount_cents__lt=0)),
    )
    received = int(row["received"] or 0)
    spent = -int(row["spent"] or 0)
    return {"received": received, "spent": spent, "balance": received - spent}


def snapshots() -> QuerySet[BalanceSnapshot]:
    """Return the daily balance snapshots, oldest first."""
    return BalanceSnapshot.objects.order_by("day")


def topup_due_by_association(company_id: int) -> dict[int, int]:
    """Return what a company still owes each association in the money ledger, in cents."""
    prefix = f"topup_due:{company_id}:"
    rows = (
        Entry.objects.filter(account__key__startswith=prefix)
        .values("account__key")
        .annotate(total=Sum("amount_cents"))
    )
    return {int(r["account__key"].removeprefix(prefix)): int(r["total"]) for r in rows}

"""Daily snapshots of every balance, each chained by SHA-256 to the day before.

A day's payload is canonical JSON (sorted keys, no spaces, UTF-8) of the balances at the end of
that day (UTC) and the previous day's digest; its digest is SHA-256 of those bytes. Rewriting a
past transaction changes that day's recomputed balances; rewriting a stored snapshot breaks its
digest or the next day's link. docs/guide-auditor.md shows how to check it by hand.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from entraide.money.models import BalanceSnapshot, Entry, Transaction

UTC = datetime.UTC
SETTLING = datetime.timedelta(minutes=10)


def canonical(data: object) -> str:
    """Return the one JSON text of `data` that is hashed: sorted keys, no spaces."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(payload: str) -> str:
    """Return the SHA-256 of a payload's UTF-8 bytes, in hexadecimal."""
    return hashlib.sha256(payload.encode()).hexdigest()


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), UTC)


def balances_at_end_of(day: datetime.date) -> dict[str, object]:
    """Return the ledger's balances by account key at the end of a day (UTC), and its last
    transaction."""
    end = _end_of(day)
    rows = (
        Entry.objects.filter(transaction__created_at__lt=end)
        .values("account__key", "account__currency")
        .annotate(total=Sum("amount_cents"))
        .order_by("account__key")
    )
    last = (
        Transaction.objects.filter(created_at__lt=end).order_by("-pk").values_list("pk", flat=True)
    ).first()
    return {
        "accounts": [
            {"account": r["account__key"], "currency": r["account__currency"], "cents": r["total"]}
            for r in rows
        ],
        "last_transaction": last or 0,
    }


def payload_for(day: datetime.date, previous_digest: str) -> str:
    """Return the canonical payload of a day's snapshot."""
    return canonical(
        {"day": day.isoformat(), "previous": previous_digest, **balances_at_end_of(day)}
    )


@transaction.atomic
def snapshot_missing_days(*, today: datetime.date | None = None) -> list[BalanceSnapshot]:
    """Take the snapshot of every complete day (UTC) not taken yet, oldest first."""
    # A transaction recorded just before midnight may commit a moment after: wait a margin.
    today = today or (timezone.now() - SETTLING).astimezone(UTC).date()
    # One taker at a time: the newest snapshot's row would not do when there is none yet.
    last = BalanceSnapshot.objects.select_for_update().order_by("-day").first()
    if last is not None:
        day, previous = last.day + datetime.timedelta(days=1), last.digest
    else:
        first = Transaction.objects.aggregate(first=Min("created_at"))["first"]
        if first is None:
            return []
        day, previous = first.astimezone(UTC).date(), ""
    taken = []
    while day < today:
        payload = payload_for(day, previous)
        snapshot = BalanceSnapshot.objects.create(
            day=day, previous_digest=previous, payload=payload, digest=digest_of(payload)
        )
        taken.append(snapshot)
        previous = snapshot.digest
        day += datetime.timedelta(days=1)
    return taken


@dataclass(frozen=True)
class Verdict:
    """What verifying the chain found: how many days were sound, and the first broken one."""

    checked: int
    broken_day: datetime.date | None = None
    reason: str = ""


def verify_chain() -> Verdict:
    """Check every snapshot in order; stop at the first broken day and say why."""
    previous = ""
    expected_day: datetime.date | None = None
    checked = 0
    for snapshot in BalanceSnapshot.objects.order_by("day").iterator():
        if expected_day is not None and snapshot.day != expected_day:
            return Verdict(checked, expected_day, "a day is missing from the chain")
        if snapshot.previous_digest != previous:
            return Verdict(checked, snapshot.day, "its link to the previous day does not match")
        if digest_of(snapshot.payload) != snapshot.digest:
            return Verdict(checked, snapshot.day, "its digest does not match its balances")
        try:
            stored = json.loads(snapshot.payload)
        except ValueError:
            return Verdict(checked, snapshot.day, "its balances are not readable JSON")
        if stored.get("previous") != previous or stored.get("day") != snapshot.day.isoformat():
            return Verdict(checked, snapshot.day, "its balances name another day or link")
        if snapshot.payload != payload_for(snapshot.day, previous):
            return Verdict(checked, snapshot.day, "the ledger no longer gives these balances")
        previous = snapshot.digest
        expected_day = snapshot.day + datetime.timedelta(days=1)
        checked += 1
    return Verdict(checked)

"""Periodic work for money: the daily snapshot of the balances."""

from entraide.money.snapshots import snapshot_missing_days


def snapshot_balances() -> int:
    """Take the snapshot of every complete day not taken yet; return how many were taken."""
    return len(snapshot_missing_days())

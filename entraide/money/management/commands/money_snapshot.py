"""Take the daily balance snapshots that are missing (the worker's job does the same)."""

from typing import Any

from django.core.management.base import BaseCommand

from entraide.money.snapshots import snapshot_missing_days


class Command(BaseCommand):
    help = "Take the snapshot of the balances of every complete day (UTC) not taken yet."

    def handle(self, *args: Any, **options: Any) -> None:
        """Take the missing snapshots and list them."""
        for snapshot in snapshot_missing_days():
            self.stdout.write(f"{snapshot.day} {snapshot.digest}")

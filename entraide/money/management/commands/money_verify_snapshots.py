"""Check the chain of daily balance snapshots; report the first broken day."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from entraide.money.snapshots import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute every daily snapshot's digest, its link to the day before and its balances "
        "from the ledger; report the first broken day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Verify the chain; exit with an error at the first broken day."""
        verdict = verify_chain()
        if verdict.broken_day is not None:
            raise CommandError(
                f"Broken on {verdict.broken_day}: {verdict.reason} "
                f"({verdict.checked} day(s) before it are sound)."
            )
        self.stdout.write(f"OK: {verdict.checked} day(s) verified.")

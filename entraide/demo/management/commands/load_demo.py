"""Load a realistic Brussels + Paris demo (safe to run twice)."""

from typing import Any

from django.core.management.base import BaseCommand

from entraide.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Load the Brussels + Paris demo data set (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Create whatever part of the demo is missing, then print the log-ins."""
        DemoLoader(self.stdout).run()

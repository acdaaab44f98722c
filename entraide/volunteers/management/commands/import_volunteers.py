"""`entraide import-volunteers FILE [--dry-run]`: import an organisation's list of volunteers."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.volunteers.services import volunteers_import_csv

# Distinct from 1 (Django's generic failure) so that scripts can tell "bad file" apart.
EXIT_BAD_FILE = 2


class Command(BaseCommand):
    help = (
        "Import volunteers from a CSV file (see docs/volunteer-import.md). Every line is "
        "checked first; if one is wrong, nothing is imported and the command exits with 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, comma or semicolon")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and import nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                report = volunteers_import_csv(file=handle, dry_run=options["dry_run"])
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}", returncode=EXIT_BAD_FILE) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary(), returncode=EXIT_BAD_FILE)
        self.stdout.write(self.style.SUCCESS(report.summary()))

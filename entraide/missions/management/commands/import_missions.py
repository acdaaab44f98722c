"""`entraide import_missions --organisation SLUG FILE [--dry-run]`: import missions from CSV."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.missions.importing import missions_import_csv
from entraide.organisations.models import Membership, Organisation

# Distinct from 1 (Django's generic failure) so that scripts can tell "bad file" apart.
EXIT_BAD_FILE = 2


class Command(BaseCommand):
    help = (
        "Import missions (one row per slot) from a CSV file as drafts of an organisation "
        "(see docs/guide-association.md). If one line is wrong, nothing is imported and the "
        "command exits with 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, comma or semicolon")
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument(
            "--as",
            dest="actor",
            default="",
            help="email of the member recorded as author (default: an administrator)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and import nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        actor = self._actor(organisation, options["actor"])
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                report = missions_import_csv(
                    organisation=organisation, file=handle, actor=actor, dry_run=options["dry_run"]
                )
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}", returncode=EXIT_BAD_FILE) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary(), returncode=EXIT_BAD_FILE)
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _actor(self, organisation: Organisation, email: str) -> User:
        """Return the person the missions are created by: the one named, or an administrator."""
        if email:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                raise CommandError(f"No user {email!r}.")
            return user
        membership = (
            Membership.objects.select_related("user")
            .filter(organisation=organisation, user__is_active=True)
            .filter(role__in=(Membership.Role.ADMINISTRATOR, Membership.Role.MISSION_MANAGER))
            # "administrator" sorts before "mission_manager": administrators come first.
            .order_by("role", "pk")
            .first()
        )
        if membership is None:
            raise CommandError("This organisation has no administrator or mission manager.")
        return membership.user

"""`entraide match-batch --helpers H.csv --requests R.csv --radius-km 5 --out A.csv`."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from entraide.matching.batch import BatchFileError, run_batch

# Distinct from 1 (Django's generic failure) so that scripts can tell "bad file" apart.
EXIT_BAD_FILE = 2


def describe(error: BatchFileError) -> str:
    """Return a translated, one-line description of a bad input file."""
    templates = {
        "unreadable": _("cannot be read (%(reason)s)"),
        "bad_header": _("the first line must be the header %(expected)s"),
        "bad_column_count": _("expected %(expected)s columns, found %(found)s"),
        "not_csv": _("is not a valid UTF-8 CSV file (%(reason)s)"),
        "not_a_number": _("%(column)s must be a number, not “%(value)s”"),
        "missing_id": _("the id is empty"),
        "duplicate_id": _("the id “%(value)s” appears on an earlier line"),
        "bad_capacity": _("capacity must be a whole number of at least 1, not “%(value)s”"),
        "bad_position": _("latitude %(lat)s / longitude %(lon)s is not a place on Earth"),
    }
    problem = templates.get(error.problem, error.problem) % error.details
    if error.line == 0:
        return _("%(path)s: %(problem)s") % {"path": error.path, "problem": problem}
    return _("%(path)s, line %(line)d: %(problem)s") % {
        "path": error.path,
        "line": error.line,
        "problem": problem,
    }


class Command(BaseCommand):
    help = (
        "Assign requests to helpers (most requests matched, then least total distance) and "
        "write the pairs to a CSV file. Exits with 2 when an input file is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--helpers", type=Path, required=True, help="id,lat,lon,capacity,languages,kinds"
        )
        parser.add_argument("--requests", type=Path, required=True, help="id,lat,lon,language,kind")
        parser.add_argument("--radius-km", type=float, default=5.0, help="largest distance allowed")
        parser.add_argument(
            "--out", type=Path, required=True, help="request_id,helper_id,distance_km"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        radius_km: float = options["radius_km"]
        if not radius_km > 0 or radius_km == float("inf"):
            raise CommandError(
                _("--radius-km must be a positive number."), returncode=EXIT_BAD_FILE
            )
        try:
            summary = run_batch(options["helpers"], options["requests"], options["out"], radius_km)
        except BatchFileError as error:
            raise CommandError(describe(error), returncode=EXIT_BAD_FILE) from error
        except OSError as error:
            raise CommandError(
                _("%(path)s: %(reason)s") % {"path": options["out"], "reason": error.strerror},
                returncode=EXIT_BAD_FILE,
            ) from error
        self.stdout.write(json.dumps(summary.as_dict()))

"""`entraide match-goods --lots LOTS.csv --needs NEEDS.csv --out ALLOCATION.csv`."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from entraide.core.management.commands.match_batch import EXIT_BAD_FILE, describe
from entraide.matching.batch import BatchFileError
from entraide.matching.goods_files import run_goods

# The allocation broke a rule: a bug in the solver, not in the files.
EXIT_CHECK_FAILED = 3


def describe_goods(error: BatchFileError) -> str:
    """Return a translated, one-line description of a bad lots or needs file."""
    templates = {
        "bad_kg": _("kg must be a whole number of at least 1, not “%(value)s”"),
        "bad_date": _("%(column)s must be a date written YYYY-MM-DD, not “%(value)s”"),
        "missing_date": _("%(column)s is empty: it must be a date written YYYY-MM-DD"),
        "bad_radius": _("radius_km must be a number of at least 0, not “%(value)s”"),
    }
    if error.problem not in templates:
        return describe(error)
    return _("%(path)s, line %(line)d: %(problem)s") % {
        "path": error.path,
        "line": error.line,
        "problem": templates[error.problem] % error.details,
    }


def _share(value: str) -> float:
    share = float(value)
    if not 0 < share <= 1:
        raise ValueError(value)
    return share


class Command(BaseCommand):
    help = (
        "Allocate goods lots to needs (most kg delivered, then least kg x km, then those who "
        "received least) and write the kilograms to a CSV file. Exits with 2 when an input "
        "file is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lots", type=Path, required=True, help="id,category,kg,lat,lon,use_by"
        )
        parser.add_argument(
            "--needs", type=Path, required=True, help="id,category,kg,lat,lon,radius_km,pickup_on"
        )
        parser.add_argument("--out", type=Path, required=True, help="lot_id,need_id,kg")
        parser.add_argument(
            "--cold-categories",
            default="",
            help="comma-separated categories that only go to needs with cold storage",
        )
        parser.add_argument(
            "--max-share",
            type=_share,
            default=None,
            help="largest share (0 to 1) of one lot that one need may receive",
        )
        parser.add_argument(
            "--check", action="store_true", help="verify every rule on the result (exit 3 if not)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cold = frozenset(c.strip() for c in options["cold_categories"].split(",") if c.strip())
        try:
            summary = run_goods(
                options["lots"],
                options["needs"],
                options["out"],
                cold_categories=cold,
                max_share=options["max_share"],
                check=options["check"],
            )
        except BatchFileError as error:
            raise CommandError(describe_goods(error), returncode=EXIT_BAD_FILE) from error
        except OSError as error:
            raise CommandError(
                _("%(path)s: %(reason)s") % {"path": options["out"], "reason": error.strerror},
                returncode=EXIT_BAD_FILE,
            ) from error
        if summary.problems:
            raise CommandError(
                _("The allocation breaks %(count)d rule(s): %(problems)s")
                % {"count": len(summary.problems), "problems": "; ".join(summary.problems)},
                returncode=EXIT_CHECK_FAILED,
            )
        if options["check"]:
            self.stdout.write(_("Checked: every rule holds."))
        self.stdout.write(json.dumps(summary.as_dict()))

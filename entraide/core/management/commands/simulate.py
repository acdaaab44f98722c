"""`entraide simulate --preset covid-solidarity --out var/simulation`: compare matching policies."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from entraide.matching.report import write_outputs
from entraide.matching.simulator import POLICIES, PRESETS, simulate, with_overrides


class Command(BaseCommand):
    help = (
        "Replay a crisis with several matching policies side by side; write results.json, "
        "chart.png and report.md, and print the figures as one JSON line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=sorted(PRESETS), default="covid-solidarity")
        parser.add_argument("--seed", type=int, help="random seed (same seed, same figures)")
        parser.add_argument("--volunteers", type=int, help="override the preset's volunteers")
        parser.add_argument("--requests", type=int, help="override the preset's requests")
        parser.add_argument("--weeks", type=int, help="override the preset's weeks")
        parser.add_argument(
            "--policies",
            default=",".join(POLICIES),
            help="comma-separated, among " + ", ".join(POLICIES),
        )
        parser.add_argument(
            "--out", type=Path, default=Path("var/simulation"), help="output folder"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        policies = tuple(p.strip() for p in options["policies"].split(",") if p.strip())
        if not policies or set(policies) - set(POLICIES):
            raise CommandError(
                _("--policies must be among: %(names)s") % {"names": ", ".join(POLICIES)}
            )
        for name in ("volunteers", "requests", "weeks"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(_("--%(name)s must be at least 1.") % {"name": name})
        scenario = with_overrides(
            PRESETS[options["preset"]],
            seed=options["seed"],
            volunteers=options["volunteers"],
            requests=options["requests"],
            weeks=options["weeks"],
        )
        result = simulate(scenario, policies)
        paths = write_outputs(result, options["out"])
        for kind, path in paths.items():
            self.stderr.write(f"{kind}: {path}")
        self.stdout.write(json.dumps(result.as_dict()["policies"]))

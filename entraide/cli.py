"""The `entraide` console script: runs any management command, hyphens allowed."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run the management command named on the command line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.config.settings")
    args = list(sys.argv if argv is None else argv)
    # Commands read better with hyphens (`entraide match-batch`); Django modules need underscores.
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()

"""Allow `python -m entraide <command>`."""

from entraide.cli import main

main()

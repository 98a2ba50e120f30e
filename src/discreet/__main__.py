"""``python -m discreet`` runs the CLI."""

from discreet.cli import main

main()

"""The ``discreet`` command: each command parses options, makes one library call, prints.

Tables for people (rich), ``--json`` for scripts. Errors are one line on stderr with a
non-zero exit code; set ``DISCREET_DEBUG=1`` to see a traceback.

One module per command group: :mod:`.lists` (load, update and what was loaded),
:mod:`.match` (screening), :mod:`.serve` (the API and its keys), :mod:`.spark`; the
options several commands share are in :mod:`.options`, the output in :mod:`.render`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

import click

from discreet.cli.options import db_option
from discreet.errors import DiscreetError

__all__ = ["cli", "main"]


_SCREENING = frozenset({"match", "screen-file", "rescreen", "compare"})


class _Commands(click.Group):
    """The command group, which registers the commands when first asked for them: a
    screening command alone imports only its own module (``discreet match`` starts in well
    under a second, without the API, PDF and chart libraries); anything else (another
    command, ``--help``, :attr:`commands`) registers them all (:func:`_register`)."""

    _all = False

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        if not self._all:
            self._all = True
            _register()
        return self._commands

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self._commands = value

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if not self._all and cmd_name in _SCREENING:
            from discreet.cli.match import compare, match, rescreen, screen_file

            return {c.name: c for c in (match, screen_file, rescreen, compare)}.get(cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands)
@db_option
@click.version_option(package_name="discreet")
def cli(db: str) -> None:
    """discreet: sanctions lists in, versioned, diffed; screening on your own machine.

    Example: discreet load ../shared/fixtures/lists/un/un_consolidated_2026-02-27.xml
    """
    del db  # each command reads it with options.store_url / open_store


def main() -> None:
    """Entry point: run the CLI, turning every error into one line and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except DiscreetError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug: still one line, unless asked for the traceback
        if os.environ.get("DISCREET_DEBUG"):
            raise
        where = "".join(f"{note}: " for note in getattr(exc, "__notes__", ()))
        cause = " ".join(str(exc).split())[:300]
        click.echo(f"error: {where}unexpected {type(exc).__name__}: {cause} (a bug in "
                   "discreet; DISCREET_DEBUG=1 shows the traceback)", err=True)
        sys.exit(70)


def _register() -> None:
    """Every command group's commands, in one place."""
    from discreet.cli.audit import audit
    from discreet.cli.index import index
    from discreet.cli.links import links
    from discreet.cli.lists import COMMANDS
    from discreet.cli.match import compare, match, rescreen, screen_file
    from discreet.cli.regimes import regime
    from discreet.cli.report import report
    from discreet.cli.review import COMMANDS as REVIEW_COMMANDS
    from discreet.cli.serve import keys, serve
    from discreet.cli.spark import spark_screen
    from discreet.cli.users import users

    for command in (*COMMANDS, match, screen_file, rescreen, compare, serve, keys, audit,
                    spark_screen, regime, links, users, report, index):
        cli.add_command(command)
    for command in REVIEW_COMMANDS:
        cli.add_command(command)


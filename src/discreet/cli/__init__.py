"""The ``discreet`` command: each command parses options, makes one library call, prints.

Tables for people (rich), ``--json`` for scripts. Errors are one line on stderr with a
non-zero exit code; set ``DISCREET_DEBUG=1`` to see a traceback.

One module per command group: :mod:`.lists` (load, update and what was loaded),
:mod:`.match` (screening), :mod:`.serve` (the API and its keys), :mod:`.spark`; the
options several commands share are in :mod:`.options`, the output in :mod:`.render`.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import MutableMapping

import click

from discreet.cli.options import db_option
from discreet.errors import DiscreetError

__all__ = ["HOMES", "cli", "home_commands", "main"]


# Where each command lives: asked for one command, the group imports only its module
# (``discreet serve`` needs neither the PDF library of ``report`` nor Spark's), and
# :func:`_register` imports them all, in this order, for ``--help`` and the listing.
# tests/test_cli_commands.py checks that this table names every command and its home.
HOMES: dict[str, str] = {
    **dict.fromkeys(("load", "update", "sources", "diff", "entity", "history", "timeline",
                     "export", "formats"), "lists"),
    **dict.fromkeys(("match", "screen-file", "rescreen", "compare"), "match"),
    **dict.fromkeys(("serve", "keys"), "serve"),
    "audit": "audit", "spark-screen": "spark", "regime": "regimes", "links": "links",
    "users": "users", "report": "report", "index": "index",
    **dict.fromkeys(("customers", "alerts", "book"), "review"),
}


def home_commands(module: str) -> dict[str, click.Command]:
    """The top-level commands a module of this package defines, by name (a group's
    subcommands, which the module holds too, are left out)."""
    found = [c for c in vars(importlib.import_module(f"{__name__}.{module}")).values()
             if isinstance(c, click.Command)]
    nested: set[int] = set()
    groups = [c for c in found if isinstance(c, click.Group)]
    while groups:
        subs = [sub for group in groups for sub in group.commands.values()]
        nested.update(id(sub) for sub in subs)
        groups = [sub for sub in subs if isinstance(sub, click.Group)]
    return {c.name: c for c in found if c.name is not None and id(c) not in nested}


class _Commands(click.Group):
    """The command group, which imports a command's module when it is first asked for:
    one command imports only its own module (``discreet match`` starts in well under a
    second, without the API, PDF and chart libraries; ``discreet serve`` without the PDF
    and Spark ones); anything else (``--help``, :attr:`commands`) registers them all
    (:func:`_register`)."""

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
        if not self._all and cmd_name in HOMES:
            return home_commands(HOMES[cmd_name]).get(cmd_name)
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
    """Every command, in the order of :data:`HOMES`."""
    for module in dict.fromkeys(HOMES.values()):
        commands = home_commands(module)
        for name, home in HOMES.items():
            if home == module:
                cli.add_command(commands[name])

"""The ``discreet`` group finds each command in its own module, and imports only that one.

``cli.HOMES`` says where every command lives, so that ``discreet serve`` does not import the
PDF, Spark or spreadsheet libraries other commands need (they cost a server a good part of
its start). These tests check the table against the modules themselves (a command added
to a module but not to the table would be missing from ``discreet``), that a command found
alone is the one the full listing registers, and, in fresh processes, what each of a few
commands imports.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys

import click
import pytest

import discreet.cli
from discreet.cli import HOMES, cli, home_commands

# Imported by one command or another, never by a server or a list load.
NOT_FOR_SERVE = ("fpdf", "pyspark", "openpyxl", "pyarrow", "matplotlib", "psycopg")
NOT_FOR_LOAD = ("fastapi", "starlette", "uvicorn", "fpdf", "pyspark", "jinja2")

# Resolves one command as ``discreet NAME`` does, then prints the top-level modules loaded.
RESOLVE = """\
import json, sys
import click
from discreet.cli import cli
command = cli.get_command(click.Context(cli), sys.argv[1])
assert command is not None and command.name == sys.argv[1]
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""


def defined_commands() -> dict[str, str]:
    """Every top-level command a module of ``discreet.cli`` defines, and the module."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(discreet.cli.__path__):
        module = f"discreet.cli.{info.name}"
        for name, command in home_commands(info.name).items():
            if getattr(command.callback, "__module__", None) == module:
                assert name not in found, f"{name} defined in {found[name]} and {module}"
                found[name] = info.name
    return found


def test_the_table_names_every_command_and_its_module() -> None:
    assert defined_commands() == HOMES


def test_a_command_found_alone_is_the_one_listed() -> None:
    alone = {name: cli.get_command(click.Context(cli), name) for name in HOMES}
    listed = dict(cli.commands)  # registers every command
    assert set(listed) == set(HOMES)
    for name, command in alone.items():
        assert command is listed[name], name
    assert cli.get_command(click.Context(cli), "no-such-command") is None


def test_group_subcommands_are_not_taken_for_commands() -> None:
    """``keys create`` lives in the serve module beside ``serve``: it is no command of
    its own, and neither is any other group's subcommand."""
    serve = home_commands("serve")
    assert set(serve) == {"serve", "keys"}
    keys = serve["keys"]
    assert isinstance(keys, click.Group) and "create" in keys.commands
    for module in dict.fromkeys(HOMES.values()):
        for command in home_commands(module).values():
            if isinstance(command, click.Group):
                assert not set(command.commands) & set(home_commands(module)) - {
                    command.name}, module


def resolved_imports(name: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCREET_")}
    proc = subprocess.run([sys.executable, "-c", RESOLVE, name], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded: set[str] = set(json.loads(proc.stdout))
    assert {"discreet", "click"} <= loaded  # the report is of a real run
    return loaded


@pytest.mark.parametrize("name", ["serve", "keys"])
def test_the_server_commands_import_no_other_commands_libraries(name: str) -> None:
    assert sorted(resolved_imports(name).intersection(NOT_FOR_SERVE)) == []


@pytest.mark.parametrize("name", ["load", "update", "diff"])
def test_the_list_commands_import_neither_server_nor_pdf(name: str) -> None:
    assert sorted(resolved_imports(name).intersection(NOT_FOR_LOAD)) == []


def test_report_still_finds_its_pdf_library() -> None:
    """The other side: ``report`` imports what it needs when it is asked for."""
    loaded = resolved_imports("report")
    assert "fpdf" in loaded
    assert importlib.import_module("discreet.cli.report").report is cli.get_command(
        click.Context(cli), "report")

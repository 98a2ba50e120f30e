"""Regenerate docs/cli.md from the commands' own --help (tests fail when it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from discreet.cli import cli

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render() -> str:
    runner = CliRunner()
    parts = ["# Command reference\n",
             "Generated from `--help` by `scripts/gen_cli_docs.py`; do not edit by hand.\n"]
    names = ["", *sorted(cli.commands)] if isinstance(cli, click.Group) else [""]
    for name in names:
        args = [name, "--help"] if name else ["--help"]
        result = runner.invoke(cli, args, prog_name="discreet", terminal_width=100)
        title = f"discreet {name}".strip()
        parts.append(f"## `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == text else 1)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")

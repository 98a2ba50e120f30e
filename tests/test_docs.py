"""The documentation keeps up with the code: CLI reference, errors, formats."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import discreet.errors
from discreet.sources import parsers

DOCS = Path(__file__).resolve().parents[1] / "docs"
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "gen_cli_docs.py"


def test_cli_reference_is_generated_from_help() -> None:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == module.render(), (
        "docs/cli.md is stale: run .venv/bin/python scripts/gen_cli_docs.py")


def test_every_error_is_documented() -> None:
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    missing = [name for name in discreet.errors.__all__ if name not in text]
    assert missing == []


def test_every_format_is_documented() -> None:
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    missing = [name for name in parsers() if f"`{name}`" not in text]
    assert missing == []

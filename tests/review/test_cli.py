"""The review commands as a person and a script use them, on a real store: in this process
(click's runner, the commands' own code) and, for the one-line error, as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from discreet.cli import cli
from tests.review.helpers import FIXTURES, entity_id


@dataclass
class Ran:
    stdout: str
    stderr: str


def run(db: Path, *args: str, ok: bool = True) -> Ran:
    """A command in this process; a refused one raises the library's error, shown here as
    the one line ``discreet`` prints for it."""
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=True)
    failed = result.exit_code != 0
    assert failed != ok, f"{args}: {result.output} {result.exception!r}"
    error = f"error: {result.exception}" if result.exception is not None and \
        not isinstance(result.exception, SystemExit) else ""
    return Ran(result.stdout, error)


def process(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCREET_DB": str(db), "COLUMNS": "200"}
    env.pop("DISCREET_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "discreet", *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=db.parent)


def test_customers_alerts_and_book(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run(db, "load", str(FIXTURES / "list_v1.csv"), "--format", "csv", "--source",
        "review_test", "--published", "2026-01-01")
    book = tmp_path / "book.csv"
    book.write_text("Ref,Full Name,DOB,Branch\nB1,Viktor Brunov,1961-04-12,Lisbon\n"
                    "B2,Ana Lima,,Porto\n", encoding="utf-8")
    ana = ("--as", "ana", "--role", "analyst")
    imported = json.loads(run(db, "customers", "import", str(book), "--map",
                              "id=Ref,name=Full Name,birth_date=DOB", *ana, "--json").stdout)
    assert imported["import"]["created"] == 2
    assert (imported["run"]["screened"], imported["run"]["opened"]) == (2, 1)
    shown = json.loads(run(db, "customers", "show", "B1", "--json").stdout)
    assert shown["customer"]["attributes"] == {"Branch": "Lisbon"}
    assert [a["entity_id"] for a in shown["alerts"]] == [entity_id("R-001")]
    listed = run(db, "customers", "list").stdout
    assert "Viktor Brunov" in listed and "Ana Lima" in listed

    [alert] = json.loads(run(db, "alerts", "list", "--state", "open", "--json").stdout)
    ident, version = str(alert["id"]), str(alert["version"])
    # an auditor may read but not decide: one line, non-zero exit
    refused = process(db, "alerts", "decide", ident, "false_positive", "--as", "audrey",
                      "--role", "auditor")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: audrey (auditor) may not decide")
    assert len(refused.stderr.strip().splitlines()) == 1
    run(db, "alerts", "comment", ident, "other birth place", *ana)
    decided = json.loads(run(db, "alerts", "decide", ident, "false_positive", "--note",
                             "different person", "--version", version, *ana,
                             "--json").stdout)
    assert decided["state"] == "pending_approval"
    stale = run(db, "alerts", "assign", ident, "rui", "--version", version, *ana, ok=False)
    assert "reload it and try again" in stale.stderr
    own = run(db, "alerts", "approve", ident, "--as", "ana", "--role", "reviewer", ok=False)
    assert "cannot approve their own decision" in own.stderr
    approved = json.loads(run(db, "alerts", "approve", ident, "--as", "rui", "--role",
                              "reviewer", "--json").stdout)
    assert (approved["state"], approved["approval"]) == ("decided", "approved")

    again = json.loads(run(db, "book", "screen", *ana, "--json").stdout)
    assert (again["kind"], again["screened"], again["suppressed"], again["opened"]) == (
        "book", 2, 1, 0)
    [suppressed] = json.loads(run(db, "alerts", "list", "--suppressed", "--json").stdout)
    assert (suppressed["customer"], suppressed["run"]) == ("B1", again["id"])
    story = json.loads(run(db, "alerts", "show", ident, "--json").stdout)
    assert [e["kind"] for e in story["events"]] == ["opened", "comment", "decided",
                                                    "approved", "suppressed"]
    runs = json.loads(run(db, "book", "runs", "--json").stdout)
    assert [r["kind"] for r in runs] == ["book", "customer"]
    assert runs[0]["lists"][0]["source"] == "review_test"
    assert "--as NAME" in run(db, "alerts", "decide", "--help").stdout

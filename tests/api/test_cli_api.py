"""`discreet keys …` and `discreet serve`'s refusals, through the real group."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from discreet.cli import cli
from discreet.store import Store
from discreet.store.apikeys import find_key


def make_group() -> click.Group:
    """The real ``discreet`` group: its --db reaches keys and serve as it does in use."""
    return cli


def test_keys_create_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    group = make_group()
    made = runner.invoke(group, ["--db", db, "keys", "create", "crm", "--scope", "screen",
                                 "--scope", "admin", "--rate-limit", "600", "--json"])
    assert made.exit_code == 0, made.output
    record = json.loads(made.stdout)
    assert record["scopes"] == ["screen", "admin"] and record["rate_limit"] == 600
    with Store.open(db) as store:
        found = find_key(store.db, record["key"])
        assert found is not None and found.id == record["id"]
    listed = runner.invoke(group, ["--db", db, "keys", "list", "--json"])
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [record["id"]] and "key" not in rows[0]
    plain = runner.invoke(group, ["--db", db, "keys", "create", "other"])
    assert plain.exit_code == 0 and plain.stdout.splitlines()[1].startswith("dk_")
    revoked = runner.invoke(group, ["--db", db, "keys", "revoke", record["id"]])
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    listed = runner.invoke(group, ["--db", db, "keys", "list"])
    assert record["id"] not in listed.stdout
    every = runner.invoke(group, ["--db", db, "keys", "list", "--all"])
    assert record["id"] in every.stdout and "revoked" in every.stdout


def test_serve_refuses_no_auth_off_loopback(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(make_group(), ["--db", db, "serve", "--host", "0.0.0.0",
                                               "--no-auth"])
    assert result.exit_code != 0
    assert "loopback" in str(result.exception)
    bad = CliRunner().invoke(make_group(), ["--db", db, "serve", "--update-every", "5s"])
    assert bad.exit_code != 0 and "once a minute" in str(bad.exception)

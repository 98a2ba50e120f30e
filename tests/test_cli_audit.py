"""``discreet audit``, run as a person runs it: verify, anchor, export, prune, seal.

The commands run in-process (click's runner) over a real SQLite file, and once as a real
process (the exit code and the one line a shell sees); tampering is done with sqlite3, as
anyone with the file could. A bad chain is one line naming the record, and exit code 1.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from discreet.cli import cli
from discreet.lists.load import load_file
from discreet.store import Store
from discreet.store.audit import AuditRecord, write_audit
from tests.lists.test_load import UN_MINI
from tests.test_cli import run as run_process


def run(db: Path, *args: str, ok: bool = True) -> Result:
    """``discreet --db DB ARGS`` in this process; its exit code must be 0 (or not)."""
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert (result.exit_code == 0) == ok, (result.output, result.exception)
    return result


def api(i: int, day: int) -> AuditRecord:
    return AuditRecord(f"r{i}", f"2026-03-{day:02d}T12:00:00.000+00:00", "k1", "match",
                       "default", 200, {"q": i}, {"un_sc_sanctions": 1}, {"q": []})


def populated(tmp_path: Path) -> Path:
    """A store with a list load, a key's creation, and API records of 1-10 March."""
    db = tmp_path / "s.db"
    listed = tmp_path / "consolidated.xml"
    listed.write_text(UN_MINI)
    with Store.open(db) as store:
        load_file(store, listed)
        store.create_key("crm")
        write_audit(store.db, [api(i, i) for i in range(1, 11)])
    return db


def test_verify_anchor_and_export(tmp_path: Path) -> None:
    db = populated(tmp_path)
    out = run(db, "audit", "verify")
    assert out.stdout.strip() == "ok: 12 records chained, head 12"
    anchor = tmp_path / "anchor.json"
    run(db, "audit", "anchor", "-o", str(anchor))
    pinned = json.loads(anchor.read_text())
    assert pinned["seq"] == 12 and len(pinned["hash"]) == 64
    assert json.loads(run(db, "audit", "anchor").stdout)["hash"] == pinned["hash"]
    assert "reaches anchor 12" in run(db, "audit", "verify", "--anchor", str(anchor)).stdout

    exported = tmp_path / "all.jsonl"
    run(db, "audit", "export", "--format", "jsonl", "-o", str(exported), "--anchor",
        str(tmp_path / "a2.json"))
    lines = [json.loads(line) for line in exported.read_text().splitlines()]
    assert [r["seq"] for r in lines] == list(range(1, 13))
    assert [r["endpoint"] for r in lines[:2]] == ["list.load", "key.create"]
    assert json.loads(lines[0]["request"])["source"] == "un_sc_sanctions"  # stored text
    assert lines[-1]["hash"] == pinned["hash"]
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(lines))
    window = run(db, "audit", "export", "--since", "2026-03-03", "--until", "2026-03-05")
    assert [json.loads(line)["id"] for line in window.stdout.splitlines()] == ["r3", "r4"]


def test_tampering_is_one_line_naming_the_record_and_exit_1(tmp_path: Path) -> None:
    db = populated(tmp_path)
    anchor = tmp_path / "anchor.json"
    run(db, "audit", "anchor", "-o", str(anchor))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_log SET key_id = 'someone' WHERE seq = 7")
    bad = run_process(db, "audit", "verify", ok=False)  # what a shell sees
    assert bad.returncode == 1 and not bad.stdout
    assert bad.stderr.strip().splitlines() == [
        "record 7: edited: its fields do not give its hash (changed, or moved here from "
        "another position)"]
    verdict = json.loads(run(db, "audit", "verify", "--json", ok=False).stdout)
    assert (verdict["ok"], verdict["bad_seq"]) == (False, 7)

    with sqlite3.connect(db) as conn:  # undo, then cut the tail and move the head back
        conn.execute("UPDATE audit_log SET key_id = 'k1' WHERE seq = 7")
        conn.execute("DELETE FROM audit_log WHERE seq > 10")
        conn.execute("UPDATE audit_head SET seq = 10, hash = (SELECT hash FROM audit_log "
                     "WHERE seq = 10)")
    run(db, "audit", "verify")  # consistent on its own: only the anchor knows
    cut = run(db, "audit", "verify", "--anchor", str(anchor), ok=False)
    assert cut.stderr.strip() == ("record 11: missing (truncated tail): the chain ends at 10 "
                                  "but the anchor says it reached 12")

    junk = tmp_path / "junk.json"
    junk.write_text('{"seq": "x"}')
    err = run_process(db, "audit", "verify", "--anchor", str(junk), ok=False).stderr
    assert err.startswith("error: ") and "not an audit anchor" in err and err.count("\n") == 1


def test_prune_keeps_the_rest_verifiable(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Store.open(db) as store:
        write_audit(store.db, [api(i, i) for i in range(1, 11)])
    out = json.loads(run(db, "audit", "prune", "--before", "2026-03-05", "--json").stdout)
    assert out["removed"] == 4
    line = run(db, "audit", "verify").stdout
    assert line.startswith("ok: 7 records chained, head 11") and "4 pruned" in line
    assert "chain head 11" in run(db, "audit", "seal").stdout


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_an_export_verifies_offline_and_tampering_names_the_record(tmp_path: Path) -> None:
    """`audit verify --file` recomputes every hash from an export alone (the database is
    gone); an edit, a deletion, a swap, a cut tail (with the anchor) or a cut line is one
    line naming the first bad record, exit code 1."""
    db = populated(tmp_path)
    exported, anchor = tmp_path / "all.jsonl", tmp_path / "anchor.json"
    run(db, "audit", "export", "-o", str(exported), "--anchor", str(anchor))
    db.unlink()  # offline: no store at all
    gone = tmp_path / "none.db"
    out = run(gone, "audit", "verify", "--file", str(exported), "--anchor", str(anchor))
    assert out.stdout.strip() == "ok: 12 records chained, head 12; reaches anchor 12"
    assert not gone.exists()
    good = [json.loads(line) for line in exported.read_text().splitlines()]

    def bad(records: list[dict[str, object]], pin: bool = False) -> str:
        path = _write(tmp_path / "bad.jsonl", records)
        extra = ("--anchor", str(anchor)) if pin else ()
        return run(gone, "audit", "verify", "--file", str(path), *extra, ok=False).stderr.strip()

    for key, value in [("key_id", "someone"), ("status", 500), ("at", "2026-03-06T13:00"),
                       ("request", '{"q":99}'), ("kind", "other")]:
        edited = [dict(r) for r in good]
        edited[6][key] = value
        assert bad(edited).startswith("record 7: edited"), key
    decoded = [dict(r) for r in good]
    decoded[4]["request"] = json.loads(str(decoded[4]["request"]))  # not the stored text
    assert bad(decoded).startswith("record 5: line 5 is not a whole exported record")
    assert bad(good[:4] + good[5:]) == ("record 5: missing (deleted or moved): the export "
                                         "jumps from record 4 to 6 (records 5 are not here)")
    swapped = [*good[:3], good[4], good[3], *good[5:]]
    assert bad(swapped).startswith("record 4: missing (deleted or moved)")
    renumbered = [dict(r) for r in swapped]  # moved, with the numbers put right
    renumbered[3]["seq"], renumbered[4]["seq"] = 4, 5
    assert bad(renumbered).startswith("record 4: edited")
    assert bad(good[:9], pin=True) == ("record 10: missing (truncated tail): the export ends "
                                       "at 9 but the anchor says the chain reached 12")
    cut = tmp_path / "cut.jsonl"
    cut.write_text(exported.read_text()[:-40])  # a line cut in the middle
    shell = run_process(gone, "audit", "verify", "--file", str(cut), ok=False)
    assert shell.returncode == 1 and shell.stderr.strip().startswith(
        "record 12: line 12 is not a whole exported record")
    window = _write(tmp_path / "window.jsonl", good[1:])  # a window: first link as given
    assert "starts at record 2" in run(gone, "audit", "verify", "--file", str(window)).stdout
    first = [dict(r) for r in good]
    first[0]["prev_hash"] = "1" * 64
    assert bad(first).startswith("record 1: ")

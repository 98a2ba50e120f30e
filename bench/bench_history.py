"""History stays cheap: load 20+ versions of OFAC's SDN list and measure load time and growth.

Scenario: the four real dated sdn.csv downloads (2024-02-20, 02-23, 05-02, 05-03) are loaded
in order, then versions derived from the last one by realistic daily changes: about 1% of
the entities per version (new designations cloned from existing rows under new ids,
delistings, and amendments: a new weak a.k.a., a new programme, a corrected DOB). Every
version goes through the real path (CSV file -> parser -> store). Beside it, in the same run,
a baseline store keeps a full copy of every version (one row per entity per version), which is
what a naive "snapshot per download" design costs.

Run: .venv/bin/python bench/bench_history.py [--versions 21] [--json]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from discreet.lists.load import read_list
from discreet.store import ParsedList, Store

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT.parent / "shared" / "fixtures" / "lists" / "ofac_sdn_csv" / "history_jackdwyer"
REAL_DAYS = ("02-20", "02-23", "05-02", "05-03")
NULL = "-0- "


def read_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8").rstrip("\x1a")
    return [row for row in csv.reader(text.splitlines()) if row]


def write_rows(path: Path, rows: list[list[str]]) -> None:
    def cell(value: str) -> str:
        return NULL if value.strip() == "-0-" else '"' + value.replace('"', '""') + '"'

    lines = [",".join(cell(v) if i else v for i, v in enumerate(row)) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n\x1a").encode("utf-8"))


def amend(row: list[str], rng: random.Random, step: int) -> list[str]:
    """One realistic amendment to a listing's row."""
    row = list(row)
    remarks = "" if row[11].strip() == "-0-" else row[11]
    kind = rng.choice(("alias", "programme", "dob"))
    if kind == "alias":
        row[11] = (remarks + f" a.k.a. 'ALIAS {step}-{rng.randrange(10**6)}';").strip()
    elif kind == "programme":
        row[3] = row[3] + "] [RUSSIA-EO14024" if "RUSSIA" not in row[3] else row[3] + "] [SDGT"
    else:
        row[11] = (remarks + f" DOB {rng.randrange(1940, 2000)};").strip()
    return row


def derive(rows: list[list[str]], rng: random.Random, step: int, next_id: int,
           share: float) -> tuple[list[list[str]], int]:
    """The next day's list: ~``share`` of the entities added, removed or amended."""
    n = max(3, int(len(rows) * share))
    adds, removes = n // 3, n // 5
    amends = n - adds - removes
    out = list(rows)
    for index in rng.sample(range(len(out)), amends):
        out[index] = amend(out[index], rng, step)
    for index in sorted(rng.sample(range(len(out)), removes), reverse=True):
        del out[index]
    for template in rng.sample(out, adds):
        clone = list(template)
        clone[0] = str(next_id)
        clone[1] = f"{template[1]} {step} NEW"
        next_id += 1
        out.append(clone)
    return out, next_id


def baseline_write(conn: sqlite3.Connection, version: int, snap: ParsedList) -> None:
    conn.executemany("INSERT INTO snapshot VALUES (?, ?, ?)",
                     [(version, eid, data) for eid, (_, data) in snap.records.items()])
    conn.commit()


def file_size(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, size = conn.execute("PRAGMA page_count").fetchone()[0], conn.execute(
            "PRAGMA page_size").fetchone()[0]
    return int(pages * size)


def run(versions: int, share: float, out: Path) -> dict[str, object]:
    files = [HISTORY / f"sdn_2024-{day}.csv" for day in REAL_DAYS]
    rows = read_rows(files[-1])
    rng = random.Random(20240503)
    next_id = max(int(r[0]) for r in rows) + 100_000
    for step in range(1, versions - len(files) + 1):
        rows, next_id = derive(rows, rng, step, next_id, share)
        path = out / f"sdn_derived_{step:02d}.csv"
        write_rows(path, rows)
        files.append(path)
    store_path, base_path = out / "store.db", out / "baseline.db"
    base = sqlite3.connect(base_path)
    base.execute("PRAGMA journal_mode=WAL")
    base.execute("CREATE TABLE snapshot (version INTEGER, entity_id TEXT, data TEXT)")
    results = []
    with Store.open(store_path) as store:
        for number, path in enumerate(files, 1):
            started = time.perf_counter()
            snap = read_list(path, source="us_ofac_sdn")
            parsed = time.perf_counter()
            res = store.write(snap, force=True)
            stored = time.perf_counter()
            baseline_write(base, number, snap)
            results.append({"version": number, "file": path.name, "entities": res.entities,
                            "added": res.added, "removed": res.removed,
                            "changed": res.changed, "parse_s": parsed - started,
                            "store_s": stored - parsed, "load_s": stored - started,
                            "size": file_size(store_path), "baseline_size": file_size(base_path)})
    base.close()
    return summarise(results)


def summarise(results: list[dict[str, object]]) -> dict[str, object]:
    def num(row: dict[str, object], key: str) -> float:
        value = row[key]
        assert isinstance(value, int | float)
        return float(value)

    full = num(results[0], "size")
    for prev, row in itertools.pairwise(results):
        row["growth"] = num(row, "size") - num(prev, "size")
        row["baseline_growth"] = num(row, "baseline_size") - num(prev, "baseline_size")
        touched = num(row, "added") + num(row, "removed") + num(row, "changed")
        row["changed_share"] = touched / num(prev, "entities")
    derived = results[len(REAL_DAYS):]
    growth = statistics.median(num(r, "growth") for r in derived)
    base_growth = statistics.median(num(r, "baseline_growth") for r in derived)
    return {
        "versions": len(results), "full_copy_bytes": full,
        "median_change_share": statistics.median(num(r, "changed_share") for r in derived),
        "median_growth_bytes": growth, "median_growth_share_of_full": growth / full,
        "baseline_median_growth_bytes": base_growth, "growth_ratio": base_growth / growth,
        "median_load_s": statistics.median(num(r, "load_s") for r in results),
        "median_store_s": statistics.median(num(r, "store_s") for r in derived),
        "final_size": num(results[-1], "size"),
        "baseline_final_size": num(results[-1], "baseline_size"), "rows": results}


def report(summary: dict[str, object]) -> None:
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, "
          f"{platform.processor() or platform.machine()}")
    print("| version | file | entities | +added | -removed | ~changed | load s | "
          "store growth | baseline growth |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = summary["rows"]
    assert isinstance(rows, list)
    for r in rows:
        print(f"| {r['version']} | {r['file']} | {r['entities']} | {r['added']} | "
              f"{r['removed']} | {r['changed']} | {r['load_s']:.2f} | "
              f"{r.get('growth', r['size']) / 1024:.0f} KiB | "
              f"{r.get('baseline_growth', r['baseline_size']) / 1024:.0f} KiB |")
    print()
    for key in ("versions", "full_copy_bytes", "median_change_share", "median_growth_bytes",
                "median_growth_share_of_full", "baseline_median_growth_bytes",
                "growth_ratio", "median_load_s", "median_store_s", "final_size",
                "baseline_final_size"):
        value = summary[key]
        print(f"- {key}: {value:.4f}" if isinstance(value, float) else f"- {key}: {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=24)
    parser.add_argument("--share", type=float, default=0.01, help="entities changed per day")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not HISTORY.is_dir():
        sys.exit(f"needs the real OFAC files at {HISTORY}")
    print("$ " + " ".join([".venv/bin/python", "bench/bench_history.py", *sys.argv[1:]]))
    with tempfile.TemporaryDirectory(prefix="discreet-bench-") as tmp:
        summary = run(args.versions, args.share, Path(tmp))
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        report(summary)


if __name__ == "__main__":
    main()

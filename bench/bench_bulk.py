"""Bulk screening at scale: 1,000,000 synthetic customers against the full fixture lists.

Scenario: a customer file of Faker names in many locales (persons and companies), with about
1% planted variants of listed names (a typo, a transliteration-style spelling, a reordering,
a dropped middle name). The lists are OFAC SDN 2024-05-03, OFAC consolidated (ENHANCED
2025-01-10), UN 2026-02-27 and the EU and UK excerpts. Measured in one run:

* the full file with every core (``--workers`` default): wall time, rows/s, rows/s per core,
  peak resident memory of the parent and of the workers, recall of the planted variants;
* the same code on one process over the first rows: rows/s, and the ratio;
* optionally Spark in local mode on the first 100,000 rows beside ``screen_bulk`` on the same
  rows (``--spark``);
* optionally (``--rescreen``) a full run from a store, a 1% change of OFAC SDN, and the delta
  re-screen: with the name cache the full run left, then without it (every row screened);
  both must write the same changes.

Run: .venv/bin/python bench/bench_bulk.py [--rows 1000000] [--spark] [--rescreen] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import FULL_LISTS, load_entities, machine_info
from discreet.match import Matcher
from discreet.model import Entity
from discreet.screen.bulk import BulkOptions, screen_bulk

LISTS = FULL_LISTS
LOCALES = ["en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "ru_RU", "ar_AA", "zh_CN", "ko_KR",
           "ja_JP", "tr_TR", "fa_IR", "pl_PL", "pt_BR", "nl_NL", "uk_UA", "el_GR", "hi_IN"]


def vary(name: str, rng: random.Random) -> str:
    """A realistic variant of a listed name, as a customer file might spell it."""
    tokens = name.replace(",", " ").split()
    kind = rng.choice(("typo", "swap", "drop", "case"))
    if kind == "typo" and len(name) > 5:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if kind == "swap" and len(tokens) > 1:
        return " ".join([tokens[-1], *tokens[:-1]])
    if kind == "drop" and len(tokens) > 2:
        del tokens[rng.randrange(1, len(tokens) - 1)]
        return " ".join(tokens)
    return name.title()


def write_customers(path: Path, rows: int, entities: list[Entity], seed: int = 1) -> int:
    """The customer CSV; returns how many rows carry a planted variant (id P…)."""
    from faker import Faker

    rng = random.Random(seed)
    fakers = [Faker(loc) for loc in LOCALES]
    for number, fake in enumerate(fakers):
        fake.seed_instance(seed + number)
    people = [e for e in entities if e.schema == "Person" and e.names]
    planted = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "schema", "target"])
        pool = [f.name() for f in fakers for _ in range(2000)]
        pool += [f.company() for f in fakers for _ in range(400)]
        for i in range(rows):
            if rng.random() < 0.01:
                target = rng.choice(people)
                writer.writerow([f"P{i}", vary(target.caption, rng), "Person", target.id])
                planted += 1
            else:
                writer.writerow([f"C{i}", rng.choice(pool), "", ""])
    return planted


def planted_recall(output: Path, customers: Path) -> float:
    targets = {}
    with customers.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["target"]:
                targets[row["id"]] = row["target"]
    found = 0
    with output.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in targets and any(
                    m["id"] == targets[record["id"]] for m in record["matches"]):
                found += 1
    return found / max(len(targets), 1)


def head(source: Path, dest: Path, rows: int) -> None:
    with source.open(encoding="utf-8") as src, dest.open("w", encoding="utf-8") as out:
        for number, line in enumerate(src):
            if number > rows:
                break
            out.write(line)


def run_bulk(matcher: Matcher, source: Path, output: Path, workers: int) -> dict[str, Any]:
    started = time.monotonic()
    summary = screen_bulk(matcher, source, output, BulkOptions(workers=workers))
    seconds = time.monotonic() - started
    return {"rows": summary.rows, "seconds": round(seconds, 1),
            "rows_per_s": round(summary.rows / seconds), "alerts": summary.alerts,
            "rows_with_alerts": summary.rows_with_alerts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--single-rows", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--rescreen", action="store_true",
                        help="also: full run from a store, a 1%% change of the SDN list, "
                        "then the delta re-screen with and without the name cache")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print("$ .venv/bin/python bench/bench_bulk.py " + " ".join(sys.argv[1:]))
    print(json.dumps(machine_info()))
    entities = load_entities(LISTS)
    started = time.monotonic()
    matcher = Matcher.from_entities(entities)
    result: dict[str, Any] = {"index_build_s": round(time.monotonic() - started, 2),
                              "entities": len(matcher)}
    with tempfile.TemporaryDirectory(prefix="discreet-bulk-") as tmp:
        folder = Path(tmp)
        customers = folder / "customers.csv"
        started = time.monotonic()
        result["planted"] = write_customers(customers, args.rows, entities)
        result["generate_s"] = round(time.monotonic() - started, 1)
        full = run_bulk(matcher, customers, folder / "alerts.jsonl", args.workers)
        print("all cores:", json.dumps(full), flush=True)
        full["planted_recall"] = round(planted_recall(folder / "alerts.jsonl", customers), 4)
        full["peak_rss_mb_parent"] = round(resource.getrusage(
            resource.RUSAGE_SELF).ru_maxrss / 1024)
        full["peak_rss_mb_worker"] = round(resource.getrusage(
            resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        result["all_cores"] = full
        small = folder / "head.csv"
        head(customers, small, args.single_rows)
        result["one_process"] = run_bulk(matcher, small, folder / "one.jsonl", 1)
        result["speedup"] = round(full["rows_per_s"] / result["one_process"]["rows_per_s"], 2)
        print("one process:", json.dumps(result["one_process"]), flush=True)
        if args.spark:
            result["spark"] = run_spark(matcher, customers, folder, 100_000)
            print("spark:", json.dumps(result["spark"]), flush=True)
        if args.rescreen:
            result["rescreen"] = run_rescreen(customers, folder)
    print(json.dumps(result, indent=2))


def run_spark(matcher: Matcher, customers: Path, folder: Path, rows: int) -> dict[str, Any]:
    """Spark local[*] against screen_bulk on the same first ``rows`` rows."""
    from pyspark.sql import SparkSession

    from discreet.screen.spark import screen

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors use this venv
    sample = folder / "spark.csv"
    head(customers, sample, rows)
    bulk = run_bulk(matcher, sample, folder / "bulk100k.jsonl", 0)
    spark = (SparkSession.builder.master("local[*]").config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        started = time.monotonic()
        df = (spark.read.option("header", "true").option("escape", '"')
              .option("multiLine", "true").csv(str(sample)))
        count = screen(df, matcher=matcher, schema_col="schema").count()
        seconds = time.monotonic() - started
    finally:
        spark.stop()
    return {"rows": rows, "spark_seconds": round(seconds, 1),
            "spark_rows_per_s": round(rows / seconds), "alert_rows": count,
            "screen_bulk_seconds": bulk["seconds"], "screen_bulk_rows_per_s": bulk["rows_per_s"]}


def run_rescreen(customers: Path, folder: Path) -> dict[str, Any]:
    """Full run against a store, a 1% change of OFAC SDN, then the delta re-screen: with the
    name cache the full run left (the usual case), then without it (every row screened, as
    for a new customer file); both must write the same changes."""
    from bench_history import derive, read_rows, write_rows
    from common import LISTS as LIST_ROOT
    from discreet.lists.load import load_file
    from discreet.screen.rescreen import rescreen
    from discreet.screen.runs import RunRecord, write_run
    from discreet.screen.tokencache import tokens_path
    from discreet.store import Store

    store = Store.open(folder / "store.db")
    for rel in LISTS:
        load_file(store, LIST_ROOT / rel)
    alerts = folder / "alerts_v1.jsonl"
    full = screen_bulk(Matcher.from_store(store), customers, alerts, BulkOptions())
    write_run(alerts, RunRecord({v.source: v.version for v in store.active()}, None, 5))
    rows, _ = derive(read_rows(LIST_ROOT / LISTS[0]), random.Random(5), 1, 90_000_000, 0.01)
    changed = folder / "sdn.csv"
    write_rows(changed, rows)
    loaded = load_file(store, changed, source="us_ofac_sdn")
    started = time.monotonic()
    matcher = Matcher.from_store(store)
    build = time.monotonic() - started
    cached = rescreen(matcher, store, customers, alerts, folder / "delta.jsonl", path="delta")
    assert cached.cached, cached.reason
    tokens_path(alerts).unlink()
    every = rescreen(matcher, store, customers, alerts, folder / "delta_every_row.jsonl",
                     path="delta")
    assert not every.cached and every.cache_written
    same = (folder / "delta.jsonl").read_bytes() == (
        folder / "delta_every_row.jsonl").read_bytes()
    store.close()
    return {"full_run_s": round(full.seconds, 1), "list_change": {
        "added": loaded.added, "removed": loaded.removed, "changed": loaded.changed},
        "index_build_s": round(build, 1), "rescreen_s": round(cached.seconds, 1),
        "rescreen_rows_screened": cached.screened,
        "rescreen_without_cache_s": round(every.seconds, 1), "same_changes": same,
        "token_cache_mb": round(tokens_path(alerts).stat().st_size / 1e6, 1),
        **{k: v for k, v in cached.to_dict().items() if k in (
            "delta_entities", "removed_entities", "customers_changed", "new_alerts",
            "gone_alerts")}}


if __name__ == "__main__":
    main()

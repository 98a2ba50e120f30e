"""The whole archive in one store: load every dated version of every list, then query it.

Scenario (issue 13): an analyst loads the long histories (UN 2016-2026, OFAC sdn.csv
2015-2024, OFSI 2014/2018, Canada 2020/2025, Australia, the OFAC consolidated list in three
formats, the EU and UK excerpts) into one fresh store, in date order and again shuffled, and
then asks the regime questions: timelines per year and authority, an entity's history, the
difference between two versions, and (when ``discreet.regimes.analytics`` is installed)
regime sizes, flows and the alignment matrix.

Which files: every row of ``../shared/fixtures/archive/MANIFEST.csv`` and
``../shared/fixtures/lists/MANIFEST.csv``, except those the manifests themselves say are not
a whole published version (:data:`SKIP_NOTES`: failed downloads, a damaged re-save, subsets
and filtered exports), schemas and specifications, companion files (``add.csv``, ``alt.csv``,
``*comments.csv``, read with their main file) and the OpenSanctions extracts (not an
authority's list). Every other file is loaded; a file no parser reads is reported, not hidden.

Dates: a file's own date wins (UN ``dateGenerated``, OFAC ``Publish_Date``…). For a file that
states none (OFAC ``sdn.csv``, Canada), the operator's date is given as ``discreet load
--published`` would: the first full date in the file's path, else in its manifest notes (the
commit date it was collected from: "as of, on or before"), else the last day of a ``YYYY-MM``
in its path. A file the removal gate refuses is loaded again with the documented override
(``--force``) and the table says so.

Run: .venv/bin/python bench/bench_archive.py [--order both|dated|shuffled] [--shuffle SEED]
     [--repeats 5] [--pg URL] [--json]
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import itertools
import json
import random
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import ROOT, SHARED, Report, markdown_table, median, require
from discreet.errors import DiscreetError, RejectedListError
from discreet.lists.load import read_list, state_date
from discreet.store import Store

FOLDERS = (SHARED / "fixtures" / "archive", SHARED / "fixtures" / "lists")
# What a manifest says of a file that is not a whole published version of its list.
SKIP_NOTES = {
    "failure case": "a failed download (manifest)",
    "quotes stripped": "re-saved with its quotes stripped: a damaged copy (manifest)",
    "subset": "a hand-picked subset, not a whole version (manifest)",
    "filtered": "an export filtered to one programme, not a whole version (manifest)",
}
# One programme's export of a consolidated list ("program YEMEN"): filtered too.
ONE_PROGRAMME = re.compile(r"(?:^|;\s*)program [A-Z][A-Z0-9-]*\s*$")
COMPANION = re.compile(r"^(cons_)?(add|alt|comments|sdn_comments)\.csv$", re.IGNORECASE)
NOT_LISTS = {".xsd": "a schema", ".txt": "a format specification"}
FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?![\d-])")
REGIMES = ("russia-ukraine", "isil-al-qaida")
# Entities the issue names (history checked by hand there), when the archive holds them.
NAMED_ENTITIES = ("ofac-38556",)


@dataclass
class Planned:
    """One file to load, with the operator's date for it if the file states none."""

    path: Path
    rel: str
    fallback: str | None
    basis: str  # where the fallback date comes from


@dataclass
class Loaded:
    """What loading one file took and did."""

    rel: str
    source: str = ""
    as_of: str = ""
    basis: str = ""
    status: str = ""
    entities: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    parse_s: float = 0.0
    store_s: float = 0.0
    cpu_s: float = 0.0  # parse + store, CPU time of this process (less noisy when shared)
    note: str = ""
    warnings: list[str] = field(default_factory=list)


def _date_in(text: str) -> str | None:
    for match in FULL_DATE.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            return match.group(0)
    return None


def operator_date(rel: str, notes: str) -> tuple[str | None, str]:
    """The date ``load --published`` would be given for a file that states none."""
    if found := _date_in(rel):
        return found, "path"
    if found := _date_in(notes):
        return found, "manifest notes"
    if match := MONTH.search(rel):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return f"{year:04d}-{month:02d}-{last:02d}", "end of the month in the path"
    return None, "none"


def plan() -> tuple[list[Planned], list[tuple[str, str]]]:
    """The files to load and the ones skipped, with why, from both manifests."""
    files: list[Planned] = []
    skipped: list[tuple[str, str]] = []
    for folder in FOLDERS:
        with require(folder / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            rel, notes = row["path"], row.get("snapshot_date_and_notes") or ""
            shown = f"{folder.name}/{rel}"
            path = folder / rel
            reason = next((why for mark, why in SKIP_NOTES.items() if mark in notes), None)
            if reason is None and ONE_PROGRAMME.search(notes):
                reason = SKIP_NOTES["filtered"]
            if reason is None and path.suffix.lower() in NOT_LISTS:
                reason = NOT_LISTS[path.suffix.lower()]
            if reason is None and COMPANION.match(path.name):
                reason = "a companion file, read with its main file"
            if reason is None and rel.startswith("opensanctions_ftm/"):
                reason = "an OpenSanctions extract, not an authority's list"
            if reason is None and row.get("bytes") == "0":
                reason = "an empty file (manifest: 0 bytes)"
            if reason is not None:
                skipped.append((shown, reason))
                continue
            fallback, basis = operator_date(rel, notes)
            files.append(Planned(require(path), shown, fallback, basis))
    return files, skipped


def load_all(store: Store, files: list[Planned]) -> list[Loaded]:
    """Load each file as ``discreet load [--published DATE]`` would, ``--force`` only when
    the removal gate refuses it."""
    out: list[Loaded] = []
    for item in files:
        row = Loaded(item.rel)
        cpu = time.process_time()
        start = time.perf_counter()
        try:
            parsed = read_list(item.path)
        except DiscreetError as exc:
            row.parse_s = time.perf_counter() - start
            row.status, row.note = "not read", " ".join(str(exc).split())[:160]
            row.cpu_s = time.process_time() - cpu
            out.append(row)
            continue
        state_date(parsed, item.fallback)
        row.parse_s = time.perf_counter() - start
        row.warnings = list(parsed.warnings)
        start = time.perf_counter()
        try:
            result = store.write(parsed)
        except RejectedListError as exc:
            row.note = "removal gate refused it; loaded with --force: " + " ".join(
                str(exc).split())[:200]
            try:
                result = store.write(parsed, force=True)
            except RejectedListError as again:  # not a matter of judgement: refused for good
                row.store_s = time.perf_counter() - start
                row.status, row.note = "refused", " ".join(str(again).split())[:200]
                row.cpu_s = time.process_time() - cpu
                out.append(row)
                continue
        row.store_s = time.perf_counter() - start
        row.cpu_s = time.process_time() - cpu
        row.source, row.status, row.entities = result.source, result.status, result.entities
        row.added, row.removed, row.changed = result.added, result.removed, result.changed
        row.as_of = parsed.published or parsed.as_of or ""
        row.basis = "file" if parsed.published else (
            f"operator ({item.basis})" if parsed.as_of else "load time")
        out.append(row)
        print(f"  {item.rel}: {row.status} {row.source} as of {row.as_of} "
              f"({row.parse_s:.1f} s + {row.store_s:.1f} s)", file=sys.stderr, flush=True)
    return out


def fingerprint(store: Store) -> tuple[str, dict[str, Any]]:
    """A digest of what a user reads (versions by as-of date, diffs, timeline): two stores
    loaded in different orders must give the same."""
    versions = [(v.source, v.as_of, v.as_of_basis, v.entities, v.added, v.removed, v.changed,
                 v.active) for v in store.versions()]
    diffs = []
    by_source: dict[str, list[Any]] = {}
    for info in store.versions():
        by_source.setdefault(info.source, []).append(info)
    for source, infos in sorted(by_source.items()):
        for before, after in itertools.pairwise(infos):
            d = store.diff(source, before.version, after.version)
            diffs.append((source, before.as_of, after.as_of, sorted(d.added), sorted(d.removed),
                          sorted(c.id for c in d.changed)))
    timeline = [r.to_dict() for r in store.timeline(by="month")]
    doc = {"versions": versions, "diffs": diffs, "timeline": timeline}
    text = json.dumps(doc, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16], doc


def timed_median(func: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    """Median wall-clock and CPU seconds over ``repeats`` runs, and the last result."""
    seconds: list[float] = []
    cpu: list[float] = []
    result: Any = None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return median(seconds), median(cpu), result


def _size(result: Any) -> str:
    if isinstance(result, list | tuple | dict | set):
        return f"{len(result)} rows"
    return type(result).__name__


Timing = tuple[str, float, float, str]  # query, median wall ms, median CPU ms, result


def queries(store: Store, repeats: int) -> list[Timing]:
    """The regime questions, each timed as the median of ``repeats`` runs."""
    rows: list[Timing] = []

    def run(label: str, func: Callable[[], Any]) -> None:
        seconds, cpu, result = timed_median(func, repeats)
        rows.append((label, seconds * 1000, cpu * 1000, _size(result)))

    run("timeline --by year (all authorities)", lambda: store.timeline(by="year"))
    run("timeline --by month (all authorities)", lambda: store.timeline(by="month"))
    authorities = sorted({r.authority for r in store.timeline(by="year")})
    for authority in authorities:
        run(f"timeline --by year --authority {authority}",
            lambda a=authority: store.timeline(by="year", authority=a))  # type: ignore[misc]
    by_source: dict[str, list[Any]] = {}
    for info in store.versions():
        by_source.setdefault(info.source, []).append(info)
    picked: list[str] = [e for e in NAMED_ENTITIES if store.is_listed(e) or _known(store, e)]
    for source, infos in sorted(by_source.items()):
        if len(infos) < 2:
            continue
        first, last = infos[0], infos[-1]
        run(f"diff {source} {first.as_of} -> {last.as_of}",
            lambda s=source, a=first.version, b=last.version: store.diff(s, a, b))  # type: ignore[misc]
        run(f"diff {source} (previous -> active)", lambda s=source: store.diff(s))  # type: ignore[misc]
        d = store.diff(source, first.version, last.version)
        for ids in (sorted(c.id for c in d.changed), sorted(d.removed)):
            if ids and ids[0] not in picked:
                picked.append(ids[0])
    for entity_id in picked:
        run(f"history {entity_id}", lambda e=entity_id: store.history(e))  # type: ignore[misc]
    rows.extend(_analytics(store, repeats))
    return rows


def _known(store: Store, entity_id: str) -> bool:
    try:
        return bool(store.history(entity_id))
    except DiscreetError:
        return False


def _analytics(store: Store, repeats: int) -> list[Timing]:
    """Regime sizes, flows and alignment, when the analytics module is installed."""
    try:
        from discreet.regimes import analytics
    except ImportError as exc:
        return [(f"regime analytics: not available ({exc})", float("nan"), float("nan"), "")]
    rows: list[Timing] = []

    def run(label: str, func: Callable[[], Any]) -> None:
        seconds, cpu, result = timed_median(func, repeats)
        rows.append((label, seconds * 1000, cpu * 1000, _size(result)
                     if not hasattr(result, "cells") else f"{len(result.cells)} cells"))

    run("regime summaries (every regime, active versions)",
        lambda: analytics.regime_summaries(store))
    for regime in REGIMES:
        run(f"regime {regime}: size per list over time",
            lambda r=regime: analytics.regime_sizes(store, r))  # type: ignore[misc]
        run(f"regime {regime}: flows --by year",
            lambda r=regime: analytics.regime_flows(store, r, by="year"))  # type: ignore[misc]
        run(f"regime {regime}: alignment matrix (latest)",
            lambda r=regime: analytics.regime_alignment(store, r))  # type: ignore[misc]
        run(f"regime {regime}: delisted and relisted",
            lambda r=regime: analytics.regime_relistings(store, r))  # type: ignore[misc]
    return rows


@contextmanager
def fresh_store(pg: str | None, label: str) -> Iterator[tuple[Store, str]]:
    """A new empty store: an SQLite file in a temporary folder, or a new database on the
    PostgreSQL server of ``pg`` (dropped afterwards)."""
    if pg is None:
        with tempfile.TemporaryDirectory(prefix="bench-archive-") as folder:
            path = Path(folder) / f"{label}.db"
            with Store.open(str(path)) as store:
                yield store, "SQLite (WAL)"
        return
    import psycopg

    name = f"bench_archive_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        with Store.open(f"{pg.rsplit('/', 1)[0]}/{name}") as store:
            yield store, "PostgreSQL"
    finally:
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_order(report: Report, files: list[Planned], order: str, seed: int, repeats: int,
              pg: str | None) -> dict[str, Any]:
    """Load the files in one order into a fresh store, report, return the figures."""
    ordered = sorted(files, key=lambda f: (f.fallback or "", f.rel))
    if order == "shuffled":
        random.Random(seed).shuffle(ordered)
    title = "date order" if order == "dated" else f"shuffled (seed {seed})"
    with fresh_store(pg, order) as (store, backend):
        start, start_cpu = time.perf_counter(), time.process_time()
        loaded = load_all(store, ordered)
        total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        size = store.size_bytes()
        digest, _ = fingerprint(store)
        versions = store.versions()
        rows = queries(store, repeats)
    parse = sum(r.parse_s for r in loaded)
    write = sum(r.store_s for r in loaded)
    records = sum(v.entities for v in versions)
    report.section(
        f"Loading, {title} ({backend})",
        markdown_table(
            ["#", "file", "source", "as of", "date from", "status", "entities", "added",
             "removed", "changed", "parse s", "store s", "CPU s", "note"],
            [(i, r.rel, r.source, r.as_of, r.basis, r.status, r.entities, r.added, r.removed,
              r.changed, round(r.parse_s, 2), round(r.store_s, 2), round(r.cpu_s, 2), r.note)
             for i, r in enumerate(loaded, start=1)]))
    report.section(
        f"Totals, {title} ({backend})",
        markdown_table(["figure", "value"], [
            ("files loaded", sum(r.status in ("new", "inserted", "unchanged") for r in loaded)),
            ("files not read", sum(r.status == "not read" for r in loaded)),
            ("files loaded with --force (removal gate)",
             sum(r.note.startswith("removal gate") for r in loaded)),
            ("versions stored", len(versions)),
            ("sources", len({v.source for v in versions})),
            ("entities over all versions", records),
            ("load time, total s (parse + store)", round(total, 1)),
            ("load CPU time, s", round(total_cpu, 1)),
            ("parse s", round(parse, 1)),
            ("store s", round(write, 1)),
            ("store size on disk, MiB", round(size / 2**20, 1)),
            ("bytes per entity-version", round(size / records) if records else 0),
            ("fingerprint (versions, diffs, monthly timeline)", digest),
        ]))
    report.section(
        f"Queries, {title} ({backend}): median of {repeats} runs",
        markdown_table(["query", "median ms", "median CPU ms", "result"], rows))
    return {"order": order, "backend": backend, "total_s": total, "cpu_s": total_cpu,
            "parse_s": parse,
            "store_s": write, "size_bytes": size, "versions": len(versions),
            "entity_versions": records, "fingerprint": digest,
            "files": [r.__dict__ for r in loaded],
            "queries": [{"query": q, "median_ms": ms, "median_cpu_ms": cpu, "result": res}
                        for q, ms, cpu, res in rows]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--order", choices=["both", "dated", "shuffled"], default="both")
    parser.add_argument("--shuffle", type=int, default=13, metavar="SEED",
                        help="seed of the shuffled order (default 13)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--pg", metavar="URL",
                        help="a PostgreSQL server's maintenance database URL: load into a new "
                             "database there instead of SQLite; 'auto' starts a throw-away "
                             "local server as the tests do (tests/pg_server.py, fsync off)")
    parser.add_argument("--only", metavar="TEXT",
                        help="load only the files whose path contains TEXT (a quick check)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = Report("Loading the archive: every dated version of every list", args.json)
    files, skipped = plan()
    if args.only:
        files = [f for f in files if args.only in f.rel]
    server = None
    if args.pg == "auto":
        sys.path.insert(0, str(ROOT))
        from tests.pg_server import PostgresServer, find_pg_bin

        bin_dir = find_pg_bin()
        if bin_dir is None:
            sys.exit("error: --pg auto needs PostgreSQL's binaries (initdb, pg_ctl)")
        server = PostgresServer(bin_dir)
        server.start()
        args.pg = server.url()
        report.note("PostgreSQL: a throw-away local server (tests/pg_server.py: fsync off, "
                    "loopback).\n")
    report.section("Files skipped by the manifests", markdown_table(
        ["file", "why"], skipped))
    results = []
    try:
        for order in (("dated", "shuffled") if args.order == "both" else (args.order,)):
            results.append(run_order(report, files, order, args.shuffle, args.repeats, args.pg))
    finally:
        if server is not None:
            server.stop()
    if len(results) == 2:
        same = results[0]["fingerprint"] == results[1]["fingerprint"]
        report.note("Date order and shuffled order give " + (
            "the same store (versions, diffs, timeline)." if same else
            "DIFFERENT stores: see the fingerprints above."))
    report.add("skipped", skipped)
    report.add("runs", results)
    report.finish()


if __name__ == "__main__":
    main()

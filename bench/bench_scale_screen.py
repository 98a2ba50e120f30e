"""Bulk screening against a large synthetic index (issue 16): customers drawn from the
store's own FtM file (1% planted variants of listed names, the rest clean names from 18
locales) screened end to end by ``discreet screen-file`` against the persisted index, and
the planted variants found.

    .venv/bin/python bench/bench_scale_screen.py --db /work/scale/1m.db \\
        --ftm /work/scale/1m.ftm.json --rows 20000 --workers 2

The store and its index are made by ``bench/bench_scale.py`` (or ``discreet load FILE``).

With ``--rescreen`` the store is then changed as a list changes between two days: a new
version of the FtM file in which a share of the targets (``--change``, 1% by default) was
touched (three in ten delisted, four in ten amended with a new alias and a new date of
change, three in ten newly listed ones added), loaded with ``discreet load`` (import and
index build, timed); then ``discreet rescreen --update`` brings the previous alerts up to
date against just what changed, and a full ``screen-file`` against the new version checks
that both give the same alerts. Give it a copy of the store: it gains a version.

    .venv/bin/python bench/bench_scale_screen.py --db /work/scale/delta/1m.db \
        --ftm /work/scale/1m.ftm.json --rows 20000 --workers 2 --rescreen
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_bulk import planted_recall, write_customers
from common import machine_info
from discreet.model import Entity
from discreet.sources import open_list
from synth_ftm import Generator

ROOT = Path(__file__).resolve().parent.parent


def sample_entities(ftm: Path, count: int, seed: int) -> list[Entity]:
    """``count`` entities spread over the file (reservoir sample), as the parser reads them."""
    rng = random.Random(seed)
    kept: list[Entity] = []
    _, parsed = open_list(ftm)
    for seen, entity in enumerate(parsed):
        if len(kept) < count:
            kept.append(entity)
        else:
            slot = rng.randrange(seen + 1)
            if slot < count:
                kept[slot] = entity
    return kept


def changed_version(ftm: Path, out: Path, share: float, seed: int) -> dict[str, int]:
    """Write ``ftm`` with ``share`` of its targets touched (see the module's doc); returns
    how many were delisted, amended and added. The entities describing a delisted target
    stay, as a stale dump may keep them."""
    rng = random.Random(seed)
    counts = {"targets": 0, "delisted": 0, "amended": 0, "added": 0}
    with ftm.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        for line in source:
            if '"target":true' not in line:
                sink.write(line)
                continue
            counts["targets"] += 1
            roll = rng.random()
            if roll < share * 0.3:
                counts["delisted"] += 1
                continue
            if roll < share * 0.7:
                data = json.loads(line)
                props = data["properties"]
                words = props["name"][0].split()
                props.setdefault("alias", []).append(" ".join(reversed(words)) + " " +
                                                     rng.choice("ABCDEFGHJKLMNPRSTVW") + ".")
                data["last_change"] = "2026-01-16T06:00:00"
                line = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
                counts["amended"] += 1
            sink.write(line)
        gen = Generator(seed)
        wanted = round(counts["targets"] * share * 0.3)
        for number in range(counts["targets"] + 1, counts["targets"] + 1 + wanted):
            for item in gen.entity(number):
                sink.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")
            counts["added"] += 1
    return counts


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run a discreet command under ``/usr/bin/time -v``: its wall seconds and stderr."""
    started = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-v", *argv], env=env, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {proc.returncode}\n{proc.stderr[-3000:]}")
    return time.monotonic() - started, proc.stderr


def _time_facts(stderr: str) -> dict[str, float]:
    """CPU seconds and peak RSS (MB) of the parent, from ``/usr/bin/time -v``."""
    def grab(label: str) -> float:
        return float(next(line.rsplit(":", 1)[1] for line in stderr.splitlines()
                          if line.strip().startswith(label)))
    return {"cpu_s": round(grab("User time") + grab("System time"), 1),
            "peak_rss_mb": round(grab("Maximum resident set size") / 1024)}


def _pairs(alerts: Path) -> set[tuple[str, str]]:
    """(customer id, listed entity id) of every alert in a JSON-lines alerts file."""
    pairs: set[tuple[str, str]] = set()
    with alerts.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            pairs.update((record["id"], m["id"]) for m in record["matches"])
    return pairs


def rescreen_step(args: argparse.Namespace, customers: Path, alerts: Path,
                  env: dict[str, str]) -> dict[str, object]:
    """New version, ``discreet rescreen --update``, full run, both compared."""
    discreet = str(ROOT / ".venv/bin/discreet")
    changed = args.workdir / "changed.ftm.json"
    counts = changed_version(args.ftm, changed, args.change, args.seed)
    load_s, load_err = _timed([discreet, "load", str(changed)], env)
    delta = args.workdir / "delta.jsonl"
    rescreen_s, rescreen_err = _timed([discreet, "rescreen", str(customers), "--previous",
                                       str(alerts), "-o", str(delta), "--update",
                                       "--workers", str(args.workers), "--json"], env)
    summary = [json.loads(line) for line in rescreen_err.splitlines()
               if line.startswith("{") and "delta_entities" in line][-1]
    full = args.workdir / "full.jsonl"
    full_s, full_err = _timed([discreet, "screen-file", str(customers), "-o", str(full),
                               "--workers", str(args.workers), "--json"], env)
    updated, fresh = _pairs(alerts), _pairs(full)
    differ = {customer for customer, _ in updated ^ fresh}
    return {"change": counts, "load_s": round(load_s, 1), "load": _time_facts(load_err),
            "rescreen_s": round(rescreen_s, 1), "rescreen": _time_facts(rescreen_err),
            "rescreen_summary": summary, "full_s": round(full_s, 1),
            "full": _time_facts(full_err), "ratio_full_over_rescreen":
            round(full_s / rescreen_s, 1), "same_alerts": updated == fresh,
            "alerts_only_updated": len(updated - fresh), "alerts_only_full": len(fresh - updated),
            "where_they_differ": exhaustive_check(args, customers, differ, updated, fresh)}


def exhaustive_check(args: argparse.Namespace, customers: Path, differ: set[str],
                     updated: set[tuple[str, str]], fresh: set[tuple[str, str]],
                     ) -> dict[str, int]:
    """The customers whose alerts differ, screened against every listed name (no index
    candidates: what the index's candidate cap can leave out is found), and which side
    that agrees with."""
    from discreet.match.persist import open_matcher
    from discreet.screen.readers import read_records
    from discreet.screen.rows import record_id, screen_record
    from discreet.store import Store

    matcher = open_matcher(Store.open(str(args.db)))
    matcher.scan = True  # every name is compared: exhaustive
    exhaustive: set[tuple[str, str]] = set()
    for record in read_records(customers):
        if record_id(record) in differ:
            out = screen_record(matcher, record, None, 5)
            exhaustive.update((out["id"], m["id"]) for m in out["matches"])
    mine = {p for p in updated | fresh if p[0] in differ}
    return {"customers": len(differ),
            "exhaustive_agrees_with_updated": sum(1 for c in differ if
                                                  {p for p in updated if p[0] == c} ==
                                                  {p for p in exhaustive if p[0] == c}),
            "exhaustive_agrees_with_full": sum(1 for c in differ if
                                               {p for p in fresh if p[0] == c} ==
                                               {p for p in exhaustive if p[0] == c}),
            "pairs_exhaustive_finds": len(exhaustive & mine)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--ftm", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench_scale_screen"))
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--rescreen", action="store_true",
                        help="then a changed version, rescreen --update, and a full run")
    parser.add_argument("--change", type=float, default=0.01,
                        help="share of the targets the new version touches")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    customers = args.workdir / f"customers-{args.rows}.csv"
    planted = write_customers(customers, args.rows,
                              sample_entities(args.ftm, 5_000, args.seed), args.seed)
    out = args.workdir / "alerts.jsonl"
    for stale in args.workdir.glob("alerts.jsonl*"):
        stale.unlink()
    env = {**os.environ, "DISCREET_DB": str(args.db)}
    started = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-v", str(ROOT / ".venv/bin/discreet"),
                           "screen-file", str(customers), "-o", str(out), "--workers",
                           str(args.workers), "--json"], env=env, capture_output=True,
                          text=True, check=False)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    summary = [json.loads(line) for line in proc.stderr.splitlines()
               if line.startswith("{") and '"alerts"' in line][-1]  # after progress lines
    peak = next(int(line.split()[-1]) for line in proc.stderr.splitlines()
                if "Maximum resident set size" in line)
    report: dict[str, object] = {
        "machine": machine_info(), "rows": summary["rows"], "seconds": round(seconds, 1),
        "screening_s": summary["seconds"], "rows_per_s": round(summary["rows"] / seconds),
        "alerts": summary["alerts"], "planted": planted,
        "planted_found": round(planted_recall(out, customers), 3),
        "peak_rss_mb_parent": round(peak / 1024)}
    if args.rescreen:
        report["rescreen"] = rescreen_step(args, customers, out, env)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()

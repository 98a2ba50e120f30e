"""Bulk screening against a large synthetic index (issue 16): customers drawn from the
store's own FtM file (1% planted variants of listed names, the rest clean names from 18
locales) screened end to end by ``discreet screen-file`` against the persisted index, and
the planted variants found.

    .venv/bin/python bench/bench_scale_screen.py --db /work/scale/1m.db \\
        --ftm /work/scale/1m.ftm.json --rows 20000 --workers 2

The store and its index are made by ``bench/bench_scale.py`` (or ``discreet load FILE``).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--ftm", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench_scale_screen"))
    parser.add_argument("--seed", type=int, default=3)
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
    print(json.dumps({"machine": machine_info(), "rows": summary["rows"],
                      "seconds": round(seconds, 1), "screening_s": summary["seconds"],
                      "rows_per_s": round(summary["rows"] / seconds),
                      "alerts": summary["alerts"], "planted": planted,
                      "planted_found": round(planted_recall(out, customers), 3),
                      "peak_rss_mb_parent": round(peak / 1024)}, indent=1))


if __name__ == "__main__":
    main()

"""Alert recall of the index's candidates against an exhaustive scorer (issues 16 and 10).

A query alerts when some listed name scores at least the threshold. Scored against every
listed name (``Matcher.scores`` over every position, the same kernel), the queries that
should alert are known; the index's candidates (``NameIndex.candidates``, the 40 a query
name the matcher scores) must propose at least one of those names, or the alert is a
silent miss. Reported: **alert recall** (share of the alerting queries for which the
candidates hold an alerting name), **best recall** (... hold a name with the best score),
and the candidates' CPU time per query (the second of three passes, the first
building the compiled postings; the third beside it). Queries: ``bench_scale.py``'s mix
(list names with one or two typing errors, the same names clean, clean Faker names;
seeded).

The exhaustive pass is slow at 1M (seconds a query): ``--save-hits`` keeps it, and
``--hits`` reuses it for another source tree (the scorer is the same, only candidates
differ). ``--reindex`` builds the name index again from the persisted names with this
tree's code, so an index persisted by an older tree measures this tree's candidates.

    PYTHONPATH=<tree>/src .venv/bin/python bench/bench_candidates.py INDEX_FOLDER \\
        --sample 1000 --seed 99 --save-hits /tmp/hits.json --reindex
    PYTHONPATH=<base>/src .venv/bin/python bench/bench_candidates.py INDEX_FOLDER \\
        --hits /tmp/hits.json --reindex
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import _queries
from common import machine_info
from discreet.match import DEFAULT_THRESHOLD
from discreet.match.index import NameIndex
from discreet.match.matcher import CANDIDATES
from discreet.match.persist import load
from discreet.text.names import name_class


def exhaustive_hits(matcher: Any, sample: int, seed: int) -> list[dict[str, Any]]:
    """Each query of the mix with the positions of every listed name scoring >= the
    threshold, and their scores."""
    everyone = range(len(matcher.names))
    out = []
    for _, name, schema in _queries(matcher, sample, seed):
        q = matcher.prepare(name, name_class(schema))
        scores = matcher.scores(q, everyone, floor=DEFAULT_THRESHOLD)
        loose = np.asarray(scores.loose)
        reach = np.flatnonzero(loose >= DEFAULT_THRESHOLD - 1e-9).tolist()
        hits = {p: s for p in reach if (s := scores.score(p)) >= DEFAULT_THRESHOLD}
        out.append({"name": name, "schema": schema, "hits": hits})
    return out


def alert_recall(matcher: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Alert recall, best recall and candidates' time over the queries that should alert."""
    asked = []
    for row in rows:
        hits = {int(p): float(s) for p, s in row["hits"].items()}
        if hits:
            asked.append((matcher.prepare(row["name"], name_class(row["schema"])), hits,
                          row["name"]))
    alerting = best = 0
    missed = []
    for q, hits, name in asked:  # the first pass: recall (and the compiled postings made)
        proposed = set(matcher.index.candidates(q, CANDIDATES))
        top = max(hits.values())
        if hits.keys() & proposed:
            alerting += 1
            best += any(abs(hits[p] - top) <= 1e-9 for p in hits.keys() & proposed)
        else:
            missed.append(name)
    n = max(len(asked), 1)
    passes = []
    for _ in range(2):  # then the time, warm: the second and third passes
        started = time.process_time()
        for q, _hits, _name in asked:
            matcher.index.candidates(q, CANDIDATES)
        passes.append(round(1000 * (time.process_time() - started) / n, 3))
    return {"queries": len(rows), "queries_that_alert": len(asked),
            "alert_recall": round(alerting / n, 3), "best_recall": round(best / n, 3),
            "candidates_ms": passes[0], "candidates_ms_third_pass": passes[1],
            "missed": missed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path, help="a persisted index folder")
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--hits", type=Path, help="reuse the exhaustive hits saved here")
    parser.add_argument("--save-hits", type=Path, help="keep the exhaustive hits here")
    parser.add_argument("--reindex", action="store_true",
                        help="build the name index again with this tree's code")
    args = parser.parse_args()
    matcher = load(args.index)
    report: dict[str, Any] = {"machine": machine_info(), "index": str(args.index),
                              "names": len(matcher.names)}
    if args.reindex:
        started = time.process_time()
        matcher.index = NameIndex(matcher.names)
        report["reindex_cpu_s"] = round(time.process_time() - started, 1)
    if args.hits:
        rows = json.loads(args.hits.read_text())
    else:
        started = time.process_time()
        rows = exhaustive_hits(matcher, args.sample, args.seed)
        report["exhaustive_cpu_s"] = round(time.process_time() - started, 1)
        if args.save_hits:
            args.save_hits.write_text(json.dumps(rows))
    report.update(alert_recall(matcher, rows))
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

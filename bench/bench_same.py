"""Same results before and after: every pair score and every top 5, saved and compared.

Scenario: a change that should not change behaviour (a refactoring, a faster kernel) must
give the same scores and the same alerts. This script records, with the discreet found on
the import path:

* the score ``compare_names(name1, name2, schema)`` of each of the 826 labelled pairs of
  ``../shared/bench/name_bench_cases.csv`` (read as ``bench_names.py`` reads them);
* the top 5 ``Matcher.match`` returns (limit 5, at the threshold given, by default
  DEFAULT_THRESHOLD: the alerts) for a fixed mix of 20,000 queries over the full fixture
  lists, drawn by ``bench_speed.py``'s generator (list names with typos, transliterated list
  names, Faker clean names in 10 locales; seed ``bench_speed.SEED``).

Scores are kept rounded to 1e-9, so that only a real change counts, not the last bit of a
float summed in another order. ``--save FILE`` writes them all (JSON). ``--compare FILE``
reads a file saved by another version and reports how many pair scores and top-5 lists are
identical, by kind of query, and lists the first differences; the exit status is 1 when
anything differs (or the two runs screened different queries), 0 otherwise.

Another version is measured by running this same script with that version's ``src`` first
on ``PYTHONPATH`` (its compiled kernels built in place); the version used is recorded in the
file (module path, git commit, whether the worktree had uncommitted changes):

    PYTHONPATH=/path/to/other/src .venv/bin/python bench/bench_same.py --save /tmp/before.json
    .venv/bin/python bench/bench_same.py --compare /tmp/before.json

Run from the project root: ``.venv/bin/python bench/bench_same.py [--save FILE]
[--compare FILE] [--show N] [--threshold T] [--json]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discreet
from bench_names import load_cases
from bench_speed import SEED, make_queries
from common import FULL_LISTS, Report, load_entities, markdown_table
from discreet.match import DEFAULT_THRESHOLD, Matcher, compare_names

FORMAT = 1
QUERIES = 20_000
LIMIT = 5
DIGITS = 9  # scores kept to 1e-9

Top = list[tuple[str, float]]  # (entity id, score), best first


@dataclass(slots=True)
class Run:
    """One version's results: pair scores and each query's top 5, with what identifies them."""

    meta: dict[str, Any]
    pairs: list[tuple[str, str, str, float]]  # name1, name2, schema, score
    queries: list[tuple[str, str, str, Top]]  # kind, name, schema, top 5

    def digest(self) -> str:
        """What was asked (pairs and queries, not the answers): two runs compare only if equal."""
        asked = [[p[:3] for p in self.pairs], [q[:3] for q in self.queries]]
        text = json.dumps(asked, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "digest": self.digest(), "meta": self.meta,
                "pairs": [list(p) for p in self.pairs],
                "queries": [[k, n, s, [list(t) for t in top]] for k, n, s, top in self.queries]}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Run:
        if doc.get("format") != FORMAT:
            raise SystemExit(f"error: not a bench_same file of format {FORMAT}")
        return cls(doc["meta"],
                   [(str(a), str(b), str(s), float(v)) for a, b, s, v in doc["pairs"]],
                   [(str(k), str(n), str(s), [(str(i), float(v)) for i, v in top])
                    for k, n, s, top in doc["queries"]])


def provenance() -> dict[str, Any]:
    """Which discreet answered: its source folder, and the git commit there (if any)."""
    src = Path(discreet.__file__).resolve().parents[1]

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(src), *args], capture_output=True,
                                  text=True, timeout=30, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    status = git("status", "--porcelain", "--untracked-files=no", "--", ".")
    return {"discreet_src": str(src), "commit": git("rev-parse", "HEAD"),
            "uncommitted_changes_in_src": None if status is None else bool(status)}


def measure(threshold: float) -> Run:
    """Score every pair, build the index over the full lists and screen the query mix."""
    started = time.perf_counter()
    pairs = [(c.name1, c.name2, c.schema,
              round(compare_names(c.name1, c.name2, c.schema or None), DIGITS))
             for c in load_cases()]
    entities = load_entities(FULL_LISTS)
    matcher = Matcher.from_entities(entities)
    queries: list[tuple[str, str, str, Top]] = []
    for kind, query in make_queries(entities, QUERIES, SEED):
        found = matcher.match(query, limit=LIMIT, threshold=threshold)
        queries.append((kind, query.name, query.schema or "",
                        [(r.entity.id, round(r.score, DIGITS)) for r in found]))
    meta = {**provenance(), "threshold": threshold, "default_threshold": DEFAULT_THRESHOLD,
            "limit": LIMIT, "seed": SEED, "lists": list(FULL_LISTS), "entities": len(entities),
            "seconds": round(time.perf_counter() - started, 1)}
    return Run(meta, pairs, queries)


def _top(top: Top) -> str:
    return "; ".join(f"{eid} {score:.9f}" for eid, score in top) or "(none)"


def compare(report: Report, ours: Run, theirs: Run, show: int) -> bool:
    """Report identical counts and the first differences; True when everything is identical."""
    if ours.digest() != theirs.digest():
        report.note(f"The two runs asked different things (digest {ours.digest()} here, "
                    f"{theirs.digest()} in the file: other lists, parser output or query "
                    f"generator), so they are not compared. Entities: "
                    f"{ours.meta['entities']} here, {theirs.meta['entities']} there.")
        report.add("comparison", {"comparable": False, "digest": ours.digest(),
                                  "digest_saved": theirs.digest()})
        return False
    if ours.meta["threshold"] != theirs.meta["threshold"]:
        report.note(f"Warning: the top 5 were taken at threshold {ours.meta['threshold']} here "
                    f"and {theirs.meta['threshold']} in the file.")
    pair_diff = [(a, b) for a, b in zip(theirs.pairs, ours.pairs, strict=True) if a[3] != b[3]]
    total: Counter[str] = Counter()
    same: Counter[str] = Counter()
    same_ids: Counter[str] = Counter()
    query_diff = []
    for a, b in zip(theirs.queries, ours.queries, strict=True):
        total[a[0]] += 1
        if a[3] == b[3]:
            same[a[0]] += 1
            same_ids[a[0]] += 1
            continue
        same_ids[a[0]] += [i for i, _ in a[3]] == [i for i, _ in b[3]]
        query_diff.append((a, b))
    largest = max((abs(a[3] - b[3]) for a, b in pair_diff), default=0.0)
    rows = [["name pairs: identical score", f"{len(ours.pairs) - len(pair_diff)} / "
             f"{len(ours.pairs)}", f"largest difference {largest:.9f}"]]
    for kind in (*sorted(total), "all"):
        n = total.total() if kind == "all" else total[kind]
        eq = same.total() if kind == "all" else same[kind]
        ids = same_ids.total() if kind == "all" else same_ids[kind]
        rows.append([f"queries ({kind}): identical top 5", f"{eq} / {n}",
                     f"same entities in the same order: {ids} / {n}"])
    report.section(f"Saved {theirs.meta.get('commit') or theirs.meta['discreet_src']} "
                   f"vs this run {ours.meta.get('commit') or ours.meta['discreet_src']}",
                   markdown_table(["compared", "identical", "detail"], rows))
    if pair_diff:
        report.section(f"First name-pair differences ({min(show, len(pair_diff))} of "
                       f"{len(pair_diff)})", markdown_table(
                           ["name1", "name2", "schema", "saved", "this run"],
                           [[a[0], a[1], a[2], f"{a[3]:.9f}", f"{b[3]:.9f}"]
                            for a, b in pair_diff[:show]]))
    if query_diff:
        report.section(f"First top-5 differences ({min(show, len(query_diff))} of "
                       f"{len(query_diff)})", markdown_table(
                           ["kind", "query", "schema", "saved", "this run"],
                           [[a[0], a[1], a[2], _top(a[3]), _top(b[3])]
                            for a, b in query_diff[:show]]))
    report.add("comparison", {
        "comparable": True, "saved": theirs.meta, "pairs": len(ours.pairs),
        "pairs_identical": len(ours.pairs) - len(pair_diff), "pairs_largest_diff": largest,
        "queries": dict(total), "top5_identical": dict(same), "top5_same_ids": dict(same_ids),
        "first_pair_differences": [[*a[:3], a[3], b[3]] for a, b in pair_diff[:show]],
        "first_top5_differences": [[*a[:3], a[3], b[3]] for a, b in query_diff[:show]]})
    return not pair_diff and not query_diff


def summarise(report: Report, run: Run) -> None:
    kinds = Counter(k for k, *_ in run.queries)
    alerted = Counter(k for k, _, _, top in run.queries if top)
    report.section("This run", markdown_table(["measure", "value"], [
        ["discreet", f"{run.meta['discreet_src']} (commit {run.meta['commit']}, uncommitted "
                     f"changes: {run.meta['uncommitted_changes_in_src']})"],
        ["name pairs scored", len(run.pairs)],
        ["lists", ", ".join(run.meta["lists"])],
        ["entities", run.meta["entities"]],
        ["queries", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))],
        [f"queries with a result >= {run.meta['threshold']}",
         ", ".join(f"{k} {alerted[k]}" for k in sorted(kinds))],
        ["digest of what was asked", run.digest()],
        ["seconds", run.meta["seconds"]]]))
    report.add("run", run.meta | {"digest": run.digest()})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--save", type=Path, help="write every score and top 5 to this JSON file")
    parser.add_argument("--compare", type=Path,
                        help="a --save file of another discreet version to compare with")
    parser.add_argument("--show", type=int, default=10,
                        help="how many differences of each kind to list (default 10)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                        help="the threshold the top 5 are taken at (default DEFAULT_THRESHOLD)")
    parser.add_argument("--json", action="store_true", help="one JSON document for machines")
    args = parser.parse_args(argv)
    saved = None
    if args.compare:  # read first: a bad file fails before minutes of screening
        try:
            saved = Run.from_json(json.loads(args.compare.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"error: cannot read {args.compare}: {exc}") from exc
    report = Report("Same results before and after (bench_same)", args.json)
    run = measure(args.threshold)
    summarise(report, run)
    if args.save:
        tmp = args.save.with_name(args.save.name + ".tmp")
        tmp.write_text(json.dumps(run.to_json(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(args.save)
        report.note(f"Saved to {args.save}.")
    same = compare(report, run, saved, args.show) if saved is not None else True
    report.finish()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

"""OpenSanctions scale (issue 16): import, index build, queries/s and candidate recall at 1M.

Scenario: ``bench/synth_ftm.py`` makes N synthetic OpenSanctions-like entities (seed 7,
``--aliases 15,35,50``: about 2.26 names an entity, so >= 2,000,000 names at 1,000,000);
then, for each discreet source tree asked for (``--src``: this checkout's ``src``, and a
baseline's, e.g. a ``git worktree`` of an older commit), each step in a process of its own:

* import: ``discreet --db DB load FILE`` into a fresh SQLite store with
  ``DISCREET_INDEX=memory`` (the load only), under ``/usr/bin/time -v``: wall, CPU
  (user + system) and peak RSS;
* build: what ``discreet load`` does next (``cli/lists._build_index``):
  :func:`discreet.match.persist.build_index` of the store, under ``/usr/bin/time -v``, the
  peak PSS of its process tree (a large build parses half the names and makes its name
  tables, the entities' lookup and the packed names in forked processes:
  ``Matcher.from_store``), and the index folder's size on disk;
* queries/s per core: one process pinned to one core (``taskset -c CORE``) opens the
  persisted index (:func:`~discreet.match.persist.open_matcher`) and screens single names
  (``Matcher.match(Query(name, schema))``): names drawn from the index with one or two
  typing errors (``bench_speed.typo``), the same names clean, and clean Faker names; after
  a warm-up of other names (``settle()`` first, as the service does), ``--runs`` runs of
  ``--queries`` names never asked before (the median is the new-query rate), then the last
  run's names again ``--runs`` times (the rate once their names, keys and entities are
  cached);
* candidate recall against an exhaustive scorer: for ``--sample`` query names (the same
  mix), every list name scored by the same kernel (``Matcher.scores`` over every
  position); recall is the share of the names scoring >= the threshold that the index
  proposes (``NameIndex.candidates``, 40 a name, as ``Matcher.found`` asks: with what
  the query names, ``Matcher.query_kind``), and "top-5
  recall": the share of the exhaustive top 5 scores (>= threshold) that the top 5 of the
  proposed names reach (scores, not names: synthetic names repeat, and equal scores are
  interchangeable). ``--fixtures`` measures the same on the fixture lists (today's
  reference). Run alone, ``_recall`` can write the queries it asked (``--save-queries F``)
  and ask those of a file (``--queries-file F``): two builds whose name lists differ draw
  different queries by position, so they are compared on one list.

Run from the project root::

    .venv/bin/python bench/bench_scale.py --entities 1000000 --workdir /work/scale \\
        --src src --src /tmp/base/src
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
SEED = 7
ALIASES = "15,35,50"


def _time_v(text: str) -> dict[str, float]:
    """Wall, CPU and peak RSS from ``/usr/bin/time -v``'s report."""
    def grab(label: str) -> str:
        found = re.search(rf"{re.escape(label)}: (.+)", text)
        return found.group(1).strip() if found else "0"
    wall = 0.0
    for part in grab("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    return {"wall_s": wall,
            "cpu_s": float(grab("User time (seconds)")) + float(grab("System time (seconds)")),
            "peak_mb": float(grab("Maximum resident set size (kbytes)")) / 1024}


def _run_timed(argv: list[str], env: dict[str, str], log: Path) -> dict[str, float]:
    """Wall, CPU, peak RSS (``/usr/bin/time -v``: of one process) and the peak of the
    proportional set size (PSS) of the command's process tree, sampled every 0.2 s: what
    the processes a build forks add, shared pages counted once."""
    timing = log.with_suffix(".time")
    peak = 0
    with log.open("w") as out:
        running = subprocess.Popen(["/usr/bin/time", "-v", "-o", str(timing), *argv], env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
        while running.poll() is None:
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(running.pid)))
            time.sleep(0.2)
    if running.returncode:
        raise SystemExit(f"failed ({running.returncode}): {' '.join(argv)}; see {log}")
    return {**_time_v(timing.read_text()), "peak_pss_mb": peak / 1024}


def _tree(pid: int) -> list[int]:
    """A process and its descendants (Linux's /proc; the process alone elsewhere)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += _tree(int(child))
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _env(src: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = f"{src}{os.pathsep}{HERE}"
    env.update(extra)
    return env


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def generate(entities: int, workdir: Path) -> Path:
    path = workdir / f"synth-{entities}-s{SEED}-a{ALIASES.replace(',', '-')}.ftm.json"
    if not path.exists():
        subprocess.run([PY, str(HERE / "synth_ftm.py"), "--entities", str(entities),
                        "--seed", str(SEED), "--aliases", ALIASES, "--out", str(path)],
                       check=True)
    return path


def measure(src: Path, data: Path, db: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Import, build, queries/s and recall with the discreet at ``src``."""
    for old in db.parent.glob(db.name + "*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    discreet = [PY, "-c", "import sys; from discreet.cli import main; sys.exit(main())"]
    row: dict[str, Any] = {"src": str(src), "db": str(db)}
    row["import"] = _run_timed([*discreet, "--db", str(db), "load", str(data)],
                               _env(src, DISCREET_INDEX="memory"), db.with_suffix(".import.log"))
    row["build"] = _run_timed([PY, str(HERE / "bench_scale.py"), "_build", str(db)],
                              _env(src), db.with_suffix(".build.log"))
    row["index_mb"] = _size(Path(str(db) + ".index")) / 2**20
    if args.queries:
        out = subprocess.run(["taskset", "-c", str(args.core), PY, str(HERE / "bench_scale.py"),
                              "_qps", str(db), "--queries", str(args.queries),
                              "--runs", str(args.runs)], env=_env(src), check=True,
                             capture_output=True, text=True)
        row["qps"] = json.loads(out.stdout)
    if args.sample:
        out = subprocess.run([PY, str(HERE / "bench_scale.py"), "_recall", str(db),
                              "--sample", str(args.sample)], env=_env(src), check=True,
                             capture_output=True, text=True)
        row["recall"] = json.loads(out.stdout)
    return row


# -- steps run in a process of their own (the discreet on PYTHONPATH) -------------------------

def _open(db: str) -> Any:
    """The store's persisted index (built when missing); or, given a persisted index's
    folder, that index as it is (one tree's index read by another's code)."""
    from discreet.match.persist import load, open_matcher
    from discreet.store import Store
    if Path(db).is_dir():
        return load(db)
    return open_matcher(Store.open(db))


def _queries(matcher: Any, count: int, seed: int) -> list[tuple[str, str, str | None]]:
    """(kind, name, schema): list names with typos, the same clean, clean Faker names."""
    from faker import Faker

    from bench_speed import typo
    rng = random.Random(seed)
    fakers = [Faker(locale) for locale in ("en_US", "en_GB", "ru_RU", "de_DE", "fr_FR")]
    for number, fake in enumerate(fakers):
        fake.seed_instance(seed * 100 + number)
    total = len(matcher.names)
    out: list[tuple[str, str, str | None]] = []
    while len(out) < count:
        bucket = len(out) % 4
        if bucket < 3:
            pos = rng.randrange(total)
            text = matcher.names[pos].original
            schema = matcher.entities[int(matcher.owners[pos])].schema
            if bucket < 2:
                if not text.isascii() or len(text) < 6:
                    continue
                out.append(("typo", typo(text, rng), schema))
            else:
                out.append(("clean", text, schema))
        else:
            fake = fakers[len(out) % len(fakers)]
            person = rng.random() < 0.75
            out.append(("faker", fake.name() if person else fake.company(),
                        "Person" if person else "Company"))
    return out


def step_build(db: str) -> None:
    from discreet.match.persist import build_index
    from discreet.store import Store
    started = time.perf_counter()
    folder = build_index(Store.open(db))
    print(json.dumps({"build_s": time.perf_counter() - started, "folder": str(folder)}))


def step_qps(db: str, queries: int, runs: int) -> None:
    """Queries/s on one core, for queries met for the first time and for repeated ones.

    Each timed run asks ``queries`` queries the process has never seen, so their prepared
    names, keys and result entities are not in any cache: that is the rate a stream of new
    customers gets. The last run's queries are then asked again ``runs`` times, which is the
    rate once everything a query needs is cached (the figure this step reported until the
    twentieth session).
    """
    from discreet.match import Query, settle
    started = time.perf_counter()
    matcher = _open(db)
    opened = time.perf_counter() - started
    settle()  # as the HTTP service does once its index is open
    warm = max(200, queries // 5)
    asked = [Query(name, schema=schema)
             for _, name, schema in _queries(matcher, warm + queries * runs, SEED)]
    for query in asked[:warm]:  # warm-up: pages mapped, module state settled
        matcher.match(query)
    fresh = []
    for run in range(runs):
        batch = asked[warm + run * queries: warm + (run + 1) * queries]
        began = time.perf_counter()
        for query in batch:
            matcher.match(query)
        fresh.append(len(batch) / (time.perf_counter() - began))
    again = []
    for _ in range(runs):
        began = time.perf_counter()
        for query in batch:
            matcher.match(query)
        again.append(len(batch) / (time.perf_counter() - began))
    fresh.sort()
    again.sort()
    print(json.dumps({"open_s": opened, "queries": queries, "runs": fresh,
                      "qps": fresh[len(fresh) // 2], "repeated_runs": again,
                      "qps_repeated": again[len(again) // 2], "names": len(matcher.names)}))


def step_recall(matcher: Any, sample: int, queries: Path | None = None,
                save: Path | None = None) -> dict[str, Any]:
    """Candidate recall against the exhaustive scorer on ``sample`` queries drawn from the
    index's names; or on the queries of ``queries`` (a file ``save`` wrote), so that two
    builds whose name lists differ are compared on the same queries."""
    import numpy as np

    from discreet.match import DEFAULT_THRESHOLD
    from discreet.match.matcher import CANDIDATES
    from discreet.match.query import Query
    from discreet.text.names import name_class
    wanted = found = tops = top_found = 0
    ties: list[int] = []
    everyone = range(len(matcher.names))
    started = time.perf_counter()
    if queries is not None:
        asked = [(name, schema) for name, schema in json.loads(queries.read_text())]
    else:
        asked = [(name, schema) for _, name, schema in _queries(matcher, sample, SEED + 1)]
    if save is not None:
        save.write_text(json.dumps(asked, ensure_ascii=False))
    for name, schema in asked:
        q = matcher.prepare(name, name_class(schema))
        # asked as Matcher.found asks, with what the query names (code before the kinds:
        # none asked)
        if hasattr(matcher, "query_kind"):
            kind = matcher.query_kind(Query(name, schema=schema))
            proposed = set(matcher.index.candidates(q, CANDIDATES, kind=kind))
        else:
            proposed = set(matcher.index.candidates(q, CANDIDATES))
        scores = matcher.scores(q, everyone, floor=DEFAULT_THRESHOLD)
        loose = np.asarray(scores.loose)
        reach = np.flatnonzero(loose >= DEFAULT_THRESHOLD - 1e-9).tolist()
        scored = {p: scores.score(p) for p in reach}
        hits = {p: s for p, s in scored.items() if s >= DEFAULT_THRESHOLD}
        wanted += len(hits)
        found += len(hits.keys() & proposed)
        if hits:
            # the top 5 scores, exhaustive and among the proposed names: equal scores are
            # interchangeable (synthetic names repeat), so scores are compared, not names
            best = sorted(hits.values(), reverse=True)[:5]
            mine = sorted((s for p, s in hits.items() if p in proposed), reverse=True)[:5]
            tops += len(best)
            top_found += sum(1 for i, s in enumerate(best) if i < len(mine)
                             and abs(mine[i] - s) <= 1e-9)
            ties.append(sum(1 for s in hits.values() if abs(s - best[0]) <= 1e-9))
    ties.sort()
    return {"queries": len(asked), "hits": wanted,
            "recall": found / wanted if wanted else 1.0,
            "best_recall": top_found / tops if tops else 1.0,
            "median_names_at_top_score": ties[len(ties) // 2] if ties else 0,
            "threshold": DEFAULT_THRESHOLD, "seconds": time.perf_counter() - started}


def table(rows: list[dict[str, Any]], entities: int) -> str:
    head = ("| src | entities | import wall s | import CPU s | import peak MB | build wall s "
            "| build CPU s | build peak MB | build peak PSS MB (with its helper processes) "
            "| total wall s | index MB | new queries/s a core | repeated queries/s a core | recall "
            "| top-5 recall |")
    lines = [head, "|" + "---|" * 15]
    for r in rows:
        i, b = r["import"], r["build"]
        qps = r.get("qps", {}).get("qps")
        again = r.get("qps", {}).get("qps_repeated")
        rec = r.get("recall", {})
        recall = f"{rec['recall']:.4f}" if rec else ""
        best = f"{rec['best_recall']:.4f}" if rec else ""
        lines.append(
            f"| {r['src']} | {entities:,} | {i['wall_s']:.1f} | {i['cpu_s']:.1f} "
            f"| {i['peak_mb']:.0f} | {b['wall_s']:.1f} | {b['cpu_s']:.1f} | {b['peak_mb']:.0f} "
            f"| {b.get('peak_pss_mb', 0):.0f} | {i['wall_s'] + b['wall_s']:.1f} "
            f"| {r['index_mb']:.0f} "
            f"| {'' if qps is None else round(qps)} | {'' if again is None else round(again)} "
            f"| {recall} | {best} |")
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        step = argparse.ArgumentParser()
        step.add_argument("step")
        step.add_argument("db")
        step.add_argument("--queries", type=int, default=2000)
        step.add_argument("--runs", type=int, default=3)
        step.add_argument("--sample", type=int, default=300)
        step.add_argument("--queries-file", type=Path, help="_recall: the queries of a file")
        step.add_argument("--save-queries", type=Path, help="_recall: write the queries asked")
        a = step.parse_args()
        if a.step == "_build":
            step_build(a.db)
        elif a.step == "_qps":
            step_qps(a.db, a.queries, a.runs)
        elif a.step == "_recall":
            if a.db == "fixtures":
                from common import FULL_LISTS, load_entities
                from discreet.match import Matcher
                print(json.dumps(step_recall(
                    Matcher.from_entities(load_entities(FULL_LISTS)), a.sample)))
            else:
                print(json.dumps(step_recall(_open(a.db), a.sample, a.queries_file,
                                             a.save_queries)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-scale"))
    parser.add_argument("--src", type=Path, action="append",
                        help="discreet source trees to measure (default: this checkout's)")
    parser.add_argument("--queries", type=int, default=2000, help="per qps run (0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--core", type=int, default=1, help="the core qps is pinned to")
    parser.add_argument("--sample", type=int, default=300, help="recall queries (0: skip)")
    parser.add_argument("--fixtures", action="store_true",
                        help="also the candidate recall on the fixture lists")
    parser.add_argument("--db", type=Path, action="append",
                        help="the store of each --src, in order (default: in --workdir)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    data = generate(args.entities, args.workdir)
    rows = []
    print(f"load average at start: {os.getloadavg()}", file=sys.stderr)
    for number, src in enumerate(args.src or [ROOT / "src"]):
        db = args.db[number] if args.db else args.workdir / f"scale-{args.entities}-{number}.db"
        row = measure(src.resolve(), data, db, args)
        if args.fixtures:
            out = subprocess.run([PY, str(HERE / "bench_scale.py"), "_recall", "fixtures",
                                  "--sample", str(args.sample)], env=_env(src.resolve()),
                                 check=True, capture_output=True, text=True)
            row["fixtures_recall"] = json.loads(out.stdout)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    print(f"load average at end: {os.getloadavg()}", file=sys.stderr)
    print(json.dumps(rows, indent=1) if args.json else table(rows, args.entities))
    return 0


if __name__ == "__main__":
    sys.exit(main())

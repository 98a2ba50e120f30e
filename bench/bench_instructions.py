"""Instructions a new query costs, counted by callgrind: a load-independent speed figure.

Wall-clock rates on a shared 2-core machine move by several per cent from run to run; the
number of instructions a query executes does not. This step opens a matcher, asks a warm-up
of queries (pages mapped, module state settled), then counts, under callgrind, the
instructions of ``--queries`` queries the process has never seen (no prepared name, key or
result entity of theirs is in a cache), and prints them with a digest of the results (ids
and scores of each query's results), so that a change meant to keep results identical can
be checked in the same run.

Two matchers:

* ``fixtures``: the full fixture lists (``bench_speed``'s lists and query mix: typos,
  transliterations, clean Faker names), 300 warm-up queries, then 1,000 new ones;
* ``index FOLDER``: a persisted index (e.g. the 1M synthetic one of ``bench_scale.py``),
  ``settle()`` as the service does, 1,000 warm-up queries of ``bench_scale``'s mix, then 500
  new ones.

Run from the project root (``--src`` picks the discreet tree measured, e.g. a baseline
worktree; ``--no-callgrind`` prints the digest only, in seconds rather than minutes)::

    .venv/bin/python bench/bench_instructions.py fixtures --src src
    .venv/bin/python bench/bench_instructions.py index /work/scale/lead.db.index/<key> --src src

Callgrind is started with instrumentation off; the measured window is opened and closed by
callgrind's client requests, reached through a three-line C file compiled with ``cc`` into
a temporary folder (valgrind's headers: Debian's ``valgrind`` package).
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_WINDOW_C = """
#include <valgrind/callgrind.h>
void window_open(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void window_close(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS_AT("window"); }
"""


def _window(folder: Path) -> Any:
    """The compiled window switches (no-ops outside valgrind)."""
    source = folder / "window.c"
    source.write_text(_WINDOW_C)
    library = folder / "window.so"
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)],
                   check=True)
    return ctypes.CDLL(str(library))


def _digest(results: list[list[tuple[str, float]]]) -> str:
    text = json.dumps(results, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _fixture_queries(warm: int, count: int) -> tuple[Any, list[Any]]:
    sys.path.insert(0, str(HERE))
    from bench_speed import make_queries
    from common import FULL_LISTS, load_entities
    from discreet.match import Matcher
    entities = load_entities(FULL_LISTS)
    matcher = Matcher.from_entities(entities)
    queries = [q for _, q in make_queries(entities, warm + count, 17)]
    return matcher, queries


def _index_queries(folder: str, warm: int, count: int) -> tuple[Any, list[Any]]:
    sys.path.insert(0, str(HERE))
    from bench_scale import _open, _queries
    from discreet.match import Query, settle
    matcher = _open(folder)
    settle()
    queries = [Query(name, schema=schema)
               for _, name, schema in _queries(matcher, warm + count, 11)]
    return matcher, queries


def inner(args: argparse.Namespace) -> None:
    """The measured process (under callgrind unless ``--no-callgrind``)."""
    warm = args.warm if args.warm is not None else (300 if args.what == "fixtures" else 1000)
    count = args.queries or (1000 if args.what == "fixtures" else 500)
    if args.what == "fixtures":
        matcher, queries = _fixture_queries(warm, count)
    else:
        matcher, queries = _index_queries(args.folder, warm, count)
    with tempfile.TemporaryDirectory() as tmp:
        window = _window(Path(tmp))
        for query in queries[:warm]:
            matcher.match(query)
        results = []
        window.window_open()
        for query in queries[warm:]:
            results.append(matcher.match(query))
        window.window_close()
    found = [[(r.entity.id, round(r.score, 6)) for r in result] for result in results]
    print(json.dumps({"queries": count, "warm": warm, "digest": _digest(found),
                      "results": sum(len(r) for r in found)}))


def _instructions(out: Path) -> int:
    """The window's instruction count: the dump callgrind wrote on closing it."""
    for dump in sorted(out.parent.glob(out.name + "*")):
        text = dump.read_text(errors="replace")
        if "Client Request: window" not in text[:2000]:
            continue
        found = re.search(r"^totals: (\d+)", text, re.M)
        if found:
            return int(found.group(1))
    raise SystemExit(f"no callgrind dump of the window in {out.parent}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("fixtures", "index"))
    parser.add_argument("folder", nargs="?", help="the persisted index's folder (index)")
    parser.add_argument("--src", default=str(ROOT / "src"), help="the discreet tree measured")
    parser.add_argument("--queries", type=int, default=0, help="new queries counted")
    parser.add_argument("--warm", type=int, default=None, help="warm-up queries first")
    parser.add_argument("--no-callgrind", action="store_true", help="the digest only")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.what == "index" and not args.folder:
        parser.error("index needs the persisted index's folder")
    if args.inner:
        inner(args)
        return 0
    env = {**os.environ, "PYTHONPATH": str(Path(args.src).resolve()), "PYTHONHASHSEED": "0"}
    argv = [sys.executable, __file__, *sys.argv[1:], "--inner"]
    if args.no_callgrind:
        done = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
        print(done.stdout.strip())
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        done = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no",
                               f"--callgrind-out-file={out}", *argv], env=env, check=True,
                              capture_output=True, text=True)
        report = json.loads(done.stdout.strip().splitlines()[-1])
        report["instructions"] = _instructions(out)
        report["per_query"] = round(report["instructions"] / report["queries"])
        report["src"] = args.src
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

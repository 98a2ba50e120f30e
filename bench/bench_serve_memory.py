"""Memory of the HTTP service on a large store: ``discreet serve --workers 2``, shared pages once.

Issue 16 asks that the API with 2 workers on 1,000,000 synthetic entities stay within
2.5 GB resident in total, counting shared pages once: the proportional set size (PSS,
``/proc/PID/smaps_rollup``) summed over the server's processes. This step starts the
service on a store whose persisted index is already built (``bench_scale.py _build``), waits
until both workers answer ``/readyz``, and reads the PSS and RSS of its process tree three
times: at ready, after 100 ``/match`` requests of one name each, and after ``--names`` more
requests of names never asked before (half list names with typing errors, the rest list
names and clean Faker names: ``bench_scale``'s mix), so that what the workers' caches hold
after a stream of new customers is counted too.

Run from the project root (``--src``: the discreet tree the service runs)::

    .venv/bin/python bench/bench_serve_memory.py /work/scale/lead.db --src src --names 5000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import bench_persist
from bench_persist import both_ready, memory, serve_until_ready, stop, tree
from common import ROOT

HERE = Path(__file__).resolve().parent


def _ask(port: int, name: str, schema: str | None) -> None:
    """One ``/match`` of one name; a 429 (the service's per-client rate limit, 6,000
    requests a minute by default) is waited out as its Retry-After says, as a client would."""
    body = json.dumps({"queries": {"q": {"schema": schema or "Thing",
                                         "properties": {"name": [name]}}}}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/match/default", data=body,
                                     headers={"Content-Type": "application/json"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=60):
                return
        except urllib.error.HTTPError as refused:
            if refused.code != 429:
                raise SystemExit(f"/match answered {refused.code} for {name!r}") from None
            time.sleep(float(refused.headers.get("Retry-After") or 1))


def _memory(pid: int) -> dict[str, float]:
    procs = [memory(p) for p in tree(pid)]
    return {"processes": len(procs),
            "pss_mb": round(sum(m.get("pss_mb", 0.0) for m in procs) * 1.048576, 1),
            "rss_mb": round(sum(m.get("rss_mb", 0.0) for m in procs) * 1.048576, 1)}


def _names(db: Path, count: int, src: Path) -> list[tuple[str, str | None]]:
    """``count`` query names drawn from the store's persisted index (bench_scale's mix), in
    a process of their own: a mapping of the index here would share its pages with the
    service's and lower the PSS measured."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[3]); "
            "from bench_scale import _open, _queries; "
            "m = _open(sys.argv[1]); "
            "print(json.dumps([[n, s] for _, n, s in _queries(m, int(sys.argv[2]), 29)]))")
    done = subprocess.run([sys.executable, "-c", code, str(db), str(count), str(HERE)],
                          env=bench_persist.env(), check=True, capture_output=True, text=True)
    return [(name, schema) for name, schema in json.loads(done.stdout)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, help="a store whose index is built")
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--names", type=int, default=5000, help="new names asked")
    args = parser.parse_args()
    bench_persist.SRC[0] = args.src.resolve()
    names = _names(args.db, 100 + args.names, args.src.resolve())
    seconds, proc, port = serve_until_ready(args.db, 2)
    out: dict[str, Any] = {"db": str(args.db), "src": str(args.src), "ready_s": seconds}
    try:
        both_ready(port)
        time.sleep(3)
        out["at_ready"] = _memory(proc.pid)
        for name, schema in names[:100]:
            _ask(port, name, schema)
        out["after_100"] = _memory(proc.pid)
        for name, schema in names[100:]:
            _ask(port, name, schema)
        out[f"after_{args.names}_new"] = _memory(proc.pid)
    finally:
        stop(proc)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

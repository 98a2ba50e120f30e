"""Continuous screening of a customer book after a 1% list change, beside plain rescreen.

Scenario: a book of synthetic customers (Faker names in 18 locales, seeded, with about 1%
planted variants of listed names: bench_bulk's generator) imported into a SQLite store
holding the full fixture lists, screened once in full (the book's first run, which keeps
each customer's prepared names), and screened once by ``screen_bulk`` to a file (plain
``rescreen``'s starting point, with its name cache). A new OFAC SDN version with a 1%
change is loaded; then, on the same data in the same session, are timed:

* the workflow: ``screen_list_changes`` (what ``discreet load``/``update`` run on a store
  holding a book): the delta, the prefilter, screening the rest, writing the alerts,
  audited: time until the new alerts are open;
* plain ``discreet rescreen`` of the same customers from the file (delta + prefilter +
  screening, writing the changed rows, no alerts kept).

The index build for the new versions is timed apart (both need it). Sizes that do not fit
the time at hand are run smaller with ``--customers N``; nothing is extrapolated.

Each phase is timed with its peak resident memory, sampled every 0.2 s: of this process,
and of it with its forked workers (a sum of RSS, so pages shared copy-on-write are counted
in each: an upper bound). ``--profile P`` writes a cProfile of each phase to P.<phase>.

Then, optionally, a small alert queue check: ``--queue`` synthetic alerts in a fresh
SQLite store and a few queries (the full queue benchmark, on SQLite and PostgreSQL, is
``bench_alert_queue.py``).

Run: .venv/bin/python bench/bench_book.py [--customers 1000000] [--queue 0]
     [--no-book] [--json] [--profile PREFIX]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_bulk import write_customers
from bench_history import derive, read_rows, write_rows
from common import FULL_LISTS, LISTS, machine_info
from discreet.lists.load import load_file
from discreet.match import Matcher
from discreet.review import SYSTEM, Actor, import_customers, screen_book, screen_list_changes
from discreet.screen.bulk import BulkOptions, screen_bulk
from discreet.screen.rescreen import rescreen
from discreet.screen.runs import RunRecord, write_run
from discreet.store import Store

ANA = Actor.of("bench", ["analyst"])


def _rss_kb(pid: int) -> int:
    """Resident kB of one process (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    """Every descendant of a process (forked screening workers)."""
    out: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                found = [int(x) for x in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            out.extend(found)
            todo.extend(found)
    return out


class Peak:
    """Peak resident memory of a phase, sampled every 0.2 s on a thread: of this process,
    and of this process plus its workers (a sum of RSS: pages the workers share with
    their parent copy-on-write are counted in each, so it is an upper bound)."""

    def __init__(self) -> None:
        import threading

        self.main_kb = self.tree_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        pid = os.getpid()
        while True:
            main = _rss_kb(pid)
            tree = main + sum(_rss_kb(c) for c in _children(pid))
            self.main_kb, self.tree_kb = max(self.main_kb, main), max(self.tree_kb, tree)
            if self._stop.wait(0.2):
                return

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def to_dict(self) -> dict[str, int]:
        return {"main_mb": self.main_kb // 1024, "with_workers_mb": self.tree_kb // 1024}


class Phases:
    """Wall time and peak memory of each named phase (``with phases("import"): ...``)."""

    def __init__(self, out: dict[str, Any], profile: Path | None = None) -> None:
        self.out, self.profile = out, profile
        out.setdefault("peak_rss", {})

    def __call__(self, name: str) -> Any:
        from contextlib import contextmanager

        @contextmanager
        def phase() -> Any:
            profiler = None
            if self.profile is not None:
                import cProfile

                profiler = cProfile.Profile()
            started = time.monotonic()
            with Peak() as peak:
                if profiler is not None:
                    profiler.enable()
                try:
                    yield
                finally:
                    if profiler is not None:
                        profiler.disable()
                        profiler.dump_stats(str(self.profile) + f".{name}")
            self.out[f"{name}_s"] = round(time.monotonic() - started, 2)
            self.out["peak_rss"][name] = peak.to_dict()
        return phase()


def run(customers: int, folder: Path, profile: Path | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"customers": customers, "load_average_start": os.getloadavg()}
    phases = Phases(out, profile)
    store = Store.open(folder / "store.db")
    for rel in FULL_LISTS:
        load_file(store, LISTS / rel)
    entities = [e for v in store.active() for e in store.entities(v.source)]
    book = folder / "book.csv"
    with phases("generate"):
        out["planted"] = write_customers(book, customers, entities)
    with phases("import"):
        summary = import_customers(store, book, ANA, mapping={"id": "id", "name": "name",
                                                              "schema": "schema"})
    out["imported"] = summary.created
    matcher = Matcher.from_store(store)
    with phases("first_book_run"):
        first = screen_book(store, matcher, ANA)
    out["first_alerts"] = first.opened
    alerts = folder / "alerts_v1.jsonl"
    with phases("first_bulk_run"):
        screen_bulk(matcher, book, alerts, BulkOptions())
    write_run(alerts, RunRecord({v.source: v.version for v in store.active()}, None, 5))
    del matcher
    rows, _ = derive(read_rows(LISTS / FULL_LISTS[0]), random.Random(5), 1, 90_000_000, 0.01)
    changed = folder / "sdn.csv"
    write_rows(changed, rows)
    loaded = load_file(store, changed, source="us_ofac_sdn")
    out["list_change"] = {"added": loaded.added, "removed": loaded.removed,
                          "changed": loaded.changed}
    with phases("index_build"):
        matcher = Matcher.from_store(store)
    out["load_average_before_delta"] = os.getloadavg()
    # the baseline first, then the workflow, same data, same index, same session
    with phases("rescreen"):
        delta = rescreen(matcher, store, book, alerts, folder / "delta.jsonl", path="delta")
    out["rescreen"] = {"path": delta.path, "cached": delta.cached, "screened": delta.screened,
                       "new_alerts": delta.to_dict().get("new_alerts")}
    with phases("workflow"):
        lists = screen_list_changes(store, matcher, SYSTEM)
    out["workflow"] = {"screened": lists.screened, "opened": lists.opened,
                       "reopened": lists.reopened, "suppressed": lists.suppressed,
                       "updated": lists.updated}
    out["ratio_workflow_to_rescreen"] = round(out["workflow_s"] / max(out["rescreen_s"], 1e-9),
                                              2)
    out["store_mb"] = round(store.db.size_bytes() / 2**20)
    out["load_average_end"] = os.getloadavg()
    store.close()
    return out


def queue(alerts: int, folder: Path) -> dict[str, Any]:
    """``alerts`` synthetic alerts (with their first event and hit) in a fresh SQLite store,
    then the queue's queries, 100 times each: p95 and median in ms."""
    from datetime import UTC, datetime, timedelta

    from common import median, percentile
    from discreet.store.review import NewHit, Run

    store = Store.open(folder / "queue.db")
    run_ = store.review.start_run(Run(0, "book", datetime.now(UTC).isoformat(), "bench", [],
                                      0.7, "bench"))
    rng = random.Random(3)
    now = datetime.now(UTC)
    started = time.monotonic()
    for at in range(0, alerts, 5000):
        hits = [NewHit(f"C{n:07d}", f"e-{n % 9973}", 0.7 + rng.random() * 0.3, "h" * 64,
                       "c" * 64, 1, {"name": 0.9}, f"Name {n}", "open",
                       due_at=(now + timedelta(hours=rng.randint(-48, 96))).isoformat())
                for n in range(at, min(at + 5000, alerts))]
        store.review.write_hits(run_.id, hits, "bench")
    out: dict[str, Any] = {"alerts": alerts, "write_s": round(time.monotonic() - started, 1)}
    overdue = now.isoformat()
    queries: dict[str, Callable[[int], object]] = {
        "open, soonest due (50)": lambda i: store.review.alerts(state="open", limit=50),
        "open, page 40 (50)": lambda i: store.review.alerts(state="open", limit=50,
                                                            offset=2000),
        "overdue (50)": lambda i: store.review.alerts(overdue_at=overdue, limit=50),
        "one customer's": lambda i: store.review.alerts(customer_ref=f"C{i * 997:07d}"),
        "counts per state": lambda i: store.review.count_alerts(),
    }
    for name, query in queries.items():
        times = []
        for i in range(100):
            started = time.perf_counter()
            query(i)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = {"median_ms": round(median(times), 2), "p95_ms": round(percentile(
            times, 95), 2)}
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--queue", type=int, default=0,
                        help="Alerts for a small queue check (0: skip; see "
                        "bench_alert_queue.py).")
    parser.add_argument("--no-book", action="store_true", help="Only the queue queries.")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", type=Path, default=None,
                        help="Write a cProfile of each phase to PROFILE.<phase>.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        result: dict[str, Any] = {"machine": machine_info()}
        if not args.no_book:
            result |= run(args.customers, Path(tmp), args.profile)
        if args.queue:
            result["queue"] = queue(args.queue, Path(tmp))
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()

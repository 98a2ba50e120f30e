"""The review queue with 100,000 alerts: the queries a reviewer's screen makes, p50 and p95,
on SQLite and on PostgreSQL.

Setup (not timed as queries): a store holding two real lists (OFAC SDN CSV and the UN
consolidated XML from ../shared, so alerts carry real lists, programmes and content
hashes); ``--alerts`` alerts written by the workflow's own write path
(``ReviewStore.write_hits``, 5,000 per transaction, timed: ``write_s`` with the making of
the findings, ``write_path_s`` the write calls alone), each on a real entity with its
source and programmes, scores 0.70-1.00, due dates spread over -4..+8 days. The queue's
other dimensions are then spread with plain SQL UPDATEs (a synthetic history: reviewers do
not decide 100,000 alerts in a benchmark): state (40% open, 25% in review, 5% pending
approval, 20% decided, 10% closed), assignee (20 reviewers; an open alert has none),
opened at (the last 90 days), a few hundred alerts with an attachment-free comment history.

Then each query runs ``--repeat`` times (100), its parameters varied per run (another
assignee, list, programme, page, customer), after one warm-up run: median and p95 in ms.
Queries: the screen's tabs (counts per state), open alerts by score, by SLA (due), by age,
one assignee's alerts, filtered by list, by programme, by score band, open and overdue,
deep pages (page 200 and page 600 of 50) by offset and by cursor (``alerts(after=...)``,
keyset paging: the cursor of the page before is made once, untimed, and the two pages are
checked equal), the filtered count for the pager, one customer's alerts and one alert's
whole case (``review.case``: alert, hits, events, attachments).

PostgreSQL is a throw-away server started on loopback from the machine's binaries
(``tests/pg_server.py``: fsync off, defaults otherwise); ANALYZE runs after the setup on
both stores (SQLite: ``ANALYZE``; as a DBA would after a bulk load).

``--setup bulk`` writes the same rows with one ``executemany`` per table instead of the
workflow's write path, bypassing its checks, ids and counts; the queries are the same. (The
workflow's path was one round trip per statement, several per alert, until it was made
set-wise: 1,004 s for 100,000 alerts on PostgreSQL then.)

Run: .venv/bin/python bench/bench_alert_queue.py [--alerts 100000] [--repeat 100]
     [--stores sqlite,postgres] [--setup workflow|bulk] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import LISTS, machine_info, median, percentile
from discreet.lists.load import load_file
from discreet.review import case
from discreet.store import Store
from discreet.store.review import NewHit, Run, alert_cursor

QUEUE_LISTS = ("ofac_sdn_csv/history_jackdwyer/sdn_2024-05-03.csv",
               "un/un_consolidated_2026-02-27.xml")
STATES = (("open", 40), ("in_review", 25), ("pending_approval", 5), ("decided", 20),
          ("closed", 10))
REVIEWERS = [f"reviewer{n:02d}" for n in range(20)]
PAGE = 50


def _bulk(store: Store, run_id: int, first_id: int, hits: list[NewHit]) -> None:
    """The rows ``write_hits`` writes for new alerts (alert, programmes, its "opened" event,
    the run's hit), with one ``executemany`` per table: ``--setup bulk``, for a store whose
    round trips make the workflow's write path take many minutes (PostgreSQL here)."""
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    alerts, events, found = [], [], []
    programmes: list[tuple[str, int]] = []
    for alert_id, hit in enumerate(hits, first_id):
        alerts.append((alert_id, hit.customer_ref, hit.entity_id, hit.score, hit.entity_hash,
                       hit.customer_hash, hit.customer_version, at, at, hit.due_at,
                       hit.caption, hit.source, json.dumps(list(hit.programmes))))
        programmes.extend((p, alert_id) for p in sorted(set(hit.programmes)))
        events.append((alert_id, alert_id, at, "bench", "opened",
                       json.dumps({"run": run_id, "score": hit.score})))
        found.append((alert_id, run_id, hit.score, hit.entity_hash, hit.customer_hash,
                      json.dumps(hit.explanation), "opened", at))
    with store.db.transaction():
        store.db.executemany(
            "INSERT INTO review_alert (id, customer_ref, entity_id, state, score, entity_hash, "
            "customer_hash, customer_version, opened_at, updated_at, version, due_at, caption, "
            "source, programmes) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
            alerts)
        store.db.executemany("INSERT INTO review_alert_programme (programme, alert_id) VALUES "
                             "(?, ?)", programmes)
        store.db.executemany("INSERT INTO review_event (id, alert_id, at, actor, kind, "
                             "details) VALUES (?, ?, ?, ?, ?, ?)", events)
        store.db.executemany("INSERT INTO review_hit (alert_id, run_id, score, entity_hash, "
                             "customer_hash, explanation, outcome, at) VALUES (?, ?, ?, ?, ?, "
                             "?, ?, ?)", found)


def build(store: Store, alerts: int, seed: int = 3, setup: str = "workflow") -> dict[str, Any]:
    """Write the alerts through the workflow's write path (or ``_bulk``), then spread their
    states."""
    for rel in QUEUE_LISTS:
        load_file(store, LISTS / rel)
    entities = [e for v in store.active() for e in store.entities(v.source)]
    rng = random.Random(seed)
    now = datetime.now(UTC)
    run = store.review.start_run(Run(0, "book", now.isoformat(), "bench", [], 0.7, "bench"))
    started = time.monotonic()
    writing = 0.0  # in the write path alone (the findings are made above it, untimed)
    for at in range(0, alerts, 5000):
        hits = []
        for n in range(at, min(at + 5000, alerts)):
            entity = entities[n % len(entities)]
            score = round(0.7 + rng.random() * 0.3, 4)
            due = now + timedelta(hours=rng.randint(-96, 192))
            hits.append(NewHit(f"C{n // 2:07d}", entity.id, score, entity.content_hash(),
                               "c" * 64, 1, {"name": score}, entity.caption, "open",
                               due_at=due.isoformat(timespec="seconds"), source=entity.source,
                               programmes=tuple(entity.programmes)))
        begun = time.monotonic()
        if setup == "bulk":
            _bulk(store, run.id, at + 1, hits)
        else:
            store.review.write_hits(run.id, hits, "bench")
        writing += time.monotonic() - begun
    write_s = time.monotonic() - started
    started = time.monotonic()
    states = [s for s, weight in STATES for _ in range(weight)]
    rows = []
    for alert_id in range(1, alerts + 1):
        state = rng.choice(states)
        assignee = None if state == "open" else rng.choice(REVIEWERS)
        decision = "false_positive" if state in ("decided", "closed") else None
        opened = (now - timedelta(minutes=rng.randint(0, 90 * 24 * 60))).isoformat(
            timespec="milliseconds")
        rows.append((state, assignee, decision, opened, alert_id))
    with store.db.transaction():
        for start in range(0, len(rows), 5000):
            store.db.executemany("UPDATE review_alert SET state = ?, assignee = ?, decision = "
                                 "?, opened_at = ? WHERE id = ?", rows[start:start + 5000])
    store.review.recount_alerts()  # the states were spread behind the store's back
    store.db.execute("ANALYZE")
    facets = store.review.alert_facets()
    return {"write_s": round(write_s, 1), "write_path_s": round(writing, 1),
            "spread_s": round(time.monotonic() - started, 1),
            "lists": facets["source"], "programmes": len(facets["programme"]),
            "programme_values": facets["programme"]}


def _cursor_before(store: Store, page: int, **order: Any) -> str | None:
    """The cursor of the last alert of the page before ``page`` (None: the queue is
    shorter; the cursor query then reads page 1), checked: the page it opens is the one
    the offset gives."""
    review = store.review
    offset = (page - 1) * PAGE
    last = review.alerts(limit=1, offset=offset - 1, **order)
    if not last:
        return None
    cursor = alert_cursor(last[0], order["sort"], order.get("descending", False))
    by_cursor = [a.id for a in review.alerts(limit=PAGE, after=cursor, **order)]
    by_offset = [a.id for a in review.alerts(limit=PAGE, offset=offset, **order)]
    if by_cursor != by_offset:
        sys.exit(f"error: page {page} by cursor differs from the offset's ({order})")
    return cursor


def queries(store: Store, alerts: int, programmes: list[str], lists: list[str]
            ) -> dict[str, Callable[[int], object]]:
    """The screen's queries; ``i`` varies the parameters from run to run."""
    review = store.review
    by_score: dict[str, Any] = {"state": "open", "sort": "score", "descending": True}
    by_age: dict[str, Any] = {"sort": "age", "descending": True}
    after_199, after_599 = _cursor_before(store, 200, **by_score), \
        _cursor_before(store, 600, **by_age)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    active = ["open", "in_review", "pending_approval"]
    # the programmes with most alerts first: a filter a reviewer would use
    common = programmes[:40] or [""]
    return {
        "counts per state (tabs)": lambda i: review.count_alerts(),
        "open by score, page 1": lambda i: review.alerts(state="open", sort="score",
                                                         descending=True, limit=PAGE),
        "active by SLA (due), page 1": lambda i: review.alerts(state=active, sort="due",
                                                               limit=PAGE),
        "open by age (oldest), page 1": lambda i: review.alerts(state="open", sort="age",
                                                                limit=PAGE),
        "one assignee's, by due": lambda i: review.alerts(
            assignee=REVIEWERS[i % len(REVIEWERS)], state=active, sort="due", limit=PAGE),
        "open on one list, by score": lambda i: review.alerts(
            state="open", source=lists[i % len(lists)], sort="score", descending=True,
            limit=PAGE),
        "open in one programme, by score": lambda i: review.alerts(
            state="open", programme=common[i % len(common)], sort="score", descending=True,
            limit=PAGE),
        "open, score 0.95-1.00, by age": lambda i: review.alerts(
            state="open", min_score=0.95, sort="age", limit=PAGE),
        "overdue, by due": lambda i: review.alerts(overdue_at=now, sort="due", limit=PAGE),
        "open by score, page 200": lambda i: review.alerts(
            state="open", sort="score", descending=True, limit=PAGE, offset=199 * PAGE),
        "all by age, page 600": lambda i: review.alerts(sort="age", descending=True,
                                                        limit=PAGE, offset=599 * PAGE),
        "open by score, page 200 (cursor)": lambda i: review.alerts(
            limit=PAGE, after=after_199, **by_score),
        "all by age, page 600 (cursor)": lambda i: review.alerts(
            limit=PAGE, after=after_599, **by_age),
        "filtered count (one list, active)": lambda i: review.count_alerts(
            source=lists[i % len(lists)], state=None, unassigned=False),
        "one customer's alerts": lambda i: review.alerts(
            customer_ref=f"C{(i * 7919) % (alerts // 2):07d}"),
        "one alert's case": lambda i: case(store, 1 + (i * 7919) % alerts),
    }


def measure(store: Store, alerts: int, repeat: int, lists: list[str],
            programmes: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, query in queries(store, alerts, programmes, lists).items():
        query(0)  # warm-up
        times = []
        for i in range(1, repeat + 1):
            started = time.perf_counter()
            query(i)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = {"p50_ms": round(median(times), 2), "p95_ms": round(percentile(times, 95),
                                                                        2),
                     "max_ms": round(max(times), 2)}
    return out


def _programmes_by_count(store: Store) -> list[str]:
    rows = store.db.query("SELECT programme, COUNT(*) FROM review_alert_programme GROUP BY "
                          "programme ORDER BY COUNT(*) DESC, programme")
    return [str(r[0]) for r in rows]


def run_store(url: str, alerts: int, repeat: int, how: str = "workflow") -> dict[str, Any]:
    with Store.open(url) as store:
        setup = build(store, alerts, setup=how)
        setup["setup"] = how
        programmes = _programmes_by_count(store)
        setup.pop("programme_values")
        result: dict[str, Any] = {"setup": setup, "queries": measure(
            store, alerts, repeat, setup["lists"], programmes)}
        result["store_mb"] = round(store.db.size_bytes() / 2**20)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--setup", choices=("workflow", "bulk"), default="workflow",
                        help="Write the alerts with ReviewStore.write_hits (default) or "
                        "with one executemany per table (the same rows, faster on "
                        "PostgreSQL).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {"machine": machine_info(), "alerts": args.alerts}
    wanted = [s.strip() for s in args.stores.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        if "sqlite" in wanted:
            result["sqlite"] = run_store(str(Path(tmp) / "queue.db"), args.alerts, args.repeat,
                                         args.setup)
        if "postgres" in wanted:
            from tests.pg_server import PostgresServer, find_pg_bin

            bin_dir = find_pg_bin()
            if bin_dir is None:
                sys.exit("error: no PostgreSQL binaries (initdb, pg_ctl) on this machine")
            server = PostgresServer(bin_dir)
            server.start()
            try:
                import psycopg

                with psycopg.connect(server.url(), autocommit=True) as conn:
                    conn.execute("CREATE DATABASE queue")
                result["postgres"] = run_store(server.url("queue"), args.alerts, args.repeat,
                                               args.setup)
            finally:
                server.stop()
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    print(f"command: {result['machine']['command']}")
    for name in ("sqlite", "postgres"):
        if name in result:
            print(f"\n{name}: {result[name]['setup']}, store {result[name]['store_mb']} MB")
            print("| query | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
            for query, figures in result[name]["queries"].items():
                print(f"| {query} | {figures['p50_ms']} | {figures['p95_ms']} | "
                      f"{figures['max_ms']} |")


if __name__ == "__main__":
    main()

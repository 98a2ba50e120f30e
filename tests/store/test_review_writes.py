"""A run's findings written set-wise (``ReviewStore.write_hits``), on SQLite and PostgreSQL.

The rows a page of findings makes are exactly those one finding at a time made (ids,
events numbered in the findings' order, hits, programmes, counts per state, versions);
every check is made before anything is written, so a stale, unknown or impossible finding
anywhere in a page, a database error half-way through its rows, or a failing audit record
leaves the store as it was; and the statements a page costs do not grow with its size
(PostgreSQL: round trips seen in libpq's own trace of the connection; SQLite: the reads
seen by its trace callback, each write row being a step of a prepared statement in this
process, no round trip).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from psycopg import pq

from discreet.errors import NotFoundError, StoreError
from discreet.store import Store
from discreet.store.db import PostgresDatabase, SqliteDatabase
from discreet.store.review import Alert, NewHit, Run, StaleAlertError

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
TABLES = ("review_alert", "review_event", "review_hit", "review_alert_programme",
          "review_alert_count")


def _hit(ref: str, action: str = "open", alert: Alert | None = None, *, score: float = 0.9,
         programmes: tuple[str, ...] = ("SDGT",), source: str = "list_a",
         details: dict[str, Any] | None = None, entity_hash: str = "e" * 64) -> NewHit:
    return NewHit(ref, f"ent-{ref}", score, entity_hash, "c" * 64, 1, {"name": score},
                  f"Party {ref}", action, None if alert is None else alert.id,
                  None if alert is None else alert.version,
                  (NOW + timedelta(hours=len(ref))).isoformat(), details or {}, source,
                  programmes)


def _run(store: Store) -> int:
    return store.review.start_run(Run(0, "book", NOW.isoformat(), "sys", [], 0.7, "t")).id


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted(store.db.query(f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def _history(store: Store) -> dict[str, Alert]:
    """Four alerts: A open, B and C cleared as false positives, D in review with rui."""
    run = _run(store)
    store.review.write_hits(run, [_hit(r) for r in "ABCD"], "sys")
    found = {a.customer_ref: a for a in store.review.alerts(limit=10)}
    for ref, changes in (("B", {"state": "decided", "decision": "false_positive"}),
                         ("C", {"state": "closed", "decision": "false_positive"}),
                         ("D", {"state": "in_review", "assignee": "rui"})):
        store.review.update_alert(found[ref].id, found[ref].version, changes,
                                  event=("decided", "eva", {}))
    return {a.customer_ref: a for a in store.review.alerts(limit=10)}


def test_a_page_writes_the_rows_one_finding_at_a_time_made(store_url: str) -> None:
    with Store.open(store_url) as store:
        alerts = _history(store)
        a, b, c, d = (alerts[r] for r in "ABCD")
        first_event = int(store.db.query("SELECT MAX(id) FROM review_event")[0][0]) + 1
        run = _run(store)
        noted: list[int] = []
        ids = store.review.write_hits(run, [
            _hit("X", programmes=("IRAN", "SDGT", "IRAN")),
            _hit("B", "reopen", b, score=0.95, entity_hash="f" * 64,
                 details={"why": "the listed entity changed"}),
            _hit("C", "suppress", c, score=0.91),
            _hit("D", "update", d, score=0.8, source="list_b", programmes=("UKRAINE",)),
            _hit("A", "update", a, source="", programmes=()),  # an old caller: kept
            _hit("C", "suppress", c, score=0.5),  # the pair twice: its first hit is kept
            _hit("Y", programmes=(), score=1)],  # an int among float scores
            "sys", within=lambda: noted.append(1))
        assert noted == [1]
        x, y = (store.review.alerts(customer_ref=r)[0] for r in "XY")
        assert ids == [x.id, b.id, c.id, d.id, a.id, c.id, y.id]
        assert (x.id, y.id) == (5, 6) and x.version == y.version == 1
        assert y.score == 1.0 and isinstance(y.score, float)
        assert x.programmes == ("IRAN", "SDGT", "IRAN")  # as given, the rows deduplicated
        assert sorted(r[0] for r in store.db.query(
            "SELECT programme FROM review_alert_programme WHERE alert_id = ?", (x.id,))) == [
            "IRAN", "SDGT"]
        # events numbered in the findings' order, one per open, reopen and suppression
        events = store.db.query("SELECT id, alert_id, actor, kind FROM review_event WHERE id "
                                ">= ? ORDER BY id", (first_event,))
        assert events == [(first_event, x.id, "sys", "opened"),
                          (first_event + 1, b.id, "sys", "reopened"),
                          (first_event + 2, c.id, "sys", "suppressed"),
                          (first_event + 3, c.id, "sys", "suppressed"),
                          (first_event + 4, y.id, "sys", "opened")]
        assert store.review.events(b.id)[-1].details == {"run": run,
                                                         "why": "the listed entity changed"}
        assert store.review.events(c.id)[-1].details == {"run": run, "score": 0.5}
        # the alerts: B reopened (decision, assignee cleared), D updated with its new list
        reopened, updated, kept = (store.review.alert(i) for i in (b.id, d.id, a.id))
        assert (reopened.state, reopened.decision, reopened.version, reopened.score,
                reopened.entity_hash) == ("open", None, b.version + 1, 0.95, "f" * 64)
        assert (updated.state, updated.assignee, updated.version, updated.source,
                updated.programmes) == ("in_review", "rui", d.version + 1, "list_b",
                                        ("UKRAINE",))
        assert store.review.alerts(programme="UKRAINE") == [updated]
        assert (kept.source, kept.programmes, kept.version) == ("list_a", ("SDGT",),
                                                                a.version + 1)
        assert store.review.alert(c.id) == c  # a suppression changes nothing on the alert
        hits = {(h[0], h[1]) for h in store.db.query(
            "SELECT alert_id, outcome, score FROM review_hit WHERE run_id = ?", (run,))}
        assert hits == {(x.id, "opened"), (b.id, "reopened"), (c.id, "suppressed"),
                        (d.id, "updated"), (a.id, "updated"), (y.id, "opened")}
        assert store.review.hits(c.id)[-1].score == 0.91
        # the kept counts moved with the rows
        counts = store.review.count_alerts()
        assert counts == {"open": 4, "in_review": 1, "closed": 1}
        assert store.review.recount_alerts() == counts


def _refused(store: Store, hits: Callable[[dict[str, Alert]], Sequence[NewHit]],
             error: type[Exception], words: str,
             within: Callable[[], object] | None = None) -> None:
    """Write a page that must fail as ``error``; nothing at all may have been written."""
    alerts = {a.customer_ref: a for a in store.review.alerts(limit=100)}
    run = _run(store)
    before = _snapshot(store)
    with pytest.raises(error, match=words):
        store.review.write_hits(run, hits(alerts), "sys", within=within)
    assert _snapshot(store) == before


def test_a_failure_anywhere_in_a_page_writes_nothing(store_url: str) -> None:
    with Store.open(store_url) as store:
        _history(store)
        fresh = [_hit(f"N{n}") for n in range(5)]
        # a stale alert after new ones: nothing of the page is written
        _refused(store, lambda k: [*fresh, _hit("A", "update", replace(k["A"], version=0))],
                 StaleAlertError, r"alert 1 was changed at \S+ \(opened by sys\) since you "
                                  r"read it \(it is at version 1, you had 0\)")
        # the same alert reopened twice in one page: the second is stale, told as such
        _refused(store, lambda k: [*fresh, _hit("B", "reopen", k["B"]),
                                   _hit("B", "reopen", k["B"])],
                 StaleAlertError, r"\(reopened by sys\) since you read it \(it is at "
                                  r"version 3, you had 2\)")
        # suppressed then updated at the version read: allowed (a suppression is no change)
        # but updated twice: stale
        _refused(store, lambda k: [_hit("C", "suppress", k["C"]), _hit("C", "update", k["C"]),
                                   _hit("C", "update", k["C"]), *fresh],
                 StaleAlertError, r"\(suppressed by sys\)")
        # a pair planned as new that has an alert, or comes twice in the page
        _refused(store, lambda k: [*fresh, _hit("D")], StaleAlertError,
                 "an alert for D and ent-D was opened meanwhile")
        _refused(store, lambda k: [*fresh, fresh[2]], StaleAlertError,
                 "an alert for N2 and ent-N2 was opened meanwhile")
        # an alert that does not exist, an unknown action
        ghost = Alert(999, "Z", "ent-Z", "open", 0.9, "e", "c", 1, "t", "t", 1)
        _refused(store, lambda k: [*fresh, _hit("Z", "update", ghost)], NotFoundError,
                 "no alert 999")
        _refused(store, lambda k: [*fresh, _hit("A", "merge", k["A"])], StoreError,
                 "unknown action 'merge'")
        # the database refuses a row half-way through the page's alerts (NOT NULL)
        caption: Any = None
        broken = NewHit("N9", "ent-N9", 0.9, "e" * 64, "c" * 64, 1, {}, caption, "open")
        _refused(store, lambda k: [*fresh[:3], broken, *fresh[3:]], StoreError,
                 "store error")
        # ... or half-way through the alerts found again, after the new ones were written
        _refused(store, lambda k: [*fresh, _hit("A", "update", k["A"]),
                                   replace(_hit("D", "update", k["D"]), caption=caption),
                                   _hit("B", "reopen", k["B"])], StoreError, "store error")
        # everything written, then the audit record fails: rolled back with the rows

        def audit_fails() -> None:
            raise StoreError("the audit chain is unavailable")
        _refused(store, lambda k: [*fresh, _hit("A", "update", k["A"])], StoreError,
                 "audit chain is unavailable", within=audit_fails)
        # and the store still takes the page once it is right
        run = _run(store)
        assert len(store.review.write_hits(run, fresh, "sys")) == 5
        assert store.review.count_alerts() == store.review.recount_alerts()


def _page(store: Store, size: int) -> list[NewHit]:
    """``size`` findings of every kind: new pairs, updates, reopens, suppressions."""
    run = _run(store)
    base = [_hit(f"K{size}-{n:04d}") for n in range(size)]
    store.review.write_hits(run, base, "sys")
    found = store.review.alerts(customer_ref=None, limit=10 * size, sort="id")
    mine = [a for a in found if a.customer_ref.startswith(f"K{size}-")]
    for alert in mine[1::4]:
        store.review.update_alert(alert.id, alert.version, {
            "state": "decided", "decision": "false_positive"})
    mine = [store.review.alert(a.id) for a in mine]
    page: list[NewHit] = []
    for n, alert in enumerate(mine):
        kind = ("update", "reopen", "update", "open")[n % 4]
        if kind == "open":
            page.append(_hit(f"K{size}-new-{n:04d}", programmes=("IRAN", "SDGT")))
        elif kind == "reopen" and n % 8 == 1:
            page.append(_hit(alert.customer_ref, "suppress", alert))
        else:
            page.append(_hit(alert.customer_ref, kind, alert, source="list_b",
                             programmes=("UKRAINE",)))
    return page


def _round_trips(store: Store, write: Callable[[], object]) -> int:
    """How many times the client waited for the server (ReadyForQuery messages) while
    ``write`` ran, from libpq's trace of the store's own connection."""
    db = store.db
    assert isinstance(db, PostgresDatabase)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "trace")
        with path.open("w") as handle:
            db.conn.pgconn.trace(handle.fileno())
            db.conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
            try:
                write()
            finally:
                db.conn.pgconn.untrace()
            handle.flush()
            os.fsync(handle.fileno())
        lines = path.read_text(errors="replace").splitlines()
    return sum(1 for line in lines
               if line.startswith("B") and "ReadyForQuery" in line.split("\t"))


def _selects(store: Store, write: Callable[[], object]) -> int:
    """How many reads SQLite ran while ``write`` ran (its trace callback)."""
    db = store.db
    assert isinstance(db, SqliteDatabase)
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        write()
    finally:
        db.conn.set_trace_callback(None)
    return sum(1 for sql in seen if sql.lstrip().upper().startswith("SELECT"))


def test_a_page_costs_statements_that_do_not_grow_with_it(store_url: str) -> None:
    """40 findings or 400 (every kind): the same number of round trips (PostgreSQL) or
    reads (SQLite), and few of them."""
    with Store.open(store_url) as store:
        costs = []
        for size in (40, 400):
            page = _page(store, size)
            run = _run(store)

            def write(page: list[NewHit] = page, run: int = run) -> None:
                store.review.write_hits(run, page, "sys")
            if store.db.dialect == "postgres":
                costs.append(_round_trips(store, write))
            else:
                costs.append(_selects(store, write))
            outcomes = dict(store.db.query("SELECT outcome, COUNT(*) FROM review_hit WHERE "
                                           "run_id = ? GROUP BY outcome", (run,)))
            assert sum(outcomes.values()) == size and set(outcomes) == {
                "opened", "reopened", "suppressed", "updated"}, outcomes
        assert costs[0] == costs[1], costs
        assert 0 < costs[1] <= 24, costs

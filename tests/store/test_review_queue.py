"""The review queue on SQLite and PostgreSQL: ``ReviewStore.alerts`` filters (state or
states, assignee or nobody, list, programme, score band, age, SLA) and sorts (due, score,
age, updated, id; either way, ties by id so pages neither overlap nor skip), the counts
per state under the same filters, and migration 0009 filling the list and programmes of
alerts written before it from the entity content they saw."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from discreet.errors import StoreError
from discreet.store import Store
from discreet.store.db import open_database
from discreet.store.review import Alert, NewHit, Run
from discreet.store.schema import MIGRATIONS
from tests.store.helpers import person

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
# customer, score, source, programmes, due in hours from NOW
ROWS = [("A", 0.91, "list_a", ("SDGT",), -5), ("B", 0.75, "list_a", ("SDGT", "IRAN"), 10),
        ("C", 0.91, "list_b", ("IRAN",), 2), ("D", 0.99, "list_b", (), -1),
        ("E", 0.70, "list_a", ("UKRAINE-EO13660",), 30), ("F", 0.88, "list_b", ("SDGT",), 5)]


def _write(store: Store) -> dict[str, Alert]:
    run = store.review.start_run(Run(0, "book", NOW.isoformat(), "ana", [], 0.7, "test"))
    hits = [NewHit(ref, f"ent-{ref}", score, "e" * 64, "c" * 64, 1, {}, f"Party {ref}", "open",
                   due_at=(NOW + timedelta(hours=due)).isoformat(), source=source,
                   programmes=programmes)
            for ref, score, source, programmes, due in ROWS]
    store.review.write_hits(run.id, hits, "ana")
    by_ref = {a.customer_ref: a for a in store.review.alerts(limit=100)}
    # a history: B and C in review with rui, D decided by eva, F closed
    for ref, changes in (("B", {"state": "in_review", "assignee": "rui"}),
                         ("C", {"state": "in_review", "assignee": "rui"}),
                         ("D", {"state": "decided", "assignee": "eva",
                                "decision": "false_positive"}),
                         ("F", {"state": "closed", "assignee": "eva",
                                "decision": "true_match"})):
        store.review.update_alert(by_ref[ref].id, by_ref[ref].version, changes)
    return {a.customer_ref: a for a in store.review.alerts(limit=100)}


def _refs(alerts: list[Alert]) -> list[str]:
    return [a.customer_ref for a in alerts]


def test_filters_sorts_pages_and_counts(store_url: str) -> None:
    with Store.open(store_url) as store:
        alerts = _write(store)
        assert alerts["B"].source == "list_a" and alerts["B"].programmes == ("SDGT", "IRAN")
        assert alerts["B"].to_dict()["programmes"] == ["SDGT", "IRAN"]
        review = store.review
        # the old call still works: soonest due first
        assert _refs(review.alerts()) == ["A", "D", "C", "F", "B", "E"]
        assert _refs(review.alerts(state="open")) == ["A", "E"]
        # by score, highest first, ties by id in the same direction (C was written after A)
        assert _refs(review.alerts(sort="score", descending=True)) == ["D", "C", "A", "F",
                                                                       "B", "E"]
        assert _refs(review.alerts(sort="score")) == ["E", "B", "F", "A", "C", "D"]
        # pages of two cover the queue exactly once, in every order
        for sort in ("due", "score", "age", "updated", "id"):
            for descending in (False, True):
                whole = _refs(review.alerts(sort=sort, descending=descending))
                paged = [r for offset in range(0, 6, 2) for r in _refs(review.alerts(
                    sort=sort, descending=descending, limit=2, offset=offset))]
                assert paged == whole and sorted(whole) == list("ABCDEF"), (sort, descending)
        assert _refs(review.alerts(sort="updated", descending=True))[:1] == ["F"]
        # filters combine
        assert _refs(review.alerts(state=["open", "in_review"], sort="score",
                                   descending=True)) == ["C", "A", "B", "E"]
        assert _refs(review.alerts(state=[])) == []
        assert _refs(review.alerts(assignee="rui", sort="id")) == ["B", "C"]
        assert _refs(review.alerts(unassigned=True, sort="id")) == ["A", "E"]
        assert _refs(review.alerts(source="list_b", sort="id")) == ["C", "D", "F"]
        assert _refs(review.alerts(programme="SDGT", sort="id")) == ["A", "B", "F"]
        assert _refs(review.alerts(programme="IRAN", state="in_review", sort="id")) == ["B",
                                                                                       "C"]
        assert _refs(review.alerts(programme="NONE")) == []
        assert _refs(review.alerts(min_score=0.88, max_score=0.91, sort="id")) == ["A", "C",
                                                                                   "F"]
        assert _refs(review.alerts(due_before=NOW.isoformat(), sort="id")) == ["A", "D"]
        overdue = review.alerts(overdue_at=(NOW + timedelta(hours=6)).isoformat(), sort="id")
        assert _refs(overdue) == ["A", "C"]  # D is decided, F closed: not overdue
        opened = alerts["A"].opened_at
        assert _refs(review.alerts(opened_before=opened)) == []
        assert len(review.alerts(opened_after=opened)) == 6
        # counts per state, under the same filters
        assert review.count_alerts() == {"open": 2, "in_review": 2, "decided": 1,
                                         "closed": 1}
        assert review.count_alerts("open") == {"open": 2}
        assert review.count_alerts(source="list_b") == {"in_review": 1, "decided": 1,
                                                        "closed": 1}
        assert review.count_alerts(programme="SDGT", unassigned=True) == {"open": 1}
        assert review.count_alerts("pending_approval") == {"pending_approval": 0}
        facets = review.alert_facets()
        assert facets == {"source": ["list_a", "list_b"],
                          "programme": ["IRAN", "SDGT", "UKRAINE-EO13660"],
                          "assignee": ["eva", "rui"]}
        with pytest.raises(StoreError, match="unknown alert sort"):
            review.alerts(sort="name")


def test_reopen_and_update_refresh_list_and_programmes(store_url: str) -> None:
    with Store.open(store_url) as store:
        alerts = _write(store)
        run = store.review.start_run(Run(0, "lists", NOW.isoformat(), "sys", [], 0.7, "test"))
        a, b = alerts["A"], alerts["B"]
        store.review.write_hits(run.id, [
            NewHit("A", "ent-A", 0.93, "f" * 64, "c" * 64, 1, {}, "Party A", "update",
                   a.id, a.version, source="list_a", programmes=("SDGT", "RUSSIA-EO14024")),
            # an old caller that does not say the list: what the alert had is kept
            NewHit("B", "ent-B", 0.80, "f" * 64, "c" * 64, 1, {}, "Party B", "update",
                   b.id, b.version)], "sys")
        assert store.review.alert(a.id).programmes == ("SDGT", "RUSSIA-EO14024")
        assert _refs(store.review.alerts(programme="RUSSIA-EO14024")) == ["A"]
        again = store.review.alert(b.id)
        assert (again.source, again.programmes, again.score) == ("list_a", ("SDGT", "IRAN"),
                                                                 0.80)
        assert _refs(store.review.alerts(programme="IRAN", sort="id")) == ["B", "C"]


def test_migration_fills_list_and_programmes(store_url: str) -> None:
    """A store as 0001-0008 left it, with two alerts (one on an entity whose content the
    store holds, one on content it does not): 0009 adds the queue's columns and fills
    them."""
    assert MIGRATIONS[8][0] == "0009_review_queue"
    entity = person(7, "Kept Party", programme="IRAN")
    db = open_database(store_url)
    try:
        with db.transaction():
            db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
            for name, sql in MIGRATIONS[:8]:
                assert isinstance(sql, str)
                for statement in sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                           (name, NOW.isoformat()))
            db.execute("INSERT INTO record (hash, data) VALUES (?, ?)",
                       (entity.content_hash(), entity.to_json()))
            for alert_id, digest in ((1, entity.content_hash()), (2, "0" * 64)):
                db.execute("INSERT INTO review_alert (id, customer_ref, entity_id, state, "
                           "score, entity_hash, customer_hash, customer_version, opened_at, "
                           "updated_at, version, caption) VALUES (?, ?, ?, 'open', 0.9, ?, "
                           "'c', 1, ?, ?, 1, 'x')", (alert_id, f"K{alert_id}", entity.id,
                                                     digest, NOW.isoformat(),
                                                     NOW.isoformat()))
    finally:
        db.close()
    with Store.open(store_url) as store:
        kept, unknown = store.review.alert(1), store.review.alert(2)
        assert (kept.source, kept.programmes) == ("test_list", ("IRAN",))
        assert (unknown.source, unknown.programmes) == ("", ())
        assert _refs(store.review.alerts(programme="IRAN")) == ["K1"]
        assert _refs(store.review.alerts(source="test_list")) == ["K1"]
        assert store.review.count_alerts() == {"open": 2}  # 0010 counted them


def test_rare_and_common_programmes_alike(store_url: str) -> None:
    """A programme on one alert in a hundred is filtered from its few ids, one on half of
    them by walking the queue's order: either way the page is the right one."""
    with Store.open(store_url) as store:
        run = store.review.start_run(Run(0, "book", NOW.isoformat(), "ana", [], 0.7, "test"))
        hits = []
        for n in range(100):
            programmes: tuple[str, ...] = ("COMMON",) if n % 2 else ()
            if n == 37:
                programmes = ("RARE", "COMMON")
            hits.append(NewHit(f"K{n:03d}", f"ent-{n}", 0.7 + (n * 37 % 100) / 400, "e" * 64,
                               "c" * 64, 1, {}, "x", "open", due_at=NOW.isoformat(),
                               source="list_a", programmes=programmes))
        store.review.write_hits(run.id, hits, "ana")
        everything = store.review.alerts(limit=1000, sort="score", descending=True)
        for programme in ("COMMON", "RARE"):
            expected = [a.customer_ref for a in everything if programme in a.programmes]
            assert len(expected) == (50 if programme == "COMMON" else 1)
            found = [a.customer_ref for offset in range(0, 60, 7) for a in store.review.alerts(
                programme=programme, sort="score", descending=True, limit=7, offset=offset)]
            assert found == expected, programme
            assert store.review.count_alerts(programme=programme) == {"open": len(expected)}


def _counted(store: Store) -> dict[str, int]:
    rows = store.db.query("SELECT state, COUNT(*) FROM review_alert GROUP BY state")
    return {str(r[0]): int(r[1]) for r in rows}


def test_kept_counts_move_with_every_state_change(store_url: str) -> None:
    with Store.open(store_url) as store:
        alerts = _write(store)
        assert store.review.count_alerts() == _counted(store) == {
            "open": 2, "in_review": 2, "decided": 1, "closed": 1}
        # a reopen of a decided alert, an update of an open one, a new alert: one run
        run = store.review.start_run(Run(0, "lists", NOW.isoformat(), "sys", [], 0.7, "t"))
        d, a = alerts["D"], alerts["A"]
        store.review.write_hits(run.id, [
            NewHit("D", "ent-D", 0.9, "f" * 64, "c" * 64, 1, {}, "D", "reopen", d.id,
                   d.version),
            NewHit("A", "ent-A", 0.9, "f" * 64, "c" * 64, 1, {}, "A", "update", a.id,
                   a.version),
            NewHit("G", "ent-G", 0.9, "f" * 64, "c" * 64, 1, {}, "G", "open")], "sys")
        assert store.review.count_alerts() == _counted(store) == {
            "open": 4, "in_review": 2, "closed": 1}
        # a change that keeps the state, one that changes it, a refused (stale) one
        b = store.review.alert(alerts["B"].id)
        store.review.update_alert(b.id, b.version, {"assignee": "eva"})
        store.review.update_alert(b.id, b.version + 1, {"state": "pending_approval"})
        with pytest.raises(StoreError):
            store.review.update_alert(b.id, b.version, {"state": "closed"})
        assert store.review.count_alerts() == _counted(store)
        assert store.review.count_alerts("pending_approval") == {"pending_approval": 1}
        # rows changed behind the store's back: counted again on demand
        store.db.execute("UPDATE review_alert SET state = 'closed'")
        assert store.review.recount_alerts() == {"closed": 7}

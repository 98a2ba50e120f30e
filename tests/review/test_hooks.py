"""Continuous screening hooks: a list version made active by ``discreet load``/``update``
or by the API's updater (``POST /updatez``, the scheduler) re-screens the customer book
against what changed and says the counts; a store without a book runs nothing."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from discreet.api.scheduler import UpdateScheduler
from discreet.api.services import run_update
from discreet.review import approve, decide
from discreet.store import Store
from tests.review.helpers import ANA, FIXTURES, RUI, entity_id, load_list
from tests.review.test_cli import run

BOOK = ("Ref,Full Name,DOB\nB1,Viktor Brunov,1961-04-12\nB2,Hamid Tavakkoli,\n"
        "B3,Evgenia Lutsenko,1986-02-11\nB4,Ana Lima,\n")
MAP = "id=Ref,name=Full Name,birth_date=DOB"


def _load(db: Path, version: int, *extra: str) -> str:
    return run(db, "load", str(FIXTURES / f"list_v{version}.csv"), "--format", "csv",
               "--source", "review_test", "--published", f"2026-0{version}-01",
               *extra).stdout


def _clear(store: Store, ref: str, entity: str) -> None:
    [alert] = [a for a in store.review.alerts(customer_ref=ref, limit=10)
               if a.entity_id == entity_id(entity)]
    decide(store, alert.id, "false_positive", ANA, note="another person")
    approve(store, alert.id, RUI)


def test_load_rescreens_the_book_and_says_the_counts(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _load(db, 1)
    (tmp_path / "book.csv").write_text(BOOK, encoding="utf-8")
    run(db, "customers", "import", str(tmp_path / "book.csv"), "--map", MAP,
        "--as", "ana", "--role", "analyst", "--json")
    with Store.open(db) as store:
        _clear(store, "B1", "R-001")  # unchanged in v2: stays suppressed
        _clear(store, "B2", "R-003")  # amended in v2: reopens
        runs_before = len(store.review.runs())
    out = json.loads(_load(db, 2, "--json"))
    book = out["book"]
    # v2 adds R-021 (B3's name) and amends R-003 (B2's cleared alert)
    assert (book["opened"], book["reopened"]) == (1, 1)
    assert 0 < book["screened"] <= 4
    with Store.open(db) as store:
        run_ = store.review.run(book["run"])
        assert (run_.kind, run_.actor) == ("lists", "discreet")
        assert len(store.review.runs()) == runs_before + 1
        pairs = {(a.customer_ref, a.entity_id, a.state) for a in store.review.alerts()}
        assert ("B3", entity_id("R-021"), "open") in pairs
        assert ("B2", entity_id("R-003"), "open") in pairs
        assert ("B1", entity_id("R-001"), "decided") in pairs
    # the same file again: no new version, no run
    again = json.loads(_load(db, 2, "--json"))
    assert again["status"] == "unchanged" and again["book"] is None
    # the text output says it too
    text = _load(db, 3)
    assert "customer book re-screened" in text


def test_no_book_no_run(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = json.loads(_load(db, 1, "--json"))
    assert first["book"] is None
    assert "customer book" not in _load(db, 2)
    with Store.open(db) as store:
        assert store.review.runs() == []


def test_an_older_file_backfilled_runs_nothing(tmp_path: Path) -> None:
    """A file dated before the active version goes into the history: nothing active
    changed, so the book is not screened."""
    db = tmp_path / "s.db"
    _load(db, 2)
    (tmp_path / "book.csv").write_text(BOOK, encoding="utf-8")
    run(db, "customers", "import", str(tmp_path / "book.csv"), "--map", MAP,
        "--as", "ana", "--role", "analyst")
    out = json.loads(_load(db, 1, "--json"))
    assert out["status"] == "inserted" and not out["active"] and out["book"] is None


def test_api_updater_and_scheduler_rescreen_the_book(tmp_path: Path) -> None:
    url = str(tmp_path / "api.db")
    with Store.open(url) as store:
        load_list(store, 1)
        # no book yet: the update runs, the book hook does nothing
        run_update(store, lambda s: load_list(s, 1))
        assert store.review.runs() == []
    (tmp_path / "book.csv").write_text(BOOK, encoding="utf-8")
    run(Path(url), "customers", "import", str(tmp_path / "book.csv"), "--map", MAP,
        "--as", "ana", "--role", "analyst")
    with Store.open(url) as store:
        _clear(store, "B2", "R-003")
        result = run_update(store, lambda s: load_list(s, 2))
        assert result.status == "new"  # the updater's own result is handed back
        [last] = store.review.runs(limit=1, kind="lists")
        assert (last.opened, last.reopened) == (1, 1)
        # an updater that loads nothing new: no run
        run_update(store, lambda s: load_list(s, 2))
        assert len(store.review.runs(kind="lists")) == 1
    # the scheduler goes through the same hook
    done = threading.Event()

    def updater(store: Store) -> None:
        load_list(store, 3)
        done.set()

    scheduler = UpdateScheduler(lambda: Store.open(url), updater, every=0.05)
    scheduler.start()
    try:
        assert done.wait(10)
    finally:
        scheduler.stop()
    with Store.open(url) as store:
        runs = store.review.runs(kind="lists")
        assert len(runs) == 2  # v3 made active: one more list-change run
        assert {x["source"]: x["version"] for x in runs[0].lists}["review_test"] == 3

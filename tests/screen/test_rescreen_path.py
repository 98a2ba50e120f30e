"""The re-screen's two paths: only against what changed (delta) or every row against the
whole index (full) give the same report and the same updated alerts; ``auto`` takes the
cheaper by its estimate, which prefers the full path for a small book against a large
change and the delta for a large book against a small one."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from discreet.errors import ConfigError
from discreet.lists.load import load_file
from discreet.match import Matcher
from discreet.screen.bulk import BulkOptions, screen_bulk
from discreet.screen.rescreen import RescreenSummary, rescreen
from discreet.screen.rescreen_cost import Workload, choose, estimate
from discreet.screen.runs import RunRecord, write_run
from discreet.screen.tokencache import tokens_path
from discreet.store import Store
from tests.screen.test_rescreen import LISTED, V2, pairs, run, un_xml, write_customers

ORDINARY = ["Anna Schmidt", "Pierre Dubois", "Li Wang", "Kenji Sato", "Sven Rossi",
            "Мария Петрова", "فاطمة حسن", "Γιώργος Παπαδόπουλος", "Maria Smith"]


def _store(root: Path, people: list[tuple[int, str, str]], day: str) -> Path:
    """The UN list file of ``people`` published on ``day``."""
    folder = root / day
    folder.mkdir()
    path = folder / "consolidated.xml"
    path.write_text(un_xml(people, day))
    return path


def _previous(store: Store, customers: Path, folder: Path, opts: BulkOptions) -> Path:
    """A full run of ``customers`` against the store's versions, with its run record and
    name cache, as screen-file leaves them."""
    alerts = folder / "alerts.jsonl"
    screen_bulk(Matcher.from_store(store), customers, alerts, opts)
    write_run(alerts, RunRecord({v.source: v.version for v in store.active()}, opts.threshold,
                                opts.limit))
    return alerts


def _copy(previous: Path, dest: Path, cache: bool) -> Path:
    """The previous run's files in ``dest`` (the name cache only when ``cache``)."""
    dest.mkdir()
    out = dest / previous.name
    for suffix in ("", ".run.json") + ((".tokens",) if cache else ()):
        shutil.copy(f"{previous}{suffix}", f"{out}{suffix}")
    return out


def _each_path(store: Store, customers: Path, previous: Path, root: Path, cache: bool,
               opts: BulkOptions) -> dict[str, tuple[RescreenSummary, Path]]:
    """``rescreen --update`` by each path, each on its own copy of the previous run."""
    matcher = Matcher.from_store(store)
    done = {}
    for path in ("delta", "full", "auto"):
        folder = root / f"{path}-{cache}"
        mine = _copy(previous, folder, cache)
        summary = rescreen(matcher, store, customers, mine, folder / "changes.jsonl",
                           options=opts, update=True, path=path)
        done[path] = (summary, folder)
    return done


AUDIT = ("delta_entities", "removed_entities", "customers_changed", "new_alerts",
         "gone_alerts", "amended_alerts", "since", "now", "rows", "rejected", "whole")


def _audit(summary: RescreenSummary) -> dict[str, Any]:
    """What a re-screen reports of the change and of the file, whichever path ran (a
    rejected row by its line: the name cache knows only that it was not screened)."""
    facts = {k: v for k, v in summary.to_dict().items() if k in AUDIT}
    return {**facts, "rejects": [x.split(":")[0] for x in summary.rejects]}


@pytest.mark.parametrize("cache", [True, False], ids=["with the name cache", "without"])
def test_both_paths_and_auto_give_the_same_changes(tmp_path: Path, cache: bool) -> None:
    """Delistings, amendments and additions, limit 1 (so that some customers are screened
    against the whole index again): the report, the updated alerts, the run record and the
    name cache are byte for byte the same whichever path ran."""
    customers = tmp_path / "customers.csv"
    write_customers(customers, 600, seed=3)
    opts = BulkOptions(limit=1, workers=1)
    with Store.open(tmp_path / "store.db") as store:
        load_file(store, _store(tmp_path, LISTED, "2026-01-01"))
        previous = _previous(store, customers, tmp_path, opts)
        load_file(store, _store(tmp_path, V2, "2026-01-02"), force=True)
        done = _each_path(store, customers, previous, tmp_path, cache, opts)
        full_run = tmp_path / "full-run.jsonl"
        screen_bulk(Matcher.from_store(store), customers, full_run, opts)
    delta, full, auto = (done[p][0] for p in ("delta", "full", "auto"))
    assert (delta.path, full.path) == ("delta", "full")
    assert auto.path == auto.choice.path if auto.choice else False
    assert delta.cached is cache and not full.cached
    assert full.rows == 600 and full.screened == 598 and full.rejected == 2
    assert delta.whole > 0 and delta.customers_changed > 0
    assert delta.new_alerts and delta.gone_alerts
    for path in ("full", "auto"):
        assert _audit(done[path][0]) == _audit(delta)
        for name in ("changes.jsonl", "alerts.jsonl", "alerts.jsonl.tokens"):
            ours = (done[path][1] / name).read_bytes()
            assert ours == (done["delta"][1] / name).read_bytes(), (path, name)
        assert _record(done[path][1]) == _record(done["delta"][1])
    assert pairs(done["full"][1] / "alerts.jsonl") == pairs(full_run)
    assert (done["full"][1] / "alerts.jsonl.tokens").read_bytes() == \
        tokens_path(full_run).read_bytes()  # the full path leaves the cache a run leaves


def _record(folder: Path) -> dict[str, Any]:
    """The run record an update left, but for when it was written."""
    record: dict[str, Any] = json.loads((folder / "alerts.jsonl.run.json").read_text())
    del record["finished_at"]
    return record


def _people(count: int, start: int = 1) -> list[tuple[int, str, str]]:
    """``count`` made-up listed people, distinct names."""
    given = ["ARKADY", "BORIS", "CELAL", "DARIUS", "EMIL", "FARID", "GORAN", "HAKAN"]
    family = ["VOLKOV", "KARIMI", "DEMIRCI", "NOVAK", "HALABI", "OKAFOR", "LINDQVIST"]
    return [(start + i, given[i % len(given)], f"{family[i // len(given) % len(family)]}"
             f"{'' if i < 56 else i}") for i in range(count)]


def _book(path: Path, names: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        writer.writerows([f"k{i}", name] for i, name in enumerate(names))
    return path


def _auto(tmp_path: Path, book: list[str], before: list[tuple[int, str, str]],
          after: list[tuple[int, str, str]]) -> tuple[RescreenSummary, RescreenSummary]:
    """``auto`` and ``delta`` re-screens of a book after a change from ``before`` to
    ``after`` (with the name cache of the previous run)."""
    customers = _book(tmp_path / "book.csv", book)
    opts = BulkOptions(workers=2)
    with Store.open(tmp_path / "store.db") as store:
        load_file(store, _store(tmp_path, before, "2026-01-01"))
        previous = _previous(store, customers, tmp_path, opts)
        load_file(store, _store(tmp_path, after, "2026-01-02"), force=True)
        matcher = Matcher.from_store(store)
        out = {}
        for path in ("auto", "delta"):
            mine = _copy(previous, tmp_path / path, cache=True)
            out[path] = rescreen(matcher, store, customers, mine,
                                 tmp_path / path / "changes.jsonl", options=opts, path=path)
    for name, summary in out.items():
        assert summary.choice is not None and summary.choice.requested == name
    assert (tmp_path / "auto" / "changes.jsonl").read_bytes() == \
        (tmp_path / "delta" / "changes.jsonl").read_bytes()
    return out["auto"], out["delta"]


def test_auto_screens_a_small_book_again_in_full_after_a_large_change(tmp_path: Path
                                                                      ) -> None:
    """40 of 60 listings amended, 12 customers: every row against the whole index costs
    less than the changed entities' index."""
    before = _people(60)
    after = [(n, first, f"{last}SKI") if n <= 40 else (n, first, last)
             for n, first, last in before]
    book = [f"{first.title()} {last.title()}SKI" for _, first, last in before[:3]] + ORDINARY
    auto, delta = _auto(tmp_path, book, before, after)
    assert auto.choice is not None and auto.choice.full_s < auto.choice.delta_s
    assert auto.path == "full" and auto.screened == 12
    assert delta.delta_entities == 40 and auto.new_alerts >= 3


def test_auto_takes_the_delta_for_a_large_book_after_a_small_change(tmp_path: Path) -> None:
    """One listing added, 3,000 customers with their name cache: only the rows that can
    match it are screened."""
    before = _people(60)
    after = [*before, (61, "VIKTOR", "BOUTROS")]
    book = [ORDINARY[i % len(ORDINARY)] for i in range(2999)] + ["Viktor Boutros"]
    auto, _ = _auto(tmp_path, book, before, after)
    assert auto.choice is not None and auto.choice.delta_s < auto.choice.full_s
    assert auto.path == "delta" and auto.cached and auto.screened < 10
    assert auto.new_alerts == 1


def _work(**changes: Any) -> Workload:
    base: dict[str, Any] = {"rows": 20_000, "changed": 500, "entities": 1_000_000,
                            "names": 2_250_000, "cached": True, "whole": 20, "workers": 2}
    return Workload(**{**base, **changes})


def test_the_estimate_grows_with_what_each_path_does() -> None:
    """Rows weigh on the full path, changed entities and a missing cache on the delta."""
    delta, full = estimate(_work())
    more_rows = estimate(_work(rows=200_000))
    assert more_rows[1] / full > more_rows[0] / delta > 1
    more_changed = estimate(_work(changed=50_000))
    assert more_changed[0] > delta and more_changed[1] == full
    assert estimate(_work(cached=False))[0] > delta
    assert estimate(_work(whole=2_000))[0] > delta
    bigger = estimate(_work(entities=10_000, names=22_500))
    assert bigger[1] < full  # every row costs less against a small index
    assert estimate(_work(workers=1))[1] > full


def test_choose_takes_what_is_asked_or_the_cheaper() -> None:
    small_book = _work(rows=500, changed=20_000)
    large_book = _work(rows=1_000_000, changed=100)
    assert choose("auto", small_book).path == "full"
    assert choose("auto", large_book).path == "delta"
    assert choose("delta", small_book).path == "delta"
    assert choose("full", large_book).path == "full"
    assert choose("full", large_book).requested == "full"
    with pytest.raises(ValueError, match="auto, delta, full"):
        choose("fastest", large_book)


def test_a_path_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    customers = _book(tmp_path / "book.csv", ORDINARY)
    with Store.open(tmp_path / "store.db") as store:
        load_file(store, _store(tmp_path, _people(5), "2026-01-01"))
        previous = _previous(store, customers, tmp_path, BulkOptions(workers=1))
        with pytest.raises(ConfigError, match="--path"):
            rescreen(Matcher.from_store(store), store, customers, previous,
                     tmp_path / "d.jsonl", path="fastest")


def _screened_then_changed(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(store, customers, alerts): a book screened through the CLI, then a new version
    that delists Arkady Volkov and adds Viktor Boutros."""
    customers = _book(tmp_path / "book.csv", [*ORDINARY, "Arkady Volkov", "Viktor Boutros"])
    db = tmp_path / "store.db"
    run(db, "load", str(_store(tmp_path, _people(5), "2026-01-01")))
    alerts = tmp_path / "alerts.jsonl"
    run(db, "screen-file", str(customers), "-o", str(alerts))
    run(db, "load", "--force", str(_store(tmp_path, [*_people(5)[1:], (9, "VIKTOR", "BOUTROS")],
                                          "2026-01-02")))
    return db, customers, alerts


def test_the_cli_reports_the_path_and_both_estimates(tmp_path: Path) -> None:
    db, customers, alerts = _screened_then_changed(tmp_path)
    seen = {}
    for path in ("full", "delta"):
        proc = run(db, "rescreen", str(customers), "--previous", str(alerts), "-o",
                   str(tmp_path / f"{path}.jsonl"), "--path", path, "--json")
        summary: dict[str, Any] = json.loads(proc.stderr.strip().splitlines()[-1])
        assert summary["path"] == path and summary["choice"]["requested"] == path
        assert summary["choice"]["delta_s"] > 0 and summary["choice"]["full_s"] > 0
        seen[path] = (tmp_path / f"{path}.jsonl").read_text(encoding="utf-8")
    assert seen["full"] == seen["delta"]
    lines = {x["id"]: x for x in map(json.loads, seen["full"].splitlines())}
    assert lines["k9"]["gone"] == [{"id": "un-1", "caption": "ARKADY VOLKOV",
                                    "reason": "delisted"}]
    assert [m["id"] for m in lines["k10"]["new"]] == ["un-9"]
    text = run(db, "rescreen", str(customers), "--previous", str(alerts), "-o",
               str(tmp_path / "auto.jsonl"), "--path", "auto").stderr
    assert "the cheaper (estimated: delta " in text


def test_the_delta_is_the_default(tmp_path: Path) -> None:
    """What a re-screen reports does not hang on a cost estimate unless asked (auto)."""
    db, customers, alerts = _screened_then_changed(tmp_path)
    proc = run(db, "rescreen", str(customers), "--previous", str(alerts), "-o",
               str(tmp_path / "d.jsonl"), "--json")
    summary: dict[str, Any] = json.loads(proc.stderr.strip().splitlines()[-1])
    assert summary["path"] == "delta" and summary["choice"]["requested"] == "delta"

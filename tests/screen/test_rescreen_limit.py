"""Re-screening keeps a run's ``--limit``: after ``rescreen --update`` the alerts file is the
one a full run against the new versions writes, also for customers whose alerts filled the
limit (an alert delisted lets the next best in; a new, better match pushes the last out,
"outranked"), and an amended listing that still alerts is reported "amended" with its new
score. Real SQLite stores, real customer files, in process; through both paths (only
against the changed entities, and every row against the whole index), which must agree.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from discreet.match import Matcher
from discreet.model import Entity, Name
from discreet.screen.bulk import BulkOptions, screen_bulk
from discreet.screen.rescreen import rescreen
from discreet.store import Store
from tests.api.helpers import load_entities, person
from tests.screen.test_parties import _customers

SOURCE = "gb_hmt_sanctions"


def _entities(names: dict[str, str]) -> list[Entity]:
    return [person(eid, name, SOURCE, "1970", "ru") for eid, name in sorted(names.items())]


def _alerts(path: Path) -> dict[str, list[tuple[str, float]]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        out[record["id"]] = [(m["id"], m["score"]) for m in record["matches"]]
    return out


pytestmark = pytest.mark.parametrize("path", ["delta", "full"])


def _delta(store: Store, customers: Path, previous: Path, out: Path,
           opts: BulkOptions, path: str) -> tuple[list[dict[str, Any]], Any]:
    summary = rescreen(Matcher.from_store(store), store, customers, previous, out,
                       options=opts, update=True, path=path,
                       since={v.source: v.version - 1 for v in store.active()})
    assert summary.path == path or (path, summary.path) == ("delta", "none")  # no additions
    return [json.loads(x) for x in out.read_text().splitlines()], summary


def _full(store: Store, customers: Path, out: Path, opts: BulkOptions) -> None:
    screen_bulk(Matcher.from_store(store), customers, out, opts)


SMITHS = {"a1": "John Smith", "a2": "Jon Smith", "a3": "John Smyth", "a4": "Johan Smith",
          "a5": "John Smithe", "b1": "Maria Gonzalez", "b2": "Mario Gonzales"}


def test_a_delisted_alert_lets_the_next_best_in(tmp_path: Path, path: str) -> None:
    """Limit 2: "John Smith" alerted on two of five similar listings; one is delisted: the
    full run shows the third best, and so does the updated file."""
    opts = BulkOptions(workers=1, limit=2, threshold=0.6)
    customers = _customers(tmp_path / "c.csv", ["John Smith", "Maria Gonzalez", "Li Wei"])
    previous, full = tmp_path / "alerts.jsonl", tmp_path / "full.jsonl"
    with Store.open(str(tmp_path / "s.db")) as store:
        load_entities(store, SOURCE, _entities(SMITHS))
        _full(store, customers, previous, opts)
        top = [eid for eid, _ in _alerts(previous)["c0"]]
        assert len(top) == 2
        load_entities(store, SOURCE, _entities({k: v for k, v in SMITHS.items()
                                                if k != top[0]}))
        lines, summary = _delta(store, customers, previous, tmp_path / "d.jsonl", opts, path)
        _full(store, customers, full, opts)
    assert _alerts(previous) == _alerts(full)
    assert summary.whole == 1
    (line,) = lines
    assert line["id"] == "c0" and [g["reason"] for g in line["gone"]] == ["delisted"]
    assert [m["id"] for m in line["new"]] == [_alerts(full)["c0"][1][0]]


def test_a_better_new_match_outranks_the_last(tmp_path: Path, path: str) -> None:
    opts = BulkOptions(workers=1, limit=1, threshold=0.6)
    customers = _customers(tmp_path / "c.csv", ["Gonzalez Maria Elena", "Li Wei"])
    previous, full = tmp_path / "alerts.jsonl", tmp_path / "full.jsonl"
    with Store.open(str(tmp_path / "s.db")) as store:
        load_entities(store, SOURCE, _entities(SMITHS))
        _full(store, customers, previous, opts)
        (before,) = _alerts(previous)["c0"]
        load_entities(store, SOURCE, _entities({**SMITHS, "c9": "Maria Elena Gonzalez"}))
        lines, summary = _delta(store, customers, previous, tmp_path / "d.jsonl", opts, path)
        _full(store, customers, full, opts)
    assert _alerts(previous) == _alerts(full) == {"c0": [("c9", _alerts(full)["c0"][0][1])],
                                                  "c1": []}
    (line,) = lines
    assert [m["id"] for m in line["new"]] == ["c9"]
    assert line["gone"] == [{"id": before[0], "caption": SMITHS[before[0]],
                             "reason": "outranked"}]
    assert summary.whole == 0  # nothing it had changed: the merge alone is exact


def test_an_amended_alert_is_reported_with_its_new_score(tmp_path: Path, path: str) -> None:
    opts = BulkOptions(workers=1, limit=5, threshold=0.6)
    customers = _customers(tmp_path / "c.csv", ["Hassan Nasrallah", "Anna Schmidt"])
    previous, full = tmp_path / "alerts.jsonl", tmp_path / "full.jsonl"
    listed = {"h1": "Hasan Nasralla", "s1": "Anna Schmitt"}
    with Store.open(str(tmp_path / "s.db")) as store:
        load_entities(store, SOURCE, _entities(listed))
        _full(store, customers, previous, opts)
        old = dict(_alerts(previous)["c0"])["h1"]
        amended = _entities(listed)
        amended[0].names.append(Name("Hassan NASRALLAH", "alias"))
        load_entities(store, SOURCE, amended)
        lines, summary = _delta(store, customers, previous, tmp_path / "d.jsonl", opts, path)
        _full(store, customers, full, opts)
    assert _alerts(previous) == _alerts(full)
    (line,) = lines
    assert not line["new"] and not line["gone"]
    (m,) = line["amended"]
    assert m["id"] == "h1" and m["score"] > old and summary.amended_alerts == 1


def test_random_changes_give_the_full_runs_alerts(tmp_path: Path, path: str) -> None:
    """Versions that delist, amend and add among look-alike names, customers with many
    alerts each, small limits: after every re-screen the updated file is the full run's."""
    rng = random.Random(11)
    given = ["Ali", "Aly", "Alí", "Omar", "Umar", "Omer", "Karim", "Kareem"]
    family = ["Hassan", "Hasan", "Hussein", "Husain", "Haddad", "Hadad"]
    listed = {f"e{i}": f"{rng.choice(given)} {rng.choice(family)}" for i in range(30)}
    customers = _customers(tmp_path / "c.csv", [f"{g} {f}" for g in given[:4]
                                                for f in family[:3]])
    previous = tmp_path / "alerts.jsonl"
    with Store.open(str(tmp_path / "s.db")) as store:
        load_entities(store, SOURCE, _entities(listed))
        for limit in (2, 3):
            opts = BulkOptions(workers=1, limit=limit, threshold=0.6)
            _full(store, customers, previous, opts)
            for step in range(3):
                for eid in rng.sample(sorted(listed), 3):
                    del listed[eid]
                for eid in rng.sample(sorted(listed), 3):
                    listed[eid] = f"{rng.choice(given)} {rng.choice(family)}"
                for n in range(3):
                    listed[f"n{limit}{step}{n}"] = f"{rng.choice(given)} {rng.choice(family)}"
                load_entities(store, SOURCE, _entities(listed))
                _delta(store, customers, previous, tmp_path / "d.jsonl", opts, path)
                full = tmp_path / f"full-{limit}-{step}.jsonl"
                _full(store, customers, full, opts)
                assert _alerts(previous) == _alerts(full), (limit, step)

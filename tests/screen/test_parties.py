"""Bulk screening and re-screening with same-as links: one alert per party, naming every
listing of it; a link made or undone, or a listing added to a party already alerted, is
not a new match; an alert goes only when no listing of it still scores.

Real stores (SQLite, and PostgreSQL where re-screening reads versions and diffs), real
customer files, forked workers.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from discreet.match import Matcher, Query
from discreet.model import Entity
from discreet.screen.bulk import BulkOptions, screen_bulk
from discreet.screen.rescreen import rescreen
from discreet.store import SameAs, Store
from tests.api.helpers import load_entities, person

CUSTOMERS = ["Ivan Sergeyevich Petrov", "Petrov Ivan", "Olga Smirnova", "Anna Schmidt",
             "Kim Jong Un", "Ivan Petrovsky"]


def _listed(eid: str, name: str, source: str, programme: str, dob: str = "1961") -> Entity:
    entity = person(eid, name, source, dob, "ru")
    entity.programmes.append(programme)
    return entity


def _ofac() -> list[Entity]:
    return [_listed("ofac-1", "Ivan Sergeyevich PETROV", "us_ofac_sdn", "RUSSIA-EO14024"),
            _listed("ofac-2", "Olga SMIRNOVA", "us_ofac_sdn", "UKRAINE-EO13660", "1970")]


def _un(with_petrov: bool = True) -> list[Entity]:
    out = [_listed("un-8", "KIM JONG UN", "un_sc_sanctions", "DPRK", "1984")]
    if with_petrov:
        out.append(_listed("un-7", "PETROV Ivan Sergeevich", "un_sc_sanctions", "ISIL"))
    return out


def _eu() -> list[Entity]:
    return [_listed("eu-3", "Ivan Sergejewitsch Petrow", "eu_fsf", "RUS")]


def _links(store: Store, *pairs: tuple[str, str]) -> None:
    store.replace_proposed_links(SameAs(a, b, "identifier", 0.99, ("passport 12 on both",))
                                 for a, b in pairs)


def _customers(path: Path, names: list[str] = CUSTOMERS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        writer.writerows((f"c{i}", name) for i, name in enumerate(names))
    return path


def _lines(path: Path) -> dict[str, list[dict[str, Any]]]:
    return {r["id"]: r["matches"] for r in map(json.loads, path.read_text().splitlines())}


def _store(url: str, linked: bool) -> Store:
    store = Store.open(url)
    load_entities(store, "us_ofac_sdn", _ofac())
    load_entities(store, "un_sc_sanctions", _un())
    load_entities(store, "eu_fsf", _eu())
    if linked:
        _links(store, ("ofac-1", "un-7"), ("eu-3", "un-7"))
    return store


def test_one_alert_per_party_naming_every_listing(tmp_path: Path) -> None:
    customers = _customers(tmp_path / "customers.csv", CUSTOMERS * 40)
    with _store(str(tmp_path / "store.db"), linked=True) as store:
        matcher = Matcher.from_store(store)
    out = tmp_path / "alerts.jsonl"
    summary = screen_bulk(matcher, customers, out, BulkOptions(workers=2, batch_size=16))
    lines = _lines(out)
    petrov = lines["c0"]
    party = [m for m in petrov if m.get("party")]
    assert len(party) == 1 and not [m for m in petrov if m["id"] in {"ofac-1", "un-7", "eu-3"}
                                    and m is not party[0]]
    [alert] = party
    assert {x["id"] for x in alert["listings"]} == {"ofac-1", "un-7", "eu-3"}
    assert alert["listings"][0]["id"] == alert["id"]
    assert {x["authority"] for x in alert["listings"]} == {"US", "UN", "EU"}
    assert set(alert["datasets"]) == {"us_ofac_sdn", "un_sc_sanctions", "eu_fsf"}
    assert all(x["score"] is not None for x in alert["listings"])  # all three scored
    # unlinked alerts are as they always were
    assert all("listings" not in m and m["datasets"] == ["us_ofac_sdn"]
               for m in lines["c2"]) and lines["c2"]
    # the summary counts one alert per party, under each of its lists and programmes
    per_row = sum(len(m) for m in lines.values())
    assert summary.alerts == per_row
    counted = summary.to_dict()
    assert counted["by_dataset"]["eu_fsf"] >= 40
    assert {"RUSSIA-EO14024", "ISIL", "RUS"} <= set(counted["by_programme"])
    assert counted["by_programme"]["ISIL"] == counted["by_programme"]["RUS"]
    # the CSV alert table: one row per party, its listings and programmes in columns
    table = tmp_path / "alerts.csv"
    screen_bulk(matcher, customers, table, BulkOptions(workers=1, output_format="csv"))
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = [r for r in rows if r["input_id"] == "c0" and ";" in r["listings"]]
    assert len(first) == 1
    row = first[0]
    assert row["listings"].split(";")[0] == row["entity_id"]
    assert set(row["listings"].split(";")) == {"ofac-1", "un-7", "eu-3"}
    assert set(row["programmes"].split(";")) == {"RUSSIA-EO14024", "ISIL", "RUS"}
    assert set(row["datasets"].split(";")) == {"us_ofac_sdn", "un_sc_sanctions", "eu_fsf"}
    smirnova = next(r for r in rows if r["input_id"] == "c2")
    assert smirnova["listings"] == smirnova["entity_id"] == "ofac-2"
    assert smirnova["programmes"] == "UKRAINE-EO13660"


def test_the_limit_counts_parties_in_a_run(tmp_path: Path) -> None:
    customers = _customers(tmp_path / "customers.csv", ["Ivan Petrov"])
    with _store(str(tmp_path / "store.db"), linked=True) as store:
        load_entities(store, "gb_fcdo_sanctions", [
            _listed("gb-1", "Ivan PETROVSKY", "gb_fcdo_sanctions", "RUS"),
            _listed("gb-2", "Ivan PETROVICH", "gb_fcdo_sanctions", "RUS")])
        matcher = Matcher.from_store(store)
        entities = matcher.match(Query("Ivan Petrov"), limit=2, threshold=0.3, collapse=False)
        assert {r.entity.id for r in entities} <= {"ofac-1", "un-7", "eu-3"}
    out = tmp_path / "alerts.jsonl"
    screen_bulk(matcher, customers, out, BulkOptions(workers=1, limit=2, threshold=0.3))
    matches = _lines(out)["c0"]
    assert len(matches) == 2  # the party, and the next party (not its second listing)
    assert {x["id"] for x in matches[0]["listings"]} == {"ofac-1", "un-7", "eu-3"}
    assert matches[1]["id"] in {"gb-1", "gb-2"}


def test_without_links_the_alerts_are_unchanged(tmp_path: Path) -> None:
    customers = _customers(tmp_path / "customers.csv")
    with _store(str(tmp_path / "linked.db"), linked=True) as store:
        entities = [e for v in store.active() for e in store.entities(v.source)]
        linked = Matcher.from_store(store)
    with _store(str(tmp_path / "plain.db"), linked=False) as store:
        plain = Matcher.from_store(store)
    assert plain.parties is None and linked.parties is not None
    a, b = tmp_path / "plain.jsonl", tmp_path / "entities.jsonl"
    screen_bulk(plain, customers, a, BulkOptions(workers=1))
    screen_bulk(Matcher.from_entities(entities), customers, b, BulkOptions(workers=1))
    assert a.read_bytes() == b.read_bytes()
    assert "listings" not in a.read_text() and "party" not in a.read_text()


def _run(matcher: Matcher, customers: Path, out: Path) -> None:
    screen_bulk(matcher, customers, out, BulkOptions(workers=1, limit=10, threshold=0.6))


def _rescreen(store: Store, customers: Path, previous: Path, out: Path,
              since: dict[str, int]) -> list[dict[str, Any]]:
    rescreen(Matcher.from_store(store), store, customers, previous, out, since=since,
             options=BulkOptions(workers=1, limit=10, threshold=0.6))
    return [json.loads(x) for x in out.read_text().splitlines()]


def test_a_link_made_is_not_a_new_alert(store_url: str, tmp_path: Path) -> None:
    """Alerted on ofac-1 and un-7 separately; then they are linked and un-7 amended (still
    matching): nothing new, nothing gone; un-7's alert is reported amended."""
    customers = _customers(tmp_path / "customers.csv")
    previous = tmp_path / "alerts.jsonl"
    with _store(store_url, linked=False) as store:
        _run(Matcher.from_store(store), customers, previous)
        assert {"ofac-1", "un-7"} <= {m["id"] for m in _lines(previous)["c0"]}
        since = {v.source: v.version for v in store.active()}
        _links(store, ("ofac-1", "un-7"), ("eu-3", "un-7"))
        amended = _un()
        amended[1].titles.append("General")
        load_entities(store, "un_sc_sanctions", amended)
        lines = _rescreen(store, customers, previous, tmp_path / "changes.jsonl", since)
    assert lines and all(not x["new"] and not x["gone"] for x in lines)
    assert {m["id"] for x in lines for m in x["amended"]} == {"un-7"}


def test_a_listing_added_to_an_alerted_party_is_not_a_new_alert(store_url: str,
                                                                 tmp_path: Path) -> None:
    customers = _customers(tmp_path / "customers.csv")
    previous = tmp_path / "alerts.jsonl"
    with Store.open(store_url) as store:
        load_entities(store, "us_ofac_sdn", _ofac())
        load_entities(store, "un_sc_sanctions", _un(with_petrov=False))
        load_entities(store, "eu_fsf", _eu())
        _links(store, ("eu-3", "ofac-1"))
        _run(Matcher.from_store(store), customers, previous)
        since = {v.source: v.version for v in store.active()}
        # the UN lists him now; the linking finds it; and the UN lists someone new
        load_entities(store, "un_sc_sanctions",
                      [*_un(), _listed("un-9", "Anna SCHMIDT", "un_sc_sanctions", "ISIL")])
        _links(store, ("eu-3", "ofac-1"), ("ofac-1", "un-7"))
        lines = _rescreen(store, customers, previous, tmp_path / "changes.jsonl", since)
    new = {(x["id"], m["id"]) for x in lines for m in x["new"]}
    assert ("c3", "un-9") in new  # Anna Schmidt is new
    assert not [n for n in new if n[0] == "c0"]  # Petrov's new listing is not
    assert {eid for _, eid in new} <= {"un-7", "un-9"}
    assert all(not x["gone"] for x in lines)


def test_an_alert_goes_only_when_no_listing_of_it_scores(store_url: str,
                                                          tmp_path: Path) -> None:
    customers = _customers(tmp_path / "customers.csv")
    previous = tmp_path / "alerts.jsonl"
    with _store(store_url, linked=True) as store:
        _run(Matcher.from_store(store), customers, previous)
        [alert] = [m for m in _lines(previous)["c0"] if m.get("party")]
        assert len([x for x in alert["listings"] if x["score"] is not None]) == 3
        since = {v.source: v.version for v in store.active()}
        assert alert["id"] == "ofac-1"  # the best-scoring listing is the alert's
        # OFAC delists the alerted listing: the UN and the EU still list him
        load_entities(store, "us_ofac_sdn", _ofac()[1:])
        lines = _rescreen(store, customers, previous, tmp_path / "one.jsonl", since)
        assert not any(g for x in lines for g in x["gone"] if x["id"] == "c0")
        # then the UN and the EU delist theirs too (the links stay): the alert goes
        load_entities(store, "un_sc_sanctions", _un(with_petrov=False))
        load_entities(store, "eu_fsf", [_listed("eu-4", "Mikhail MISHUSTIN", "eu_fsf", "RUS")])
        lines = _rescreen(store, customers, previous, tmp_path / "two.jsonl", since)
    gone = {(x["id"], g["id"], g["reason"]) for x in lines for g in x["gone"]}
    assert ("c0", alert["id"], "delisted") in gone
    assert not [x for x in lines if x["new"]]


def test_a_rejected_link_parts_a_party_in_a_run(tmp_path: Path) -> None:
    customers = _customers(tmp_path / "customers.csv")
    with _store(str(tmp_path / "store.db"), linked=True) as store:
        store.decide_link("ofac-1", "un-7", "rejected", by="analyst")
        matcher = Matcher.from_store(store)
    out = tmp_path / "alerts.jsonl"
    _run(matcher, customers, out)
    groups = {frozenset(x["id"] for x in m.get("listings", [m])) for m in _lines(out)["c0"]}
    assert {frozenset({"ofac-1"}), frozenset({"un-7", "eu-3"})} <= groups


@pytest.mark.parametrize("workers", [2])
def test_forked_workers_collapse_as_one_process(tmp_path: Path, workers: int) -> None:
    customers = _customers(tmp_path / "customers.csv", CUSTOMERS * 100)
    with _store(str(tmp_path / "store.db"), linked=True) as store:
        matcher = Matcher.from_store(store)
    one, many = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    screen_bulk(matcher, customers, one, BulkOptions(workers=1))
    screen_bulk(matcher, customers, many, BulkOptions(workers=workers, batch_size=32))
    assert one.read_bytes() == many.read_bytes()
    assert '"listings"' in one.read_text()


def test_discreet_match_names_every_listing(tmp_path: Path) -> None:
    """The command line: one result per party, its other listings said in the table view
    and given with their scores in --json."""
    db = tmp_path / "store.db"
    _store(str(db), linked=True).close()
    env = {**os.environ, "DISCREET_DB": str(db), "COLUMNS": "200"}

    def run(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "discreet", "match", "Ivan Petrov",
                               "--threshold", "0.5", *args], capture_output=True, text=True,
                              env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    [party] = [m for m in json.loads(run("--json")) if m.get("party")]
    assert {x["id"] for x in party["listings"]} == {"ofac-1", "un-7", "eu-3"}
    text = run()
    others = {"ofac-1", "un-7", "eu-3"} - {party["id"]}
    [line] = [x for x in text.splitlines() if x.startswith("also listed:")]
    assert all(f"{eid} (" in line for eid in others) and party["id"] not in line

"""Chronology by as-of date, never load order (issue 13), on SQLite and PostgreSQL.

Each test loads the same dated files into two fresh stores, once in date order and once
shuffled, and asserts that both hold the same versions, entities, diffs, histories and
timelines; and that the dates they show are the ones the files state or bound.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from discreet.errors import RejectedListError
from discreet.lists.load import read_list, state_date
from discreet.model import Entity
from discreet.store import ParsedList, Store
from discreet.store.chronology import place
from tests.conftest import ROOT, skip_outside_ci
from tests.store.helpers import parsed_list, person

ARCHIVE = ROOT.parent / "shared" / "fixtures" / "archive"
LISTS = ROOT.parent / "shared" / "fixtures" / "lists"


@pytest.fixture(params=["sqlite", "postgres"])
def two_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two fresh, empty stores on one backend: one loaded in date order, one shuffled."""
    if request.param == "sqlite":
        urls = [str(tmp_path / "dated.db"), str(tmp_path / "shuffled.db")]
        with Store.open(urls[0]) as first, Store.open(urls[1]) as second:
            yield first, second
        return
    import psycopg

    server: str = request.getfixturevalue("pg_server")
    names = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with psycopg.connect(server, autocommit=True) as conn:
        for name in names:
            conn.execute(f"CREATE DATABASE {name}")
    base = server.rsplit("/", 1)[0]
    try:
        with Store.open(f"{base}/{names[0]}") as first, Store.open(f"{base}/{names[1]}") as second:
            yield first, second
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            for name in names:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def view(store: Store, source: str) -> dict[str, Any]:
    """Everything a user can read about a source, keyed by as-of date, not version number
    (numbers are load order and differ between the two stores)."""
    infos = store.versions(source)
    date_of = {v.version: v.as_of for v in infos}
    diffs = []
    moved: set[str] = set()  # every entity that was added, removed or changed
    for before, after in itertools.pairwise(infos):
        d = store.diff(source, before.version, after.version)
        diffs.append((before.as_of, after.as_of, d.added, d.removed,
                      [(c.id, c.fields) for c in d.changed]))
        moved.update(d.added, d.removed, (c.id for c in d.changed))
    steady = sorted(e.id for e in store.entities(source, infos[0].version))[:50]
    histories = {eid: [(e.event, e.date, e.dated, e.after, tuple(e.fields), date_of[e.version])
                       for e in store.history(eid)] for eid in sorted(moved | set(steady))}
    return {
        "versions": [(v.as_of, v.as_of_basis, v.entities, v.added, v.removed, v.changed,
                      v.active) for v in infos],
        "entities": {v.as_of: sorted(e.to_json() for e in store.entities(source, v.version))
                     for v in infos},
        "default_diff": store.diff(source).to_dict()["added"],
        "diffs": diffs, "histories": histories,
        "timeline": [r.to_dict() for r in store.timeline(by="month")],
    }


def random_history(seed: int, versions: int = 7) -> list[ParsedList]:
    """Dated versions of a list where parties are added, changed, removed and relisted."""
    rng = random.Random(seed)
    listed: dict[int, Entity] = {i: person(i, f"Party {i}", listed_on=rng.choice(
        [None, None, "2019-05-01"])) for i in range(1, 25)}
    pool = 25
    files = []
    for k in range(versions):
        if k:
            for num in rng.sample(sorted(listed), 3):  # delist three
                del listed[num]
            for num in rng.sample(sorted(listed), 2):  # change two
                listed[num] = person(num, f"Party {num} ({k})",
                                     programme=rng.choice(["SDGT", "IRAN"]))
            for _ in range(rng.randint(1, 4)):  # list new ones, or relist an old number
                num = rng.choice([pool, rng.randint(1, pool)])
                pool += num == pool
                listed[num] = person(num, f"Party {num}", programme=rng.choice(["SDGT", "CYBER"]))
        day = f"2024-{k + 1:02d}-{rng.randint(1, 28):02d}"
        files.append(parsed_list(list(listed.values()), published=day, file_name=f"{day}.xml"))
    return files


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_loads_give_the_store_of_date_order(two_stores: tuple[Store, Store],
                                                     seed: int) -> None:
    dated, shuffled = two_stores
    files = random_history(seed)
    for parsed in files:
        assert dated.write(parsed, force=True).status == "new"
    order = files[:]
    random.Random(seed).shuffle(order)
    order.insert(0, order.pop(order.index(files[-1])))  # newest first: all others inserted
    statuses = [shuffled.write(parsed, force=True).status for parsed in order]
    assert statuses.count("inserted") >= 1
    assert view(shuffled, "test_list") == view(dated, "test_list")
    assert shuffled.active()[0].as_of == files[-1].published


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_files_of_one_date_give_one_history_whatever_the_order(
        two_stores: tuple[Store, Store], seed: int) -> None:
    """Two different files stating the same day (OFAC published twice on 2018-04-06):
    loaded in date order and in reverse, both stores keep the same versions in the same
    order (the tie broken by content), with the same diffs, histories and active version."""
    forward, backward = two_stores
    files = random_history(seed, versions=4)
    files[2] = dataclasses.replace(files[2], published=files[1].published)
    for parsed in files:
        forward.write(parsed, force=True)
    for parsed in reversed(files):
        backward.write(parsed, force=True)
    assert view(backward, "test_list") == view(forward, "test_list")
    versions = forward.versions("test_list")
    assert files[1].published is not None
    assert [v.as_of for v in versions].count(files[1].published) == 2
    assert versions[-1].active and versions[-1].as_of == files[-1].published


def test_an_older_file_is_gated_against_the_version_it_follows(store_url: str) -> None:
    """The removal gate and same-content detection hold for an insertion as for an append."""
    with Store.open(store_url) as store:
        full = [person(i, f"Party {i}") for i in range(1, 41)]
        store.write(parsed_list(full, published="2024-01-01"))
        store.write(parsed_list([*full, person(41, "New")], published="2024-06-01"))
        with pytest.raises(RejectedListError, match=r"cut\.xml: .*removes 20 of the 40 "
                                                    r"entities of version 1"):
            store.write(parsed_list(full[:20], published="2024-03-01", file_name="cut.xml"))
        same = store.write(parsed_list(full, published="2024-03-01"))
        assert (same.status, same.version) == ("unchanged", 1)
        assert [v.as_of for v in store.versions("test_list")] == ["2024-01-01", "2024-06-01"]
        forced = store.write(parsed_list(full[:20], published="2024-03-01"), force=True)
        assert (forced.status, forced.removed) == ("inserted", 20)
        # the active version now adds back the 20 and one new party
        assert store.versions("test_list")[-1].added == 21


def test_place_cuts_and_rejoins_spans() -> None:
    assert place([(1, None, "a")], 2, "a") == [(1, None, "a")]
    assert place([(1, None, "a")], 2, "b") == [(1, 1, "a"), (2, 2, "b"), (3, None, "a")]
    assert place([(1, None, "a")], 2, None) == [(1, 1, "a"), (3, None, "a")]
    assert place([(1, 1, "a"), (2, None, "b")], 2, "a") == [(1, 2, "a"), (3, None, "b")]
    assert place([(1, 1, "a"), (2, None, "b")], 1, None) == [(2, 2, "a"), (3, None, "b")]
    assert place([], 1, "c") == [(1, 1, "c")]


def test_dates_of_a_first_version_are_bounds_not_designations(store_url: str) -> None:
    """Present in the first version held: listed on or before it, not designated then."""
    with Store.open(store_url) as store:
        store.write(parsed_list([person(1, "Stated", listed_on="2019-05-01"),
                                 person(2, "Unstated")], published="2024-03-01"))
        store.write(parsed_list([person(1, "Stated", listed_on="2019-05-01"),
                                 person(3, "Added")], published="2024-04-10"), force=True)
        rows = {(r.period, r.basis): (r.designations, r.delistings)
                for r in store.timeline(by="year")}
        assert rows == {("2019", "stated"): (1, 0), ("≤2024-03-01", "on or before"): (1, 0),
                        ("2024", "inferred"): (1, 1)}
        assert [e.when for e in store.history("test-2")] == [
            "on or before 2024-03-01", "between 2024-03-01 and 2024-04-10"]


# -- the real files ------------------------------------------------------------------------

UN_FILES = [ARCHIVE / "un" / "un_consolidated_2020-11-24.xml",
            LISTS / "un" / "un_consolidated_2026-02-27.xml",
            LISTS / "un" / "un_consolidated_2018-06-07.xml",
            ARCHIVE / "un" / "un_consolidated_2024-11-30.xml"]
SDN = LISTS / "ofac_sdn_csv" / "history_jackdwyer"
SDN_FILES = [(SDN / "sdn_2024-05-03.csv", "2024-05-03"),
             (ARCHIVE / "ofac_sdn_csv" / "history_public" / "2022-11-29" / "sdn.csv",
              "2022-11-29"),
             (SDN / "sdn_2024-05-02.csv", "2024-05-02")]


def _need(paths: list[Path]) -> None:
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        skip_outside_ci(f"needs the real list files {', '.join(missing)}")


@pytest.fixture(scope="module")
def un_lists() -> list[ParsedList]:
    """The UN list at four dates, parsed once, in the (shuffled) order they are loaded."""
    _need(UN_FILES)
    return [read_list(path) for path in UN_FILES]


def test_real_un_files_out_of_order(two_stores: tuple[Store, Store],
                                    un_lists: list[ParsedList]) -> None:
    """The UN file of 2018-06-07 loaded after the one of 2026-02-27 is history, not the
    active version; histories never read delisted 2026 -> relisted 2018."""
    dated, shuffled = two_stores
    for parsed in sorted(un_lists, key=lambda p: p.published or ""):
        dated.write(parsed, force=True)
    results = [shuffled.write(parsed, force=True) for parsed in un_lists]
    assert [r.status for r in results] == ["new", "new", "inserted", "inserted"]
    [active] = shuffled.active()
    assert (active.as_of, active.as_of_basis) == ("2026-02-27", "file")
    assert [v.as_of for v in shuffled.versions(active.source)] == [
        "2018-06-07", "2020-11-24", "2024-11-30", "2026-02-27"]
    got, want = view(shuffled, active.source), view(dated, active.source)
    for key in want:
        assert got[key] == want[key], key
    for events in got["histories"].values():  # as-of order: dates never go back
        seen = [date for *_, date in events]
        assert seen == sorted(seen)


@pytest.fixture(scope="module")
def sdn_lists() -> list[ParsedList]:
    """OFAC sdn.csv (no date of its own) at three dates, dated as the operator states."""
    _need([path for path, _ in SDN_FILES])
    parsed = []
    for path, day in SDN_FILES:
        one = read_list(path)
        state_date(one, day)
        parsed.append(one)
    return parsed


def test_real_sdn_csv_dated_by_the_operator(store_url: str,
                                            sdn_lists: list[ParsedList]) -> None:
    """A delisting is dated between the two files around it, never by the load time, and
    no designation is counted in a year the files do not reach."""
    with Store.open(store_url) as store:
        results = [store.write(parsed, force=True) for parsed in sdn_lists]
        assert [(r.status, r.as_of_basis) for r in results] == [
            ("new", "operator"), ("inserted", "operator"), ("inserted", "operator")]
        assert store.active()[0].as_of == "2024-05-03"
        assert [(e.event, e.when) for e in store.history("ofac-38556")] == [
            ("listed", "on or before 2022-11-29"),
            ("delisted", "between 2024-05-02 and 2024-05-03")]
        rows = store.timeline(by="year", authority="OFAC")
        periods = {r.period for r in rows}
        assert periods <= {"≤2022-11-29", "2024"}, periods  # 2022 file: listed on or before
        russia = [r for r in rows if r.programme == "RUSSIA-EO14024"]
        assert {(r.period, r.basis) for r in russia} == {("≤2022-11-29", "on or before"),
                                                        ("2024", "inferred")}

"""Regime analytics on small dated lists of our own (tests/fixtures/regimes, see its
make_fixtures.py for the story), on SQLite and PostgreSQL; and on the real archive, every
figure checked against a direct reading of the files (in CI).

The expected figures of the small lists are counted by hand from the story; those of the
real lists are counted here with lxml over the UN XML files, independently of the parsers.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from discreet.errors import NotFoundError
from discreet.lists.load import load_file
from discreet.regimes.analytics import (
    BETWEEN,
    ON_OR_BEFORE,
    STATED,
    alignment,
    coverage,
    events,
    flows,
    load_regime,
    regime_relistings,
    regime_sizes,
    regime_summaries,
    size_series,
)
from discreet.store import SameAs, Store
from discreet.store.regimes import forget_facts
from tests.conftest import OWN_FIXTURES, SHARED_LISTS, skip_outside_ci

SMALL = OWN_FIXTURES / "regimes"
ARCHIVE = SHARED_LISTS.parent / "archive"


def load_small(store: Store, *, un: bool = True, ofac: bool = True, ofsi: bool = True) -> None:
    """The small lists, loaded out of date order (chronology is by as-of date)."""
    if ofsi:
        for path in sorted(SMALL.glob("ofsi_*.csv"), reverse=True):
            load_file(store, path, force=True)
    if un:
        for path in sorted(SMALL.glob("un_*.xml"), reverse=True):
            load_file(store, path, force=True)
    if ofac:
        for day in ("2023-06-01", "2021-01-10", "2022-03-01"):
            load_file(store, SMALL / f"ofac_{day}" / "sdn.csv", force=True, published=day)


def link(store: Store) -> None:
    """Same-as links between the OFAC and OFSI listings of one party (ofac-204 ~ 7003 is
    proposed, then rejected: a rejected link joins nothing)."""
    pairs = [("gb-hmt-7001", "ofac-201"), ("gb-hmt-7002", "ofac-202"),
             ("gb-hmt-7003", "ofac-203"), ("gb-hmt-7005", "ofac-206"),
             ("gb-hmt-7006", "ofac-207"), ("gb-hmt-7003", "ofac-204"),
             ("gb-hmt-7004", "un-1001")]
    store.replace_proposed_links(SameAs(a, b, "name", 0.99, ("test",)) for a, b in pairs)
    store.decide_link("gb-hmt-7003", "ofac-204", "rejected", by="analyst")


@pytest.fixture
def small(store_url: str) -> Iterator[Store]:
    forget_facts()  # each backend reads the records' facts itself
    with Store.open(store_url) as store:
        load_small(store)
        yield store


def test_size_over_time_per_list(small: Store) -> None:
    sizes = {s.source: [(p.date, p.count, p.as_of_basis) for p in s.points]
             for s in regime_sizes(small, "isil-al-qaida")}
    assert sizes == {
        "un_sc_sanctions": [("2020-01-10", 4, "file"), ("2021-06-01", 4, "file"),
                            ("2022-03-01", 4, "file")],
        "gb_hmt_sanctions": [("2021-06-01", 1, "file"), ("2022-06-01", 1, "file"),
                             ("2023-06-01", 1, "file")]}
    sizes = {s.source: [(p.date, p.count, p.as_of_basis) for p in s.points]
             for s in regime_sizes(small, "russia-ukraine")}
    assert sizes == {
        "us_ofac_sdn": [("2021-01-10", 4, "operator"), ("2022-03-01", 4, "operator"),
                        ("2023-06-01", 4, "operator")],
        "gb_hmt_sanctions": [("2021-06-01", 2, "file"), ("2022-06-01", 4, "file"),
                             ("2023-06-01", 5, "file")]}
    assert regime_sizes(small, "syria") == []


def test_events_say_how_each_date_is_known(small: Store) -> None:
    data = load_regime(small, "isil-al-qaida")
    found = {(e.entity_id, e.kind): (e.date, e.dated, e.after, e.other_programmes)
             for e in events(data)}
    assert found == {
        ("un-1001", "designation"): ("2005-01-01", STATED, None, False),
        ("un-1002", "designation"): ("2019-05-01", STATED, None, False),
        ("un-1003", "designation"): ("2010-03-03", STATED, None, False),
        # gone from the 2021 file: between the two files' dates
        ("un-1003", "delisting"): ("2021-06-01", BETWEEN, "2020-01-10", False),
        # its LISTED_ON is the first listing's: the relisting date is not stated
        ("un-1003", "relisting"): ("2022-03-01", BETWEEN, "2021-06-01", False),
        ("un-1004", "designation"): ("2021-02-02", STATED, None, False),
        ("un-1006", "designation"): ("2003-09-09", STATED, None, False),
        # moved to the Taliban list: leaves this regime, still listed
        ("un-1006", "delisting"): ("2022-03-01", BETWEEN, "2021-06-01", True),
        ("gb-hmt-7004", "designation"): ("2005-01-01", STATED, None, False)}
    data = load_regime(small, "russia-ukraine")
    ofac = {(e.entity_id, e.kind): (e.date, e.dated) for e in events(data)
            if e.source == "us_ofac_sdn"}
    # sdn.csv states no listing dates: present in the first version is "on or before"
    assert ofac[("ofac-201", "designation")] == ("2021-01-10", ON_OR_BEFORE)
    assert ofac[("ofac-202", "designation")] == ("2022-03-01", BETWEEN)
    assert ofac[("ofac-204", "relisting")] == ("2023-06-01", BETWEEN)
    assert len(ofac) == 10


def test_flows_per_year_and_month(small: Store) -> None:
    data = load_regime(small, "isil-al-qaida")
    rows = {(r.period, r.source, r.basis): (r.designations, r.delistings)
            for r in flows(data, by="year")}
    assert rows == {
        ("2003", "un_sc_sanctions", "stated"): (1, 0),
        ("2005", "gb_hmt_sanctions", "stated"): (1, 0),
        ("2005", "un_sc_sanctions", "stated"): (1, 0),
        ("2010", "un_sc_sanctions", "stated"): (1, 0),
        ("2019", "un_sc_sanctions", "stated"): (1, 0),
        ("2021", "un_sc_sanctions", "stated"): (1, 0),
        ("2021", "un_sc_sanctions", "inferred"): (0, 1),
        ("2022", "un_sc_sanctions", "inferred"): (1, 1)}
    data = load_regime(small, "russia-ukraine")
    rows = {(r.period, r.source, r.basis): (r.designations, r.delistings)
            for r in flows(data, by="month", since="2022-01-01")}
    assert rows == {
        ("2022-02", "gb_hmt_sanctions", "stated"): (1, 0),
        ("2022-03", "gb_hmt_sanctions", "stated"): (1, 0),
        ("2022-03", "us_ofac_sdn", "inferred"): (1, 1),
        ("2023-05", "gb_hmt_sanctions", "stated"): (1, 0),
        ("2023-06", "us_ofac_sdn", "inferred"): (2, 2)}
    first = [r for r in flows(data, by="year") if r.basis == "on or before"]
    assert [(r.period, r.source, r.designations) for r in first] == \
        [("≤2021-01-10", "us_ofac_sdn", 4)]
    with pytest.raises(ValueError):
        flows(data, by="week")


def test_relistings_named(small: Store) -> None:
    found = regime_relistings(small, "russia-ukraine")
    assert [(r.entity_id, r.caption, r.delisted.when, r.relisted.when) for r in found] == [
        ("ofac-204", "Pavel SIDOROV", "between 2021-01-10 and 2022-03-01",
         "between 2022-03-01 and 2023-06-01")]
    assert [r.entity_id for r in regime_relistings(small, "isil-al-qaida")] == ["un-1003"]


def test_alignment_in_parties(small: Store) -> None:
    data = load_regime(small, "russia-ukraine")
    unlinked = alignment(data, {}, "2023-12-31")
    assert unlinked.authorities == ["OFAC", "UK"]
    assert unlinked.cell("OFAC", "UK").also_by_b == 0
    link(small)
    parties = small.parties()
    after = alignment(data, parties, "2023-12-31")
    ofac_uk, uk_ofac = after.cell("OFAC", "UK"), after.cell("UK", "OFAC")
    assert (ofac_uk.listed_by_a, ofac_uk.also_by_b, ofac_uk.other_regime_by_b,
            ofac_uk.not_by_b) == (4, 3, 0, ["ofac-204"])
    # DOE is listed by OFAC under SDGT only; ROSTOK BANK was delisted by OFAC in 2023
    assert (uk_ofac.listed_by_a, uk_ofac.also_by_b, uk_ofac.other_regime_by_b,
            uk_ofac.not_by_b) == (5, 3, 1, ["gb-hmt-7003", "gb-hmt-7005"])
    assert after.captions["gb-hmt-7003"] == "ROSTOK BANK"
    # versions are numbered in load order (newest loaded first here), placed by as-of date
    assert [(v.source, v.version, v.as_of) for v in after.versions] == [
        ("gb_hmt_sanctions", 1, "2023-06-01"), ("un_sc_sanctions", 1, "2022-03-01"),
        ("us_ofac_sdn", 1, "2023-06-01")]
    before = alignment(data, parties, "2021-03-01")
    assert before.authorities == ["OFAC"] and before.cells == []
    assert any(g.startswith("UK: no version as of 2021-03-01") for g in before.gaps)


def test_coverage_says_where_there_is_no_data(small: Store) -> None:
    data = load_regime(small, "russia-ukraine")
    cov = coverage(data, "2021-03-01", "2023-12-31")
    by = {s.source: s for s in cov.sources}
    assert by["us_ofac_sdn"].baseline is not None
    assert by["us_ofac_sdn"].baseline.as_of == "2021-01-10"
    assert [r.as_of for r in by["us_ofac_sdn"].used] == ["2021-01-10", "2022-03-01",
                                                          "2023-06-01"]
    assert by["gb_hmt_sanctions"].baseline is None
    assert any("no version of gb_hmt_sanctions as of 2021-03-01" in g for g in cov.gaps)
    assert any("nothing held after 2023-06-01" in g for g in cov.gaps)
    assert sorted(cov.missing_authorities) == ["AU", "CA", "EU"]
    early = coverage(data, "2019-01-01", "2020-06-01")
    assert all(s.end is None for s in early.sources)


def test_summaries_and_unknown_regime(small: Store) -> None:
    rows = {r["id"]: r for r in regime_summaries(small)}
    assert rows["russia-ukraine"]["active"] == {"OFAC": 4, "UK": 5}
    assert rows["isil-al-qaida"]["active"] == {"UK": 1, "UN": 4}
    assert rows["taliban"]["active"] == {"UN": 2}
    assert rows["cyber"]["active"] == {"OFAC": 1}
    with pytest.raises(NotFoundError, match="no regime 'atlantis'"):
        load_regime(small, "atlantis")


def test_empty_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.db") as store:
        data = load_regime(store, "russia-ukraine")
        assert size_series(data) == [] and events(data) == []
        cov = coverage(data, "2020-01-01", "2021-01-01")
        assert cov.sources == [] and "OFAC" in cov.missing_authorities
        assert alignment(data, {}, "2021-01-01").cells == []


# -- the real UN list, 16 dates, against a direct count ---------------------------------------


def _un_files() -> list[Path]:
    if not ARCHIVE.is_dir():
        skip_outside_ci(f"needs the archive at {ARCHIVE}")
    return sorted([*(ARCHIVE / "un").glob("un_consolidated_*.xml"),
                   *(SHARED_LISTS / "un").glob("un_consolidated_*.xml")],
                  key=lambda p: p.stem.rsplit("_", 1)[1])


def un_reading(path: Path) -> tuple[str, dict[str, str]]:
    """(dateGenerated, DATAID -> UN_LIST_TYPE) read straight from the XML."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    listed = {}
    for tag in ("INDIVIDUAL", "ENTITY"):
        for node in root.iter(tag):
            listed[node.findtext("DATAID", "").strip()] = \
                node.findtext("UN_LIST_TYPE", "").strip()
    return root.getroot().get("dateGenerated", "")[:10], listed


def test_un_al_qaida_sizes_and_flows_match_the_files(tmp_path: Path) -> None:
    files = _un_files()
    readings = [un_reading(p) for p in files]
    members = [{k for k, v in listed.items() if v == "Al-Qaida"} for _, listed in readings]
    with Store.open(tmp_path / "un.db") as store:
        for path in files:
            load_file(store, path, force=True)
        started = time.perf_counter()
        data = load_regime(store, "isil-al-qaida")
        series = size_series(data)
        found = events(data)
        elapsed = time.perf_counter() - started
    assert [s.source for s in series] == ["un_sc_sanctions"]
    direct = {day: len(m) for (day, _), m in zip(readings, members, strict=True)}
    points = {p.date: p.count for p in series[0].points}
    assert len(points) >= 15
    assert all(direct[day] == count for day, count in points.items())
    # a file that made no version (same content as the one before) counts the same
    assert all(direct[day] == direct[readings[i - 1][0]]
               for i, (day, _) in enumerate(readings) if day not in points)
    designated = sum(e.kind == "relisting" or (e.kind == "designation" and e.position > 1)
                     for e in found)
    delisted = sum(e.kind == "delisting" for e in found)
    pairs = list(itertools.pairwise(members))
    assert designated == sum(len(b - a) for a, b in pairs)
    assert delisted == sum(len(a - b) for a, b in pairs)
    # leaving the regime while still listed (moved to another UN list) is flagged
    nxt = [listed for _, listed in readings[1:]]
    moved = sum(len({k for k in a - b if k in later})
                for (a, b), later in zip(pairs, nxt, strict=True))
    assert sum(e.other_programmes for e in found if e.kind == "delisting") == moved
    assert elapsed < 5


def test_span_facts_read_by_the_database(small: Store) -> None:
    """Programmes and stated dates as the database extracts them from the stored JSON, for
    the sources asked (the memo of facts per content hash gives the same answer again)."""
    first = small.span_facts(["un_sc_sanctions"])
    assert {f.source for f in first} == {"un_sc_sanctions"} and small.span_facts([]) == []
    facts = {(f.entity_id, f.first): (f.programmes, f.listed_on, f.last) for f in first}
    assert facts[("un-1006", 1)] == (("Al-Qaida",), "2003-09-09", 2)
    assert facts[("un-1006", 3)] == (("Taliban",), "2003-09-09", None)
    assert small.span_facts(["un_sc_sanctions"]) == first
    ofac = {f.entity_id: f.programmes for f in small.span_facts(["us_ofac_sdn"])
            if f.last is None}
    assert ofac["ofac-205"] == ("CYBER2",) and ofac["ofac-201"] == ("UKRAINE-EO13661",)

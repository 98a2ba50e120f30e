"""The issue's acceptance checks on the real published files in ../shared/fixtures/lists."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from discreet.errors import ParseError, UnknownFormatError
from discreet.lists.load import load_file
from discreet.sources import open_list
from discreet.store import Store
from tests.conftest import SHARED_LISTS

SIDE_FILES = ("add", "alt", "sdn_comments", "cons_add", "cons_alt", "cons_comments")


def manifest_counts() -> list[tuple[str, int]]:
    """(path, entities) for every list file whose MANIFEST row states a count."""
    path = SHARED_LISTS / "MANIFEST.csv"
    if not path.exists():
        return [("(../shared missing)", 0)]
    out = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = Path(row["path"]).stem.lower()
            digits = row["entries"].replace(",", "").split()
            if name.startswith(SIDE_FILES) or not digits or not digits[0].isdigit():
                continue
            count = int(digits[0])
            if "Group IDs" in row["entries"]:  # OFSI: "8950 rows / 2297 Group IDs"
                count = int(row["entries"].split("/")[1].split()[0])
            if "+" in row["entries"]:  # UN: "693 ind + 405 ent"
                count = sum(int(p.split()[0]) for p in row["entries"].split("+"))
            out.append((row["path"], count))
    return out


@pytest.mark.parametrize(("rel", "expected"), manifest_counts())
def test_every_real_file_has_the_manifest_count(shared_lists: Path, rel: str,
                                                expected: int) -> None:
    path = shared_lists / rel
    if expected == 0:
        with pytest.raises((ParseError, UnknownFormatError)):
            meta, entities = open_list(path)
            list(entities)
        return
    meta, entities = open_list(path)
    assert sum(1 for _ in entities) == expected
    assert meta.dataset and meta.authority


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def _sdn(shared: Path, day: str) -> Path:
    return shared / "ofac_sdn_csv" / "history_jackdwyer" / f"sdn_2024-{day}.csv"


def test_ofac_sdn_diffs(shared_lists: Path, store: Store) -> None:
    for day in ("02-20", "02-23", "05-02", "05-03"):
        load_file(store, _sdn(shared_lists, day), source="us_ofac_sdn")
    assert [v.entities for v in store.versions("us_ofac_sdn")] == [13931, 14484, 14973, 14965]
    first = store.diff("us_ofac_sdn", 1, 2)
    assert len(first.added) == 553 and not first.removed
    last = store.diff("us_ofac_sdn", 3, 4)
    assert len(last.removed) == 8 and not last.added
    assert all(store.history(eid)[-1].event == "delisted" for eid in last.removed)


def test_un_regeneration_without_change_makes_no_version(shared_lists: Path,
                                                         store: Store) -> None:
    first = load_file(store, shared_lists / "un" / "un_consolidated_2025-11-18.xml")
    second = load_file(store, shared_lists / "un" / "un_consolidated_2025-11-20.xml")
    assert (first.status, first.entities) == ("new", 1000)
    assert (second.status, second.version) == ("unchanged", 1)
    assert len(store.versions("un_sc_sanctions")) == 1


def test_real_bad_downloads_leave_active_version(shared_lists: Path, store: Store) -> None:
    load_file(store, _sdn(shared_lists, "05-03"), source="us_ofac_sdn")
    empty = _sdn(shared_lists, "05-04_EMPTY")
    with pytest.raises(UnknownFormatError, match="empty"):
        load_file(store, empty, source="us_ofac_sdn")
    error_page = shared_lists / "ofac_sdn_xml" / "bad_download_s3_NoSuchKey_error.xml"
    with pytest.raises(UnknownFormatError, match="NoSuchKey"):
        load_file(store, error_page, source="us_ofac_sdn")
    [active] = store.active()
    assert (active.version, active.entities) == (1, 14965)


def test_every_source_loads_into_one_store(shared_lists: Path, tmp_path: Path) -> None:
    files = ["un/un_consolidated_2026-02-27.xml",
             "ofac_enhanced_xml/CONS_ENHANCED_2025-01-10.XML",
             "eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml",
             "uk_fcdo/uk_sanctions_list_excerpt_2026-09-10.xml",
             "uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv",
             "ofac_sdn_csv/watchman_bench_2021-07/sdn.csv"]
    with Store.open(tmp_path / "all.db") as store:
        for rel in files:
            load_file(store, shared_lists / rel)
        counts = {v.source: v.entities for v in store.active()}
        assert counts == {"un_sc_sanctions": 1003, "us_ofac_cons": 443, "eu_fsf": 5,
                          "gb_fcdo_sanctions": 5, "gb_hmt_sanctions": 2297,
                          "us_ofac_sdn": 8976}
        rows = store.timeline(authority="UN", by="year")
        assert sum(r.designations for r in rows) >= 1003

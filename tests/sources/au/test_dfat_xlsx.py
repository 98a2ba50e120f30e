"""Australia's DFAT consolidated list workbook (regulation8_consolidated.xlsx)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from discreet.errors import ParseError
from discreet.model import Address, DateSpec, Entity, Identifier, Name
from discreet.sources import ListMeta, detect, open_list
from discreet.sources.au import dfat_xlsx
from discreet.sources.au.dfat_xlsx import listing_date
from discreet.sources.common.birth_dates import read_birth_dates
from tests.conftest import OWN_FIXTURES, SHARED_LISTS, skip_outside_ci

REAL = SHARED_LISTS.parent / "archive" / "au_dfat" / "regulation8_consolidated_2024-11-11.xlsx"
SMALL = OWN_FIXTURES / "au" / "dfat_small.xlsx"  # written by make_dfat_small.py beside it
HEADER = ("Reference", "Name of Individual or Entity", "Type", "Name Type", "Date of Birth",
          "Place of Birth", "Citizenship", "Address", "Additional Information",
          "Listing Information", "Committees", "Control Date")
# The real file's numbers, read with openpyxl alone (see _independent_counts): rows with a
# reference, listings (references grouped by their number), individuals, entities, and the
# listings of the three largest committees.
REAL_COUNTS = {
    "rows": 9553, "listings": 3062, "individual": 2316, "entity": 746,
    "1267/1989/2253 (ISIL (Da'esh) and Al-Qaida)": 347, "Autonomous (Russia)": 647,
    "Autonomous (Ukraine)": 841,
}


def load(path: Path, fmt: str = "auto") -> tuple[ListMeta, list[Entity]]:
    meta, entities = open_list(path, fmt)
    return meta, list(entities)


def by_id(entities: list[Entity]) -> dict[str, Entity]:
    return {e.id: e for e in entities}


def workbook(path: Path, sheets: dict[str, list[tuple[Any, ...]]]) -> Path:
    """Write a workbook with these sheets (name -> rows) and return its path."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def row(reference: object, name: str, name_type: str = "Primary Name",
        committee: str = "Autonomous (Iran)") -> tuple[Any, ...]:
    return (reference, name, "Individual", name_type, "1970", None, "Iranian", None, None,
            "Listed on 1 May 2012", committee, datetime(2012, 5, 2))


def test_small_fixture_meta_and_ids() -> None:
    meta, entities = load(SMALL)
    assert (meta.format, meta.dataset, meta.authority) == (
        "au_dfat_xlsx", "au_dfat_sanctions", "AU")
    assert meta.published == "2024-11-11"  # the workbook's own "modified" property
    assert meta.record_count == 5
    assert [(e.id, e.schema, e.authority_id) for e in entities] == [
        ("au-2", "Person", "2"), ("au-10", "Person", "10"), ("au-11", "Organization", "11"),
        ("au-12", "Person", "12"), ("au-13", "Person", "13")]
    assert meta.warnings == ["dfat_small.xlsx: name type 'Nickname' unknown (read as alias) "
                             "in 1 rows"]


def test_small_fixture_listings() -> None:
    entities = by_id(load(SMALL)[1])
    taliban = entities["au-2"]
    assert taliban.names == [Name("MOHAMMAD KARIM AKHTARI", "primary", script="Latin"),
                             Name("محمد کریم اختری", "alias", script="Arabic")]
    assert taliban.birth_dates == [DateSpec("1955", "1958", True), DateSpec("1945", "1950", True)]
    assert (taliban.citizenships, taliban.programmes) == (["af"], ["1988 (Taliban)"])
    assert taliban.listed_on == "2001-01-25"  # stated in Listing Information
    assert taliban.properties == {"modifiedAt": ["2014-12-15"]}  # the Control Date
    russia = entities["au-10"]
    # an alias row's own birth date is kept beside the listing's
    assert russia.birth_dates == [DateSpec("1962-05-04"), DateSpec("1963")]
    assert russia.citizenships == ["ru", "ua"]  # "Russian and Ukrainian"
    assert russia.programmes == ["Autonomous (Russia)"]  # "Autonomous (Russia) " in the file
    assert russia.listed_on == "2023-07-20"  # only an instrument named: the Control Date
    ship_owner = entities["au-11"]
    assert ship_owner.identifiers == [Identifier("imo", "5571322", label="IMO number")]
    assert ship_owner.addresses == [Address("1 Harbour Road, Nampo, North Korea",
                                            country="kp")]  # "b) NA" is no address
    assert ship_owner.listed_on == "2018-03-30"
    khalil = entities["au-12"]
    assert [(n.value, n.kind) for n in khalil.names] == [
        ("Nadia Hassan KHALIL", "primary"), ("Nadia Khalil", "alias"),
        ("Nadia al-Hassan", "previous")]  # 12b1, "Formerly known as"
    assert khalil.birth_dates == [DateSpec("1971-03-12")]  # dd/mm/yyyy
    quill = entities["au-13"]
    assert quill.birth_dates == [DateSpec("1962")]  # "alt DOB: 1962"
    assert "Citizenship as written: Possibly Atlantean" in quill.remarks  # kept, not dropped
    assert quill.listed_on == "2021-03-22"  # Listing Information held an Excel date


@pytest.mark.parametrize(("text", "iso"), [
    ("Listed on 31 July 2014", "2014-07-31"),
    ("Listed on: 4 Jun. 2008 (amended on 13 Dec. 2011, 25 Oct. 2016)", "2008-06-04"),
    ("Listed by UN 1267 Committee on 25 January 2001 (amended on 20 December 2005)",
     "2001-01-25"),
    ("Listed by the UN 1591 Committee on 8 November 2024", "2024-11-08"),
    ("Instrument of first listing - Charter of the United Nations Act 1945 Listing 2011 (No 1) "
     "[F2021L00641]. The Minister listed this individual on 16 November 2011 under subsection "
     "15(1)", "2011-11-16"),
    ("Autonomous Sanctions (Designated Persons and Entities and Declared Persons—Russia and "
     "Ukraine) Amendment (No. 8) Instrument 2023", None),
    ("2021-03-22", "2021-03-22"), ("", None), (None, None), ("Listed on 31 Foo 2014", None),
])
def test_listing_date(text: str | None, iso: str | None) -> None:
    assert listing_date(text) == iso


def test_header_below_a_title_row_and_on_a_later_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "list.xlsx", {
        "Notes": [("Consolidated list",), ("See the other sheet",)],
        "List": [("Last updated 1 May 2012",), HEADER, row(1, "Ali RAHIMI"),
                 row("1a", "Ali Rahimy", "aka"), row(7, "Sara KARIMI")]})
    _, entities = load(path)
    assert [(e.id, [n.value for n in e.names]) for e in entities] == [
        ("au-1", ["Ali RAHIMI", "Ali Rahimy"]), ("au-7", ["Sara KARIMI"])]
    assert entities[0].listed_on == "2012-05-01"


def test_a_workbook_that_is_not_the_list_is_refused_in_one_line(tmp_path: Path) -> None:
    customers = workbook(tmp_path / "customers.xlsx", {
        "Clients": [("Full Name", "Date of Birth"), ("Jane Doe", "1980-01-02")],
        "Other": [("nothing",)]})
    assert detect(customers).format == "au_dfat_xlsx"  # any workbook; the header decides
    with pytest.raises(ParseError) as caught:
        load(customers)
    said = str(caught.value)
    assert said.startswith("customers.xlsx: no sheet has the DFAT consolidated list header")
    assert "(sheets: Clients, Other)" in said and "\n" not in said
    empty = workbook(tmp_path / "empty.xlsx", {"Sheet1": [HEADER]})
    with pytest.raises(ParseError, match="no sheet has the DFAT consolidated list header"):
        load(empty)


def test_missing_column_and_bad_reference_name_the_field(tmp_path: Path) -> None:
    no_committees = workbook(tmp_path / "a.xlsx", {"S": [HEADER[:10], row(1, "X Y")[:10]]})
    with pytest.raises(ParseError) as caught:
        load(no_committees)
    assert caught.value.field == "Committees" and "a.xlsx" in str(caught.value)
    bad = workbook(tmp_path / "b.xlsx", {"S": [HEADER, row(1, "X Y"), row("1-a", "X Z")]})
    with pytest.raises(ParseError) as caught:
        load(bad)
    assert (caught.value.file, caught.value.line, caught.value.field) == ("b.xlsx", 3,
                                                                          "Reference")


def test_huge_cell_is_refused(tmp_path: Path) -> None:
    huge = workbook(tmp_path / "h.xlsx", {"S": [HEADER, row(1, "X " * 70_000)]})
    with pytest.raises(ParseError) as caught:
        load(huge)
    assert "over the limit" in str(caught.value) and caught.value.line == 2


def test_cut_and_damaged_files_are_one_line(tmp_path: Path) -> None:
    data = SMALL.read_bytes()
    path = tmp_path / "cut.xlsx"
    for cut in range(200, len(data), len(data) // 9):
        path.write_bytes(data[:cut])
        with pytest.raises(ParseError) as caught:
            load(path, "au_dfat_xlsx")
        said = str(caught.value)
        assert said.startswith("cut.xlsx: ") and "\n" not in said, cut
    text = tmp_path / "list.xlsx"
    text.write_text("Reference,Name\n1,X\n", encoding="utf-8")
    with pytest.raises(ParseError, match="not a readable Excel workbook"):
        load(text, "au_dfat_xlsx")


def test_inflating_zip_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dfat_xlsx, "MAX_UNZIPPED_BYTES", 1000)  # the small fixture unpacks
    with pytest.raises(ParseError, match="over the limit of 1,000: not a real list"):
        load(SMALL)


def _independent_counts(path: Path) -> dict[str, int]:
    """Counts from openpyxl rows alone: references grouped by their leading number."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [r for r in book.worksheets[0].iter_rows(min_row=2, max_col=12, values_only=True)
                if r[0] is not None]
    finally:
        book.close()
    first: dict[str, tuple[Any, ...]] = {}
    for r in rows:
        first.setdefault(re.match(r"\d+", str(r[0]).strip())[0], r)  # type: ignore[index]
    kinds = Counter(str(r[2]).strip().lower() for r in first.values())
    committees = Counter(" ".join(str(r[10]).split()) for r in first.values())
    return {"rows": len(rows), "listings": len(first), **kinds,
            **{c: committees[c] for c in REAL_COUNTS if c in committees}}


@pytest.fixture(scope="module")
def real() -> tuple[ListMeta, list[Entity]]:
    if not REAL.is_file():
        skip_outside_ci(f"needs the real DFAT list at {REAL}")
    return load(REAL)


def test_real_file_loads_with_independent_counts(real: tuple[ListMeta, list[Entity]]) -> None:
    assert _independent_counts(REAL) == REAL_COUNTS
    meta, entities = real
    assert (meta.format, meta.published, meta.warnings) == ("au_dfat_xlsx", "2024-11-11", [])
    assert len(entities) == meta.record_count == REAL_COUNTS["listings"]
    assert len({e.id for e in entities}) == len(entities)
    assert Counter(e.schema for e in entities) == {"Person": REAL_COUNTS["individual"],
                                                   "Organization": REAL_COUNTS["entity"]}
    programmes = Counter(p for e in entities for p in e.programmes)
    for committee in ("1267/1989/2253 (ISIL (Da'esh) and Al-Qaida)", "Autonomous (Russia)",
                      "Autonomous (Ukraine)"):
        assert programmes[committee] == REAL_COUNTS[committee]
    # every row's name is on its listing: names per listing never exceed its rows
    assert sum(len(e.names) for e in entities) <= REAL_COUNTS["rows"]
    assert sum(len(e.names) for e in entities) >= REAL_COUNTS["rows"] - 200  # repeats merge
    assert all(e.listed_on and sum(n.kind == "primary" for n in e.names) == 1
               for e in entities)


def test_real_file_values(real: tuple[ListMeta, list[Entity]]) -> None:
    entities = by_id(real[1])
    akhund = entities["au-2"]
    assert akhund.caption == "MOHAMMAD HASSAN AKHUND"
    assert akhund.birth_dates == [DateSpec("1955", "1958", True), DateSpec("1945", "1950", True)]
    assert akhund.listed_on == "2001-01-25" and akhund.programmes == ["1988 (Taliban)"]
    assert sum(1 for e in real[1] if any(i.type == "imo" for i in e.identifiers)) == 20
    assert sum(1 for e in real[1] if e.birth_dates) > 2150


@pytest.mark.parametrize(("text", "order", "dates", "unread"), [
    ("1965-04-29", "YMD", [DateSpec("1965-04-29")], []),
    ("1972-08-10 or 1972-08-11", "YMD", [DateSpec("1972-08-10"), DateSpec("1972-08-11")], []),
    ("1965-07-15 OR 1969-09-28", "YMD", [DateSpec("1965-07-15"), DateSpec("1969-09-28")], []),
    ("1963-1964", "YMD", [DateSpec("1963", "1964")], []),
    ("born in the early 1970s", "YMD", [DateSpec("1970", "1974", True)], []),
    ("late 1960s", "YMD", [DateSpec("1966", "1969", True)], []),
    ("Sep-99", "YMD", [DateSpec("1999-09")], []),
    ("1975-19-25", "YMD", [], ["1975-19-25"]),
    ("a) 01/02/1960;      b) 03/04/1961", "DMY", [DateSpec("1960-02-01"), DateSpec("1961-04-03")],
     []),
    ("(a) 1960 (b) 1962", "DMY", [DateSpec("1960"), DateSpec("1962")], []),
    ("Between 1960 and 1962", "DMY", [DateSpec("1960", "1962")], []),
    ("approximately 1977/1978", "DMY", [DateSpec("1977", "1978", True)], []),
    ("12 Dec. 1960", "DMY", [DateSpec("1960-12-12")], []),
    ("14 Mar 1974 >> 1 Aug 1970", "DMY", [DateSpec("1974-03-14"), DateSpec("1970-08-01")], []),
    ("alt DOB: 19/11/1956", "DMY", [DateSpec("1956-11-19")], []),
    ("3 March 1979 (from false passport)", "DMY", [DateSpec("1979-03-03")],
     ["3 March 1979 (from false passport)"]),  # the note is kept as written
    ("", "DMY", [], []), ("Unknown place", "DMY", [], ["Unknown place"]),
])
def test_birth_dates_as_written(text: str, order: str, dates: list[DateSpec],
                                unread: list[str]) -> None:
    read = read_birth_dates(text, order)
    assert (read.dates, read.unread) == (dates, unread)

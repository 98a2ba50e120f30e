"""Canada's consolidated autonomous sanctions list XML (sema-lmes.xml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from discreet.errors import ParseError, UnknownFormatError, UnsafeInputError
from discreet.model import DateSpec, Entity, Identifier, Name
from discreet.sources import ListMeta, detect, open_list
from discreet.sources.ca.sema_xml import schedule_key, split_names
from tests.conftest import OWN_FIXTURES, SHARED_LISTS, skip_outside_ci

ARCHIVE = SHARED_LISTS.parent / "archive" / "ca_sema"
SMALL = OWN_FIXTURES / "ca" / "sema_small.xml"
# Counts established by reading the files with plain regular expressions (see
# _independent_counts), not by the parser: records, persons (a LastName or GivenName),
# ships (a ShipIMONumber), records with a DateOfListing, distinct Country values.
REAL_COUNTS = {
    "sema-lmes_2020-04.xml": (1369, 985, 0, 0, 10),
    "sema-lmes_2025-05.xml": (4759, 3334, 109, 4759, 19),
}


def load(path: Path, fmt: str = "auto") -> tuple[ListMeta, list[Entity]]:
    meta, entities = open_list(path, fmt)
    return meta, list(entities)


def by_id(entities: list[Entity]) -> dict[str, Entity]:
    return {e.id: e for e in entities}


def _archive(name: str) -> Path:
    path = ARCHIVE / name
    if not path.is_file():
        skip_outside_ci(f"needs the real Canadian list at {path}")
    return path


def _independent_counts(path: Path) -> tuple[int, int, int, int, int]:
    """The file's numbers read with regular expressions only."""
    text = path.read_text(encoding="utf-8")
    records = re.findall(r"<record>(.*?)</record>", text, re.S)
    persons = sum(1 for r in records if re.search(r"<(LastName|GivenName)>", r))
    ships = sum(1 for r in records if "<ShipIMONumber>" in r)
    listed = sum(1 for r in records if re.search(r"<DateOfListing>\d{4}-\d\d-\d\d<", r))
    regimes = {" ".join(c.split()) for c in re.findall(r"<Country>([^<]*)<", text)}
    return len(records), persons, ships, listed, len(regimes)


def test_small_fixture_meta_and_ids() -> None:
    meta, entities = load(SMALL)
    assert (meta.format, meta.dataset, meta.authority) == (
        "ca_sema_xml", "ca_dfatd_sema_sanctions", "CA")
    assert meta.published is None  # the file states no date
    assert meta.record_count == 10
    assert [(e.id, e.schema) for e in entities] == [
        ("ca-ru-p1-1", "Person"), ("ca-ru-p2-1", "Organization"), ("ca-ru-s1.1-1", "Vessel"),
        ("ca-ru-s2-1", "Organization"), ("ca-by-p1-7", "Person"), ("ca-ir-p2-12", "Organization"),
        ("ca-mm-p2-16", "Organization"), ("ca-mm-p1-3", "Person"), ("ca-jvcfor-10", "Person"),
        ("ca-ve-49", "Person")]
    assert all(e.source == "ca_dfatd_sema_sanctions" and e.authority == "CA" for e in entities)
    # an element the list never had is kept on its entity and reported, never dropped
    assert meta.warnings == ["sema_small.xml: unknown field <Remark> in 1 records, kept as "
                             "remarks"]
    assert "Remark: Listed together with item 50" in by_id(entities)["ca-ve-49"].remarks


def test_small_fixture_people() -> None:
    entities = by_id(load(SMALL)[1])
    ivan = entities["ca-ru-p1-1"]
    assert ivan.names == [
        Name("Ivan Sergeevich PETROVSKY", "primary",
             parts=(("firstName", "Ivan Sergeevich"), ("lastName", "PETROVSKY"))),
        Name("Иван Сергеевич Петровский", "alias", script="Cyrillic"),
        Name("Ivan Petrovskiy", "alias", script="Latin")]
    assert ivan.birth_dates == [DateSpec("1961-03-14"), DateSpec("1961-03-15")]
    assert (ivan.programmes, ivan.listed_on) == (["Russia / Russie"], "2022-02-24")
    assert ivan.remarks == ["Schedule: 1, Part 1; item: 1"]
    hanna = entities["ca-by-p1-7"]
    # language labels dropped, each script's name an alias of its own
    assert [n.value for n in hanna.names[1:]] == [
        "Anna Petrovna Kovalenko", "Ганна Пятроўна Каваленка", "Анна Петровна Коваленко"]
    assert hanna.titles == ["Major General/major-général"]
    assert hanna.birth_dates == [DateSpec("1970", "1974", approximate=True)]
    assert entities["ca-mm-p1-3"].birth_dates == [DateSpec("1966-09")]  # "Sep-66"
    # an impossible date is no birth date, and is kept as written
    luisa = entities["ca-jvcfor-10"]
    assert luisa.birth_dates == [] and "Date as written: 1975-19-25" in luisa.remarks
    assert luisa.programmes == [
        "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / Règlement "
        "relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)"]
    assert entities["ca-ve-49"].programmes == ["Venezuela"]  # "Venezuela " in the file


def test_small_fixture_entities_and_ships() -> None:
    entities = by_id(load(SMALL)[1])
    works = entities["ca-ru-p2-1"]
    # a legal form after a comma belongs to the name before it; "and" starts a new one
    assert [n.value for n in works.names] == [
        "Northern Lathe Works", 'Акционерное общество "Северный станкозавод", АО', "NLW"]
    institute = entities["ca-ir-p2-12"]
    assert [(n.value, n.kind) for n in institute.names] == [
        ("Institute of Applied Optics", "primary"), ("Institut d'optique appliquée", "alias")]
    # a slash inside a name is not an English/French pair
    assert [n.value for n in entities["ca-mm-p2-16"].names] == [
        "Delta Steel Mills (Hmaw Bi/Pyi/Ywama)"]
    ship = entities["ca-ru-s1.1-1"]
    assert ship.identifiers == [Identifier("imo", "9123456", label="ShipIMONumber")]
    assert ship.properties == {"vesselType": ["Oil Tanker"], "buildDate": ["2004"]}
    assert ship.birth_dates == [] and ship.titles == []


@pytest.mark.parametrize(("schedule", "has_parts", "key"), [
    ("1, Part 1", True, "p1"), ("Part 1", True, "p1"), ("1,Part 3", True, "p3"),
    ("1 , Part 2.1", True, "p2.1"), ("1", True, "p1"), ("1", False, "p1"),
    ("2", False, "p2"),  # Burma 2020 "2" is its 2025 "Part 2"
    ("2", True, "s2"),  # Russia's schedule 2 beside its "1, Part 2"
    ("1.1", True, "s1.1"), ("2, Part 1", True, "s2-p1"), ("N/A", False, None),
    (None, True, None), ("  ", False, None), ("Annex B", False, "x-annex-b"),
])
def test_schedule_key(schedule: str | None, has_parts: bool, key: str | None) -> None:
    assert schedule_key(schedule, has_parts) == key


@pytest.mark.parametrize(("text", "names"), [
    ("A; B C", ["A", "B C"]),
    ("RNRC, RNPK", ["RNRC", "RNPK"]),
    ("Belarusian: Юры Іванавіч, Russian : Юрий Иванович", ["Юры Іванавіч", "Юрий Иванович"]),
    ("Владимир ПАВЛЕНКО / Володимир ПАВЛЕНКО", ["Владимир ПАВЛЕНКО", "Володимир ПАВЛЕНКО"]),
    ("(Юрий ГОВТВИН / Юрiй ГОВТВIН", ["Юрий ГОВТВИН", "Юрiй ГОВТВIН"]),  # bracket never closed
    ("Министерство культуры, спорта и туризма", ["Министерство культуры, спорта и туризма"]),
    ('АО "Завод, Север", ЗАО', ['АО "Завод, Север", ЗАО']),  # comma in quotes; legal form
    ("Sazman-e Basij, the Basij", ["Sazman-e Basij", "the Basij"]),
    ("X Ltd (Y, Z)", ["X Ltd (Y, Z)"]),
    ("", []), (None, []), ("N/A", []),
])
def test_split_alias_cells(text: str | None, names: list[str]) -> None:
    assert split_names(text) == names


def test_entity_name_slash_pairs() -> None:
    assert split_names("Iranian Army/Armée iranienne", slash=True) == [
        "Iranian Army", "Armée iranienne"]
    assert split_names("Hezbollah/Hizballah", slash=True) == ["Hezbollah/Hizballah"]
    assert split_names("Air Bagan, Limited", slash=True) == ["Air Bagan, Limited"]


def test_detected_and_not_confused(own_fixtures: Path) -> None:
    assert detect(SMALL).format == "ca_sema_xml"
    for other in ("un/un_small.xml", "eu_fsf/eu_small.xml", "uk_fcdo/uk_small.xml",
                  "ofac_xml/sdn_sample.xml"):
        assert detect(own_fixtures / other).format != "ca_sema_xml"


def _write(tmp_path: Path, body: str, name: str = "sema.xml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_truncated_file_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    data = SMALL.read_bytes()
    path = tmp_path / "sema-cut.xml"
    for cut in range(120, len(data) - 1, 97):  # inside tags, values and between records
        path.write_bytes(data[:cut])
        with pytest.raises(ParseError) as caught:
            load(path)
        said = str(caught.value)
        assert said.startswith("sema-cut.xml, line ") and "\n" not in said, cut
        assert "truncated or malformed" in said or "malformed XML" in said, said


def test_record_without_item_or_country_is_refused(tmp_path: Path) -> None:
    head = '<?xml version="1.0"?>\n<data-set>\n'
    no_item = _write(tmp_path, head + "<record><Country>Iran</Country>"
                     "<Entity>X Co</Entity></record>\n</data-set>")
    with pytest.raises(ParseError) as caught:
        load(no_item, "ca_sema_xml")
    assert (caught.value.field, caught.value.line, caught.value.file) == ("Item", 3, "sema.xml")
    no_country = _write(tmp_path, head + "<record>\n<Entity>X Co</Entity><Item>4</Item>"
                        "</record>\n</data-set>", "c.xml")
    with pytest.raises(ParseError) as caught:
        load(no_country, "ca_sema_xml")
    assert caught.value.field == "Country" and "c.xml" in str(caught.value)


def test_wrong_root_dtd_and_huge_value(tmp_path: Path) -> None:
    other = _write(tmp_path, '<?xml version="1.0"?><list><record><Item>1</Item></record></list>')
    with pytest.raises(ParseError, match=r"root element <list> is not <data-set>"):
        load(other, "ca_sema_xml")
    with pytest.raises(UnknownFormatError):
        detect(other)
    bomb = _write(tmp_path, '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                  "<data-set><record><Country>&a;</Country><Item>1</Item></record></data-set>")
    with pytest.raises(UnsafeInputError):
        load(bomb, "ca_sema_xml")
    huge = _write(tmp_path, '<?xml version="1.0"?><data-set><record><Country>Iran</Country>'
                  f"<Entity>{'A' * 200_000}</Entity><Item>1</Item></record></data-set>")
    with pytest.raises(ParseError) as caught:
        load(huge, "ca_sema_xml")
    assert "over the limit" in str(caught.value) and caught.value.field == "Entity"


def test_same_item_twice_keeps_both(tmp_path: Path) -> None:
    """A schedule spelt two ways in one file ("Part 1" and "1, Part 1") must lose nothing."""
    body = ('<?xml version="1.0"?><data-set>'
            "<record><Country>Haiti / Haïti</Country><Entity>A Co</Entity>"
            "<Schedule>Part 1</Schedule><Item>1</Item></record>"
            "<record><Country>Haiti / Haïti</Country><Entity>B Co</Entity>"
            "<Schedule>1, Part 1</Schedule><Item>1</Item></record></data-set>")
    meta, entities = load(_write(tmp_path, body), "ca_sema_xml")
    assert [e.id for e in entities] == ["ca-ht-p1-1", "ca-ht-x-1-part-1-1"]
    assert len(meta.warnings) == 1 and "a second record for item 1" in meta.warnings[0]


@pytest.mark.parametrize("name", sorted(REAL_COUNTS))
def test_real_files_load_with_independent_counts(name: str) -> None:
    path = _archive(name)
    records, persons, ships, listed, regimes = REAL_COUNTS[name]
    assert _independent_counts(path) == REAL_COUNTS[name]
    meta, entities = load(path)
    assert meta.format == "ca_sema_xml" and meta.warnings == []
    assert len(entities) == records == meta.record_count
    assert len({e.id for e in entities}) == records  # one entity per record, ids unique
    assert sum(e.schema == "Person" for e in entities) == persons
    assert sum(e.schema == "Vessel" for e in entities) == ships
    assert sum(e.listed_on is not None for e in entities) == listed
    assert len({p for e in entities for p in e.programmes}) == regimes
    assert all(e.names for e in entities)


def test_ids_survive_canadas_schedule_respelling() -> None:
    """2020 wrote "1" and "2" where 2025 writes "1, Part 1" and "Part 2": the same listing
    keeps its id. Names compared by a plain reading of both files."""
    old = by_id(load(_archive("sema-lmes_2020-04.xml"))[1])
    new = by_id(load(_archive("sema-lmes_2025-05.xml"))[1])
    same = [i for i in old if i in new and old[i].caption.lower() == new[i].caption.lower()]
    assert len(same) >= 1250  # of 1369; Zimbabwe's 100 delistings account for most others
    assert new["ca-mm-p2-16"].caption == old["ca-mm-p2-16"].caption  # Burma "2" -> "Part 2"
    assert old["ca-ru-p1-1"].caption == new["ca-ru-p1-1"].caption  # Russia "1" -> "1, Part 1"
    assert "ca-jvcfor-10" in old and "ca-jvcfor-10" in new  # "1" -> no schedule
    # thematic regimes are never read as a country (no fuzzy country guess)
    assert {i.rsplit("-", 2)[0] for i in new if "hamas" in i or "settler" in i} == {
        "ca-hamas-terrorist-attacks", "ca-extremist-settler-violence"}

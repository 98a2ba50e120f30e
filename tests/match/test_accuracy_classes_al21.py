"""A list's name field that holds more than a name (issue 10): every name it holds is
indexed and screened as a name of its own, beside the field as written.

Lists write the romanised name with its original script ("X (金铁三)", Arabic first with
its romanisations in brackets, or the two runs side by side), a label ("(original script:
…)", "… Arabic: …", "(also known as …)", "… - sub-unit name"), a note ("(previously listed
as)", "(combat name)", ", born in …", "(false identity …)") or an enumeration ("b) …").
Indexed as one name, a name met alone lost what the rest weighs: a romanised name against
its own field with the Han original scored 0 (the field, read as a Han name, charged each
syllable of the original left over as another given name: ``score._syllables_apart``).

A bracket that is part of the name stays: a branch's place, a country, a form
("… (CYPRUS) LIMITED", "… BANK (MINSK)": a branch is not its parent). So does a word that
is a note's word in a name ("Max Born"), a word mixing scripts (homoglyphs) and two single
words in two scripts (one name written so).

The names are made up for the tests.
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query, compare_names
from discreet.match.pairs import alternatives
from discreet.model import Entity, Name
from discreet.text.compound import compound_parts
from tests.match.scoring import filler_names

# (field, the names it holds besides itself)
_FIELDS = [
    ("Wen Guoliang (文国良)", ["Wen Guoliang", "文国良"]),
    ("Lu Jianhua 陆建华", ["Lu Jianhua", "陆建华"]),
    ("Karim Nasser Dabbagh (كريم ناصر دباغ)", ["Karim Nasser Dabbagh", "كريم ناصر دباغ"]),
    ("Hamid Fouad Zureik حامد فؤاد زريق", ["Hamid Fouad Zureik", "حامد فؤاد زريق"]),
    ("Nabil Khoury - نبيل خوري", ["Nabil Khoury", "نبيل خوري"]),
    ("سمير حداد (Samir Haddad; Sameer Hadad)", ["سمير حداد", "Samir Haddad", "Sameer Hadad"]),
    ("Ruslan Tagirov (original script: Руслан Тагиров)", ["Ruslan Tagirov", "Руслан Тагиров"]),
    ("Beslan (original script: Беслан)", ["Beslan", "Беслан"]),
    ("Nile Cotton Trading Company Arabic: شركة النيل للقطن",
     ["Nile Cotton Trading Company", "شركة النيل للقطن"]),
    ("Tarek Hilmi (Previously listed as. In Arabic: طارق حلمي)", ["Tarek Hilmi", "طارق حلمي"]),
    ("جبهة الشمال (Northern Lions Network - sub-unit name)",
     ["جبهة الشمال", "Northern Lions Network"]),
    ("Pelican Shipyard JSC (also known as Pelikan Shipbuilding Plant)",
     ["Pelican Shipyard JSC", "Pelikan Shipbuilding Plant"]),
    ("Yusuf Barakzai (previously listed as)", ["Yusuf Barakzai"]),
    ("TIGER HAWK (COMBAT NAME)", ["TIGER HAWK"]),
    ("Selim Oduya (birth name)", ["Selim Oduya"]),
    ("Omar Feldani, born in Kandahar on 01 Jan. 1970", ["Omar Feldani"]),
    ("Idris Kanuri born in 1963", ["Idris Kanuri"]),
    ("Dalia Mansouri, born 1 Jan. 1960 (Oman passport no. 12345678)", ["Dalia Mansouri"]),
    ("Hani Saadeh (false identity related to fraudulent passport number 987654)",
     ["Hani Saadeh"]),
    ("Farid Sabouri; Fareed Sabouri b) F. Javad Sabouri",
     ["Farid Sabouri", "Fareed Sabouri", "F. Javad Sabouri"]),
    ("Formerly known as Sunrise Grain Terminal", ["Sunrise Grain Terminal"]),
]

# fields that are one name: their brackets, note-like words and scripts are the name's own
_ONE_NAME = [
    "NORTHWIND TRADING (CYPRUS) LIMITED",  # a country: a branch
    "HALCYON BANK (MINSK)",  # capitals that begin no word of the name: a place
    "VOSTOK BANK 7 (ZAKRYTOE AKTSIONERNOE OBSHCHESTVO)",  # a legal form written out
    "AMBER LINES (USA) INC.",
    "Lucas Mendel (Junior) Ortiz",  # a name's own bracket, same script
    "Rashid Al-Tunisi (The Tunisian)",  # a translation of the name: same script
    "Max Born", "Gustav Born Keller", "BORN, Max",  # a note's word as a name
    "DARI, Ahmad", "Arabic Trading Co",  # a label's word without its colon
    "Iван Iванович Сiдоренко",  # Latin i in Cyrillic words: one name
    "Радио Centrafrique", "ЧВК Fortuna",  # one word in each script: one name
    "KAPPA (r)-GRUPO",
]


@pytest.mark.parametrize(("field", "parts"), _FIELDS)
def test_a_compound_field_holds_its_names(field: str, parts: list[str]) -> None:
    assert alternatives(field) == [field, *parts]


def test_runs_side_by_side_are_parted_only_when_they_read_alike() -> None:
    # no judge, no parting: runs in two scripts may be one name written so
    assert compound_parts("Lu Jianhua 陆建华") == []
    assert compound_parts("Lu Jianhua 陆建华", lambda a, b: True) == ["Lu Jianhua", "陆建华"]
    # a company named in two scripts: its runs read nothing alike
    assert alternatives("שמעון כהן and Partners") == ["שמעון כהן and Partners"]


@pytest.mark.parametrize("field", _ONE_NAME)
def test_a_field_of_one_name_stays_whole(field: str) -> None:
    assert compound_parts(field, lambda a, b: True) == []
    assert alternatives(field) == [field]


def test_the_acronym_of_the_name_is_dropped_a_place_is_not() -> None:
    assert compound_parts("NORTHWIND TRADING COMPANY (NTC)") == ["NORTHWIND TRADING COMPANY"]
    assert compound_parts("NORTHERN WORKERS PARTY (PKN)") == [
        "NORTHERN WORKERS PARTY"]  # the acronym's first letter begins a word
    assert compound_parts("NORTHWIND TRADING (OMAN)") == []


def test_a_label_or_a_note_is_no_name_of_its_own() -> None:
    words = {"original", "script", "previously", "listed", "combat", "born", "passport",
             "arabic", "identity", "sub-unit", "known"}
    for field, _ in _FIELDS:
        for part in alternatives(field)[1:]:
            assert words.isdisjoint(part.lower().split()), (field, part)


@pytest.mark.parametrize(("field", "parts"), [f for f in _FIELDS if f[1]])
def test_each_name_of_the_field_scores_as_itself(field: str, parts: list[str]) -> None:
    for part in parts:
        assert compare_names(part, field, "Person") == pytest.approx(1.0), part


def test_a_romanised_name_meets_its_field_with_the_han_original() -> None:
    # the field alone, before: 0.0 (the romanised words read as Han syllables)
    assert compare_names("Wen Guoliang", "Wen Guoliang (文国良)", "Person") == 1.0
    assert compare_names("文国良", "Wen Guoliang (文国良)", "Person") == 1.0


def _matcher(fields: list[tuple[str, str]]) -> Matcher:
    entities = [Entity(f"c{i}", schema, source="test", names=[Name(f)])
                for i, (f, schema) in enumerate(fields)]
    entities += [Entity(f"f{i}", "Person", source="test", names=[Name(n)])
                 for i, n in enumerate(filler_names())]
    return Matcher.from_entities(entities)


_SCHEMA = {"Nile Cotton Trading Company Arabic: شركة النيل للقطن": "Company",
           "جبهة الشمال (Northern Lions Network - sub-unit name)": "Organization",
           "Pelican Shipyard JSC (also known as Pelikan Shipbuilding Plant)": "Company",
           "Formerly known as Sunrise Grain Terminal": "Company"}


def test_each_name_finds_its_entity_and_the_explanation_names_it() -> None:
    fields = [(f, _SCHEMA.get(f, "Person")) for f, _ in _FIELDS]
    matcher = _matcher(fields)
    for i, (field, parts) in enumerate(_FIELDS):
        for part in parts:
            results = matcher.match(Query(part, schema=fields[i][1]), limit=3)
            assert results, part
            best = results[0]
            assert best.entity.id == f"c{i}", (part, best.entity.id)
            assert best.score >= DEFAULT_THRESHOLD
            assert best.score == pytest.approx(compare_names(part, field, fields[i][1]))
            # the name of the field met (the part, or its other script's, read alike)
            assert best.explanation.matched_name in parts, (part, best.explanation)


def test_a_field_screened_finds_each_name_listed() -> None:
    matcher = _matcher([("Ruslan Tagirov", "Person"), ("Руслан Тагиров", "Person")])
    found = {r.entity.id for r in matcher.match(
        Query("Ruslan Tagirov (original script: Руслан Тагиров)", schema="Person"), limit=5)
        if r.score >= 0.99}
    assert {"c0", "c1"} <= found


def test_a_branch_does_not_meet_its_parents_name_as_its_own() -> None:
    matcher = _matcher([("PELICAN SHIPYARD", "Company"), ("PELICAN SHIPYARD (KIEV)", "Company")])
    results = matcher.match(Query("Pelican Shipyard", schema="Company"), limit=2)
    assert [r.entity.id for r in results][:1] == ["c0"]
    assert results[0].score == pytest.approx(1.0)
    assert all(r.score < 1.0 for r in results if r.entity.id == "c1")


def test_a_clean_name_does_not_rise_on_a_label() -> None:
    """A label's words are no name: a clean name that shares them finds nothing."""
    matcher = _matcher([("Ruslan Tagirov (original script: Руслан Тагиров)", "Person"),
                        ("Yusuf Barakzai (previously listed as)", "Person")])
    for clean in ("Original Script", "Listed As", "Previously Listed"):
        results = matcher.match(Query(clean, schema="Person"), limit=1)
        assert not results or results[0].score < DEFAULT_THRESHOLD, clean

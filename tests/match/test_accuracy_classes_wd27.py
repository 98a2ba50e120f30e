"""Classes of misses of session 27 (issue 10), each read from a way names are written:

* a field limit that cuts a name inside a bracket ("… Al-Kadari (original sc") leaves a
  bracket opened and never closed: the field without it is a name too
  (``text/compound.py: _unclosed``), as the field without a closed label is;
* a person's generational suffix (Jr., Sr., II, III, IV) is the number of the bearer of the
  name (``text/names.py: _generations``): one way of writing it is another's (Jr. and II),
  one left out costs what a number left out costs, another generation is another number
  (it no longer pairs II with III as a doubled letter, nor Jr. with Sr. as titles);
* a foreign name written in Chinese characters by its sounds parts its names with a
  middle dot (约翰·史密斯): each part is one word, its syllables read together, not a
  Chinese syllable each (``text/scripts.py: transcribed``).

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.pairs import alternatives, compare_names
from discreet.model import Entity, Name
from discreet.text.names import parse_name
from discreet.text.normalize import tokenize
from discreet.text.scripts import transcribed, transliterate
from tests.match.scoring import both_scores, prepared

# --- a bracket cut by a field limit -------------------------------------------------------


@pytest.mark.parametrize(("field", "name"), [
    ("Marek Daniel SOROKIN (original sc", "Marek Daniel SOROKIN"),
    ("Ilse Marta VOGELSANG (formerly listed a", "Ilse Marta VOGELSANG"),
    ("NORTHSTAR PELAGIC TRADING (USA) INC (FORM", "NORTHSTAR PELAGIC TRADING (USA) INC"),
    ("Tomas Aurel BRANDA (Томас Бра", "Tomas Aurel BRANDA"),
])
def test_a_bracket_cut_by_a_field_limit_leaves_the_name_before_it(field: str,
                                                                  name: str) -> None:
    assert name in alternatives(field)


@pytest.mark.parametrize("field", [
    "NORTHSTAR PELAGIC TRADING (USA) INC",  # a closed bracket: part of the name
    "(Marek SOROKIN",  # nothing before the bracket
    "Marek Daniel SOROKIN",
])
def test_a_closed_bracket_or_none_before_it_is_no_cut_name(field: str) -> None:
    assert all("(" in alt or alt == field for alt in alternatives(field))


def test_a_name_cut_inside_a_bracket_finds_its_person() -> None:
    entities = [Entity(id="p1", schema="Person", names=[Name("Marek Daniel SOROKIN")]),
                Entity(id="p2", schema="Person", names=[Name("Marek Daniel ORLOV")]),
                Entity(id="p3", schema="Person", names=[Name("Ilse Marta VOGELSANG")])]
    matcher = Matcher.from_entities(entities)
    cut = "Marek Daniel SOROKIN (original sc"
    found = matcher.match(Query(cut, schema="Person"), limit=3, threshold=0.3)
    assert found and found[0].entity.id == "p1" and found[0].score >= 0.95
    # read as name words, the bracket's letters would have cost the match
    assert compare_names(cut, "Marek Daniel SOROKIN", "Person") > compare_names(
        "Marek Daniel SOROKIN original sc", "Marek Daniel SOROKIN", "Person")


# --- generational suffixes ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "number"), [
    ("Dale Everett HOLLOWAY Jr.", "2"), ("Dale Everett HOLLOWAY Junior", "2"),
    ("Dale Everett HOLLOWAY II", "2"), ("HOLLOWAY, Dale Everett III", "3"),
    ("Dale Everett HOLLOWAY Sr.", "1"), ("Dale HOLLOWAY IV", "4"),
])
def test_a_generational_suffix_is_its_generations_number(text: str, number: str) -> None:
    kinds = {t.text: t.kind for t in parse_name(text, "person")}
    assert kinds.get(number) == "number"


@pytest.mark.parametrize("text", [
    "Ii Soon-ja",  # a name's first word: a name
    "Jr Holloway",
    "Holloway Jr",  # one name word besides: too little to say
])
def test_a_generational_word_elsewhere_is_read_as_before(text: str) -> None:
    assert not any(t.kind == "number" for t in parse_name(text, "person"))


@pytest.mark.parametrize(("surname", "given"), [
    ("HOLLOWAY", "Dale Everett"), ("PRZYBYLSKI", "Conrad"), ("OKAFOR", "Nnamdi Chuka"),
])
def test_another_generation_costs_one_left_out_costs_little(surname: str,
                                                             given: str) -> None:
    name = f"{given} {surname}"
    same = both_scores(f"{name} Jr.", f"{name} II", "person", "person")
    one_side = min(both_scores(f"{name} III", name, "person", "person"),
                   both_scores(name, f"{name} Jr.", "person", "person"))
    other = max(both_scores(f"{name} Jr.", f"{name} Sr.", "person", "person"),
                both_scores(f"{name} II", f"{name} III", "person", "person"))
    assert same == 1.0
    assert one_side >= 0.9
    assert other < one_side - 0.1
    assert other >= DEFAULT_THRESHOLD  # the same name: a reviewer still sees it


# --- a foreign name written in Chinese characters by its sounds ---------------------------


@pytest.mark.parametrize(("text", "words"), [
    ("约翰·史密斯", ("yuehan", "shimisi")),  # John Smith
    ("安娜・卡列尼娜", ("anna", "kalienina")),  # the katakana middle dot
    ("玛丽‧居里", ("mali", "juli")),  # the hyphenation point
])
def test_a_dotted_han_name_is_read_a_word_a_part(text: str, words: tuple[str, ...]) -> None:
    assert transcribed(text)
    assert tokenize(text) == words
    assert prepared(text, "person").syllabic == ""


@pytest.mark.parametrize("text", ["潘浩", "王小明", "Anna·Karenina", "约翰 史密斯"])
def test_a_chinese_name_is_read_a_syllable_a_character(text: str) -> None:
    assert not transcribed(text)
    if all("\u4e00" <= c <= "\u9fff" for c in text):
        assert len(tokenize(text)) == len(text)
        assert prepared(text, "person").syllabic == "han"
    assert transliterate("潘浩") == "Pan Hao"


def test_a_dotted_han_name_scores_on_both_paths() -> None:
    for listed in ("Yuehan SHIMISI", "John SMITH", "约翰·史密斯"):
        assert both_scores("约翰·史密斯", listed, "person", "person") >= 0.0
    assert both_scores("约翰·史密斯", "Yuehan SHIMISI", "person", "person") == 1.0

"""Names in other scripts than Latin: what transliteration may and may not make equal.

Abjad spellings (Arabic, Hebrew) are compared by their consonants, but the long vowels they
write and the consonants a vowel keeps apart still tell names apart; a name in Chinese
characters or Hangul is one surname and one given name whose syllables neither go missing
nor change order; a name in a script whose transliteration is only approximate is weaker
evidence against a list name in another script, and its explanation says so. The script
facts are one table (text/data/scripts.yml), and "syllabic script" has one definition.
"""

from __future__ import annotations

import pytest

from discreet.match import Matcher, Query, prepare, score
from discreet.match.pairs import compare_names, explain_pair
from discreet.match.rarity import Rarity, default_rarity
from discreet.match.similarity import token_similarity
from discreet.model import Entity, Name
from discreet.text import scripts
from discreet.text.phonetic import abjad_skeleton, reference_abjad_skeleton
from tests.match.scoring import token_similarities

# -- the table and the one definition of a syllabic script


def test_syllabic_scripts_are_defined_once_from_the_table() -> None:
    facts = scripts.script_facts()
    assert {n for n, f in facts.items() if f.kind == "syllabic"} == scripts.SYLLABIC_SCRIPTS
    assert {"CJK", "HANGUL", "HIRAGANA", "KATAKANA"} <= scripts.SYLLABIC_SCRIPTS
    assert score.SYLLABIC_SCRIPTS is scripts.SYLLABIC_SCRIPTS  # re-exported, not redefined
    assert {"ARABIC", "HEBREW", "SYRIAC"} == scripts.ABJAD_SCRIPTS
    assert dict(scripts.SYLLABLE_KEYS) == {"CJK": "han", "HANGUL": "hangul"}
    # what prepare marks a name's syllables with comes from the same table
    assert prepare.prepare_name("王建华", "person", _rarity()).syllabic == "han"
    assert prepare.prepare_name("박민수", "person", _rarity()).syllabic == "hangul"
    assert prepare.prepare_name("やまだ", "person", _rarity()).syllabic == ""


def test_which_transliterations_are_approximate() -> None:
    assert scripts.approximate_scripts({"DEVANAGARI"}) == {"DEVANAGARI"}
    assert scripts.approximate_scripts({"THAI", "LATIN"}) == {"THAI"}
    for reliable in ("CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "ARABIC", "HANGUL", "CJK"):
        assert not scripts.approximate_scripts({reliable}), reliable
    # Han characters in a name with kana are read in Japanese, not in Mandarin
    assert scripts.approximate_scripts({"CJK", "HIRAGANA"}) == {"CJK"}
    # a script the table does not know is not trusted
    assert scripts.approximate_scripts({"OL"}) == {"OL"}
    # an abjad or syllabic script is trusted where the lists contain names in it (their
    # rules were drawn from and are checked on those names), not where they contain none
    assert {"ARABIC", "HEBREW", "CJK", "HANGUL"} <= scripts.LOSSY_SCRIPTS
    assert not scripts.approximate_scripts({"HEBREW"}, {"HEBREW", "LATIN"})
    assert scripts.approximate_scripts({"HEBREW"}, {"ARABIC", "LATIN"}) == {"HEBREW"}
    assert scripts.approximate_scripts({"HANGUL"}, {"LATIN"}) == {"HANGUL"}
    assert not scripts.approximate_scripts({"CYRILLIC"}, {"LATIN"})  # an alphabet: always


# -- abjad skeletons


@pytest.mark.parametrize(("abjad", "latin"), [
    ("bll", "bilal"), ("jll", "jalal"), ("jmyl", "djamil"), ("bydllh", "obaidullah"),
    ("njybllh", "najibullah"), ("frnndw", "fernando"), ("sjd", "sajjad"), ("mhmd", "muhammad"),
    ("hsn", "hassan"), ("twb", "tawwab"), ("lyl", "laila"), ("ftmh", "fatimah")])
def test_an_abjad_spelling_has_the_skeleton_of_its_latin_spellings(abjad: str,
                                                                   latin: str) -> None:
    assert abjad_skeleton(abjad) == abjad_skeleton(latin)
    assert abjad_skeleton(abjad) == reference_abjad_skeleton(abjad)  # compiled == Python
    assert abjad_skeleton(latin) == reference_abjad_skeleton(latin)


@pytest.mark.parametrize(("abjad", "latin"), [
    ("lyl", "al"),  # two l a vowel keeps apart are two consonants: Layla is not Al
    ("bll", "bl"), ("mll", "mal"),
    ("jml", "amal"),  # jim is a consonant, not the y of a Slavic j
    ("tsm", "sam"),  # t-s, two letters of an abjad spelling, not the ts of Tsarev
    ("szmn", "simon")])
def test_letters_an_abjad_writes_apart_stay_apart(abjad: str, latin: str) -> None:
    assert abjad_skeleton(abjad) != abjad_skeleton(latin)


# -- the long vowels an abjad writes


@pytest.mark.parametrize(("arabic", "same", "other"), [
    ("حسين", "Hussein", "Hassan"),  # ya written: Husayn, not Hasan
    ("حميدي", "Hamidi", "Ahmad"),  # final ya: a nisba the other name lacks
    ("لوي", "Lawi", "Ali"),  # waw then ya
    ("לוי", "Levi", "Ali"),  # Hebrew vav and yod
    ("سامي", "Sami", "Sam"),
    ("جواد", "Javad", "Jaded"),
])
def test_the_long_vowels_an_abjad_writes_tell_names_apart(arabic: str, same: str,
                                                          other: str) -> None:
    assert compare_names(arabic, same, "Person") >= 0.6
    assert compare_names(arabic, other, "Person") < 0.5


def test_the_issue_s_name_no_longer_alerts_on_a_look_alike_organisation() -> None:
    assert compare_names("ليلى حسن", "AL-HISN") < 0.6
    assert compare_names("ليلى حسن", "Laila HASSAN", "Person") >= 0.7


@pytest.mark.parametrize(("a", "b"), [
    ("hsyn", "hassan"), ("hsyn", "hussein"), ("lwy", "ali"), ("lwy", "levi"), ("ly", "al"),
    ("ly", "ali"), ("hmydy", "ahmad"), ("yyr", "yair"), ("wryntl", "oriental"),
    ("smy", "sam"), ("jwd", "javad"), ("tsm", "ssm"), ("bll", "bilal")])
def test_the_kernel_compares_abjad_tokens_as_python_does(a: str, b: str) -> None:
    for x, y in ((a, b), (b, a)):
        for abjad in (True, False):
            kernel, python = token_similarities(x, y, abjad)
            assert kernel == python


def test_a_vowelless_abjad_token_is_no_latin_abbreviation() -> None:
    """In an abjad-script name "smy" is Sami transliterated, not "Sam" typed without vowels."""
    assert token_similarity("smy", "sam", True)[1] != "vowelless"
    assert token_similarity("smy", "sam", True)[0] < 0.6


# -- Chinese and Korean names


@pytest.mark.parametrize(("name", "listed"), [
    ("王建", "Jian Hua WANG"),  # Wang Jianhua is not Wang Jian
    ("赵明", "Ming Li ZHAO"),
    ("박민수", "Min PAK"),  # a syllable of the given name left out
    ("이수빈", "Su Yong RI"),  # another syllable
    ("박민수", "Su Min PAK"),  # the given name's syllables in another order
    ("최영호", "Ho-Yong CHOE"),
])
def test_chinese_and_korean_syllables_are_one_given_name(name: str, listed: str) -> None:
    assert compare_names(name, listed, "Person") < 0.7


@pytest.mark.parametrize(("name", "listed"), [
    ("王建华", "Jian Hua WANG"), ("王建华", "WANG Jianhua"), ("王建", "Jian WANG"),
    ("박민수", "Min Su PAK"), ("박민수", "PAK Min-Su"), ("최영호", "Yong Ho CHOE"),
])
def test_the_same_syllables_in_the_written_order_still_match(name: str, listed: str) -> None:
    assert compare_names(name, listed, "Person") >= 0.85


def test_the_kernel_leaves_syllables_against_romanised_names_to_python() -> None:
    """The rule lives in score.py; the kernel must not score such a pair its own way."""
    entities = [Entity("wang", "Person", source="t", names=[Name("Jian Hua WANG")]),
                Entity("pak", "Person", source="t", names=[Name("Su Min PAK")])]
    matcher = Matcher.from_entities(entities)
    for query, listed in (("王建", "Jian Hua WANG"), ("박민수", "Su Min PAK")):
        results = matcher.match(Query(query, schema="Person"), threshold=0.0)
        found = next(r for r in results if r.explanation.matched_name == listed)
        prepared = next(n for n in matcher.names if n.original == listed)
        expected = score.name_score(matcher.prepare(query, "person"), prepared).score
        assert found.explanation.name_score == pytest.approx(expected)
        assert found.score < 0.7


# -- scripts whose transliteration is approximate


def _people(*names: str) -> Matcher:
    return Matcher.from_entities([Entity(f"p{i}", "Person", source="t", names=[Name(n)])
                                  for i, n in enumerate(names)])


def test_a_name_in_an_approximate_script_is_weaker_evidence_and_says_so() -> None:
    matcher = _people("Ram Kumar", "Sergei Ivanov", "Somchai Thongchai")
    for query in ("राम कुमार", "สมชาย ทองชัย"):
        results = matcher.match(Query(query, schema="Person"), threshold=0.0)
        assert results, query
        top = results[0]
        notes = [f for f in top.explanation.features if f.name == "approximate_script"]
        assert len(notes) == 1, query
        assert notes[0].delta < 0
        assert "approximate" in notes[0].detail
        assert "no listed name is written in" in notes[0].detail
        assert top.score == pytest.approx(top.explanation.name_score + notes[0].delta)
    # a script with a standard romanisation is not
    results = matcher.match(Query("Сергей Иванов", schema="Person"), threshold=0.0)
    assert results[0].explanation.matched_name == "Sergei Ivanov"
    assert not [f for f in results[0].explanation.features if f.name == "approximate_script"]


def test_an_abjad_no_listed_name_is_written_in_is_approximate() -> None:
    """Hebrew against lists with Arabic and Latin names only: the skeleton rules were never
    borne out on a Hebrew name; once a listed name is in Hebrew, they are trusted."""
    latin = [Entity("levi", "Person", source="t", names=[Name("Moshe LEVI")]),
             Entity("ar", "Person", source="t", names=[Name("محمد حسن")])]
    results = Matcher.from_entities(latin).match(Query("משה לוי", schema="Person"),
                                                  threshold=0.0)
    notes = [f for f in results[0].explanation.features if f.name == "approximate_script"]
    assert notes and "Hebrew" in notes[0].detail
    arabic = Matcher.from_entities(latin).match(Query("محمد حسن", schema="Person"),
                                                threshold=0.0)
    assert not [f for r in arabic for f in r.explanation.features
                if f.name == "approximate_script"]
    hebrew = [*latin, Entity("he", "Person", source="t", names=[Name("דוד כהן")])]
    results = Matcher.from_entities(hebrew).match(Query("משה לוי", schema="Person"),
                                                   threshold=0.0)
    assert results[0].explanation.matched_name == "Moshe LEVI"
    assert not [f for f in results[0].explanation.features if f.name == "approximate_script"]


def test_a_list_name_in_the_same_approximate_script_is_compared_directly() -> None:
    matcher = Matcher.from_entities([Entity("r", "Person", source="t",
                                            names=[Name("राम कुमार")])])
    results = matcher.match(Query("राम कुमार", schema="Person"), threshold=0.0)
    assert results[0].score == pytest.approx(1.0)
    assert not [f for f in results[0].explanation.features if f.name == "approximate_script"]


def test_a_japanese_name_s_han_characters_are_an_approximate_reading() -> None:
    matcher = _people("Shan Tian Tai Lang")  # the Mandarin reading of 山田太郎
    results = matcher.match(Query("山田 たろう", schema="Person"), threshold=0.0)
    for result in results:
        assert [f for f in result.explanation.features if f.name == "approximate_script"]
    text = explain_pair("山田太郎", "Shan Tian Tai Lang", "Person").to_text()
    assert "Shan Tian" in text  # a pair alone (no index) is scored as before


def _rarity() -> Rarity:
    return default_rarity()

"""Two classes of the public name benchmark's misses (session 28, issue 10).

1. **A legal form written with one slip where the other name writes it**: "Siemens AkG" /
   Siemens AG scored 0.66, the slipped form a name word that met nothing and the form left
   over on the other side ("words on both sides have no counterpart"). Session 26 reads a
   query's slipped form back alone (``prepare.edge_reading``), but not a letter put inside
   a two-letter form, and never a list name's (lists are indexed as written). Now a word
   at either end of an organisation's name that is one slip (a letter put in, left out,
   typed twice, two neighbours swapped) from the word the other name's legal form is
   written as, and has the form's first and last letters, pairs with that form as a doubt
   (``form_slip_sim``), whichever name writes it. A letter put before or after a short form
   makes a word ("Gas" is no AS), a letter typed for another makes another form (KG, AB).

2. **An acronym with a qualifier**: "PLA China" / People's Liberation Army scored 0.63, the
   country's name weighed against the acronym's one word, where the name written in full
   with it ("People's Liberation Army China") scores 0.88. An acronym of an organisation's
   query that spells list words now stands for their weight in the query's total, when
   the query's other words only qualify the name: a country's name or demonym
   (``countrynames``' table, exactly), a generic word, a legal form. Not a person's word, a
   name of no class, nor beside another name word ("Firat San.": San. is Firat's company,
   not an acronym of a foundation's name).

3. **A foreign name written in Chinese characters by its sounds** (贝拉克·奥巴马, Barack Obama
   0.2): session 27 reads each part between name dots as one word (beilake aobama); the
   reading against a Latin word now compares their consonants as Chinese transcription
   tells them apart (one stop for b/p, d/t, g/k; l for l and r; f for f, v, w; one hissing
   sound for j, q, x, z, c, s; one nasal for m, n, ng; vowels and h aside):
   transcribed_sim when the same (three or more), transcribed_near_sim when one apart.
   Only for such a query (the dots), against a Latin name; a Chinese name is untouched.

Names are made up but for the benchmark's; scores checked on the Python scorer and on the
compiled kernel (they must agree), and through a matcher's index.
"""

from __future__ import annotations

import pytest

from discreet.match import Matcher, Query
from discreet.match.align import slip_apart
from discreet.match.pairs import compare_names
from discreet.match.similarity import transcription_key, transcription_similarity
from discreet.model import Entity, Name
from discreet.text.countries import names_a_country
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    assert_kernel_scores_random_names,
    both_scores,
    prepared,
)

# -- 1. a legal form written with a slip ------------------------------------------------------

SLIPPED_FORMS = [
    ("Siemens AG", "Siemens AkG"),  # the benchmark's: a letter put inside
    ("Halvard Trading AG", "Halvard Trading AxG"),
    ("Kelmar Kft", "Kelmar Kfat"),  # Hungarian
    ("Norvik Oyj", "Norvik Oyaj"),  # Finnish
    ("Brenner Logistik GmbH", "Brenner Logistik GmhbH"),  # two neighbours swapped
    ("Tecnovia Ltda", "Tecnovia Lda"),  # a letter left out of a form of four
    ("Kama Trading LLC", "Kama Trading LC"),  # ... of three: the other name says which
    ("OOO Velmar", "OO Velmar"),  # at the start
    ("Dravan Bhd", "Dravan Bhxd"),  # Malaysian
]


@pytest.mark.parametrize(("written", "slipped"), SLIPPED_FORMS)
def test_a_form_with_a_slip_pairs_with_the_form(written: str, slipped: str) -> None:
    for query, listed in ((written, slipped), (slipped, written)):
        assert both_scores(query, listed, "org", "org") >= 0.9, (query, listed)
    assert compare_names(written, slipped, "Company") >= 0.9


@pytest.mark.parametrize(("query", "listed"), [
    ("Western AS", "Western Gas"),  # a letter before a short form: a word
    ("Nordic AG", "Nordic Bag"),
    ("Siemens AG", "Siemens KG"),  # another form (a letter left out of AkG's other reading)
    ("Siemens AG", "Siemens Agro"),  # two letters more
    ("Siemens AG Holding", "Siemens Akg Holding Ltd"),  # the word inside the name
])
def test_other_words_are_no_slipped_form(query: str, listed: str) -> None:
    assert both_scores(query, listed, "org", "org") < 0.7, (query, listed)


def test_a_slipped_word_without_a_form_on_the_other_side_is_a_word() -> None:
    # the other name writes no form: the word left over costs as before
    assert both_scores("Siemens", "Siemens Akg", "org", "org") == pytest.approx(
        both_scores("Siemens", "Siemens Akx", "org", "org"))


def test_a_person_name_keeps_its_words() -> None:
    # "Ag" of a person's name is no form: nothing pairs it with a slip
    assert both_scores("Maria Ag", "Maria Akg", "person", "person") < 0.7


@pytest.mark.parametrize(("a", "b", "apart"), [
    ("akg", "ag", True), ("ag", "akg", True), ("ltdd", "ltd", True), ("gmhb", "gmbh", True),
    ("lda", "ltda", True), ("ag", "ab", False), ("ag", "ag", False), ("agro", "ag", False),
    ("gmbh", "gbmhx", False),
])
def test_one_slip_apart(a: str, b: str, apart: bool) -> None:
    assert slip_apart(a, b) is apart


def test_the_matcher_finds_a_listing_that_slipped_its_form() -> None:
    names = ["Siemens AkG", "Halvard Trading AxG", "Siemens Energy SA", "Halvard Shipping AG",
             "Western Gas"]
    matcher = Matcher.from_entities([Entity(f"e{i}", "Company", source="test",
                                            names=[Name(n)]) for i, n in enumerate(names)])
    for query, listed in [("Siemens AG", "Siemens AkG"),
                          ("Halvard Trading AG", "Halvard Trading AxG")]:
        results = matcher.match(Query(query, schema="Company"), limit=3, threshold=0.5)
        assert results[0].entity.names[0].value == listed
        assert results[0].score >= 0.9, (query, results[0].score)
    results = matcher.match(Query("Western AS", schema="Company"), limit=3, threshold=0.5)
    assert all(r.score < 0.7 for r in results)


def test_a_query_form_no_list_name_writes_is_compared_by_the_kernel_too() -> None:
    # "kft" is no word of these list names (its family is): the kernel reads the query's own
    # string for it, as Python reads the text
    query = prepared("Kelmar Kft", "org")
    listed = [prepared(n, "org") for n in ("Kelmar Kfat", "Kelmar Ltd", "Gas Kelmar",
                                           "Bar SA", "Kfat Kelmar Trading")]
    assert_kernel_scores_as_python(query, listed)


# -- 2. an acronym with a qualifier -------------------------------------------------------------

QUALIFIED = [
    ("PLA China", "People's Liberation Army"),  # the benchmark's
    ("IRGC Iran", "Islamic Revolutionary Guard Corps"),
    ("VAEU Peru", "Velmora Agricultural Export Union"),
    ("Peruvian VAEU", "Velmora Agricultural Export Union"),  # a demonym, before
    ("KTMB Nederland", "Korvan Textile Mills Board"),
]


@pytest.mark.parametrize(("query", "listed"), QUALIFIED)
def test_an_acronym_with_a_country_is_the_name_of_that_country(query: str,
                                                              listed: str) -> None:
    assert both_scores(query, listed, "org", "org") >= 0.7, query
    assert compare_names(query, listed, "Organization") >= 0.7
    # no higher than the name written in full with its qualifier
    full = both_scores(" ".join(w for w in query.split() if not w.isupper()) + " " + listed,
                       listed, "org", "org")
    assert both_scores(query, listed, "org", "org") < full


@pytest.mark.parametrize(("query", "listed"), [
    ("VAEU Smith", "Velmora Agricultural Export Union"),  # a name word: another party's
    ("Firat San.", "Stichting Al Aqsa Nederland"),
    ("VAEU Trading Smith", "Velmora Agricultural Export Union"),
])
def test_an_acronym_beside_a_name_word_is_unchanged(query: str, listed: str) -> None:
    assert both_scores(query, listed, "org", "org") < 0.7


def test_only_an_organisations_query_weighs_its_acronym_so() -> None:
    # a name of no class, a person's: the short word is no acronym it was written as
    org = both_scores("VAEU Peru", "Velmora Agricultural Export Union", "org", "org")
    anyone = both_scores("VAEU Peru", "Velmora Agricultural Export Union", "any", "org")
    assert anyone < org


@pytest.mark.parametrize(("word", "country"), [
    ("china", True), ("chinese", True), ("iran", True), ("nederland", True), ("peru", True),
    ("bank", False), ("san", False), ("firat", False), ("group", False), ("uk", False),
])
def test_a_country_word(word: str, country: bool) -> None:
    assert names_a_country(word) is country


def test_kernel_agrees_on_random_names_of_both_rules() -> None:
    assert_kernel_scores_random_names(
        ("pla", "china", "peoples", "liberation", "army", "ag", "akg", "siemens", "gmbh",
         "gmhbh", "ltd", "kenya", "trading", "group", "of", "gas", "as"), 28)
    assert_kernel_scores_random_names(
        ("vaeu", "peru", "velmora", "agricultural", "export", "union", "kft", "kfat", "sa",
         "smith", "iranian", "bhd", "bhxd", "oo", "ooo"), 2828)


# -- 3. a foreign name written in Chinese characters by its sounds ------------------------------

TRANSCRIBED = [
    ("贝拉克·奥巴马", "Barack Obama"),  # the benchmark's: bei-la-ke (p-l-k)
    ("谢尔盖·拉夫罗夫", "Sergey Lavrov"),  # xie-er-gai (s-l-k), la-fu-luo-fu (l-f-l-f)
    ("买买提·艾力", "Mamat Ali"),  # a Uyghur name
]


@pytest.mark.parametrize(("query", "listed"), TRANSCRIBED)
def test_a_name_written_in_han_by_its_sounds_meets_its_latin_spelling(query: str,
                                                                      listed: str) -> None:
    for cls in ("person", "any"):
        assert both_scores(query, listed, cls, cls) >= 0.7, (query, cls)
    assert compare_names(query, listed, "Person") >= 0.7


@pytest.mark.parametrize(("query", "listed"), [
    ("唐纳德·特朗普", "Donald Trump"),  # tang-na-de: the l of Donald not written
    ("弗拉基米尔·普京", "Vladimir Putin"),  # ji for di, jing for tin: one consonant apart
])
def test_an_irregular_transcription_still_comes_near(query: str, listed: str) -> None:
    assert 0.6 <= both_scores(query, listed, "person", "person") < 0.9


@pytest.mark.parametrize(("reading", "latin", "sim"), [
    ("beilake", "barack", 0.85), ("telangpu", "trump", 0.85), ("lafuluofu", "lavrov", 0.85),
    ("xieergai", "sergey", 0.85), ("kaerwen", "calvin", 0.85),  # 卡尔文
    ("tangnade", "donald", 0.8), ("pujing", "putin", 0.8), ("fulajimier", "vladimir", 0.8),
    ("beilake", "smith", 0.0), ("telangpu", "thompson", 0.0),
    ("aobama", "obama", 0.0),  # two consonants say too little (the word's own rules meet it)
    ("beilake", "барак", 0.0),  # a Latin word only
])
def test_transcription_similarity(reading: str, latin: str, sim: float) -> None:
    assert transcription_similarity(reading, latin) == sim


def test_transcription_keys() -> None:
    assert transcription_key("beilake", True) == transcription_key("barack", False) == "plk"
    assert transcription_key("cixi", True) == "s"  # c, x: hissing sounds in pinyin
    assert transcription_key("caxton", False) == "kstn"  # Latin c before a: k; x: k-s


@pytest.mark.parametrize(("query", "listed"), [
    ("贝拉克·奥巴马", "Black Smith"),  # another name: one word alike at most
    ("贝拉克·奥巴马", "Ivan Petrov"),
    ("唐纳德·特朗普", "Daniel Tusk"),
])
def test_other_names_stay_apart(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") < 0.6


def test_a_chinese_name_is_read_by_its_syllables_as_before() -> None:
    # no name dot: a Chinese name, its characters syllables each (潘浩: Pan Hao)
    assert both_scores("潘浩", "Hao Pan", "person", "person") == 1.0
    assert both_scores("潘浩", "Ban Hou", "person", "person") < 0.7


def test_kernel_agrees_on_transcribed_queries() -> None:
    listed = [prepared(n, "person") for n in (
        "Barack Obama", "Black Obama", "Barack Hussein Obama", "潘浩", "Obama",
        "Beilake Aobama", "Dante Lavrov", "Brock Osama", "Vladimir Vladimirovich PUTIN")]
    for query in ("贝拉克·奥巴马", "弗拉基米尔·普京", "谢尔盖·拉夫罗夫"):
        assert_kernel_scores_as_python(prepared(query, "person"), listed)
        assert_kernel_scores_as_python(prepared(query, "any"), listed)


def test_the_matcher_finds_the_name_written_in_han() -> None:
    names = ["Barack Obama", "Sergey Lavrov", "Black Oban", "Boris Lavrenov", "Ivan Petrov"]
    matcher = Matcher.from_entities([Entity(f"e{i}", "Person", source="test",
                                            names=[Name(n)]) for i, n in enumerate(names)])
    for query, listed in TRANSCRIBED[:2]:
        results = matcher.match(Query(query, schema="Person"), limit=3, threshold=0.5)
        assert results and results[0].entity.names[0].value == listed, query
        # (less the doubt of a script no list name is written in: approximate_script)
        assert results[0].score >= 0.6

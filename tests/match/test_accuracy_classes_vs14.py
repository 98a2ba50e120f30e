"""Classes of misses found with the held-out evaluation in session 14 (issue 10, item 4):
a space typed one letter off ("Hafe zMakhlouf", "ZA OSNGB").

* The index did not propose a list name when the shift broke both words' keys and the
  name is another spelling of them (Belarusian against Russian): the words as written
  meet nothing, and the two written together (the "j:" key) are the other spelling's.
  When one of two neighbouring query words is no word the lists write and, the letter
  moved back over the space, both are, the query now looks up the keys of the two words
  so read (``index.py: NameIndex._shifted_keys``); not the keys of a word the words as
  written reach already (a coincidence of two real names, "Kirillov Ladimir", must not
  gain a second reading of the same word), unless they reach both: one slip then explains
  two near words. The scorer's regrouped reading (align) already paired such words once
  proposed.
* A legal form at an organisation name's start or end hidden by the shift ("ZA OSNGB" for
  ZAO SNGB, "JSCT EKHNODINAMIKA") was a name word: the form is put back as the form's own
  longer words were (``prepare.repair_forms``), for an organisation's name only, not a
  letter written twice ("JSCC") or a form with two letters swapped ("ASRL").

And one of names written without their vowels (held-out+typo:vowels-dropped):

* A Latin query written wholly without vowels (``prepare.written_without_vowels``) paired
  each word with its list word at ``vowelless_sim`` (0.9) whatever the skeleton's length, so
  a whole name so written lost a tenth of every word, and a list name with a word or two
  more fell below the threshold ("Trd Aljrb" / TARAD ... ALJARBA 0.605). A skeleton's
  letters the same over more letters is surer: the vowels' doubt of a three-letter skeleton
  is spread over a longer one's letters (``similarity._skeleton_credit``: "Aljrb" 0.94,
  "Orgnztn" 0.957; the kernel's ``_similarity.pxi``). Only for such a query (``BARE``), the
  skeletons the same (a slip besides: as before), not an abjad's transliteration.

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import itertools

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match.index import slavic_key
from discreet.match.pairs import compare_names
from discreet.match.prepare import edge_reading, repair_forms
from discreet.match.rules import RULES
from discreet.match.similarity import BARE
from discreet.text.phonetic import phonetic_key
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    both_scores,
    indexed_persons,
    prepared,
    token_similarities,
)

# -- a shifted space the index did not see through ------------------------------------------

_GIVEN = ("Uladzimir", "Aliaksandr", "Mikalai", "Siarhei", "Viktar", "Andrei")
_FATHERS = ("Piatrovich", "Ivanavich", "Mikalaevich")
_FAMILIES = ("KARPENKA", "SAVITSKI", "LAZUTKA", "MARTSINKEVICH", "BARANAU", "KAVALIOU",
             "ZHUKAU", "SIDARENKA", "TKACHOU", "LYSENKA", "DUBROUSKI", "MELNIKAU")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    """Namesakes sharing the given names and patronymics (Belarusian spellings), and more
    other people than a matcher compares every one of."""
    names = [f"{g} {p} {f}" for g in _GIVEN for p in _FATHERS for f in _FAMILIES]
    names += ["Vladimir ORLOVSKI", "Kirillo TARAN"]
    return indexed_persons(names)


@pytest.mark.parametrize(("query", "listed"), [
    ("Sergei PetrovichK ARPENKO", "Siarhei Piatrovich KARPENKA"),  # not proposed before
    ("Vladimir IvanovichL AZUTKO", "Uladzimir Ivanavich LAZUTKA"),
    ("Andrei Ivanovic hDUBROVSKI", "Andrei Ivanavich DUBROUSKI"),
])
def test_the_index_proposes_a_name_whose_space_is_one_letter_off(
        matcher: Matcher, query: str, listed: str) -> None:
    results = matcher.match(Query(query, schema="Person"), limit=3, threshold=0.0)
    assert results and results[0].entity.names[0].value == listed, [
        (r.entity.names[0].value, r.score) for r in results]
    assert results[0].score >= DEFAULT_THRESHOLD
    assert all(r.score < DEFAULT_THRESHOLD for r in results[1:])
    q = prepared(query, "person")
    assert_kernel_scores_as_python(q, [prepared(r.entity.names[0].value, "person")
                                       for r in results])


def test_the_words_with_the_letter_moved_back_are_looked_up(matcher: Matcher) -> None:
    index = matcher.index
    keys = index._query_keys(prepared("Sergei PetrovichK ARPENKO", "person"))
    assert slavic_key("karpenko") in keys  # "arpenko" is no word; "karpenko" is one's
    assert phonetic_key("petrovichk") not in index.postings


@pytest.mark.parametrize("query", [
    "Sergei Petrovich KARPENKO",  # both words written as the lists write them
    "Sergei Petrovich Karpenkoz Ubov",  # the letter moved back leaves a word none writes
    "Tarik NUR",  # too short to read so
])
def test_no_other_reading_when_it_finds_no_two_words(matcher: Matcher, query: str) -> None:
    index = matcher.index
    q = prepared(query, "person")
    keys: dict[int, float] = {}
    pairs = list(zip(q.tokens, q.weights, strict=True))
    for (a, wa), (b, wb) in itertools.pairwise(pairs):
        index._shifted_keys(a, wa, b, wb, keys)
    assert keys == {}


def test_a_word_the_written_words_reach_is_not_read_again(matcher: Matcher) -> None:
    """"Kirillov Ladimir" reads as Kirillo Vladimir; "ladimir" reaches Vladimir by a near
    key already: the reading adds Kirillo's keys, not Vladimir's others (two real names
    that happen to read as a shifted space would count Vladimir twice)."""
    index = matcher.index
    key = index._key_id  # the query's keys are handed on by number
    keys = {key(phonetic_key("vladimir")): 0.7}  # what the written words met
    index._shifted_keys("kirillov", 1.0, "ladimir", 1.0, keys)
    assert keys[key(phonetic_key("vladimir"))] == 0.7
    assert key(slavic_key("vladimir") or "") >= 0  # posted: its absence below means something
    assert key(slavic_key("vladimir") or "") not in keys
    assert keys[key(phonetic_key("kirillo"))] == pytest.approx(0.9)


def test_two_near_words_one_slip_explains_are_read_so(matcher: Matcher) -> None:
    """When the written words reach both words of the reading, one slip (the space)
    explains both near words: both are looked up at the reading's credit."""
    index = matcher.index
    key = index._key_id
    keys = {key(phonetic_key("vladimir")): 0.7, key(phonetic_key("kirillo")): 0.7}
    index._shifted_keys("kirillov", 1.0, "ladimir", 1.0, keys)
    assert keys[key(phonetic_key("vladimir"))] == pytest.approx(0.9)
    assert keys[key(phonetic_key("kirillo"))] == pytest.approx(0.9)
    assert key(slavic_key("vladimir") or "") in keys


@pytest.mark.parametrize("query", ["Sergei Petrovich KARPOV", "Sergei PetrovichK ARPOV",
                                   "Ivan NikolaevichL AZAREV", "Andrei Ivanovic hDOBROV"])
def test_other_names_are_not_found_so(matcher: Matcher, query: str) -> None:
    results = matcher.match(Query(query, schema="Person"), limit=3, threshold=0.0)
    assert all(r.score < DEFAULT_THRESHOLD for r in results), [
        (r.entity.names[0].value, r.score) for r in results]


# -- a legal form at the name's edge hidden by the shift -------------------------------------


@pytest.mark.parametrize(("query", "listed", "read"), [
    ("ZA OPRIMTEKH", "PRIMTEKH, ZAO", "zao primtekh"),  # 0.587 before
    ("JSCV OLGASTAL", "VOLGASTAL JSC", "jsc volgastal"),  # 0.578
    ("NORDLINEL LC", "NORDLINE LLC", "nordline llc"),  # 0.617
])
def test_a_legal_form_at_the_edge_is_read_back(query: str, listed: str, read: str) -> None:
    assert repair_forms(query, org=True) == read
    # another reading of the query (tc15), beside the name as written
    assert edge_reading(query) == read
    assert both_scores(read, listed, "org", "org") >= DEFAULT_THRESHOLD
    assert compare_names(query, listed, "Organization") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "org", "read"), [
    ("ZA OPRIMTEKH", False, None),  # a name read as any: no organisation known
    ("Sr. Lucca Nunes", False, None),  # a title: not SRL
    ("JSCC NOVOTRANS", True, None),  # a letter written twice: the form typed so
    ("BALTIC CARGO LLLC", True, None),
    ("ZELENA ASRL", True, "zelena sarl"),  # two letters swapped: SARL, not "zelenaa srl"
    ("NOVA JSCT RANS GROUP", True, None),  # not at an edge
    ("PERM GUNPOWDER", True, None),  # a word that begins with a form ("per"): no form
])
def test_other_words_are_left_as_written(query: str, org: bool, read: str | None) -> None:
    assert repair_forms(query, org=org) == read


@pytest.mark.parametrize(("query", "listed"), [
    ("ZA OPRIMTEKH", "PRIMSTROI, ZAO"),  # the form back, another name
    ("JSCV OLGASTAL", "VOLGATRANS JSC"),
    ("NORDLINEL LC", "NORDSTAR LLC"),
])
def test_other_organisations_stay_apart(query: str, listed: str) -> None:
    assert both_scores(query, listed, "org", "org") < DEFAULT_THRESHOLD
    assert compare_names(query, listed, "Organization") < DEFAULT_THRESHOLD


# -- a name written without its vowels: longer skeletons -----------------------------------


@pytest.mark.parametrize(("bare", "word", "sim"), [
    ("aljrb", "aljarba", 0.94),  # five letters
    ("bdrkhn", "badrkhan", 0.95),  # six
    ("dvlpmnt", "development", 1 - 0.3 / 7),
    ("mrtn", "martin", RULES.vowelless_sim),  # four: as before (Mhsn GHRB / GHARIBI NASAB)
    ("trd", "tarad", RULES.vowelless_sim),
])
def test_a_longer_skeleton_of_a_bare_name_is_surer(bare: str, word: str, sim: float) -> None:
    for a, b in ((bare, word), (word, bare)):
        python, kernel = token_similarities(a, b, BARE)
        assert kernel == python
        assert python[0] == pytest.approx(sim) and python[1] == "vowelless"
        # a vowel-less word in a name with vowels, or an abjad's: the skeleton's credit
        for abjad in (False, True):
            other, other_kernel = token_similarities(a, b, abjad)
            assert other_kernel == other
            assert other[0] <= RULES.vowelless_sim


def test_a_slip_besides_the_vowels_is_no_surer() -> None:
    """"Almnsr" / Almuntasir: one edit in the skeleton, credited as before."""
    python, kernel = token_similarities("almnsr", "almuntasir", BARE)
    assert kernel == python
    assert python[0] == pytest.approx(RULES.vowelless_sim * (1 - 1 / 7))


@pytest.mark.parametrize(("query", "listed"), [
    ("Krmt Bkhtyr", "KARAMAT BAKHTIYAR ALIZADEH"),  # 0.683 before, 0.710 now
    ("Slmn Bdrkhn", "Salman Yusuf BADRKHAN"),  # 0.694, 0.733
])
def test_a_bare_name_alerts_against_a_longer_listing(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("Krmt Bkhtyr", "Karim BAKHTIARI"),
    ("Krmt Bkhtyr", "KARAMAT Ali BAKHTIARZADEH NOURI"),
    ("Slmn Bdrkhn", "Suleiman BADRAN KHAN"),
    ("Trq Almnsr", "Tarek ALMUNTASIR"),  # a slip besides the vowels: 0.627 as before
])
def test_other_names_stay_below_a_bare_name(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") < DEFAULT_THRESHOLD

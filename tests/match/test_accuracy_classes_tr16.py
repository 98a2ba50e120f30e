"""A class of misses found with the held-out evaluation (issue 10, item 4): two neighbouring
letters swapped in a word that is a spelling variant of the listed one.

* The swap breaks the rules that read a word as written or by its keys: it moves a letter
  of a group the keys fold ("Sadihgi" for Sadighi: gh no longer one letter, so not Sadiqi),
  or a vowel the diphthong rule reads ("Tawfqi" for Tawfiq, Tofiq). The keys' one-slip rule
  (similarity.slipped_variant) does not mend it: the keys are then further apart than one
  slip. A query's word is now also read with two letters swapped back, each reading
  compared with the list word by the whole token similarity (``similarity.swapped_variant``,
  through align's singles); the kernel reads the query's readings among its strings
  (``prune._swaps``, ``_align.pxi: _swapped_variant``) and its score bound counts such words
  pairable (``_prune.pxi: _swap_pairs``). A reading counts only where a spelling rule, not
  the edits of its letters or key, reads it closer, and not by the consonant rule when the
  swap moved a vowel past a consonant (Mahmud is not Mohammad).
* The index found such a word only when nothing else was near: it now looks up the keys of
  a query word no list word writes with two letters swapped back, at a one-deletion
  neighbour's credit (``index.swapped_back_keys``); a three-letter word only without vowels after
  its first letter (a code: "Prp" for Rpp), and not a reading that sets a letter beside
  itself when its key is then the word's with a letter deleted (a one-deletion neighbour's,
  found at that credit already).

Names are made up for the tests, never the benchmark's cases; scores are checked on the
Python scorer and on the compiled kernel (they must agree).
"""

from __future__ import annotations

import random

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.match._kernel import KeyTable
from discreet.match.index import (
    _FUZZY,
    NameIndex,
    _key_table,
    _token_posts,
    slavic_key,
    swapped_back_keys,
)
from discreet.match.prune import CandidateScores, NameTables, _swaps
from discreet.match.rules import RULES
from discreet.match.score import name_score
from discreet.match.similarity import swap_readings, swapped_variant, token_similarity
from discreet.match.swaps import SKELETON, SLAVIC, SLAVIC_LETTERS, posted_readings
from discreet.model import Entity, Name
from discreet.text.phonetic import phonetic_key, swap_keys
from tests.match.scoring import (
    assert_kernel_scores_as_python,
    assert_kernel_scores_random_names,
    both_scores,
    prepared,
)

# -- the readings ---------------------------------------------------------------------------


def test_a_word_is_read_with_each_two_neighbouring_letters_swapped() -> None:
    assert swap_readings("tarik") == ("atrik", "traik", "tairk", "tarki")
    assert swap_readings("anna") == ("nana", "anan")  # the same letter twice: no swap
    assert swap_readings("kim") == ()  # a short word with a swap is _fuzzy's
    assert swap_readings("o'neil") == ()  # letters only
    assert swap_readings("zoë") == ()


# -- a swap on top of a spelling variant ----------------------------------------------------

# (query word with two letters swapped, the list's spelling, the reading's rule)
_ON_A_VARIANT = [
    ("sadihgi", "sadiqi"),  # gh (a q's spelling) split by the swap: the consonant rule
    ("tawfqi", "tofiq"),  # aw read as o, the swap on the last letters
    ("vladmiir", "uladzimir"),  # Belarusian spelling, the east-Slavic key
    ("dmitirev", "dzmitryeu"),
]


@pytest.mark.parametrize(("typed", "listed"), _ON_A_VARIANT)
def test_a_swap_on_a_variant_keeps_the_variant_less_the_swap(typed: str, listed: str) -> None:
    found = swapped_variant(typed, listed, False)
    assert found is not None
    longest = max(len(typed), len(listed))
    best = max(token_similarity(r, listed, False)[0] for r in swap_readings(typed))
    assert found == pytest.approx((best * (1.0 - RULES.swap_edit / longest), "fuzzy"))
    assert found[0] > token_similarity(typed, listed, False)[0]  # what it was


@pytest.mark.parametrize(("query", "listed"), [
    ("Reza SADIHGI", "Reza SADIQI"),
    ("Tawfqi HADDAD", "Tofiq HADDAD"),
    ("Vladmiir KOTOV", "Uladzimir KOTAU"),
    ("Dmitirev ORLOV", "Dzmitryeu ORLOV"),
])
def test_a_name_with_a_swap_on_a_variant_alerts(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("typed", "listed"), [
    ("kransoav", "kraskova"),  # two swaps and a letter besides: the edit rule's
    ("mahmud", "mohammad"),  # read "mhamud", the consonant rule: the vowels moved
    ("mahmud", "mohamed"),
    ("haji", "hijazi"),  # read "hjai": only the key's edits come closer
    ("sadihgi", "sadr"),  # too far apart as written
    ("sadihgi", "sadiqi1"),  # not letters only
])
def test_other_words_are_no_swap_on_a_variant(typed: str, listed: str) -> None:
    assert swapped_variant(typed, listed, False) is None


@pytest.mark.parametrize(("query", "listed"), [
    ("Mahmud KARIMI", "Mohammad KARIMI"),
    ("Nodira KRANSOAV", "Nodira KRASKOVA"),
    # the list's word as written: a list name with a swap is read as the list writes it
    ("Reza SADIQI", "Reza SADIHGI"),
])
def test_other_names_stay_apart(query: str, listed: str) -> None:
    assert both_scores(query, listed, "person", "person") < DEFAULT_THRESHOLD


def test_the_kernel_scores_names_of_swapped_variants_as_python() -> None:
    assert_kernel_scores_random_names(
        ("sadihgi", "sadiqi", "sadighi", "tawfqi", "tofiq", "vladmiir", "uladzimir",
         "dmitirev", "dzmitryeu", "mahmud", "mohammad", "mohamed", "kransoav", "kraskova",
         "krasnova", "haji", "hijazi", "al", "la", "orlov", "kotau"),
        seed=1515, cls="person")


# -- the index ------------------------------------------------------------------------------


def test_swapped_back_keys_are_the_readings_keys_at_a_neighbours_credit() -> None:
    keys = dict(swapped_back_keys("mahskov"))
    assert keys[phonetic_key("mashkov")] == _FUZZY
    assert keys[str(slavic_key("mashkov"))] == _FUZZY
    assert phonetic_key("mahskov") not in keys  # the word's own key is looked up already


def test_a_short_word_is_swapped_back_only_as_a_code() -> None:
    assert phonetic_key("rpp") in dict(swapped_back_keys("prp"))  # no vowel: a code
    assert swapped_back_keys("quy") == ()  # a syllable: Quy is not Kyu
    assert swapped_back_keys("al") == ()


def test_no_reading_of_a_letter_set_beside_itself_keyed_as_a_deletion() -> None:
    """Kirillov read Kriillov keys as Krylov (ii written once), the word's key with a letter
    deleted: a one-deletion neighbour's credit, not a swap's."""
    assert phonetic_key("krylov") not in dict(swapped_back_keys("kirillov"))


def _index() -> NameIndex:
    names = ["Oleg MASHKOV", "Jamal PRATT", "RPP LLC", "Garcia LOPEZ", "Gracia LOPEZ"]
    return Matcher.from_entities([Entity(id=f"e-{k}", schema="Person", names=[Name(n)])
                                  for k, n in enumerate(names)]).index


def test_the_index_looks_up_a_swapped_words_readings() -> None:
    index = _index()
    assert index._expand("kohslaf").get(phonetic_key("koshlaf")) is None  # not listed
    found = index._expand("mahskov")
    assert found[str(slavic_key("mashkov"))] == _FUZZY
    assert found[phonetic_key("mashkov")] == _FUZZY
    assert phonetic_key("rpp") in index._expand("prp")  # a three-letter key: no neighbours'
    assert index._expand("rpp").get(phonetic_key("prp")) is None  # a list word


def test_a_word_the_lists_write_is_not_read_swapped() -> None:
    """Garcia is a list word: its reading Gracia is not looked up at a swap's credit (a
    one-deletion neighbour's, at most)."""
    found = _index()._expand("garcia")
    assert found.get(phonetic_key("gracia"), 0.0) <= _FUZZY
    assert found[phonetic_key("garcia")] == 1.0


def test_the_compiled_lookup_reads_swaps_as_python() -> None:
    index = _index()
    for token in ("mahskov", "prp", "rpp", "garcia", "quy", "kirillov", "lpoez", "partt"):
        for abjad in (False, True):
            compiled = {index.key_ids.key(k): credit
                        for k, credit in index._expand_ids(token, abjad).items()}
            assert list(compiled.items()) == list(index._expand(token, abjad).items()), token


def test_the_matcher_finds_a_swap_on_a_variant() -> None:
    listed = [("p-1", "Reza SADIQI"), ("p-2", "Reza SADIKI"), ("p-3", "Reza SAIDI"),
              ("p-4", "Hamid SADIQI"), ("p-5", "Reza SIDDIQI")]
    matcher = Matcher.from_entities(
        [Entity(id=i, schema="Person", names=[Name(n)]) for i, n in listed])
    results = matcher.match(Query("Reza SADIHGI", schema="Person"), threshold=0.5)
    assert results and results[0].entity.id == "p-1", [
        (r.entity.names[0].value, r.score) for r in results]
    assert results[0].score >= DEFAULT_THRESHOLD
    q = prepared("Reza SADIHGI", "person")
    assert_kernel_scores_as_python(q, [prepared(n, "person") for _, n in listed])


# -- only a word no list name writes is read swapped ----------------------------------------


def test_a_word_the_lists_write_is_read_as_written_by_the_scorer() -> None:
    """A query word a list name writes as it is ("Sadihgi", a made-up surname listed too)
    is that name, not a slip: it is not read with two letters swapped back, on either
    path; the same word no list writes is (the rule's cost is paid for unknown words
    only)."""
    query = prepared("Reza SADIHGI", "person")
    variant = prepared("Reza SADIQI", "person")
    alone = NameTables([variant])
    both = NameTables([variant, prepared("Omid SADIHGI", "person")])
    unknown = name_score(query, variant, alone.swap_readings_of).score
    written = name_score(query, variant, both.swap_readings_of).score
    assert unknown == name_score(query, variant).score  # no words given: every word
    assert written < DEFAULT_THRESHOLD <= unknown
    assert CandidateScores(alone, query, [0]).score(0) == unknown
    assert CandidateScores(both, query, [0, 1]).score(0) == written


def test_a_word_the_lists_write_has_no_readings_for_the_kernel() -> None:
    tables = NameTables([prepared("Omid SADIHGI", "person")])
    q = prepared("Omid SADIHGI KARIMOV", "person")
    ids = [tables.words.ids.get(t, -1 - i) for i, t in enumerate(q.tokens)]
    readings, rows = _swaps(q.tokens, ids, 10, None)
    assert [count for _, count in rows] == [0, 0, len(swap_readings("karimov"))]
    assert readings == list(swap_readings("karimov"))
    assert rows[2][0] == 10


# -- the index chooses the readings both paths compare --------------------------------------


def _posted(*words: str) -> set[str]:
    """The keys the index posts list words (Latin, not in an abjad name) under."""
    return {key for word in words for key in _token_posts(word, False)}


def test_a_reading_is_kept_when_a_list_word_shares_its_phonetic_key() -> None:
    """"Vlademor" (made up) read "Valdemor" is kept where Valdemor is listed; the readings
    no list word shares a key with are not compared, and with no list word none is."""
    kept = posted_readings("vlademor", _posted("valdemor"))
    assert "valdemor" in kept
    assert set(kept) < set(swap_readings("vlademor"))
    assert "vladmeor" not in kept and "vlademro" not in kept
    assert posted_readings("vlademor", _posted("okonkwo")) == ()


def test_two_consonants_swapped_are_kept_by_the_skeleton_key() -> None:
    """"Sadihgi" read "Sadighi" shares no phonetic or east-Slavic key with Sadiqi (sadigi /
    sadiki) but its abjad skeleton (the consonant rule's); a vowel moved is not kept so."""
    posted = _posted("sadiqi")
    assert phonetic_key("sadighi") not in posted
    assert slavic_key("sadighi") not in posted
    assert posted_readings("sadihgi", posted) == ("sadighi",)


def test_the_matcher_compares_only_the_readings_the_index_keeps() -> None:
    """A matcher's tables know the index's keys: the Python path given its readings scores
    as the kernel does, the swap still lifts a variant, and a clean name with no list word
    near its readings scores as it would without the rule."""
    listed = [("p-1", "Reza SADIQI"), ("p-2", "Omid KARIMOV"), ("p-3", "Reza TALEBI")]
    matcher = Matcher.from_entities(
        [Entity(id=i, schema="Person", names=[Name(n)]) for i, n in listed])
    tables = matcher.tables
    assert tables.posted is matcher.index.key_ids
    assert tables.swap_readings_of("sadihgi") == ("sadighi",)
    assert tables.swap_readings_of("sadiqi") == ()  # a list word: read as written
    assert tables.swap_readings_of("bozhkvar") == ()  # no list word near any reading
    for query in ("Reza SADIHGI", "Reza BOZHKVAR", "Omid KRAIMOV"):
        q = prepared(query, "person")
        positions = list(range(len(tables.names)))
        scores = CandidateScores(tables, q, positions)
        for k in positions:
            real = name_score(q, tables.names[k], tables.swap_readings_of)
            assert scores.score(k) == real.score, (query, k)
            assert scores.loose[k] >= real.score - 1e-9
    clean = prepared("Reza BOZHKVAR", "person")
    assert name_score(clean, tables.names[0], tables.swap_readings_of).score == name_score(
        clean, tables.names[0], lambda t: ()).score
    lifted = prepared("Reza SADIHGI", "person")
    assert name_score(lifted, tables.names[0], tables.swap_readings_of).score > name_score(
        lifted, tables.names[0], lambda t: ()).score


# -- the readings' keys in one compiled call (KeyTable.swaps) against the keys' strings --------

_LETTERS = "aeiouyhszcktdxjwqgrlmnpbvf"


def _words(count: int, seed: int) -> list[str]:
    """Made-up words of the letters the keys' rules read (groups like kh, ts, dz, sh)."""
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_LETTERS) for _ in range(rnd.randint(1, 11)))
            for _ in range(count)]


def _table_of(words: list[str]) -> KeyTable:
    """A key table as the index makes it, of the keys these words are posted under."""
    return _key_table(list(dict.fromkeys(key for word in words
                                         for key in _token_posts(word, False))))


def _with_swaps(words: list[str], seed: int) -> list[str]:
    """Each word, and it with two neighbouring letters swapped (a reading some key of
    ``words`` is posted under)."""
    rnd = random.Random(seed)
    out = []
    for word in words:
        out.append(word)
        if len(word) > 2:
            i = rnd.randrange(len(word) - 1)
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    return out


def test_the_compiled_swap_keys_are_the_readings_keys_looked_up() -> None:
    """KeyTable.swaps makes each reading's keys and looks them up in one call: the numbers
    of swaps.reading_keys' strings, on thousands of made-up words (posted readings among
    them), and the one-deletion flag where swapped_back_keys leaves a key out."""
    listed = _words(3000, 1)
    table = _table_of(listed)
    asked = _with_swaps(_words(3000, 2), 3) + _with_swaps(listed[:1500], 4)
    posted = 0
    for word in asked:
        slavic = SLAVIC if len(word) >= SLAVIC_LETTERS else None
        found = table.swaps(word, slavic, SKELETON)
        expected = swap_keys(word, slavic, SKELETON)
        assert found is not None
        assert [(i, table.find(key), -1 if sl is None else table.find(sl),
                 -1 if sk is None else table.find(sk)) for i, key, sl, sk in expected] \
            == [row[:4] for row in found], word
        posted += sum(1 for row in found if max(row[1:4]) >= 0)
    assert posted > 500  # the lookups do find keys


def test_the_index_reads_swapped_back_ids_as_the_keys_strings() -> None:
    """NameIndex._swapped_back_ids (the compiled call) gives the numbers of
    swapped_back_keys' keys that are posted, in their order, on made-up words (a word whose
    own keys are posted is not asked)."""
    listed = _words(2000, 5)
    index = NameIndex([prepared(word, "person") for word in listed])
    find = index.key_ids.find
    asked = [w for w in _with_swaps(_words(2000, 6), 7) + _with_swaps(listed, 8)
             if not index._known(w)]
    assert len(asked) > 1000
    met = 0
    for word in asked:
        expected = [k for k in (find(key) for key, _ in swapped_back_keys(word)) if k >= 0]
        found = index._swapped_back_ids(word)
        assert list(dict.fromkeys(found)) == expected, word
        met += len(expected)
    assert met > 200


def test_the_matchers_table_keeps_the_readings_the_keys_strings_keep() -> None:
    """posted_readings on the matcher's key table (the compiled call) keeps the readings
    it keeps on the same keys as strings; a word not lower-case ASCII is read by the
    strings."""
    listed = _words(3000, 9)
    table = _table_of(listed)
    keys = set(table)
    kept = 0
    for word in _with_swaps(_words(3000, 10), 11) + _with_swaps(listed[:1500], 12):
        found = posted_readings(word, table)
        assert found == posted_readings(word, keys), word
        kept += len(found)
    assert kept > 300
    assert table.swaps("Kohslaf", SLAVIC, SKELETON) is None
    assert table.swaps("köhslaf", SLAVIC, SKELETON) is None


def test_a_query_without_readings_gives_the_kernel_none() -> None:
    """No query word has a reading (all written by the lists): no rows at all."""
    tables = NameTables([prepared("Omid SADIHGI", "person")])
    q = prepared("Omid SADIHGI", "person")
    ids = [tables.words.ids.get(t, -1 - i) for i, t in enumerate(q.tokens)]
    assert _swaps(q.tokens, ids, 4, None) == ([], [])

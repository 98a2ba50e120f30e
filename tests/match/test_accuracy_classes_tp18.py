"""Held-out aliases with two letters swapped that the index did not propose (tp18).

A query word no list word writes is read with two neighbouring letters swapped back
(tr16/tr17: ``index.swapped_back_keys``); three kinds of such words still met no key:

* the reading is two adjacent list words written together ("Smartdepto" read Smartdepot,
  for SMART DEPOT): each reading's phonetic key is looked up as a joined key (``j:``) too;
* two adjacent query words, neither of them a list word, are one list word with a swap
  ("Vitel Homem" for Vitelhomme): the two written together are read swapped back;
* a long word (``_TWO_SLIPS_LETTERS``) with a swap on top of another slip ("Bacrhumshah"
  for Bachrumsyah), which one slip does not explain: the readings' one-deletion
  neighbours, only when the word's own key has none and no reading is posted.

Made-up names only; each rule's compiled path is held to its Python rule.
"""

from __future__ import annotations

import random

import pytest

from discreet.match import Matcher, Query
from discreet.match.index import (
    _FUZZY,
    _JOINED,
    _TWO_SLIPS_LETTERS,
    NameIndex,
    _key_table,
    _near_keys,
    _token_posts,
    swapped_back_keys,
    swapped_near_keys,
)
from discreet.match.swaps import JOINED, SKELETON, SLAVIC, SLAVIC_LETTERS, reading_keys
from discreet.model import Entity, Name
from discreet.text.phonetic import phonetic_key, swap_keys
from tests.match.scoring import prepared

_LISTED = ["Korvant DELUMA", "Tarquin Velmoor", "Kalverhomme INNOCENT", "Gorvandelik PASTU",
           "Omid SADIHGI", "Lorenz HOFBAUER", "Kalver SMITH", "Homem DIAS"]


def _index(extra: tuple[str, ...] = ()) -> NameIndex:
    return NameIndex([prepared(n, "person") for n in (*_LISTED, *extra)])


# -- a reading that is two list words written together -------------------------------------


def test_a_swapped_reading_looks_up_two_list_words_written_together() -> None:
    index = _index()
    joined = _JOINED + phonetic_key("korvantdeluma")
    assert joined in index.key_ids
    assert index._expand("korvantdelmua").get(joined) == _FUZZY  # "Korvantdelmua"
    assert index._expand("korvantdeluma").get(joined) is None  # no swap: the shifted rule's
    assert (_JOINED + phonetic_key("korvantdeluma"), _FUZZY) in swapped_back_keys(
        "korvantdelmua")


def test_a_word_the_lists_write_is_not_read_as_joined_words() -> None:
    """"Lorenz" is a list word: its readings are not looked up at all, joined or not."""
    index = _index(("Lroenz GRUBER",))
    found = index._expand("lorenz")
    assert not any(key.startswith(_JOINED) for key in found)


def test_the_compiled_swaps_look_up_the_joined_key_as_the_strings() -> None:
    """KeyTable.swaps' sixth number is the number of "j:" + the reading's phonetic key (the
    string swap_keys makes), on thousands of made-up words and list names of two words
    written together; -1 when no prefix is asked."""
    rnd = random.Random(18)
    letters = "abdeghiklmnoprstuvyz"
    words = ["".join(rnd.choice(letters) for _ in range(rnd.randint(3, 7))) for _ in range(3000)]
    keys = [key for a, b in zip(words[::2], words[1::2], strict=True)
            for key in (*_token_posts(a, False), _JOINED + phonetic_key(a + b))]
    table = _key_table(list(dict.fromkeys(keys)))
    met = 0
    for a, b in zip(words[::2], words[1::2], strict=True):
        i = rnd.randrange(len(a + b) - 1)
        word = (a + b)[:i] + (a + b)[i + 1] + (a + b)[i] + (a + b)[i + 2:]
        slavic = SLAVIC if len(word) >= SLAVIC_LETTERS else None
        found = table.swaps(word, slavic, SKELETON, JOINED)
        assert found is not None
        expected = [table.find(_JOINED + key) for _, key, _, _ in swap_keys(word, slavic,
                                                                            SKELETON)]
        assert [row[5] for row in found] == expected, word
        assert [row[:5] for row in found] == [
            row[:5] for row in table.swaps(word, slavic, SKELETON) or ()], word
        assert all(row[5] == -1 for row in table.swaps(word, slavic, SKELETON) or ())
        met += sum(1 for k in expected if k >= 0)
    assert met > 500


# -- two query words that are one list word with a swap --------------------------------------


def test_two_query_words_written_as_one_are_read_swapped_back() -> None:
    index = _index()
    key = phonetic_key("kalverhomme")
    assert index._query_keys(prepared("Kalvre Homme", "person")).get(key) == _FUZZY
    assert index._query_keys(prepared("Kalverh Omem", "person")).get(key) == _FUZZY


def test_two_list_words_are_not_read_as_one_swapped() -> None:
    """Kalver and Homem are list words: "Kalver Homem" is those two names, not a slip for
    Kalverhomme, nor is "Kalver Hmome" (a list word beside), nor a name whose joined words
    are already a list word."""
    index = _index()
    keys = index._query_keys(prepared("Kalver Homem", "person"))
    assert phonetic_key("kalverhomme") not in keys
    assert phonetic_key("kalverhomme") not in index._query_keys(
        prepared("Kalver Hmome", "person"))
    assert phonetic_key("kalverhomme") not in index._query_keys(
        prepared("Velmoor Tarquin", "person"))


def test_the_joined_readings_are_the_readings_keys_posted() -> None:
    """NameIndex._joined_swaps credits the posted phonetic keys of the readings of the two
    words written together (swaps.reading_keys' strings), at a swap's credit, and nothing
    when either is a list word; on made-up pairs."""
    index = _index()
    rnd = random.Random(7)
    for _ in range(300):
        a, b = rnd.choice(["kalver", "kalvre", "tarquin", "homem", "omem", "deluma"]), \
            rnd.choice(["homme", "homem", "hmome", "velmoor", "dleuma", "sadihgi"])
        keys: dict[int, float] = {}
        index._joined_swaps(a, b, keys)
        if index._known(a) or index._known(b):
            assert keys == {}
            continue
        expected = {index.key_ids.find(key): _FUZZY for _, key, _, _ in reading_keys(a + b)}
        expected.pop(-1, None)
        assert keys == expected, (a, b)


# -- a long word with a swap on top of another slip ----------------------------------------


def test_a_long_word_with_two_slips_looks_up_its_readings_neighbours() -> None:
    """"Gorvnadelk": Gorvandelik with its i left out and a and n swapped."""
    index = _index()
    listed = phonetic_key("gorvandelik")
    assert index._expand("gorvnadelk").get(listed) == _FUZZY
    assert listed in swapped_near_keys("gorvnadelk", index.key_ids, index.neighbours)
    ids = index._expand_ids("gorvnadelk")
    assert {index.key_ids.key(k): c for k, c in ids.items()} == index._expand("gorvnadelk")


def test_a_short_word_or_one_slip_is_not_read_twice() -> None:
    """A word under _TWO_SLIPS_LETTERS letters reads no second slip (two slips in a short
    word is another name); nor does a word one slip explains already: the one-deletion
    neighbours of its own key, or a posted reading, are what it looks up."""
    index = _index(("Gorvandel PASTU",))
    assert len("grovadel") < _TWO_SLIPS_LETTERS
    assert phonetic_key("gorvandel") not in index._expand("grovadel")
    # "gorvandelk": one letter more than a list word, its own neighbour: no readings' ones
    assert swapped_near_keys("gorvandelk", index.key_ids, index.neighbours) == []
    # "gorvandleik": a reading is posted (Gorvandelik): its neighbours are not looked up
    found = index._expand("gorvandleik")
    assert found[phonetic_key("gorvandelik")] == _FUZZY
    assert phonetic_key("gorvandel") not in found


def test_the_near_keys_are_the_compiled_neighbours() -> None:
    """_near_keys (strings) gives Neighbours.expand's keys with no groups, in order, on
    made-up keys of an index of made-up words."""
    rnd = random.Random(3)
    letters = "abdegiklmnoprstuvz"
    words = ["".join(rnd.choice(letters) for _ in range(rnd.randint(4, 10)))
             for _ in range(2000)]
    index = NameIndex([prepared(w, "person") for w in words])
    met = 0
    for word in words[:600]:
        key = phonetic_key(word)
        for probe in {key, key[1:], key[:-1] + "a", key[:2] + key[3:]}:
            expected = [index.key_ids.key(k) for k in index.neighbours.expand(
                [], probe, 4, _FUZZY)]
            assert _near_keys(probe, index.key_ids, index.neighbours) == expected, probe
            met += len(expected)
    assert met > 500


def test_the_compiled_expansion_reads_the_three_rules_as_python() -> None:
    """_expand_ids (compiled lookups) and _expand (strings) agree on words with a swap,
    with a swap and a dropped letter, long and short, listed and not."""
    index = _index()
    rnd = random.Random(11)
    asked = ["korvantdelmua", "gorvnadelk", "gorvandelk", "lroenz", "sadihig", "kalvre"]
    for word in ("korvantdeluma", "gorvandelikpastu", "tarquinvelmoor", "hofbauerlorenz"):
        for _ in range(40):
            drop = rnd.randrange(len(word))
            typed = word[:drop] + word[drop + 1:] if rnd.random() < 0.5 else word
            i = rnd.randrange(len(typed) - 1)
            asked.append(typed[:i] + typed[i + 1] + typed[i] + typed[i + 2:])
    for token in asked:
        compiled = {index.key_ids.key(k): c for k, c in index._expand_ids(token).items()}
        assert list(compiled.items()) == list(index._expand(token).items()), token


# -- the matcher ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    """An index over _SCAN names, so that what it proposes is all that is compared."""
    rnd = random.Random(5)
    syllables = ["ka", "ro", "mi", "te", "su", "la", "vo", "ne", "di", "pa", "zu", "be"]
    names = [" ".join("".join(rnd.choice(syllables) for _ in range(rnd.randint(2, 4))).title()
                      for _ in range(2)) for _ in range(1100)]
    listed = [("t-1", "SMARTVEX DEPOTINA"), ("t-2", "Vitelhomme BRANDAO"),
              ("t-3", "BACHRUMSYAH")]
    entities = [Entity(id=f"f-{k}", schema="Person", names=[Name(n)])
                for k, n in enumerate(names)]
    entities += [Entity(id=i, schema="Person", names=[Name(n)]) for i, n in listed]
    return Matcher.from_entities(entities)


@pytest.mark.parametrize(("query", "wanted"), [
    ("SMARTVEXDEPOTNIA", "t-1"), ("BACRHUMSHAH", "t-3")])
def test_the_matcher_proposes_and_finds_the_listed_name(matcher: Matcher, query: str,
                                                        wanted: str) -> None:
    assert not matcher.scan
    results = matcher.match(Query(query, schema="Person"), threshold=0.5)
    assert results and results[0].entity.id == wanted, [
        (r.entity.names[0].value, r.score) for r in results]


@pytest.mark.parametrize("query", ["Kamiro Sulavo", "Vital Homero", "Bachman Rashid"])
def test_other_names_stay_below(matcher: Matcher, query: str) -> None:
    results = matcher.match(Query(query, schema="Person"), threshold=0.5)
    assert not any(r.entity.id.startswith("t-") for r in results), [
        (r.entity.names[0].value, r.score) for r in results]

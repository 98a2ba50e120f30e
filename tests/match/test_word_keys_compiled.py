"""A new query word's keys in one compiled call (``Neighbours.word``, through
``NameIndex._new_token``): the same keys, credits, order, parts and share of the query's
evidence as the rules (``NameIndex._token_by_rule``, ``_token_mass``), for made-up words of
every shape: typos of list words (a letter dropped, doubled, replaced, two swapped, two
slips), doubled letters, nicknames, acronyms, short words, words without vowels, digits,
capitals and non-Latin letters (the last ones read by the rules); and a share is never
read for another idf table."""

from __future__ import annotations

import random

import pytest

from discreet.match import Matcher
from discreet.match._kernel import most_credit
from discreet.match.index import _FUZZY, NameIndex, _word_rules
from discreet.match.prune import Forms, string_forms
from discreet.model import Entity, Name

_WORDS = ["Vladimir", "Putin", "Petrov", "Aleksandr", "Alexander", "Lukashenko", "Barsukov",
          "Ramzan", "Kadyrov", "Mohammed", "Hassan", "Nasrallah", "Christopher", "Romeo",
          "Rubinov", "Theodore", "Yusuf", "Ayyub", "Shamsuddin", "Abdurrahman", "Ittihad",
          "Global", "Trading", "Company", "Srednevolzhsky", "Gazprom", "Neft", "Klub", "Wang",
          "Nguyen", "Oleksandr", "Vehera", "Uday", "Rostec", "Hussein", "Tikriti", "Bachrumsyah",
          "Smart", "Depot", "Vitelhomme", "Belize", "Qabalan", "Koshlaf", "Freitas", "Shahbaz"]
_ARABIC = ["محمد بن سلمان", "شمس الدین", "حسن نصر الله"]
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _entities() -> list[Entity]:
    rng = random.Random(29)
    out = [Entity(f"a{i}", "Person", source="t", names=[Name(text)])
           for i, text in enumerate(_ARABIC)]
    for i in range(700):
        words = rng.sample(_WORDS, rng.randint(1, 3))
        schema = "Organization" if i % 6 == 0 else "Person"
        out.append(Entity(f"p{i}", schema, source="t", names=[Name(" ".join(words))]))
    out.append(Entity("o1", "Organization", source="t", names=[Name("GTC")]))
    return out


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return Matcher.from_entities(_entities()).index


def _slips(word: str, rng: random.Random) -> list[str]:
    """A word with a letter dropped, doubled, replaced, two letters swapped, and two of
    those at once."""
    def one(w: str) -> str:
        i = rng.randrange(len(w))
        how = rng.randrange(4)
        if how == 0 and len(w) > 1:
            return w[:i] + w[i + 1:]
        if how == 1:
            return w[:i] + w[i] + w[i:]
        if how == 2:
            return w[:i] + rng.choice("aeiouykstzh") + w[i + 1:]
        j = min(i, len(w) - 2)
        return w[:j] + w[j + 1:j + 2] + w[j:j + 1] + w[j + 2:] if j >= 0 else w
    return [one(word), one(word), one(one(word))]


def _made_up(rng: random.Random, count: int) -> list[str]:
    """Random words of 1-14 letters, some with a doubled letter, none or only one vowel,
    or a digit, a capital, a non-Latin letter."""
    out = []
    for _ in range(count):
        word = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 14)))
        shape = rng.randrange(7)
        if shape == 1:
            i = rng.randrange(len(word))
            word = word[:i + 1] + word[i:]
        elif shape == 2:
            word = word[:1] + "".join(c for c in word[1:] if c not in "aeiou")
        elif shape == 3:
            word += rng.choice("0123456789")
        elif shape == 4:
            word = word.capitalize()
        elif shape == 5:
            word += rng.choice("éßжم")
        out.append(word)
    return out


def _words() -> list[str]:
    rng = random.Random(5)
    words = {w.lower() for w in _WORDS}
    words |= {s for w in _WORDS for s in _slips(w.lower(), rng) if s}
    words |= {"sasha", "alex", "ted", "teddy", "gtc", "gtcs", "smartdepto", "vitelhomem",
              "bacrhumshah", "qaalan", "beize", "kohslaf", "rubbinov", "roomeo", "petrovv"}
    words |= set(_made_up(rng, 600))
    return sorted(words)


def _forms(word: str) -> Forms | None:
    """What a query word's compiled forms are (none but for ASCII letters)."""
    return string_forms(word, False) if word.isascii() and word.isalpha() else None


def _mass_by_rule(index: NameIndex, token: str, abjad: bool) -> float:
    share = index._token_mass(token, abjad, index.top, False)
    near, parts, _, _ = index._token_by_rule(token, abjad)
    if near and not parts:
        share = min(share, most_credit(near, index._key_weights()))
    return share


def test_new_words_keys_and_shares_are_the_rules(index: NameIndex) -> None:
    compiled = keyed = swapped = 0
    for word in _words():
        for abjad in (False, True):
            by_rule = index._token_by_rule(word, abjad)
            made = index._new_token(word, abjad)
            assert made == by_rule, (word, abjad)
            assert list(made[0].items()) == list(by_rule[0].items()), (word, abjad)  # order
            index._token_cache[word, abjad] = made
            assert index._query_token_mass(word, abjad) == _mass_by_rule(index, word, abjad), \
                (word, abjad)
            answer = index.neighbours.word(word, abjad, _forms(word), _word_rules(),
                                           index._word_weights(), index.top)
            compiled += answer is not None
            keyed += answer is not None and bool(answer[0])
            swapped += answer is not None and any(
                credit == _FUZZY for credit in answer[0].values())
    # the compiled call read most of them, and they reached keys, typos among them
    assert compiled > 500 and keyed > 250 and swapped > 100, (compiled, keyed, swapped)


def test_words_the_call_leaves_to_the_rules(index: NameIndex) -> None:
    """Short words and words without a vowel after their first letter (their bridge keys,
    near keys and skeleton probes) are read by the compiled call; such a word in an
    abjad script's name, a letter alone, and any but lowercase ASCII letters are not."""
    for word in ("ali", "li", "ben", "lu", "vldmr", "kdyrv", "shbbz", "frrts", "hlm", "ary",
                 "ostp", "mhmd"):
        assert index.neighbours.word(word, False, string_forms(word, False), _word_rules(),
                                     None, index.top) is not None
        assert index._new_token(word, False) == index._token_by_rule(word, False)
    for word in ("vldmr", "hlm", "mhmd"):
        assert index.neighbours.word(word, True, string_forms(word, False), _word_rules(),
                                     None, index.top) is None
    for word in ("a", "petrov1", "Petrov", "пётр", "müller"):
        assert index.neighbours.word(word, False, _forms(word), _word_rules(), None,
                                     index.top) is None
        assert index._new_token(word, False) == index._token_by_rule(word, False)


def test_a_bare_word_has_its_bridges_and_probes(index: NameIndex) -> None:
    """A word written without vowels meets a list word by its folded skeleton and by its
    skeleton probes (a letter the list writes twice: "Shbz" for Shahbaz), which are its
    bridge keys; its one-deletion neighbours are its near keys."""
    keys, _, bridges, near = index._new_token("frts", False)
    written = [index.key_ids.key(k) for k in bridges]
    assert bridges and all(k in keys for k in bridges), written
    assert any(key.startswith("f:") for key in written), written
    assert not set(near) & set(bridges)
    probed, _, bridges, _ = index._new_token("shbz", False)
    assert "v:shhbz" in [index.key_ids.key(k) for k in probed]
    assert index._new_token("shbz", False) == index._token_by_rule("shbz", False)


def test_a_share_is_never_read_for_another_idf(index: NameIndex) -> None:
    """A share made with the index's own idf is not what a replaced idf table (a
    restricted matcher's) reads: the share follows the table in use."""
    fresh = Matcher.from_entities(_entities()).index
    word = "vladimr"
    own = fresh._query_token_mass(word, False)
    assert own == _mass_by_rule(fresh, word, False)
    fresh.idf = {key: 2.0 * value for key, value in fresh.idf.items()}
    fresh._mass_cache.clear()
    assert fresh._query_token_mass(word, False) == _mass_by_rule(fresh, word, False) != own
    # a new word met under the replaced table: no share made, the rule's
    other = "petrrov"
    assert fresh._query_token_mass(other, False) == _mass_by_rule(fresh, other, False)


def test_a_clean_word_reaches_its_own_keys_only(index: NameIndex) -> None:
    """A list word met as written earns its own keys at full credit and no swapped
    reading; a word far from every list word earns nothing (no rise from nothing)."""
    keys, parts, _, _ = index._new_token("kadyrov", False)
    written = {index.key_ids.key(k): credit for k, credit in keys.items()}
    assert written[index.key_ids.key(next(iter(keys)))] == 1.0
    assert not parts
    far, _, _, _ = index._new_token("zqxwvbnm", False)
    assert far == {}

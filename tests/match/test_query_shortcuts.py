"""The shortcuts of a new query's own Python (rq23) give what the rules give: a name with a
letter before a vowel is no name written without vowels (prepare._vowelless_words answers
without reading its words); the kernel's name_letters is index.letters' loop; a word's keys
and share read from the kept ones in NameIndex._query_ids are _token's and
_query_token_mass's."""

from __future__ import annotations

import random

import pytest

from discreet.match import index as index_module
from discreet.match import prepare
from discreet.match._kernel import kind_weights, name_letters
from discreet.match.index import NameIndex, letters
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.rarity import Rarity, default_rarity

# names of every shape the vowel test must read as the words do: apostrophes and dots
# between letters, digits read as letters, ordinals, an ampersand, control characters,
# other scripts, accents, a hyphen, words of one letter
_NAMES = [
    "PY PRTV", "LMTD LBLTY CMPNY", "GK VB.RF", "Vldmr Ptn", "O'Brien", "O'BRN", "Ig0r Sech1n",
    "V1KTR", "21st Century", "2nd BRN", "J.S.C. KHT", "A.B.C. Holdings", "D&B", "B&Q LTD",
    "Tmr\x00Khn", "Ahmd\tKhn", "Иван Петров", "Sergéy", "SRG\u00e9Y", "Jean-Paul", "KH-BR",
    "X", "", "  ", "AB", "Ab Slmn Al-Shmr", "YHY, Ab", "F YN Y", "EP-MNQ", "Mr. SMTH",
    "Qz`r", "QZ'R", "st", "th nd", "1st 2nd 3rd", "4bc", "b4c", "@lfa", "$mth", "a.b", "ab.cd",
    "Ae", "eA", "bA", "BCDFG", "b e", "MCDNLD'S", "Nguyen V Tn Trn",
    "NK2yi.", "b6a PRTV", "KH2 Ali", "Vldmr 26th",
]


def _random_names(count: int) -> list[str]:
    """Made-up ASCII names, half of them without vowels after their words' first letters."""
    rng = random.Random(23)
    consonants = "bcdfghjklmnpqrstvwxyzBCDFGHJKLMNPQRSTVWXYZ"
    every = consonants + "aeiouAEIOU0123'.-&`@$ ,"
    out = []
    for _ in range(count):
        pool = consonants + " .'-1" if rng.random() < 0.5 else every
        out.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 14))))
    return out


@pytest.mark.parametrize("name", _NAMES + _random_names(3000))
def test_vowel_shortcut_reads_as_the_words(name: str) -> None:
    prepare._vowelless_words.cache_clear()
    assert prepare._vowelless_words(name) == prepare._vowelless_read(name)


def test_vowel_shortcut_can_fail() -> None:
    # a name written without vowels is read by its words, not answered at once
    assert prepare._vowelless_words("PY PRTV") == ("py", "prtv")
    assert prepare._vowelless_words("Pay Partav") is None


def _letters_by_rule(name: PreparedName) -> tuple[int, int]:
    """index.letters as the loop it was in Python."""
    inits = 0
    firsts = index_module._ORGANISATION if name.org or name.legal else 0
    for token, kind in zip(name.tokens, name.kinds, strict=True):
        first = token[:1]
        if not ("a" <= first <= "z"):
            continue
        if kind == "initial":
            inits |= 1 << (ord(first) - 97)
        elif kind not in index_module._SKIP:
            firsts |= 1 << (ord(first) - 97)
    return inits, firsts


@pytest.mark.parametrize("cls", ["person", "org", "any"])
def test_name_letters_is_the_loop(cls: str) -> None:
    rarity = default_rarity()
    names = [*_NAMES, "J. C. Juncker", "Gomez Group SA", "Dr Abu Bakr al-Baghdadi",
             "OOO Zvezda", "Zhu Z", "7 Seas Ltd", "Мухаммад аль-Хусейни", "山田 太郎"]
    for text in names:
        name = prepare_name(text, cls, rarity)  # type: ignore[arg-type]
        assert letters(name) == _letters_by_rule(name), text


def test_name_letters_reads_its_bits() -> None:
    assert name_letters(("j", "higgins"), ("initial", "name"), 0, frozenset()) == (
        1 << 9, 1 << 7)
    assert name_letters(("al", "zu", "", "9a", "é"), ("particle", "name", "name", "name",
                                                     "name"), 1 << 31,
                        frozenset({"particle"})) == (0, (1 << 31) | (1 << 25))
    with pytest.raises(ValueError):
        name_letters(("a", "b"), ("name",), 0, frozenset())
    with pytest.raises(TypeError):
        name_letters((1,), ("name",), 0, frozenset())  # type: ignore[arg-type]


def test_query_ids_read_from_kept_words_as_made() -> None:
    rarity = default_rarity()
    listed = [prepare_name(t, "any", rarity) for t in (
        "Vladimir Putin", "Vladimir Vladimirovich Putin", "Hafez Makhlouf", "Qasem Soleimani",
        "Rami Makhlouf", "Kirillov Vladimir", "Vitelhomme Jean", "Joint Stock Company Avia")]
    index = NameIndex(listed)
    queries = [prepare_name(t, "any", rarity) for t in (
        "Vladimir Putin", "Vladmir Puttin", "Hafe zMakhlouf", "QasemS Olemani",
        "Vitel Homme Jean", "Kirillov Ladimir", "Vldmr Ptn")]
    made = []
    for q in queries:  # first asked: every word new
        shares: list[float] = []
        made.append((index._query_ids(q, [], shares), shares))
    fresh = NameIndex(listed)
    for q, (keys, shares) in zip(queries, made, strict=True):
        fresh._token_cache.clear()  # the rule's way: every word read anew
        again: list[float] = []
        assert fresh._query_ids(q, [], again) == keys
        assert again == shares
        kept: list[float] = []  # ... and read from the kept words
        assert index._query_ids(q, [], kept) == keys and list(keys) == list(
            index._query_ids(q, [], []))
        assert kept == shares
        # each share is the word's _query_token_mass times its weight (the rule's call)
        weights = [w for t, k, w in zip(q.tokens, q.kinds, q.weights, strict=True)
                   if k not in index_module._SKIP or len(q.tokens) == 1]
        assert shares == [fresh._query_token_mass(t, q.abjad) * w for t, w in zip(
            NameIndex.searched(q.tokens, q.kinds), weights, strict=True)]


def _weights_by_rule(tokens: tuple[str, ...], kinds: tuple[str, ...],
                     rarity: Rarity) -> tuple[float, ...]:
    """prepare._weights as the loop it was in Python (no weight kept)."""
    return tuple(prepare.KIND_WEIGHTS[k] * rarity.weight(t) if k in prepare._RARE_KINDS
                 else prepare.KIND_WEIGHTS[k] for t, k in zip(tokens, kinds, strict=True))


def test_kind_weights_are_the_loop() -> None:
    rarity = Rarity({"putin": 40, "vladimir": 900, "ivanov": 3, "al": 5000}, 100_000)
    tokens = ("vladimir", "v", "putin", "al", "ivanov", "ooo", "7", "new")
    kinds = ("name", "initial", "name", "particle", "patronymic", "legal", "number", "name")
    prepare._WEIGHED.clear()
    first = prepare._weights(tokens, kinds, rarity)
    assert first == _weights_by_rule(tokens, kinds, rarity)
    assert prepare._weights(tokens, kinds, rarity) == first  # ... read from the kept ones
    assert prepare._weights(list(tokens), list(kinds), rarity) == first  # type: ignore[arg-type]
    assert first[0] < first[2] and first[1] == prepare.KIND_WEIGHTS["initial"]
    with pytest.raises(KeyError):
        prepare._weights(("x",), ("no such kind",), rarity)
    kept: dict[str, float] = {"a": 1.0, "b": 1.0}
    assert kind_weights(("c",), ("name",), {"name": 2.0}, frozenset({"name"}), kept,
                        lambda t: 0.25, 2) == (0.5,)
    assert kept == {"c": 0.25}  # full: emptied, then the new token kept

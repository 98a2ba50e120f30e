"""A cold query's forms made in compiled code are the Python rule's: a string's forms for the
kernel (``prune.string_forms``: ``_strings.pxi`` for ASCII letters, ``prune.reference_forms``
for any other text) and a token's parts when it reads as indexed words written together
(``KeyTable.parts`` against ``NameIndex._parts``), for made-up words of every shape: doubled
letters, Baltic endings, vowel-less words with letter groups an abjad may split, syllables,
digits, punctuation, non-Latin letters."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match import Matcher
from discreet.match._kernel import string_forms as compiled_forms
from discreet.match.index import _THREE_PARTS, NameIndex
from discreet.match.prune import (
    _CACHED,
    _ENDINGS,
    _UNCACHED,
    _VARIANT_LETTERS,
    _forms,
    reference_forms,
    string_forms,
)
from discreet.model import Entity, Name
from discreet.text.phonetic import (
    abjad_other_skeletons,
    chinese_key,
    korean_key,
    phonetic_key,
)

_SHAPES = ["s", "as", "ys", "a", "hh", "aa", "thd", "shbkh", "kdyrv", "dhgh", "sergejs",
           "ivanovas", "zhukoooov", "hassan", "lloyd", "bbb", "mohammedis", "Vladimir",
           "OOO", "xiang", "hsieh", "jeong", "tsertsel", "abdallah", "ysy", "mikalai"]


def _made_up(count: int, seed: int) -> list[str]:
    """Made-up words of letters a name uses, a letter doubled or a Baltic ending in some."""
    rng = random.Random(seed)
    out = list(_SHAPES)
    for _ in range(count):
        word = "".join(rng.choice("aeiouybcdghjklmnrstvwxzq") for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.3:
            at = rng.randrange(len(word))
            word = word[:at + 1] + word[at] * rng.randint(1, 2) + word[at + 1:]
        out.append(word + rng.choice(("", "", "s", "as", "is", "us", "ys")))
    return out


@pytest.mark.parametrize("syllables", [False, True])
def test_a_words_forms_are_the_python_rules(syllables: bool) -> None:
    made = 0
    for word in _made_up(4000, 11):
        for keys, others in ((_CACHED, abjad_other_skeletons),
                             (_UNCACHED, abjad_other_skeletons.__wrapped__)):
            found = compiled_forms(word, _ENDINGS, _VARIANT_LETTERS,
                                   keys[4] if syllables else None,
                                   keys[5] if syllables else None, others)
            assert found == reference_forms(word, syllables, keys, others)
            assert _forms(word, syllables, keys, others) == found
            made += found is not None
    assert made == 2 * 4000 + 2 * len(_SHAPES)  # letters only: every one made compiled


def test_the_forms_read_what_the_rules_say() -> None:
    """A few forms written out: the stems left by each Baltic ending, a run written once,
    the other readings of a vowel-less word's sh and kh (an abjad's two letters)."""
    sergejs = string_forms("sergejs")
    assert [cut for cut, _ in sergejs[5]] == [1]
    assert sergejs[11] is None
    doubled = string_forms("zhukoooovas")
    assert [cut for cut, _ in doubled[5]] == [1, 2]
    assert doubled[11] is not None and doubled[11][0] == b"zhukovas"
    assert string_forms("shbkh")[10] == " ".join(abjad_other_skeletons("shbkh")).encode()
    assert string_forms("shbkh")[10] != b""
    assert string_forms("shabaka")[10] == b""  # a vowelled word has no other reading
    assert string_forms("zhang", True)[7] == chinese_key("zhang").encode()
    assert string_forms("jeong", True)[8] == korean_key("jeong").encode()
    assert string_forms("zhang", False)[7:9] == (b"", b"")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aeiouyhstdkgbzlmnAEZ19-' .éж\u0645", min_size=0, max_size=14),
       st.booleans())
def test_any_text_has_the_python_forms(text: str, syllables: bool) -> None:
    """Whatever the text: ASCII letters are made compiled, anything else is left to Python
    (None), and the forms are the reference's either way."""
    found = compiled_forms(text, _ENDINGS, _VARIANT_LETTERS,
                           chinese_key if syllables else None,
                           korean_key if syllables else None, abjad_other_skeletons)
    letters = text.isascii() and text.isalpha()
    assert (found is not None) == letters
    if letters:
        assert found == reference_forms(text, syllables, _CACHED, abjad_other_skeletons)


_WORDS = ["Vladimir", "Putin", "Petrov", "Royal", "Room", "Dress", "Global", "Trading",
          "Nasrallah", "Kadyrov", "Ramzan", "Gazprom", "Neft", "Malik", "Noorzai", "Oleg",
          "Tikriti", "Hussein", "Bank", "Ali", "Uday"]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    rng = random.Random(23)
    entities = [Entity(f"p{i}", "Organization" if i % 5 == 0 else "Person", source="t",
                       names=[Name(" ".join(rng.sample(_WORDS, rng.randint(1, 3))))])
                for i in range(300)]
    return Matcher.from_entities(entities).index


def _joined(count: int, seed: int) -> list[str]:
    """Two or three list words written together, a letter slipped in some; clean words;
    digits and punctuation inside."""
    rng = random.Random(seed)
    words = [w.lower() for w in _WORDS]
    out = ["vladimirputin", "royalroomdress", "bankalibank", "neft", "abcdefgh", "oleg7putin",
           "putin-petrov", "xxxxxxxxxxxx", "petrovputin"]
    for _ in range(count):
        token = "".join(rng.sample(words, rng.randint(2, 3)))
        if rng.random() < 0.3:
            at = rng.randrange(len(token))
            token = token[:at] + rng.choice("aeiostk19") + token[at + 1:]
        out.append(token)
    return out


def test_a_joined_tokens_parts_are_the_python_rules(index: NameIndex) -> None:
    split = 0
    for token in _joined(1500, 5):
        parts = index.key_ids.parts(token, _THREE_PARTS)
        assert parts == index._parts(token)
        split += bool(parts)
    assert split > 1000  # most joined words were found in parts


def test_a_joined_token_is_split_into_indexed_words(index: NameIndex) -> None:
    table = index.key_ids
    two = [table.key(k) for k in table.parts("vladimirputin", _THREE_PARTS) or []]
    assert two == [phonetic_key("vladimir"), phonetic_key("putin")]
    three = [table.key(k) for k in table.parts("royalroomdress", _THREE_PARTS) or []]
    assert three == [phonetic_key(w) for w in ("royal", "room", "dress")]
    assert table.parts("abcdefgh", _THREE_PARTS) == []  # no indexed word in it: no parts
    assert table.parts("neft", _THREE_PARTS) == []  # too short to be two words


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="vladimrputnoeskbgz1-é\u0645", min_size=0, max_size=16))
def test_any_token_has_the_python_parts(index: NameIndex, token: str) -> None:
    """ASCII tokens split in compiled code, any other left to Python (None)."""
    parts = index.key_ids.parts(token, _THREE_PARTS)
    assert (parts is None) == (not token.isascii())
    if parts is not None:
        assert parts == index._parts(token)

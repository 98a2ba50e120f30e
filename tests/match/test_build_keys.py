"""The word keys an index build makes for every word (``prune.string_forms``), made with
string tests rather than regular expressions, are the keys the expressions give: here the
Chinese syllable key against its rules applied as written (``_CHINESE_FINALS``), over every
word of up to four letters of an alphabet holding each rule's letters, and random words
ending as the rules read."""

from __future__ import annotations

import itertools
import random

from discreet.text import phonetic

LETTERS = "aeiouhjsrgnptkzxcwy"
ENDINGS = ("", "ung", "ien", "eh", "ih", "ee", "uei", "uo", "e", "\n", "ung\n")


def _by_the_expressions(token: str) -> str:
    text = token
    if text.startswith("j") and not text.startswith(("ji", "ju")):
        text = "r" + text[1:]
    else:
        for written, sound in phonetic._CHINESE_INITIALS:
            if text.startswith(written):
                text = sound + text[len(written):]
                break
    for pattern, repl in phonetic._CHINESE_FINALS:
        text = pattern.sub(repl, text)
    return text


def test_chinese_key_is_its_expressions_on_every_short_word() -> None:
    key = phonetic.chinese_key.__wrapped__
    for size in range(5):
        for letters in itertools.product(LETTERS, repeat=size):
            word = "".join(letters)
            for ending in ("", "\n"):
                assert key(word + ending) == _by_the_expressions(word + ending), word


def test_chinese_key_is_its_expressions_on_random_words() -> None:
    key = phonetic.chinese_key.__wrapped__
    rng = random.Random(5)
    for _ in range(5_000):
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz")
                       for _ in range(rng.randrange(0, 10)))
        for ending in ENDINGS:
            assert key(word + ending) == _by_the_expressions(word + ending), word + ending
    assert phonetic.chinese_key("hsieh") == phonetic.chinese_key("xie")
    assert phonetic.chinese_key("chung") == phonetic.chinese_key("zhong")

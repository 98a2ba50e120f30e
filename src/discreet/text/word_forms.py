"""A name screened read again with the other forms of its words (data/word_forms.yml).

A company is named by its country or its country's adjective, by a word or its plural:
"Iranian Aluminium Company" is listed as "Iran Aluminium Company", "Savings Bank" as
"Saving Bank". The lists' names are indexed as written; a name screened is also read with
each such word in each of its other forms, so that the index proposes the listed name and
the scorer compares the same words. The name as written stays the first reading: a word
typed with a slip is still compared with the word as the list writes it. Generic words
("Industrial", "Traders") are not read again: they weigh little whatever their form
(names.py reads every form of one as generic).
"""

from __future__ import annotations

import re
from functools import cache

from discreet.text.normalize import tokenize
from discreet.text.terms import terms

__all__ = ["other_forms"]

_WORD = re.compile(r"[^\W\d_]+")  # a run of letters: a word as the name writes it
_MOST = 8  # readings at most: a name of many such words is read a word at a time
_SLIP_LETTERS = 5  # a word read again this long is still itself with a letter typed twice


def _cased(word: str, like: str) -> str:
    """``word`` written in the case ``like`` is (capitals, a capital first, as it is)."""
    if like.isupper():
        return word.upper()
    return word.capitalize() if like[:1].isupper() else word


@cache
def _read_again() -> frozenset[str]:
    """Every word read again (not generic words'), as normalised."""
    lists = terms()
    return frozenset(word for base, group in lists.word_groups.items()
                     if base not in lists.generic for word in group)


@cache
def _typed_twice() -> dict[str, str]:
    """Words read again of five letters or more by each spelling one of their letters
    written twice gives ("ffinance", "financce": finance), none a word read again itself: a
    slip of the keys leaves the word meant (a letter written twice is no other word's
    spelling in a name's trade or country word, as it may be in a person's name)."""
    words = _read_again()
    out: dict[str, str] = {}
    for word in sorted(words, key=lambda w: (len(w), w)):
        if len(word) >= _SLIP_LETTERS:
            for i in range(len(word)):
                out.setdefault(word[:i + 1] + word[i] + word[i + 1:], word)
    return {typed: word for typed, word in out.items() if typed not in words}


def other_forms(name: str) -> list[str]:
    """The name with one of its words (not a generic word) written in another of its forms,
    for each such word and form, and with every such word in its base form when there are
    several; none when it has no such word. A word with a letter typed twice
    (:func:`_typed_twice`: "Ffinance") is read as the word meant, in each of its forms."""
    words = _WORD.findall(name.lower()) if name.isascii() else tokenize(name)
    typed = _typed_twice()
    if _read_again().isdisjoint(words) and typed.keys().isdisjoint(words):
        return []  # most names screened: one pass (each name screened is asked)
    lists = terms()
    found: list[tuple[re.Match[str], str, str]] = []
    for match in _WORD.finditer(name):
        word = match.group(0).lower()
        if not word.isascii():  # as names are normalised (accents, other scripts)
            parts = tokenize(word)
            if len(parts) != 1:
                continue
            word = parts[0]
        meant = typed.get(word, word)
        base = lists.word_forms.get(meant, meant)
        if base in lists.word_groups and base not in lists.generic:
            found.append((match, word, base))
    out: list[str] = []
    for match, word, base in found:
        for other in lists.word_groups[base]:
            if other != word:
                out.append(name[:match.start()] + _cased(other, match.group(0))
                           + name[match.end():])
    if len(found) > 1:
        text = name
        for match, _, base in reversed(found):
            text = text[:match.start()] + _cased(base, match.group(0)) + text[match.end():]
        out.append(text)
    return list(dict.fromkeys(t for t in out if t != name))[:_MOST]

"""An organisation's name read in the English words its translation writes
(data/org_words.yml), with the adjective a Slavic language makes of a place read as the place.

The lists carry an organisation under its own name and its English translation: Акционерное
общество "Муромский приборостроительный завод" and JSC Murom Instrument-Making Plant. The
name is also read in one vocabulary (:func:`english_reading`), so that the two meet word for
word: "завод" (zavod, zavoda, zavodom) is Plant, "приборостроительный" Instrument Making, and
Муромский (Muromskiy, Muromsky, Muromskogo) is Murom, the town it is named by. The words of
the table say what an organisation is; its own word must still agree, as in any name.

A reading beside the name as written, not instead of it (match/pairs.py ``alternatives``:
the lists' names are indexed, and names screened compared, both ways): the name as written
keeps what only its own words give, the acronym its initials spell (AO BZPP for Bolkhovskii
Zavod Poluprovodnikovykh Priborov), a word cut by a field limit or typed with a slip. Read
for a name with a word of the table in the lists' other languages (zavod, завод), or with an
adjective of place and a legal form or a generic word; never for a person's name alone
(Zelenskiy is no place, Anna Works no plant).
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from discreet.text.names import parse_name
from discreet.text.normalize import tokenize
from discreet.text.terms import load_yaml

__all__ = ["english_reading", "english_words", "place_adjective", "translated"]

# the endings of Russian, Ukrainian and Belarusian nouns and adjectives once transliterated
# (the cases, genders and numbers), longest first: a word's stem is what is left
_ENDINGS = tuple(sorted({
    "iy", "yy", "ij", "ii", "yi", "oy", "oi", "ey", "ogo", "ego", "omu", "emu", "ykh", "ikh",
    "ym", "im", "ymi", "imi", "aya", "aia", "aja", "yaya", "oe", "oye", "ye", "ie", "uyu",
    "yuyu", "ae", "aye", "ay", "ami", "yami", "akh", "yakh", "om", "em", "ov", "ev", "iya",
    "iyu", "iey", "ya", "yu", "ia", "iu", "a", "u", "e", "i", "y", "o",
}, key=lambda e: (-len(e), e)))
_STEM = 5  # letters a stem keeps at least to stand for its word's forms (shorter: as listed)
# an adjective made of a place: the place (four letters or more) and -sk- with an ending
# (Muromskiy, Muromsky, Muromskaya, Kazanskogo; Donetskiy, ц written ts), or a place that
# ends in -sk itself written as the adjective is and as the English spelling
# (Novosibirskiy, Novosibirsk): the place without its -sk
_PLACE = re.compile(r"^(?!.*chesk)([a-z]{4,}?)t?sk(?:" + "|".join(
    e for e in _ENDINGS if e not in {"ov", "ev", "om", "em", "ami", "yami", "akh", "yakh"})
    + r")?$")
# (not -cheskiy, the -ical of Mekhanicheskiy, Khimicheskiy: no place's)
# ... and a short place (Omsk, Tomsk, Minsk) as its adjective: the place as written
_SHORT_PLACE = re.compile(r"^([a-z]{1,3}sk)(?:iy|yy|ii|ij|y|aya|aia|oe|oye|ogo|oy|oi|ikh|ykh)$")


def _stem(word: str) -> str:
    """The word less its longest Slavic ending that leaves :data:`_STEM` letters; the word
    itself when none does."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _STEM:
            return word[:-len(ending)]
    return word


class _Table(NamedTuple):
    """data/org_words.yml as read: every word -> its English words."""

    exact: dict[str, tuple[str, ...]]  # as listed, and each English word itself
    foreign: frozenset[str]  # the words of other languages (zavod, ministerstvo)
    stems: dict[str, tuple[str, ...]]  # their stems: their other forms (zavodom)
    starts: frozenset[str]  # the stems' first letters: a word that begins with none is
    # no form of them (most words, passed at once)


@cache
def _table() -> _Table:
    """The table, read once."""
    exact: dict[str, tuple[str, ...]] = {}
    foreign: set[str] = set()
    stems: dict[str, tuple[str, ...]] = {}
    data = load_yaml("org_words.yml")
    for english in data["words"]:  # the English words read as themselves
        for word in tokenize(str(english)):
            exact[word] = (word,)
    for table, other in (("words", True), ("english", False)):
        for english, words in data[table].items():
            meaning = tokenize(str(english))
            for word in (w for text in words for w in tokenize(str(text))):
                if exact.setdefault(word, meaning) != meaning:
                    raise ValueError(f"org_words.yml: {word!r} listed under two words")
                if other:
                    foreign.add(word)
                    stems.setdefault(_stem(word), meaning)
    return _Table(exact, frozenset(foreign), stems,
                  frozenset(stem[:_STEM] for stem in stems))


def english_words(word: str) -> tuple[str, ...] | None:
    """The English words an organisation's word is read as (data/org_words.yml): as
    listed, or another form of a word of another language (its stem and a Slavic ending);
    None for a word of no entry."""
    table = _table()
    found = table.exact.get(word)
    return found if found is not None else _other_form(word, table)


def _other_form(word: str, table: _Table) -> tuple[str, ...] | None:
    """The English words of a form of a word of another language ("zavodom")."""
    if word[:_STEM] not in table.starts:
        return None
    stem = _stem(word)
    return table.stems.get(stem) if stem != word else None


_TELLS = 5  # letters a word of the table has at least to tell an organisation's name alone


def _foreign(word: str) -> bool:
    """A word of the table in another language than English (zavod, завод, zavodom), long
    enough to tell an organisation's name (:data:`_TELLS`: not Fond, Gaz, Dom, which are also
    persons' names)."""
    if len(word) < _TELLS:
        return False
    table = _table()
    return word in table.foreign or (word not in table.exact
                                     and _other_form(word, table) is not None)


def place_adjective(word: str) -> str | None:
    """The place a Slavic adjective of place is made of ("muromskiy", "muromsky",
    "muromskogo": murom; "novosibirskiy" and "novosibirsk": novosibir; "omskiy": omsk), or
    None for a word that is none."""
    if "sk" not in word:  # most words
        return None
    found = _PLACE.match(word)
    if found is not None:
        return found.group(1)
    short = _SHORT_PLACE.match(word)
    return short.group(1) if short is not None else None


def translated(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens of an organisation's name (the caller checks it is one) each in its
    English words, an adjective of place as its place; the tokens when none changes."""
    out: list[str] = []
    for token in tokens:
        english = english_words(token)
        if english is not None:
            out.extend(english)
            continue
        place = place_adjective(token)
        out.append(token if place is None else place)
    return tuple(out)


def english_reading(name: str) -> str | None:
    """The name in the English words of organisation names (:func:`translated`), its words
    as normalised, when it has a word of the table in another language than English; or
    an adjective of place with its Slavic ending (Muromskiy) and a legal form or a generic
    word; or a place ending in -sk (Novosibirsk) and an English word of the table (Plant);
    None otherwise (Maersk A/S: a name, no place), or when nothing changes."""
    tokens = tokenize(name)
    if not _tells(tokens):
        place = _place(tokens)
        if place is None or (place.endswith("sk") and not _english(tokens)) or (
                not place.endswith("sk") and not _reads_as_org(name)):
            return None
    out = translated(tokens)
    return " ".join(out) if out != tokens else None


def _tells(tokens: tuple[str, ...]) -> bool:
    """A word of the tokens is a word of the table in another language (:func:`_foreign`);
    a loop with the cheap test first: asked of every name indexed and screened."""
    starts = _table().starts
    for token in tokens:
        if len(token) >= _TELLS and token[:_STEM] in starts and _foreign(token):
            return True
    return False


def _place(tokens: tuple[str, ...]) -> str | None:
    """The first word of the tokens that is an adjective of place (:func:`place_adjective`)
    with its ending (Muromskiy), else one that is a place ending in -sk (Novosibirsk), else
    None."""
    bare = None
    for token in tokens:
        if "sk" in token and place_adjective(token) is not None:
            if not token.endswith("sk"):
                return token
            bare = bare or token
    return bare


def _english(tokens: tuple[str, ...]) -> bool:
    """A word of the tokens is an English word of the table (Plant, Institute)."""
    exact = _table().exact
    for token in tokens:  # noqa: SIM110 (no generator: asked of few names)
        if exact.get(token) == (token,):
            return True
    return False


def _reads_as_org(name: str) -> bool:
    """The name has a legal form or a generic word (read as a name of no class is)."""
    return any(t.kind in ("legal", "generic") for t in parse_name(name, "any"))

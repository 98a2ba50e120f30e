"""Given names that are one name: short forms, diminutives and the forms of other languages.

The table is data (``text/data/given_names.yml``): groups of given names, each with its
full forms in several languages ("names") and its short forms ("short"). Two words of one
group are the same given name: a short form and a full form a *nickname* (Ted / Theodore,
Sasha / Alexander, Paco / Francisco), two full forms (or two short forms) the *same name in
another language* (John / Juan / Ivan). Words are read as written (normalised), not by
sound: the matcher's spelling rules relate spellings, this table relates names.

>>> relation("ted", "theodore")
'nickname'
>>> relation("ivan", "juan")
'equivalent'
>>> relation("ivan", "ivanov") is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final, Literal

from discreet.text.normalize import has_letter, tokenize
from discreet.text.terms import load_yaml

__all__ = ["NICKNAME", "SAME_NAME", "GivenNames", "different_names", "equivalents", "full_forms",
           "given_class", "given_classes", "given_classes_ascii", "given_names",
           "given_positions", "opening_given", "relation"]

Relation = Literal["nickname", "equivalent"]
NICKNAME: Final = "nickname"  # a short form and a full form of one name
SAME_NAME: Final = "equivalent"  # two forms of one name (languages), or two short forms


@dataclass(frozen=True, slots=True)
class GivenNames:
    """The groups: for each word, the groups it is in and whether as a short form there."""

    groups: dict[str, tuple[tuple[int, bool], ...]]  # word -> ((group, short), ...)
    forms: tuple[tuple[str, ...], ...]  # each group's words, full forms first


def _words(name: str, field: str, values: object) -> list[str]:
    """A group's words of one field, each checked to be one normalised word."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise ValueError(f"given_names.yml: {name}.{field} is not a list")
    out = []
    for value in values:
        words = tokenize(str(value))
        if len(words) != 1 or words[0] != str(value) or not words[0].isascii():
            raise ValueError(f"given_names.yml: {name}: {value!r} is not one normalised word")
        out.append(words[0])
    return out


@cache
def given_names() -> GivenNames:
    """The table, loaded once (``discreet.text.reset_caches`` forgets it)."""
    data = load_yaml("given_names.yml")["groups"]
    groups: dict[str, list[tuple[int, bool]]] = {}
    forms: list[tuple[str, ...]] = []
    for number, (name, spec) in enumerate(data.items()):
        full = _words(str(name), "names", spec.get("names"))
        short = _words(str(name), "short", spec.get("short"))
        if len(set(full + short)) != len(full) + len(short):
            raise ValueError(f"given_names.yml: {name}: a word listed twice")
        for word, is_short in [*((w, False) for w in full), *((w, True) for w in short)]:
            groups.setdefault(word, []).append((number, is_short))
        forms.append(tuple(full + short))
    return GivenNames({w: tuple(g) for w, g in groups.items()}, tuple(forms))


@cache
def given_classes() -> dict[str, int]:
    """Each known given name's word -> the number (1 up) of the one name it writes, from
    both tables: given_names.yml's groups and given_name_forms.yml's spellings (a group of
    the latter named as one of the former adds to it). A word of two names or more (Alex:
    Alexander, Alexandra; Said: Saeed, Sayyid) gets 0: it is read as neither; so does a word that is
    only ever a short form (Harry, Sasha)."""
    numbers: dict[str, int] = {}
    of: dict[str, set[int]] = {}
    full: set[str] = set()
    for file, fields in (("given_names.yml", ("names", "short")),
                         ("given_name_forms.yml", ("names",))):
        for name, spec in load_yaml(file)["groups"].items():
            number = numbers.setdefault(str(name), len(numbers) + 1)
            for field in fields:
                for word in _words(str(name), field, spec.get(field)):
                    of.setdefault(word, set()).add(number)
                    if field == "names":
                        full.add(word)
    # a word that is only ever a short form gets 0 too: nicknames are short and informal,
    # and one letter turns one into another (Harry / Larry) as often by a slip as by name
    return {word: next(iter(found)) if len(found) == 1 and word in full else 0
            for word, found in of.items()}


@cache
def given_classes_ascii() -> dict[bytes, int]:
    """:func:`given_classes`' numbered words as ASCII bytes, as the kernel's strings are
    (it reads a string's number once, when it makes its table)."""
    return {word.encode("ascii"): number for word, number in given_classes().items() if number}


def given_class(word: str) -> int:
    """The number of the one given name ``word`` writes (0: no known given name, or a word
    of several): :func:`given_classes`."""
    return given_classes().get(word, 0)


def different_names(a: str, b: str) -> bool:
    """Two words that are both known given names, of two different names (Alejandro /
    Alejandra, Ahmed / Mohamed, Yusuf / Yunus): not spellings of one name, whatever their
    letters share. A word of several names, or unknown, is different from nothing."""
    ca = given_class(a)
    return ca != 0 and ca != given_class(b) != 0


def relation(a: str, b: str) -> Relation | None:
    """How two different given names (normalised words) are one name: "nickname" (a short
    form and a full form of one group), "equivalent" (two full forms, or two short forms,
    of one group), or None (no group holds both; or the same word)."""
    if a == b:
        return None
    table = given_names().groups
    ga, gb = table.get(a), table.get(b)
    if ga is None or gb is None:
        return None
    found: Relation | None = None
    for group, short_a in ga:
        for other, short_b in gb:
            if group == other:
                if short_a != short_b:
                    return NICKNAME
                found = SAME_NAME
    return found


@lru_cache(maxsize=65536)
def equivalents(word: str) -> tuple[str, ...]:
    """Every other word sharing a group with ``word`` (none when it is in none)."""
    table = given_names()
    found = table.groups.get(word)
    if found is None:
        return ()
    out = dict.fromkeys(w for group, _ in found for w in table.forms[group] if w != word)
    return tuple(out)


def _surname_first(original: str) -> bool:
    """The name is written family name first: one word before a comma ("DOE, Theodore"),
    or a first word in capitals before words that are not ("DOE Theodore")."""
    head, comma, rest = original.partition(",")
    if comma and len(head.split()) == 1 and rest.strip():
        return True
    words = [w for w in original.split() if has_letter(w)]
    return (len(words) >= 2 and words[0].isupper() and len(words[0]) >= 2
            and any(not w.isupper() for w in words[1:]))


def opening_given(kinds: Sequence[str], sources: Sequence[str], original: str) -> bool:
    """A person's name opens with a naming particle that is also a given name's short form
    (Ben for Benjamin: "Ben Harlow"), a name after it, written given name first: nothing
    stands before the particle for it to be the son of, so it is the given name written
    short, and may pair as one with a full form (align's nickname rule). Not a name written
    family name first ("BEN SALAH Mohamed", "BEN ALI, Zine": the particle begins the family
    name), and not a particle the given names' table does not know (Bin, Abu, Al)."""
    if len(kinds) < 2 or kinds[0] != "particle" or kinds[1] != "name":
        return False
    found = given_names().groups.get(sources[0])
    return found is not None and any(short for _, short in found) \
        and not _surname_first(original)


@lru_cache(maxsize=65536)
def given_positions(kinds: Sequence[str], original: str) -> int:
    """The tokens of a person's name that are given names (bit i: token i), by where names
    write them: with a patronymic, the name just before it (Ivanov Aleksandr Petrovich,
    Aleksandr Petrovich Ivanov); else every name but the family name, which is the last
    (Theodore John Doe) or, in a name written family name first (:func:`_surname_first`),
    the first; when ``original`` is empty (a name rebuilt from its tokens, whose bound must
    not be lower than its score), every name. A name of one word has none: which it is
    cannot be told. Cached (names are
    compared again and again): ``kinds`` must be hashable (a tuple)."""
    names = [i for i, kind in enumerate(kinds) if kind == "name"]
    if len(names) < 2:
        return 0
    if "patronymic" in kinds:
        first = kinds.index("patronymic")
        before = [i for i in names if i < first]
        return 1 << before[-1] if before else 0
    if not original:
        # the name as written is not known (prepared again from its tokens, for a score
        # bound: match/prefilter.py): either end may be the family name
        return sum(1 << i for i in names)
    family = names[0] if _surname_first(original) else names[-1]
    return sum(1 << i for i in names if i != family)


@lru_cache(maxsize=65536)
def full_forms(word: str) -> tuple[str, ...]:
    """The full forms of every name ``word`` is a short form of (Ted: Theodore, Fyodor,
    Edward, Eduardo...; none for a word that is no short form)."""
    table = given_names()
    found = table.groups.get(word, ())
    out = dict.fromkeys(w for group, short in found if short for w in table.forms[group]
                        if w != word and not any(s for g, s in table.groups[w] if g == group))
    return tuple(out)

"""A person's initials written together ("JC Juncker", "G.W. Bush") read again apart.

Normalisation reads "A.B.C." as one word, as an organisation's acronym is; and a given
name's initials are often written as one word of capitals ("JC" for Jean-Claude, "GW" for
George Walker). Read so, the word is a name that pairs with neither given name, and the
two names contradict each other. A name screened (not an organisation's) is also read with
such a word written as its letters apart, one initial each, which pair with the given names
they begin as any initial does; the name as written stays the first reading, so nothing it
pairs with is lost.

Which words are initials so written, in a name that has no word a legal form or an
organisation's generic word is written as (S.A., S.L., SAS, PT, Trading: such a name is an
organisation's, and its dotted words are forms):

- letters each followed by a dot ("J.C.", "G.W.", "A.Q."; the last dot may be left out), two
  or three of them;
- two or three capitals without a vowel (a, e, i, o, u, y: "JC", "GW", "TJ") in a name
  that is not written all in capitals (there a short word may be a name written so, "NG",
  or an article, "AL"), that are not a title or a particle ("DR", "JR", "BN");

and that do not stand where the family name does: the last word, or the one word before a
comma ("Tony NG", "NG, Tony"). A family name of such capitals is one, and letters with dots
ending a whole name are mostly a degree ("Anna Weber B.A.", "Rina Sari, S.E."); but a family
name followed only by dotted initials is written family name first ("Putin V.V.").
"""

from __future__ import annotations

import re

from discreet.text.normalize import has_letter
from discreet.text.terms import terms

__all__ = ["initials_apart"]

_DOTTED = re.compile(r"^((?:[A-Za-z]\.){1,2}[A-Za-z])\.?$")
_CAPITALS = re.compile(r"^[B-DF-HJ-NP-TV-XZ]{2,3}$")  # capitals, none of them a vowel
_HAS_LOWER = re.compile(r"[a-z]")
_DOTS = re.compile(r"[A-Za-z]\.[A-Za-z]")  # where _DOTTED may read a word


def _family(letters: list[int], text: str) -> int:
    """Where the family name stands: the one word before a comma ("NG, Tony"), else the
    last word. A first word in capitals before words that are not is often the family name
    too ("KIM Jong Un"), but so are written initials ("JC Juncker"): such a word with no
    vowel is read apart as well, the name as written being read first anyway."""
    head, comma, _ = text.partition(",")
    return letters[0] if comma and len(head.split()) == 1 else letters[-1]


def _initials_after(words: list[str], letters: list[int]) -> bool:
    """A family name and then the initials, with dots ("Putin V.V.", "SECHIN I.I."): the
    way Russian and other Slavic documents write a name. (Dotted letters after a whole
    name are a degree: "Anna Weber B.A.".)"""
    return len(letters) == 2 and _DOTTED.match(words[letters[1]]) is not None


def _may_spell(name: str) -> bool:
    """Whether a word of ``name`` (ASCII) may be initials written together: letters around
    a dot, or a word of two or three capitals without a vowel in a name with lower-case
    letters (what :func:`initials_apart` reads). A name with neither (most names) is passed
    with string methods: a regular expression costs more than the whole test."""
    if "." in name and _DOTS.search(name) is not None:
        return True
    if name.upper() == name:  # no lower-case letter (an ASCII name)
        return False
    for word in name.replace(",", " ").split():
        if 1 < len(word) < 4 and _CAPITALS.match(word):
            return True
    return False


def initials_apart(name: str) -> str | None:
    """``name`` with each word of initials written together (see the module docstring)
    written as its letters apart ("JC Juncker" -> "J C Juncker"); None when it has none."""
    return _apart(name) if name.isascii() and _may_spell(name) else None


def _apart(name: str) -> str | None:
    """:func:`initials_apart` of an ASCII name, by the rule (every word read)."""
    if "." not in name and not _HAS_LOWER.search(name):
        return None
    words = name.replace(",", " , ").split()
    letters = [k for k, w in enumerate(words) if has_letter(w)]
    if len(letters) < 2:
        return None
    family = letters[0] if _initials_after(words, letters) else _family(letters, name)
    mixed = _HAS_LOWER.search(name) is not None
    lists = terms()
    plain = [w.lower().replace(".", "").strip(",") for w in words]
    if any(w in lists.generic or w in lists.written for w in plain):
        return None  # an organisation's name
    changed = False
    for k in letters:
        if k == family:
            continue
        word = words[k]
        dotted = _DOTTED.match(word)
        if dotted:
            spelled = dotted.group(1).replace(".", "")
        elif (mixed and _CAPITALS.match(word)
              and plain[k] not in lists.titles and plain[k] not in lists.particles):
            spelled = word
        else:
            continue
        words[k] = " ".join(spelled)
        changed = True
    if not changed:
        return None
    return " ".join(words).replace(" , ", ", ")

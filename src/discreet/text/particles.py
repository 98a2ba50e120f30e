"""A particle or a title a shifted space cut ("Ab uSalah", "Haj iNika") read back whole.

A space typed one letter off between a particle or a title and the word after it leaves a
word that is no particle ("Ab", "Abus", "Haj") and a name that carries a letter too many or
too few ("uSalah", "Ufian", "iNika"). The parser then weighs the particle's remains as a
name word of its own, which no list name writes, and the name after it as another name:
the scorer's regrouped pair finds the two words again, but weighs them as the name words
they are written as, so a name of two or three words loses what the particle's light
weight would have spared it ("Haj iNika" against Haji Nika Ishaqzai: 0.67, where "Haji
Nika" scores 0.73).

A name screened (not an organisation's) is therefore also read with such a space put back:
two adjacent words of letters where the first word with the next word's first letter is a
particle or a title (the parser's lists: abu, haji, el, bin, van, ...) and the next word
keeps three letters or more once it gives that letter up ("Ab uSalah" -> Abu Salah, "E
LDIABLO" -> El Diablo), unless the first word is a particle or a title of two letters or
more as written ("de Laine" stays). The name as written stays the first reading: a reading
that pairs with nothing costs nothing.

Not the other way ("Abus Ufian" for Abu Sufian: the particle with the next word's letter):
a particle and a letter is as often a name of its own ("Ali Ibrahim" is no "Al Iibrahim",
"Della" no "Del" and a letter), and read so it loses the given name a near namesake
differs by; the text alone cannot tell them apart.
"""

from __future__ import annotations

import re

from discreet.text.terms import terms

__all__ = ["particle_rejoined"]

_WORD = re.compile(r"[A-Za-z]+")
_REST = 3  # letters the word after the particle keeps at least


def _moved(a: str, b: str, bare: frozenset[str]) -> tuple[str, str] | None:
    """The two words with the next word's first letter moved back to the first, when that
    gives a particle or a title first (None: it gives none) and the first word is not one
    already ("de Laine" is no "del Aine"; a letter alone may be: "E LDIABLO")."""
    if len(a) > 1 and a.lower() in bare:
        return None
    if (a + b[0]).lower() in bare and len(b) - 1 >= _REST:
        return a + b[0], b[1:]
    return None


def _may_move(name: str, stems: frozenset[str]) -> bool:
    """Whether a word of ``name`` before a space may be a particle or a title less its last
    letter (``stems``): a word of letters that is one, or a word that ends in a letter after
    other signs ("O'Ab", read by the rule's own pass); a name with neither (most names,
    without a regular expression's cost) has nothing to move."""
    words = name.lower().split()[:-1]  # (the last word has no word after it)
    if not stems.isdisjoint(words):
        return True
    if "".join(words).isalpha():  # words of letters alone (most names)
        return False
    return any(word[-1].isalpha() and not word.isalpha() for word in words)


def particle_rejoined(name: str) -> str | None:
    """``name`` with every particle or title a shifted space cut read back whole (see the
    module docstring; "Ab uSalah" -> "Abu Salah"), None when it has none."""
    if not name.isascii():
        return None
    lists = terms()
    return _rejoined(name, lists.bare) if _may_move(name, lists.bare_stems) else None


def _rejoined(name: str, bare: frozenset[str]) -> str | None:
    """:func:`particle_rejoined` of an ASCII name, by the rule (every pair of words read)."""
    words = list(_WORD.finditer(name))
    out: list[str] = []
    end = 0
    changed = False
    k = 0
    while k < len(words):
        word = words[k]
        after = words[k + 1] if k + 1 < len(words) else None
        moved = None
        if after is not None and name[word.end():after.start()].isspace():
            moved = _moved(word.group(), after.group(), bare)
        if moved is None or after is None:
            k += 1
            continue
        out += [name[end:word.start()], moved[0], name[word.end():after.start()], moved[1]]
        end = after.end()
        changed = True
        k += 2
    if not changed:
        return None
    return "".join(out) + name[end:]

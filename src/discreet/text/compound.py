"""Name fields that hold more than a name: each name such a field holds, beside the field.

Lists publish one name field that holds more than one name: the romanised name with the
original script ("Jin Tiesan (金铁三)", "حسن غول (Hassan Ghul; Hassan Gul)", "Agha Jan
Alizai اغا جان عالیزی"), a label ("Amir Khazmat (original script: Амир Хазмат)", "Gulf Bank
Company Limited Arabic: بنك الخليج"), a note ("Nik Mohammad (previously listed as)", "Dokka
Umarov, born on 13 Apr. 1964") or an enumeration ("Mohammad Sabet b) M. Javad Sabet").
Indexed as one name, a name met alone loses what the rest of the field weighs ("Amir
Khazmat" scored 0.63 against its own field). :func:`compound_parts` gives the names a field
holds; the words of labels and notes are data (``data/name_notes.yml``).

The rules, read from the lists' fields:

- alternatives: ";" and a slash between words (not "A/S") at the field's top level, and an
  enumeration's letters ("b) "), split the field into names;
- a bracket is another name when its letters are all in other scripts than the words
  around it (the name in its original script, or romanised), when it lists names with
  ";", or when a label says what it holds ("original script: Амир Хазмат"): the field
  without it is a name too. A label alone, a note ("(false identity related to …)") or an
  organisation's acronym (three to six capitals) is dropped from the field's name, and is
  no name of its own (an acronym alone is met too easily by look-alike words);
- a bracket opened and never closed, at the field's end, is what a field limit left of a
  bracket ("Abu Muhammad Al-Kadari (original sc", cut at 35 characters): the field
  without it is a name too (its few letters read as name words would only mislead);
- any other bracket is part of the name and stays: a branch, a country, a legal form, a
  translation ("AERO CONTINENTE (USA) INC.", "BANK VTB 24 (ZAKRYTOE AKTSIONERNOE
  OBSHCHESTVO)", "PJSC VTB BANK (KIEV)": a branch is not its parent, so its name without
  the bracket would alert on the parent's name as strongly as the parent's own);
- outside brackets, a label with a colon splits the field ("… Limited Arabic: بنك الخليج"),
  a trailing note is cut ("…, born in Kandahar …"), and runs of words in different scripts
  (Latin words beside another script's: a romanisation beside its original) are each a
  name when they read alike (the caller's judge: ``alike``; without one they
  are not parted) and each run has two words (or Han characters) at least, or a comma,
  dash or colon parts them. Two single words ("ЧВК Española", "Газпромбанк AO") are one
  name written so, as is a name whose runs read nothing alike ("חאג' יחיא and Sons": a
  company named in two scripts), and a word mixing scripts ("Iван", homoglyphs) leaves
  the field whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from discreet.text.scripts import char_script, scripts_of
from discreet.text.terms import load_yaml

__all__ = ["SEPARATORS", "Alike", "compound_parts", "is_acronym", "may_hold_parts"]

Alike = Callable[[str, str], bool]  # whether two runs of a field read as the same name

# listed alternatives: a slash between words of three letters or more (not "A/S"), ";"
SEPARATORS = re.compile(r"(?<=\w\w\w)\s*/\s*(?=\w\w\w)|\s*;\s*")
# an enumeration's letter: "b) " after the field's start, a space or a ";" (not "PCE(r)")
_ENUMERATION = re.compile(r"(?:^|(?<=[\s;]))[a-z]\)\s+")
_ACRONYM_LETTERS = range(3, 7)
_WORD_PARTS = re.compile(r"[^\W\d_]+")  # a name's words and their hyphenated parts
_DEPTH = 4  # how deep the parts of parts are read (a field nests two levels at most)
# Unicode's first word for letters that are in no script of their own
_NO_SCRIPT = frozenset({"MODIFIER", "FEMININE", "MASCULINE"})
# one family for the scripts written together in one name: Japanese writes Han with kana
_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "HALFWIDTH": "CJK",
           "FULLWIDTH": "CJK"}
_EDGES = " \t,;:\u2013\u2014-"  # what a part's edges lose: the signs that parted it
_PARENS = re.compile(r"[()]")
_SIGN_CHARS = re.compile("[();/:]")  # the precheck's signs in a name without Latin letters
# a Latin letter, and a letter in another script (the precheck of runs side by side)
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_NOT_LATIN = re.compile("[^\\W\\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def is_acronym(text: str, name: str) -> bool:
    """Whether a bracket's ``text`` is the acronym of the ``name`` around it: 3-6 capitals
    (dots aside), each the first letter of a word of the name ("KOREA KWANGSON BANKING
    CORPORATION (KKBC)", "KURDISTAN WORKERS' PARTY (PKK)"). Capitals that begin none are a
    code or a place that is part of the name ("AERO CONTINENTE (USA) INC.", "PJSC VTB BANK
    (KIEV)": a branch, which its parent's name must not meet as strongly as its own)."""
    letters = text.replace(".", "")
    if not (len(letters) in _ACRONYM_LETTERS and letters.isascii() and letters.isalpha()
            and letters.isupper()):
        return False
    return any(w[0] == letters[0] for w in _WORD_PARTS.findall(name.upper()))


@dataclass(frozen=True, slots=True)
class _Notes:
    """``data/name_notes.yml`` as the expressions that find its words."""

    start: re.Pattern[str]  # a label at the start, with the sign after it (or the end)
    end: re.Pattern[str]  # a label at the end, after a dash or a comma
    inline: re.Pattern[str]  # a label with a colon inside a field
    note: re.Pattern[str]  # a bracket's first words that make it a note
    trailing: re.Pattern[str]  # a note outside brackets, to the field's end
    trailing_words: tuple[str, ...]  # its words as lists write them (the precheck)


def _alternation(words: list[str]) -> str:
    """The words as one expression's alternatives, longest first, spaces as any spaces."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(set(words), key=len, reverse=True))


@cache
def _notes() -> _Notes:
    data = load_yaml("name_notes.yml")
    languages = [str(w) for w in data["languages"]]
    labels = [str(w) for w in data["labels"]] + [f"in {w}" for w in languages]
    phrases = _alternation([w for w in labels if " " in w])
    # any label before a colon (or alone); a word alone ("Arabic", "initials") labels only
    # so: "DARI, Ahmad" is a name
    words = _alternation(labels + languages)
    leads = _alternation([w for w in labels if w.endswith(" as")])
    trailing = [str(w) for w in data["trailing"]]
    flags = re.IGNORECASE
    return _Notes(
        start=re.compile(rf"^\s*(?:(?:{phrases})\s*[.,;\u2013-]+\s*|(?:{words})\s*(?::\s*|$)"
                         rf"|(?:{leads})\s+)", flags),
        end=re.compile(rf"\s*[,\u2013-]+\s*(?:{phrases})\s*\.?\s*$", flags),
        inline=re.compile(rf"(?:^|(?<=\s))(?:{words})\s*:\s*", flags),
        note=re.compile(rf"^\s*(?:{_alternation([str(w) for w in data['notes']])})\b", flags),
        trailing=re.compile(rf"\s*,?\s+(?:{_alternation(trailing)})\s+(?=(?:in|on)\b|\d)",
                            flags),
        trailing_words=tuple(trailing))


def may_hold_parts(name: str) -> bool:
    """Whether ``name`` may hold other names (:func:`compound_parts`): a bracket, a ";", a
    slash, a lead ("… known as"), a trailing note's word, a colon or Latin letters beside
    another script's (a label before, or a romanisation beside, a name in another script).
    Most names have none, and pay a few substring searches only: a name without a Latin
    letter, one expression (it writes no lead and no note, and an ASCII needle in a wider
    string is copied to its width at each search); a name of Latin letters not all ASCII,
    two expressions before the searches."""
    if not name.isascii():
        if _LATIN.search(name) is None:
            return _SIGN_CHARS.search(name) is not None
        if ":" in name or _NOT_LATIN.search(name) is not None:
            return True
    if "(" in name or ";" in name or "/" in name or " as " in name:
        return True
    for word in _notes().trailing_words:  # noqa: SIM110 (a loop: any() costs more)
        if word in name:
            return True
    return False


def compound_parts(name: str, alike: Alike | None = None) -> list[str]:
    """The names ``name`` holds besides itself (module docstring), in the order found,
    each once; [] when it holds no other. ``alike`` judges whether runs of words in two
    scripts side by side are the name twice (None: they are not parted)."""
    out = dict.fromkeys(p for p in _parts(name, 0, alike) if p != name and _named(p))
    return list(out)


def _named(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(_EDGES)


def _parts(text: str, depth: int, alike: Alike | None) -> Iterator[str]:
    """Each name ``text`` holds (with the parts of each), ``text`` itself aside."""
    if depth > _DEPTH:
        return
    cut_at = _unclosed(text)
    if cut_at is not None:
        before = _clean(text[:cut_at])
        yield before
        yield from _parts(before, depth + 1, alike)
        return
    notes = _notes()
    rest = _unlabelled(text, notes)
    if rest is not None and rest != text:
        yield rest
        yield from _parts(rest, depth + 1, alike)
        return
    cut = notes.trailing.search(text)
    if cut is not None:
        before = _clean(text[:cut.start()])
        yield before
        yield from _parts(before, depth + 1, alike)
        return
    spans = _brackets(text)
    items = _top_split(text, spans)
    if len(items) > 1:
        for item in items:
            yield item
            yield from _parts(item, depth + 1, alike)
        return
    if spans:
        yield from _bracketed(text, spans, depth, alike)
        return
    for part in _inline_labelled(text, notes) or _script_runs(text, alike):
        yield part
        yield from _parts(part, depth + 1, alike)


def _unlabelled(text: str, notes: _Notes) -> str | None:
    """``text`` without its labels at the start and the end ("original script: X" -> X,
    "X - sub-unit name" -> X); "" when it is labels only (a note), None when it has none."""
    rest = text
    while (m := notes.start.match(rest)) is not None and m.end() > 0:
        rest = rest[m.end():]
    while (m := notes.end.search(rest)) is not None:
        rest = rest[:m.start()]
    return None if rest is text else _clean(rest)


def _bracket_walk(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """The (start, end) of each bracket of ``text`` at its top level, brackets included, and
    where a bracket opened at its top level and never closed begins (None: every one closes;
    there can be one only, the last opened); a bracket closed without being opened is none."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for m in _PARENS.finditer(text):
        i = m.start()
        if text[i] == "(":
            if depth == 0:
                start = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans, (start if depth else None)


def _brackets(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each bracket of ``text`` at its top level, brackets included;
    a bracket never closed, or closed without being opened, is no bracket."""
    return _bracket_walk(text)[0] if "(" in text else []


def _unclosed(text: str) -> int | None:
    """Where the bracket ``text`` opens and never closes begins (the first such at its top
    level: a field limit cut the field inside it), when the text before it holds a letter;
    None when every bracket closes."""
    start = _bracket_walk(text)[1] if "(" in text else None
    if start is None or not any(c.isalpha() for c in text[:start]):
        return None
    return start


def _top_split(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """``text``'s alternatives at its top level (";", a slash, enumeration letters: not
    inside a bracket), each stripped; [text] when it lists none."""
    if ";" not in text and "/" not in text and ")" not in text:
        return [text]
    cuts = [(m.start(), m.end()) for pattern in (SEPARATORS, _ENUMERATION)
            for m in pattern.finditer(text)
            if not any(a <= m.start() < b for a, b in spans)]
    if not cuts:
        return [text]
    pieces = []
    at = 0
    for a, b in sorted(cuts):
        pieces.append(text[at:a])
        at = max(at, b)
    pieces.append(text[at:])
    parts = [p.strip() for p in pieces if p.strip()]
    return parts if len(parts) > 1 else [text]


def _bracketed(text: str, spans: list[tuple[int, int]], depth: int, alike: Alike | None,
               ) -> Iterator[str]:
    """The names a field with brackets holds: the field without the brackets that are no
    part of its name, and the names those brackets hold."""
    around = " ".join(text[at:a] for at, a in _gaps(spans, len(text)))
    outside = _families(around)
    dropped: list[tuple[int, int]] = []
    named: list[str] = []
    for a, b in spans:
        inner = text[a + 1:b - 1].strip()
        names = _bracket_names(inner, around, outside)
        if names is not None:
            dropped.append((a, b))
            named.extend(names)
    if dropped:
        bare = _clean(" ".join(text[at:a] for at, a in _gaps(dropped, len(text))))
        yield bare
        yield from _parts(bare, depth + 1, alike)
    for name in named:
        yield name
        yield from _parts(name, depth + 1, alike)


def _gaps(spans: list[tuple[int, int]], length: int) -> Iterator[tuple[int, int]]:
    at = 0
    for a, b in spans:
        yield at, a
        at = b
    yield at, length


def _bracket_names(inner: str, around: str, outside: frozenset[str]) -> list[str] | None:
    """The names a bracket holds when it is no part of the name ``around`` it (written in
    ``outside``'s scripts): [] for an acronym, a label alone or a note; None when it is
    part of that name."""
    if is_acronym(inner, around):
        return []
    notes = _notes()
    if notes.note.match(inner):
        return []
    rest = _unlabelled(inner, notes)
    if rest is not None:
        return [rest] if rest else []
    listed = _top_split(inner, _brackets(inner))
    if len(listed) > 1 and ";" in inner:
        return listed
    inside = _families(inner)
    if inside and outside and inside.isdisjoint(outside):
        return [inner]
    return None


def _family(char: str) -> str:
    """The script family of a letter ("" for a sign, a digit or a modifier letter)."""
    script = char_script(char)
    if script in _NO_SCRIPT:
        return ""
    return _FAMILY.get(script, script)


def _families(text: str) -> frozenset[str]:
    """The script families of ``text``'s letters."""
    return frozenset(_FAMILY.get(s, s) for s in scripts_of(text) if s not in _NO_SCRIPT)


def _inline_labelled(text: str, notes: _Notes) -> list[str]:
    """The names on either side of a label with a colon inside ``text`` ("… Limited
    Arabic: بنك الخليج"); [] when it has none."""
    if ":" not in text:
        return []
    pieces = [_clean(p) for p in notes.inline.split(text)]
    return [p for p in pieces if p] if len(pieces) > 1 else []


def _script_runs(text: str, alike: Alike | None) -> list[str]:
    """The runs of words of ``text`` in one script each, when they are names of their own
    (module docstring); [] otherwise."""
    if alike is None or text.isascii():
        return []
    runs: list[tuple[str, list[str]]] = []  # (family, words)
    for word in text.split():
        families = _families(word)
        if len(families) > 1:
            return []  # a word mixing scripts: one name written so (homoglyphs)
        family = next(iter(families), "")
        if runs and (not family or family == runs[-1][0] or not runs[-1][0]):
            if family and not runs[-1][0]:
                runs[-1] = (family, runs[-1][1])
            runs[-1][1].append(word)
        else:
            runs.append((family, [word]))
    if len(runs) < 2:
        return []
    parted = all(_units(words) >= 2 for _, words in runs) or all(
        words[-1][-1] in ",:-\u2013" or (len(words) > 1 and words[-1] in "-\u2013")
        for _, words in runs[:-1])
    if not parted:
        return []
    names = [_clean(" ".join(words)) for _, words in runs]
    return names if all(alike(names[0], other) for other in names[1:]) else []


def _units(words: list[str]) -> int:
    """How many names' words ``words`` are: a Han character or a kana counts as one."""
    return sum(max(1, sum(_family(c) == "CJK" for c in w)) for w in words
               if any(c.isalpha() for c in w))

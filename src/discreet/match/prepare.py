"""A name made ready for comparison: tokens, their kinds and weights, computed once.

The matcher prepares every list name at index time, so a query pays only for its own name.
Plain tuples inside: picklable and cheap to ship.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any, TypeVar

from discreet.match._kernel import kind_weights
from discreet.match.align import Span, join_spans
from discreet.match.rarity import Rarity
from discreet.match.similarity import latin_vowelless, swapped_at, vowel_skeleton
from discreet.model import filling_class
from discreet.text.names import NameClass, NameToken, parse_name
from discreet.text.normalize import tokenize
from discreet.text.phonetic import phonetic_key
from discreet.text.scripts import (
    ABJAD_SCRIPTS,
    SYLLABIC_SCRIPTS,
    SYLLABLE_KEYS,
    scripts_of,
    transcribed,
)
from discreet.text.terms import form_variants, load_yaml, terms

__all__ = ["KIND_WEIGHTS", "PREPARATION_VERSION", "TRUNCATION_MIN", "PreparedName", "assemble",
           "edge_reading", "form_readings", "letters_as_skeletons", "no_vowel_written",
           "prepare_name", "read_without_vowels", "repair_forms", "restored_vowelless",
           "shift_reading", "written_without_vowels"]

# Bump when the tokens, kinds, sources or families a name prepares to may change (text/
# normalisation, transliteration, parsing; alternatives): caches of prepared customer names
# (discreet.screen.tokencache) made before are then never used.
# 20: a generational suffix a number (Jr.: 2); a dotted Han name a word a part (贝拉克·奥巴马:
# beilake aobama)
PREPARATION_VERSION = 20

# A name this long (characters as written) may have been cut by a field limit (SWIFT and
# many core-banking name fields hold 30 to 50); shorter ones are read as whole names.
TRUNCATION_MIN = 25
_SKELETON_LETTERS = 3  # "ED", "PT", "DR": too short to say which form's word they are
_RESTORED = 4  # letters of a form's word a shifted space may restore ("OOD", "SA": too short)
_EDGE_LETTERS = 3  # ... or of a legal form at an organisation name's start or end ("ZA OSNGB")
_DROPPED_FROM = 4  # letters of a form a letter left out of is still read back from ("GMH")
_TWO_LETTERS = 2  # a form this short is read back from a letter typed twice ("CCO")
_READINGS_KEPT = 4096  # names whose form readings are kept (form_readings; as Matcher's)

_RARE_KINDS = frozenset({"name", "patronymic"})  # the kinds rarity scales
_NO_FORMS: frozenset[str] = frozenset()
_T = TypeVar("_T")
# (name, an organisation's) -> its form readings (form_readings), for the names met lately
_READINGS: dict[tuple[str, bool], tuple[str | None, str | None]] = {}

# How much each kind of token counts, before rarity (names only are scaled by rarity).
KIND_WEIGHTS: dict[str, float] = {
    "name": 1.0,
    "patronymic": 0.6,
    "initial": 0.5,
    "number": 0.3,
    "generic": 0.25,
    "particle": 0.2,
    "legal": 0.15,
    "title": 0.05,
}


@dataclass(frozen=True, slots=True)
class PreparedName:
    """Tokens of one name with kind, weight and legal-form family; ``original`` as written."""

    original: str
    tokens: tuple[str, ...]
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    families: tuple[str, ...]
    weights: tuple[float, ...]
    total: float  # sum of the weights
    legal: frozenset[str]  # families of the specific (not generic) legal forms named
    spans: tuple[Span, ...] | None = None  # runs of tokens that may be one word written apart
    abjad: bool = False  # written in an abjad script (Arabic, Persian, Hebrew): vowels omitted
    org: bool = False  # an organisation's name (acronyms of its words are read as it)
    syllabic: str = ""  # "han" or "hangul": each token a romanised Chinese / Korean syllable

    # Pickled as dataclasses pickle a frozen slotted class (a list of the fields' values, in
    # their order: the same bytes), without looking the fields up again for each name: a
    # build packs millions of names (match/persist.py), an index decodes them as it reads.
    def __getstate__(self) -> list[object]:
        return list(_state(self))

    def __setstate__(self, state: list[object]) -> None:
        if len(state) == len(_FIELDS):  # (every field: filled as a new name is, _filled)
            object.__setattr__(self, "__class__", _Filling)
            _filled(self, state)
            return
        for name, value in zip(_FIELDS, state, strict=False):
            object.__setattr__(self, name, value)


_FIELDS = tuple(f.name for f in fields(PreparedName))
_state = attrgetter(*_FIELDS)


# A prepared name while its fields are set: PreparedName's slots, in its order, without the
# frozen class's ``__setattr__``, through which each field costs an ``object.__setattr__``
# call (a twelfth of a name's preparation, and of an index's name read back, each); _filled
# then makes it the prepared name it is (model.filling_class, as result entities are made).
_Filling = filling_class(PreparedName)


def _filled(name: Any, values: Sequence[Any]) -> PreparedName:
    """``name`` with the fields' ``values`` (in :data:`_FIELDS`' order), made a
    :class:`PreparedName` (a class of the same slots may take another's place)."""
    (name.original, name.tokens, name.kinds, name.sources, name.families, name.weights,
     name.total, name.legal, name.spans, name.abjad, name.org, name.syllabic) = values
    name.__class__ = PreparedName
    made: PreparedName = name
    return made


@cache
def _form_words() -> tuple[frozenset[str], dict[tuple[str, ...], tuple[str, ...]], int]:
    """The words of legal-form phrases and generic organisation words ("joint", "stock",
    "company", "limited", "holdings"); each phrase (and word) by its words' vowel skeletons
    (three letters or more; of phrases sharing them, the shortest, then the first
    alphabetically: "limited" before "limitada"); the most words a phrase has."""
    legal = load_yaml("legal_forms.yml")
    phrases: set[tuple[str, ...]] = set()
    phrases.update(tokenize(variant) for _, variant in form_variants())
    phrases.update(tokenize(str(w)) for w in [*legal["generic"], *legal["function_words"]])
    phrases = {p for p in phrases if p and all(w.isascii() and w.isalpha() for w in p)}
    known = frozenset(w for p in phrases for w in p if len(w) >= 2)
    skeletons: dict[tuple[str, ...], tuple[str, ...]] = {}
    for phrase in sorted(phrases, key=lambda p: (len(p), sum(map(len, p)), p)):
        key = tuple(vowel_skeleton(w) for w in phrase)
        if key != phrase and sum(map(len, key)) >= _SKELETON_LETTERS:
            skeletons.setdefault(key, phrase)
    return known, skeletons, max(map(len, skeletons), default=0)


def _without_vowels(token: str) -> bool:
    """A word as a legal-form phrase's word is written without its vowels: no vowel after
    its first letter ("LMTD"), or its one letter ("D" for the "DE" of "S.A. DE C.V.")."""
    return latin_vowelless(token) or (len(token) == 1 and token.isalpha())


@cache
def _vocabulary() -> frozenset[str]:
    """The lists' words as they are written in names of every kind: legal forms' and generic
    words (jsc, ltd, co), particles (al, bin), titles (mr, dr)."""
    return _form_words()[0] | terms().bare


# words of its own, of three letters or more, a name written without vowels has at least:
# one alone is as often an acronym ("DSM", "ABB"; "JSC SMN" is not Simon), and a
# registration mark is letters in twos and threes ("EP-MNQ", "EPP-DG"); one with another
# word of its own written apart, a letter alone included, is an organisation's name
# (:func:`_another_word`)
_BARE_WORDS = 2
_BARE_LETTERS = 3


def _all_vowelless(words: Sequence[str]) -> bool:
    """Whether every word is written without vowels (a loop, not ``all`` over a generator
    closed half read: asked of every query name)."""
    for t in words:  # noqa: SIM110 (no generator)
        if not latin_vowelless(t):
            return False
    return True


@lru_cache(maxsize=4096)
def written_without_vowels(original: str, org: bool = False) -> bool:
    """A Latin name of which no word of two letters or more has a vowel after its first
    letter: a name shape no name written in a script with vowels has, so each of its words
    is a skeleton (compared as an abjad's transliteration is: match/score.py). Words the
    lists write so themselves (JSC, LTD, Mr, al) do not count; two others of three letters
    or more at least ("SBW LMTD" is a name and its legal form written without vowels), or,
    an organisation's name (``org``: PreparedName.org), one and another word of its own
    apart ("PY PRTV", "G KHT": :func:`_another_word`). Not a person's so: a short name of
    one long word and a short one written without vowels is as often a Vietnamese, Chinese
    or Korean name ("V Tn Trn", "Kh Hng"), whose skeletons so read met listed namesakes
    (measured on clean names with their vowels dropped: 34 of 928 such persons' names rose
    over the 1% FPR threshold, no person's alias was found more)."""
    words = _vowelless_words(original)
    if words is None:
        return False
    vocabulary = _vocabulary()
    own = [t for t in words if t not in vocabulary]
    long = sum(len(t) >= _BARE_LETTERS for t in own)
    if long >= _BARE_WORDS:
        return True
    return org and long == 1 and _another_word(original, len(own), vocabulary)


def read_without_vowels(q: PreparedName) -> bool:
    """The query ``q`` is read as a name written without its vowels
    (:func:`written_without_vowels`), as an organisation's when it is one: of the class
    "org", or with a legal form of its own (a name screened without a schema: "PY PRTV
    LLC"). The kernel is given this (prune) and Python's scorer reads it (score)."""
    return written_without_vowels(q.original, q.org or "legal" in q.kinds)


def _another_word(original: str, own: int, vocabulary: frozenset[str]) -> bool:
    """Besides its one word of three letters or more, a name written wholly without vowels
    has another word of its own, a letter alone included ("PY PRTV", "G KHT": each word the
    skeleton of one, as in a longer name so written), the two written apart: letters in
    twos and threes joined by a hyphen are a code ("EP-MNQ", an aircraft's registration
    mark)."""
    if not any(c.isspace() for c in original.strip()):
        return False
    letters = sum(len(t) == 1 and t.isalpha() and t not in vocabulary
                  for t in tokenize(original))
    return own + letters >= _BARE_WORDS


def no_vowel_written(original: str) -> bool:
    """A Latin name none of whose words of two letters or more has a vowel after its first
    letter, however short its words ("PY AR", "GK VB.RF"): each of its words is the
    skeleton of one word, the short ones too (:func:`written_without_vowels` asks more of a
    name before reading it as an abjad's, so that a code or two acronyms are not)."""
    return _vowelless_words(original) is not None


def letters_as_skeletons(original: str) -> bool:
    """A Latin name written wholly without vowels (:func:`no_vowel_written`) with a word
    of two letters or more the lists do not write so themselves (not "LTD" alone): its
    one-letter words are as likely the one-letter skeletons of two-letter words ("F YN"
    for Fu Yuan, "R" for Ri) as initials, the writer's one habit."""
    words = _vowelless_words(original)
    if not words:
        return False
    vocabulary = _vocabulary()
    return any(t not in vocabulary for t in words)


# the kunya Abu (Abou, Abo) written without its vowels, and what it is read back as
_BARE_KUNYA = "ab"
_KUNYA_READ = "abu"  # read back as the particle (its source stays as written)


def restored_vowelless(original: str, tokens: tuple[str, ...]) -> int:
    """How many words of three letters or more of a name written wholly without vowels
    (:func:`no_vowel_written`) the preparation read back as the word meant (a legal form's
    or a generic word's, "DVLPMNT", "CMPNY"; Abdl as abdul), none of the name's tokens as
    written, and its kunya "Ab" read back as Abu (:func:`_bare_kunya`): each shows the
    writer's habit of leaving vowels out as the words a vowel rule pairs do
    (score._vowel_pairs)."""
    words = _vowelless_words(original)
    if not words:
        return 0
    read = sum(len(t) >= _BARE_LETTERS and t not in tokens for t in words)
    if _BARE_KUNYA in words and _KUNYA_READ in tokens and _BARE_KUNYA not in tokens:
        read += words.count(_BARE_KUNYA)
    return read


def _bare_kunya(texts: tuple[str, ...], kinds: tuple[str, ...], text: str, cls: NameClass,
                ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A query's person name written wholly without vowels (:func:`letters_as_skeletons`:
    "YHY, Ab", "Ab Slmn Al-Shmr") writes the kunya Abu as "Ab", its vowel skeleton: read
    back as the particle (the caller checks a token is "ab"), it is what a list name writes
    (a particle, not a name of its own to find: "Ab" met nothing but the two-letter words
    it looked like, and weighed as a name where the list's Abu weighs as a particle). Not
    an organisation's name (AB is a Swedish legal form), a name with vowels elsewhere ("Ab
    Karim" may be Ab), nor one with no other name to be the kunya's ("Ab" alone, "Ab Al")."""
    bare = [t == _BARE_KUNYA and k == "name" for t, k in zip(texts, kinds, strict=True)]
    if cls == "org" or not any(bare) or "name" not in (
            k for k, kunya in zip(kinds, bare, strict=True) if not kunya) \
            or not letters_as_skeletons(text):
        return texts, kinds
    return (tuple(_KUNYA_READ if kunya else t for t, kunya in zip(texts, bare, strict=True)),
            tuple("particle" if kunya else k for k, kunya in zip(kinds, bare, strict=True)))


# a letter before a vowel: a word of the name with a vowel after its first letter (each
# token of an ASCII name keeps its letters side by side: tokenize only lowers their case,
# drops apostrophes and dots between them, and reads digits as letters), unless the name
# writes a digit no letter stands for (2, 6: "NK2yi" is a token not all letters, not read)
_VOWEL_AFTER = re.compile(r"[A-Za-z][AEIOUaeiou]")
_NOT_LETTERS = ("2", "6")


@lru_cache(maxsize=4096)
def _vowelless_words(original: str) -> tuple[str, ...] | None:
    """The words of two letters or more of a Latin name written without vowels after their
    first letters; None for any other name: at once for a name with a letter before a vowel
    and no digit 2 or 6 (most names, new ones too: one search rather than its words read),
    else as :func:`_vowelless_read` reads them. Kept for the names met lately (a query's
    is asked again as it is scored)."""
    if _VOWEL_AFTER.search(original) is not None and _NOT_LETTERS[0] not in original \
            and _NOT_LETTERS[1] not in original:
        return None
    return _vowelless_read(original)


def _vowelless_read(original: str) -> tuple[str, ...] | None:
    """:func:`_vowelless_words` by the name's words (the rule)."""
    if not original.isascii():
        return None
    words = tuple(t for t in tokenize(original) if len(t) >= 2 and t.isalpha())
    return words if _all_vowelless(words) else None


@cache
def _edge_forms() -> frozenset[str]:
    """Legal forms written as one word of three letters or more (zao, jsc, ooo, llc, gmbh):
    the form a shifted space may hide at an organisation name's first or last word."""
    return frozenset(w for w in _one_word_forms() if len(w) >= _EDGE_LETTERS)


def _edge_form(a: str, b: str, left: str, right: str, at: tuple[bool, bool],
               edges: frozenset[str]) -> bool:
    """Two words ``a`` and ``b`` read with the space between them moved one letter
    (``left``, ``right``) put a legal form back at the name's start or end (``at``: the
    pair is the name's first, its last), where an organisation writes its form: "ZA OSNGB"
    for ZAO SNGB, "JSCT EKHNODINAMIKA", "CANADAL TD". Not a letter written twice where it
    was ("JSCC NOVOSIBIRSK", "PROTECTION LLLC": the form with a letter typed twice), nor a
    form with two letters swapped ("GENI ASRL": Geni SARL), read as a moved space."""
    if not ((at[0] and left in edges) or (at[1] and right in edges)):
        return False
    # the letter moved, and its neighbour in the word it left
    moved, beside = (a[-1], a[-2:-1]) if len(left) < len(a) else (b[0], b[1:2])
    written = a if at[0] and left in edges else b
    return moved != beside and not any(
        swapped_at(written, i) in edges for i in range(len(written) - 1))


def _two_forms(a: str, b: str, edges: frozenset[str]) -> tuple[str, str] | None:
    """Two legal forms side by side at an organisation name's edge (the transliterated and
    the English one: "OAO JSC", "ZAO CJSC") with the space between them one letter off
    ("OAOJ SC", "ZA OCJSC"): the two forms, or None. One of the words as written may be a
    form ("SC"), which the shift rule of :func:`repair_forms` leaves alone; both forms
    read back are three letters or more (``edges``)."""
    if not (a.isalpha() and b.isalpha()) or (a in edges and b in edges):
        return None
    for left, right in ((a[:-1], a[-1] + b), (a + b[0], b[1:])):
        if left in edges and right in edges:
            return left, right
    return None


def repair_forms(text: str, org: bool = False, shift: bool = True) -> str | None:
    """An organisation's name with its legal-form and generic words restored where a typing
    error hid them from the parser, or None when there is none: words written without
    vowels ("LMTD LBLTY CMPNY" for Limited Liability Company), a space one letter off
    between two unknown words that puts a known word of four letters or more back ("JOINT
    STOCKC OMPANY", "KB LINESL IMITED"; not "ARAB WOOD" read as "ARABW OOD") or, in an
    organisation's name (``org``), a legal form of three letters or more at its start or
    end (:func:`_edge_form`: "ZA OSNGB"; two forms side by side there, :func:`_two_forms`:
    "OAOJ SC"), a form word misspelt (:func:`_misspelt`), or a
    legal-form phrase cut by a field limit at the end of a long name ("... JOINT STOC").
    Only such words are restored: a name's own words are left as written. ``shift``
    False: no space moved (the name's own reading: "REAL ESTATE" is not "REALE STATE",
    :func:`shift_reading`)."""
    tokens = list(tokenize(text))
    changed = _vowelless_phrases(tokens)
    if shift or org:
        changed = _moved_spaces(tokens, org, shift) or changed
    if org:
        changed = _slipped_forms(tokens, text) or changed
    return _finished(tokens, text, changed)


def form_readings(text: str, org: bool = False) -> tuple[str | None, str | None]:
    """The name's own reading (:func:`repair_forms` with no space moved) and the reading
    beside it (a space moved, :func:`repair_forms` with ``org``) when that is another
    (else None), in one pass: the words written without vowels are read once, and the
    slips and cut phrase twice only when a space moved. Kept for the names met lately
    (a query reads the name's own reading again when it prepares it: :func:`prepare_name`)."""
    key = (text, org)
    found = _READINGS.get(key)
    if found is None:
        if len(_READINGS) >= _READINGS_KEPT:
            _READINGS.clear()
        found = _READINGS[key] = _both_readings(text, org)
    return found


def _both_readings(text: str, org: bool) -> tuple[str | None, str | None]:
    """:func:`form_readings`, not kept."""
    tokens = list(tokenize(text))
    changed = _vowelless_phrases(tokens)
    shifted = list(tokens)
    own = _finished(tokens, text, changed)
    moved = _moved_spaces(shifted, org, True)
    if org:
        moved = _slipped_forms(shifted, text) or moved
    if not moved:
        return own, None  # the same words: the same reading
    beside = _finished(shifted, text, True)
    return own, (beside if beside != own else None)


def _in_place(text: str, org: bool) -> str | None:
    """:func:`repair_forms` with no space moved, from :func:`form_readings`' readings when
    the name was read so lately (a query's), else made (a list name's)."""
    found = _READINGS.get((text, org))
    return repair_forms(text, shift=False) if found is None else found[0]


@cache
def _skeleton_words() -> frozenset[str]:
    """The vowel skeletons the phrases :func:`_form_words` reads back are keyed by, word by
    word: a bare word whose skeleton is none of them is in no phrase written without vowels
    (most bare words: an acronym, a name's own skeleton)."""
    return frozenset(key for keys in _form_words()[1] for key in keys)


# whether a word is one a form's word may be written without vowels as (_bare_words), for
# the words met lately (an organisation's name repeats the lists' words: one look-up each)
_BARE: dict[str, bool] = {}
_BARE_KEPT = 65536


def _bare_words(tokens: list[str], known: frozenset[str]) -> list[bool]:
    """For each token, whether it is no form's word as written but may be one written
    without vowels (:func:`_without_vowels`), kept in :data:`_BARE`."""
    out = []
    for t in tokens:
        found = _BARE.get(t)
        if found is None:
            if len(_BARE) >= _BARE_KEPT:
                _BARE.clear()
            found = _BARE[t] = t not in known and _without_vowels(t)
        out.append(found)
    return out


def _vowelless_phrases(tokens: list[str]) -> bool:
    """Restore, in ``tokens``, the form phrases written without vowels; whether any was."""
    known, skeletons, longest = _form_words()
    changed = False
    # the words a form's word may be written without vowels as (most names have none)
    bare = _bare_words(tokens, known)
    if True not in bare:
        return False
    # a window read back holds a bare word (below), whose skeleton is then a phrase's word's
    useful = _skeleton_words()
    for t, b in zip(tokens, bare, strict=True):
        if b and vowel_skeleton(t) in useful:
            break
    else:
        return False
    # a phrase read back has its window's length, and later windows begin after it: the
    # words' skeletons and the last bare word are the words' as written
    skeleton = [vowel_skeleton(t) for t in tokens]
    last = len(bare) - 1 - bare[::-1].index(True)
    k = 0
    while k <= last:  # a bare word at k or after
        for size in range(min(longest, len(tokens) - k), 0, -1):
            if True not in bare[k:k + size]:
                continue
            window = tokens[k:k + size]
            phrase = skeletons.get(tuple(skeleton[k:k + size]))
            if phrase is not None and all(t == w or _without_vowels(t)
                                          for t, w in zip(window, phrase, strict=True)):
                tokens[k:k + size] = phrase
                changed = True
                k += size - 1
                break
        k += 1
    return changed


def _moved_spaces(tokens: list[str], org: bool, shift: bool) -> bool:
    """Put back, in ``tokens``, the spaces one letter off that restore a form's word
    (``shift``) or, in an organisation's name (``org``), a legal form at its edge; whether
    any was."""
    known = _form_words()[0]
    changed = False
    # a form at the name's edge: an organisation's, of words the lists do not write so
    # themselves ("Sr. Lucca" is no SRL, were the name read as any)
    edges = _edge_forms() if org else frozenset()
    vocabulary = _vocabulary()
    for k in range(len(tokens) - 1):
        a, b = tokens[k], tokens[k + 1]
        at = (k == 0, k + 2 == len(tokens))
        forms = _two_forms(a, b, edges) if at[0] or at[1] else None
        if forms is not None:
            tokens[k], tokens[k + 1] = forms
            changed = True
            continue
        if b in known or not (a.isalpha() and b.isalpha()):
            continue
        if a in known:
            if shift and _form_taken(a, b, known, vocabulary):
                tokens[k], tokens[k + 1] = a + b[0], b[1:]
                changed = True
            continue
        edge = bool(edges) and a not in vocabulary and b not in vocabulary
        for left, right in ((a[:-1], a[-1] + b), (a + b[0], b[1:])):
            if min(len(left), len(right)) >= 2 and ((shift and (
                    (len(left) >= _RESTORED and left in known)
                    or (len(right) >= _RESTORED and right in known)))
                    or (edge and _edge_form(a, b, left, right, at, edges))):
                tokens[k], tokens[k + 1] = left, right
                changed = True
                break
    return _swapped_edge_forms(tokens, edges, vocabulary) or changed


def _form_taken(a: str, b: str, known: frozenset[str], vocabulary: frozenset[str]) -> bool:
    """A short form's word ``a`` (two or three letters) made of a name's letters by a space
    one letter off, the next word a form's or generic word of 4+ letters with that letter
    before it, a word no list writes ("AB RMANAGEMENT" for ABR MANAGEMENT: AB is no
    Swedish aktiebolag there)."""
    return len(a) <= 3 and b not in vocabulary and len(b) > _RESTORED and b[1:] in known


def _swapped_edge_forms(tokens: list[str], edges: frozenset[str],
                        vocabulary: frozenset[str]) -> bool:
    """Put back, in ``tokens``, a legal form of three letters at an organisation name's
    start or end written with two neighbouring letters swapped ("SRZ POA" for SRZ PAO,
    "LCL BROKER" for LLC BROKER); whether any was. A swapped form of four letters or more
    is a misspelt form's word for every reading (:func:`_misspelt`); three letters are a
    name's own word as often (an acronym), so only here, in a reading beside the name, and
    only where the organisation writes its form, of a word the lists write no other way,
    in a name keeping a word of its own besides."""
    changed = False
    for k in (0, len(tokens) - 1) if len(tokens) >= 2 and edges else ():
        token = tokens[k]
        if len(token) != _EDGE_LETTERS or not token.isalpha() or token in vocabulary \
                or all(t in vocabulary for j, t in enumerate(tokens) if j != k):
            continue  # a form's word, or a name with no word of its own besides ("SAP SE")
        for i in range(len(token) - 1):
            swapped = swapped_at(token, i)
            if swapped != token and swapped in edges:
                tokens[k] = swapped
                changed = True
                break
    return changed


@cache
def _one_word_forms() -> frozenset[str]:
    """Every legal form written as one word, in every language of legal_forms.yml (as the
    lists' scripts are transliterated: "ООО" is ooo), of two letters or more: the words an
    organisation writes where its form sits, and the forms a slip may be read back as."""
    return frozenset(w for _, w in form_variants()
                     if len(w) >= 2 and w.isascii() and w.isalpha())


@cache
def _form_slips() -> dict[str, str]:
    """One-word legal forms by each spelling one typing slip gives: two different
    neighbouring letters swapped ("OC" for CO, "GA" for AG, "LCL" for LLC), a letter of a
    form of two written twice ("CCO", "AAD"; a longer one so is the form as the parser
    reads it already, "ZAAO", "LLLC"), one left out from a form of four letters or more ("GMH",
    "LDA", "PJS"; a form of three left with two is another form or a word as often: "AO"
    for ZAO or PAO, "LC" for LLC or PLC, "IN" for INC). Not a spelling that is a form
    itself ("AS" swapped is SA: both are forms as written) or another word the lists write
    (a particle, a title, a generic word: "DA", "EL"); a spelling two forms give, neither;
    nor a slip of a form that is also a name or a word ("PRATT", "SALL": name_like)."""
    forms = _one_word_forms()
    name_like = terms().name_like
    found: dict[str, set[str]] = {}
    for form in forms - name_like:
        spellings = {swapped_at(form, i) for i in range(len(form) - 1)
                     if form[i] != form[i + 1]}
        if len(form) == _TWO_LETTERS:  # (longer: the parser reads it so, names._as_written)
            spellings.update(form[:i + 1] + form[i:] for i in range(len(form)))
        if len(form) >= _DROPPED_FROM:
            spellings.update(form[:i] + form[i + 1:] for i in range(len(form)))
        for spelling in spellings:
            found.setdefault(spelling, set()).add(form)
    vocabulary = _vocabulary()
    return {spelling: next(iter(read)) for spelling, read in found.items()
            if len(read) == 1 and spelling not in forms and spelling not in vocabulary}


def _beside_form(tokens: list[str], k: int, forms: frozenset[str]) -> bool:
    """Whether the word at ``k`` has a legal form written as one word next to it, or one
    word ("and", "&") away ("GMBH & OC. KG", "OC., LTD.": forms are written side by side)."""
    for j in (k - 1, k + 1):
        if 0 <= j < len(tokens) and tokens[j] in forms:
            return True
    for j, between in ((k - 2, k - 1), (k + 2, k + 1)):
        if 0 <= j < len(tokens) and tokens[between] == "and" and tokens[j] in forms:
            return True
    return False


def _slipped_forms(tokens: list[str], text: str) -> bool:
    """Put back, in ``tokens`` of an organisation's name ``text``, a one-word legal
    form typed with one slip where an organisation writes its form: the first or last
    word, or next to another form (:func:`_beside_form`). The slip is one of
    :func:`_form_slips`' ("AL-AMIR OC." for AL-AMIR CO., "SBERBANK EUROPE GA", "FIFTEENTH
    OCEAN GBH & CO. KG", "INDUITEX LDA."), or a space one letter off across the edge of a
    form at the name's end that leaves a letter alone or another form ("MARINES A" for
    MARINE SA, "SURGUTNEFTEGASP JSC"; at its start "S AMARINE"), the letter moved
    not the one beside it (a letter written twice: "CLASS A"). Only in a name keeping a
    word of its own besides (:func:`_own_word`: "GA LTD" is no AG); whether any was read
    back. A reading
    beside the name, never in its place: the word may be the name's own ("OCA", "ICE").
    Not a word after a particle (a surname: "Stichting van Es" is no SE), nor a word spelt
    letter by letter with dots (:func:`_spelt_out`: "S.A.U", "A.Ş.", "s.c." are written as
    meant). Not in a name written in a syllabic script or an abjad, whose words
    transliterated are syllables or consonant skeletons, not letters typed ("주식회사 스타":
    "seu ta").
    In a name written in another alphabet (Cyrillic, Greek), only forms of three letters or
    more: its two-letter words are its own abbreviations as often ("ГК Великан": gk, no KG).
    """
    latin = text.isascii() or _alphabet(text) == _LATIN
    if len(tokens) < 2 or not (latin or _alphabet(text)):
        return False
    vocabulary = _vocabulary()
    forms = _one_word_forms()
    slips = _form_slips()
    last = len(tokens) - 1
    changed = False
    for k, token in enumerate(tokens):
        form = slips.get(token)  # (most words: none, nothing more asked)
        if form is not None and (latin or len(form) > _TWO_LETTERS) \
                and (k in (0, last) or _beside_form(tokens, k, forms)) \
                and not (k and tokens[k - 1] in terms().particles) \
                and _own_word(tokens, k, vocabulary) and token not in _spelt_out(text):
            tokens[k] = form
            changed = True
    return _shifted_past_form(tokens, text, forms, vocabulary) or changed


# a word spelt letter by letter with dots between its letters ("S.A.U", "A.Ş.", "s.c.")
_SPELT = re.compile(r"(?<!\w)(?:[^\W\d_]\.)+[^\W\d_](?!\w)\.?")


@lru_cache(maxsize=1024)
def _spelt_out(text: str) -> frozenset[str]:
    """The words ``text`` spells letter by letter with dots ("S.A.U", "A.Ş.", "s.c."), as
    tokens: a form so written is the form meant, each letter typed as one (read as written
    by :func:`_slipped_forms`, though one slip off another form: SAU of SASU)."""
    if "." not in text:
        return _NO_FORMS
    return frozenset(t for found in _SPELT.findall(text) for t in tokenize(found))


_LATIN = "LATIN"


@lru_cache(maxsize=1024)
def _alphabet(text: str) -> str:
    """``text``'s script when its words, once transliterated, are the letters its writer
    typed ("LATIN", or another alphabet: "CYRILLIC", "GREEK"), else "" (a syllabic script
    or an abjad, or a name in two scripts besides Latin)."""
    found = scripts_of(text)
    if found & (SYLLABIC_SCRIPTS | ABJAD_SCRIPTS):
        return ""
    others = found - {_LATIN}
    if not others:
        return _LATIN
    return next(iter(others)) if len(others) == 1 else ""


def _left_by_shift(word: str, text: str, forms: frozenset[str],
                   vocabulary: frozenset[str]) -> bool:
    """Whether ``word`` at the edge of the name ``text`` may be what a space one letter off
    left of a form (:func:`_shifted_past_form`)."""
    if not word.isalpha() or not (len(word) == 1 or (
            word in vocabulary and (word not in forms or len(word) >= _EDGE_LETTERS))):
        return False
    return word not in _spelt_out(text)


def _own_word(tokens: list[str], k: int, vocabulary: frozenset[str]) -> bool:
    """Whether the name has a word the lists do not write themselves, of four letters or
    more, besides the word at ``k``: a name of short words only is a code or acronyms as
    often ("ES-MMC", an aircraft's registration mark; "SWD ES LTD"), whose two letters are
    no more a form typed with a slip than another acronym."""
    return any(j != k and len(t) > _EDGE_LETTERS and t not in vocabulary
               for j, t in enumerate(tokens))


def _shifted_past_form(tokens: list[str], text: str, forms: frozenset[str],
                       vocabulary: frozenset[str]) -> bool:
    """:func:`_slipped_forms`' space one letter off at a form's edge, which
    :func:`_edge_form` leaves to it: the word of the name's end (start) a letter alone or a
    word the lists write themselves as written (a form's word: "OO OYUNIDZHET", the "o.o."
    of sp. z o.o.; a form of three letters or more: "SURGUTNEFTEGASP JSC"; not one of two,
    which a name writes beside its own words as often: "PT Yulianti", "Hulbój s.c."), nor
    spelt with dots (:func:`_spelt_out`), the name's word beside it keeping three letters
    or more."""
    end = _letter_past_form(tokens[-2], tokens[-1], text, forms, vocabulary, at_end=True)
    if end is not None:
        tokens[-2], tokens[-1] = end
    start = _letter_past_form(tokens[1], tokens[0], text, forms, vocabulary, at_end=False)
    if start is not None:
        tokens[1], tokens[0] = start
    return end is not None or start is not None


def _letter_past_form(word: str, form: str, text: str, forms: frozenset[str],
                      vocabulary: frozenset[str], at_end: bool) -> tuple[str, str] | None:
    """The name's word and the form beside it (after it ``at_end``, else before it) with
    the word's letter on the form's side given to the form, when that makes a form
    (:func:`_shifted_past_form`'s conditions), else None. One rule for both edges: the
    end's "SURGUTNEFTEGASP JSC" is the start's "OO OYUNIDZHET" read backwards."""
    if len(word) <= _EDGE_LETTERS or not word.isalpha() or word in vocabulary:
        return None
    letter, beside = (word[-1], word[-2]) if at_end else (word[0], word[1])
    whole = letter + form if at_end else form + letter
    if whole not in forms or letter == beside \
            or not _left_by_shift(form, text, forms, vocabulary):
        return None
    return (word[:-1] if at_end else word[1:]), whole


def _finished(tokens: list[str], text: str, changed: bool) -> str | None:
    """The reading once form words misspelt and a cut phrase are restored too (None: no
    word of ``text`` was)."""
    known = _form_words()[0]
    slips = _slips()
    for k, token in enumerate(tokens):
        if token not in known and len(token) >= 4 and token.isalpha():
            word = slips.get(token)  # (_misspelt)
            if word is not None:
                tokens[k] = word
                changed = True
    if len(text) >= TRUNCATION_MIN:
        whole = _cut_phrase(tokens)
        if whole is not None:
            tokens = whole
            changed = True
    return " ".join(tokens) if changed else None


def edge_reading(text: str) -> str | None:
    """An organisation's name read with a legal form put back at its edge behind a shifted
    space (:func:`repair_forms` with ``org``: "ZA OPRIMTEKH" as ZAO PRIMTEKH), or None when
    that reading is no other than the name's own: a reading beside the name, not in its
    place, since the shift it guesses may be a name's own letters ("SBERBANK PPF DJSC")."""
    return form_readings(text, org=True)[1]


def shift_reading(text: str) -> str | None:
    """A name read with a space one letter off put back where it restores a legal-form or
    generic word (:func:`repair_forms`: "JOINT STOCKC OMPANY"), or None when that reading is
    no other than the name's own: a reading beside the name, not in its place, since two
    words of the name may make a form's word with a letter moved ("REAL ESTATE" read
    "REALE STATE")."""
    return form_readings(text)[1]


@cache
def _near_words() -> dict[str, str]:
    """Form words of five letters or more by each spelling one letter left out ("limted")
    and one letter written twice ("limmited") gives; the shortest word for a spelling."""
    known, _, _ = _form_words()
    near: dict[str, str] = {}
    for word in sorted(known, key=lambda w: (len(w), w)):
        if len(word) < 5:
            continue
        for i in range(len(word)):
            near.setdefault(word[:i] + word[i + 1:], word)
            near.setdefault(word[:i + 1] + word[i:], word)
    return near


@cache
def _swapped_words() -> dict[str, str]:
    """Form words by each spelling two different neighbouring letters swapped gives
    ("jonit" for joint); of two words a spelling gives, the one swapped earliest (as the
    spelling's own letters, swapped back left to right, first meet a word)."""
    known, _, _ = _form_words()
    swapped: dict[str, str] = {}
    for i in range(max(map(len, known), default=0) - 1):
        for word in sorted(known):
            if i + 1 < len(word) and word[i] != word[i + 1]:
                swapped.setdefault(word[:i] + word[i + 1] + word[i] + word[i + 2:], word)
    return swapped


def _misspelt(token: str) -> str | None:
    """The form word ``token`` is a slip of: two neighbouring letters swapped ("JONIT",
    "OCRP"), one left out or one doubled (in words of five letters or more)."""
    return _slips().get(token)


@cache
def _slips() -> dict[str, str]:
    """:func:`_misspelt`'s table: the spellings of :func:`_swapped_words` and of
    :func:`_near_words`, a swap's word first (one look-up a word, not two calls)."""
    return {**_near_words(), **_swapped_words()}


@cache
def _phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Legal-form phrases of two words or more, by their first word's phonetic key."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for _, variant in form_variants():
        words = tokenize(variant)
        if len(words) >= 2 and all(w.isascii() and w.isalpha() for w in words):
            out.setdefault(phonetic_key(words[0]), []).append(words)
    return {first: tuple(sorted(set(found))) for first, found in out.items()}


@cache
def _longest_phrase() -> int:
    """The most words a legal-form phrase has ("S. de R.L. de C.V.": five; "Sociedad de
    Responsabilidad Limitada de Capital Variable": seven): a cut phrase's tail is that long
    at most."""
    return max((len(p) for found in _phrases().values() for p in found), default=0)


def _cut_phrase(tokens: list[str]) -> list[str] | None:
    """A name ending in the first words of a legal-form phrase (by phonetic key), its last
    word cut ("JOINT STOC" of Joint Stock Company), with the phrase whole; None when it
    does not."""
    phrases = _phrases()
    for start in range(max(0, len(tokens) - _longest_phrase()), len(tokens) - 1):
        tail = tokens[start:]
        for phrase in phrases.get(phonetic_key(tail[0]), ()):
            if len(phrase) > len(tail) - 1 and all(
                    phonetic_key(a) == phonetic_key(b)
                    for a, b in zip(phrase[:len(tail) - 1], tail[:-1], strict=True)) \
                    and phrase[len(tail) - 1].startswith(tail[-1]) \
                    and (len(phrase) > len(tail) or phrase[-1] != tail[-1]):
                return tokens[:start] + list(phrase)
    return None


def prepare_name(text: str, cls: NameClass, rarity: Rarity,
                 parsed: tuple[NameToken, ...] | None = None,
                 shared: dict[object, object] | None = None) -> PreparedName:
    """Parse ``text`` (unless ``parsed`` is given; an organisation's legal-form words hidden
    by a typing error restored first, :func:`repair_forms`; a kunya written without vowels
    read back, :func:`_bare_kunya`) and weigh each token (kind weight, times rarity for
    names). ``shared``: see :func:`assemble`. (A matcher's list names come parsed: only a
    query is so read back.)"""
    query = parsed is None
    if parsed is None:
        # (a form's word a shifted space hides is another reading of a query,
        # pairs.query_alternatives: it may mis-read a name's own words)
        repaired = _in_place(text, cls == "org") if cls != "person" else None
        parsed = parse_name(text if repaired is None else repaired, cls)
    # (every token has its four fields: zip needs no strict check, a keyword's parsing)
    texts, kinds, sources, families = (
        zip(*parsed) if parsed else ((), (), (), ()))  # noqa: B905 (four fields each)
    if query and _BARE_KUNYA in texts:
        texts, kinds = _bare_kunya(texts, kinds, text, cls)
    if text.isascii():
        return assemble(text, texts, kinds, sources, families, rarity, abjad=False,
                        org=cls == "org", shared=shared)
    scripts = scripts_of(text)
    return assemble(text, texts, kinds, sources, families, rarity,
                    abjad=bool(scripts & ABJAD_SCRIPTS), org=cls == "org",
                    # (a foreign name written in Han by its sounds: words, not syllables)
                    syllabic="" if transcribed(text) else next(
                        (key for script, key in SYLLABLE_KEYS if script in scripts), ""),
                    shared=shared)


def assemble(original: str, tokens: tuple[str, ...], kinds: tuple[str, ...],
             sources: tuple[str, ...], families: tuple[str, ...], rarity: Rarity, *,
             abjad: bool, org: bool = False, syllabic: str = "",
             shared: dict[object, object] | None = None) -> PreparedName:
    """A prepared name from its parsed tokens: only the weights depend on the lists (the
    re-screening cache keeps the rest and weighs them again with the lists of the day).

    ``shared``: tuples met before (an index's build): a tuple equal to one in it is that one
    (names of a million entities repeat their tokens, kinds and weights: a third less
    memory), and new ones are added."""
    if len(kinds) != len(tokens) or len(families) != len(tokens):
        raise ValueError("a prepared name's tokens, kinds and families differ in number")
    weights = _weights(tokens, kinds, rarity)
    legal = frozenset(f for f, k in zip(families, kinds, strict=True)
                      if k == "legal" and f != "generic") if "legal" in kinds else _NO_FORMS
    spans = join_spans(tokens, kinds)
    if shared is not None:
        tokens, kinds, sources, families = (_one(shared, tokens), _one(shared, kinds),
                                            _one(shared, sources), _one(shared, families))
        weights, legal, spans = _one(shared, weights), _one(shared, legal), _one(shared, spans)
    return _filled(_Filling(), (original, tokens, kinds, sources, families, weights,
                                sum(weights), legal, spans, abjad, org, syllabic))


# Rarity weights of tokens met lately, per rarity table (a table's weights never change:
# it is frozen): a token's weight is a dictionary look-up, not Rarity.weight's logarithm
# and call, on every name prepared. Kept with the table itself (id and table), so that an
# id is never another table's; a few tables at most (an index and a swap's new one).
_WEIGHED: dict[int, tuple[Rarity, dict[str, float]]] = {}
_WEIGHED_TABLES = 4  # tables kept at most (more: all are forgotten)
_WEIGHED_KEPT = 65536  # tokens kept a table at most (more: that table's are forgotten)


def _weights_of(rarity: Rarity) -> dict[str, float]:
    """The weights kept of ``rarity``'s tokens (made empty for a table met first)."""
    found = _WEIGHED.get(id(rarity))
    if found is not None:
        return found[1]
    if len(_WEIGHED) >= _WEIGHED_TABLES:
        _WEIGHED.clear()
    weighed: dict[str, float] = {}
    _WEIGHED[id(rarity)] = (rarity, weighed)
    return weighed


def _weights(tokens: tuple[str, ...], kinds: tuple[str, ...], rarity: Rarity,
             ) -> tuple[float, ...]:
    """Each token's weight: its kind's (:data:`KIND_WEIGHTS`), times its rarity weight for
    names (:data:`_RARE_KINDS`), that kept for the tokens met lately (:func:`_weights_of`);
    in one kernel call (``kind_weights``)."""
    if type(tokens) is not tuple or type(kinds) is not tuple:  # (the kernel reads tuples)
        tokens, kinds = tuple(tokens), tuple(kinds)
    return kind_weights(tokens, kinds, KIND_WEIGHTS, _RARE_KINDS, _weights_of(rarity),
                        rarity.weight, _WEIGHED_KEPT)


def _one(shared: dict[object, object], value: _T) -> _T:
    """``value``, or the equal one ``shared`` holds (added when none)."""
    return shared.setdefault(value, value)  # type: ignore[return-value]

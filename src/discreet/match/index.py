"""Candidate generation: find fast the list names a brute-force comparison would find.

Each name token is posted under its phonetic key, its consonant skeleton, its abjad
skeleton (what an Arabic-script spelling of it would write, see :func:`abjad_keys`), the
key its Russian, Belarusian and Ukrainian romanisations share (:func:`slavic_key`) and what
is left of it written without vowels (:func:`vowelless_keys`; and of its spelling variants,
:func:`folded_keys`); every two adjacent words of a
name are posted written together too ("j:", found by a query's words with a shifted space).
A query token looks up its own keys, keys one deletion away (typos, SymSpell style), the
keys of adjacent query tokens joined ("Patr ushev") and of a long token split in two
("VladimirPutin") or three ("RoyalRoomDress"), and, when the query is long enough to have
been cut by a field limit, the keys of the list words its last word begins. Candidates are
the names sharing enough of the query's summed rarity (IDF); they are ranked by what they
share over the larger of the two names' own evidence (a name made of just the query's words
before a long name that also contains them) and the evidence both leave unmatched (a word
of each the other lacks: John Higgins is a weaker candidate for Jessica Higgins than
J. Higgins); a name whose initials agree with the query's words, or an organisation's
name for an organisation's, ranks higher; and they are capped. In a large index many names
share a query's common word: these are what puts the one that scores among the capped few.
The postings are also kept as one numpy array, so that a query's keys are summed per name in
C (a few array operations per query, not one dictionary operation per posting), and only as
far as they can change the best candidates: in a large index the common words' postings are
long, and once the keys left cannot lift a name not yet met among the best, they only add to
the names that still may be (see ``_index.pxi``).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from discreet.match._kernel import (
    KeyTable,
    Neighbours,
    Postings,
    Weights,
    WordRules,
    deletion_hashes,
    most_credit,
    name_letters,
    posting_twins,
    query_pairs,
    query_words,
    raise_credits,
    table_hashes,
    table_slots,
)
from discreet.match.align import ACRONYM_LENGTHS, acronym_runs
from discreet.match.prepare import PreparedName, no_vowel_written
from discreet.match.prune import string_forms
from discreet.match.rules import RULES
from discreet.match.score import may_be_truncated
from discreet.match.similarity import (
    FOLDED_SIM,
    folded_skeletons,
    latin_vowelless,
    phonetic_folded,
    vowel_skeleton,
    written_once,
    y_skeleton,
)
from discreet.match.swaps import JOINED, SKELETON, SLAVIC, SLAVIC_LETTERS, reading_keys
from discreet.text.given_names import full_forms, given_names
from discreet.text.phonetic import (
    abjad_other_skeletons,
    abjad_skeleton,
    abjad_spellings,
    abjad_written,
    consonants,
    east_slavic_key,
    phonetic_key,
)

__all__ = ["RATIO", "KeyWeights", "NameIndex", "PostingMap", "candidate_recall", "letters",
           "token_keys"]

_SKIP = frozenset({"title", "particle", "legal", "initial"})
_LARGE = 250  # before a posting longer than this, the kernel bounds what is left to find
RATIO = 0.45  # candidates sharing less than this share of the query's evidence are dropped
_FUZZY = 0.7  # share of a key's weight credited for a one-deletion neighbour
_ABJAD = 0.7  # share of a key's weight credited for the same abjad skeleton
_TOKEN_CACHE = 16384  # query tokens whose keys are kept
_KEY_CACHE = 65536  # ids of the keys queries met lately kept (a small dict, in cache)
_QUERY_CACHE = 4096  # query names whose candidates' arguments are kept (Matcher.prepare's)
_THREE_PARTS = 10  # a token this long may be three indexed words written together
_ACRONYM = "i:"  # key prefix: the initials of a run of an organisation name's words
_SLAVIC = SLAVIC  # key prefix: a token's east_slavic_key (Belarusian against Russian spelling)
_JOINED = JOINED  # key prefix: two adjacent words of a name written together (a shifted space)
_WRITTEN = "m:"  # key prefix: a short word as an abjad writes it, long vowels too
_FOLDED_KEY = "f:"  # key prefix: a word's folded skeleton (similarity.folded_skeleton)
_SHORT_KEY = "w:"  # key prefix: a list word's vowel skeleton of two letters (short_skeleton_key)
# keys that read words the index holds another way, not words of their own (NameIndex.top);
# a query word's bridge key credits a name only when its near keys do not (NameIndex._marks)
_BRIDGE_KEYS = (_FOLDED_KEY,)
# keys that read the index's words another way, left out of the count of keys (NameIndex.top)
_SECOND_READINGS = (*_BRIDGE_KEYS, _SHORT_KEY)
_BRIDGED_WORDS = 8  # query words whose bridge keys are told apart (a bit each, a byte)
_SKELETON_LETTERS = 3  # vowel skeletons this long are posted; shorter ones name too many words
# a two-letter vowel skeleton's credit (similarity: two letters are shared by many words)
_SHORT_SKELETON = RULES.vowelless_sim * RULES.short_skeleton
_CUT_WORDS = 64  # list words a cut last query word looks up at most (the first in order)
# the last letters of a cut query word that may have been the first of ch, kh or ph: the
# letter groups whose key is not the letter's (sh, zh, th, gh, dh are s, z, t, g, d)
_CUT_DIGRAPHS = frozenset("ckp")
_SHIFTED = 0.9  # share of a word's weight credited for its keys read with a space moved back
_SHIFTED_LETTERS = 3  # a word read so has at least this many letters
# Ranking candidates (see :meth:`NameIndex.candidates`): the share of the evidence a query and
# a name both leave unmatched (a word of each the other lacks) that counts against the name,
# and how much more a name whose initials agree with the query's words (or the reverse) ranks
_UNSHARED = 0.5
_AGREE = 0.15
# ... and how much more a name of the kind the query names (a person's name for a person's
# query; an organisation's, vessel's or aircraft's for a body's): the same raise as the
# initials', for the same reason (a rank among the names sharing the query's words)
_KINDRED = _AGREE
# the kernel's code of what a query names (see Postings.candidates' ``kin``)
_KIN: dict[str | None, int] = {"person": 1, "organisation": 2, "vessel": 2, "body": 2}


_VOWELS = frozenset("aeiou")
_SLAVIC_LETTERS = SLAVIC_LETTERS  # a word has an east-Slavic key from this many letters
_VARIANT_LETTERS = RULES.variant_letters  # ... among its compiled forms from this many
# a word this long reads its keys off its compiled forms (shorter ones: few, and common)
_FORMS_LETTERS = max(_SLAVIC_LETTERS, _VARIANT_LETTERS)
_NO_VOWEL = 1 << 2  # the forms' flags: no vowel at all; no vowel after the first letter
_BARE = 1 << 3


_ORGANISATION = 1 << 31  # a bit beside the letters: the name is an organisation's


def letters(name: PreparedName) -> tuple[int, int]:
    """A name's initials and the first letters of its words (titles, particles, legal forms
    aside), each a bit a Latin letter: what tells J. Higgins, among the Higgins, for
    Jessica Higgins (a rank, not a key: a key a letter would post every name); and, with
    the words, a bit for an organisation's name (its schema's, or a legal form's): what
    tells Gomez Group SA, among the Gomez, for Gomez S.A."""
    return name_letters(name.tokens, name.kinds,
                        _ORGANISATION if name.org or name.legal else 0, _SKIP)


@lru_cache(maxsize=262144)
def token_keys(token: str) -> tuple[str, ...]:
    """Index keys of one token: phonetic key, and consonant skeleton ("c:" prefixed)."""
    key = phonetic_key(token)
    skel = consonants(token)
    return (key, "c:" + skel) if len(skel) >= 2 else (key,)


@lru_cache(maxsize=65536)
def nickname_keys(token: str) -> tuple[str, ...]:
    """The phonetic keys of the full forms of the names ``token`` is a short form of
    (Sasha: Alexander, Aleksandr, Alexandra...; text/given_names.py), which a query token
    looks up (query keys only: list names are posted as before). A full form looks up
    nothing more: its forms in other languages are found through the family name. A word
    that is no given name (most of a query's new words) has none, asked at once."""
    if token not in given_names().groups:  # full_forms would find no group
        return ()
    return tuple(dict.fromkeys(phonetic_key(form) for form in full_forms(token)))


@lru_cache(maxsize=262144)
def slavic_key(token: str) -> str | None:
    """The key Russian, Belarusian and Ukrainian romanisations of a name share (Aliaksandr /
    Aleksandr, Barsukou / Barsukov), posted so the index proposes what the scorer's
    "romanised" rule accepts; None for tokens that rule leaves alone."""
    if len(token) < _SLAVIC_LETTERS or not token.isalpha() or _VOWELS.isdisjoint(token):
        return None
    return _SLAVIC + east_slavic_key(token)


@lru_cache(maxsize=262144)
def abjad_keys(token: str, abjad: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys that bridge abjad (Arabic-script) transliterations and Latin spellings.

    Every list token is posted under its :func:`abjad_skeleton` ("a:"); a vowel-less token of
    a name written in an abjad script (``abjad``) under "A:" too. Such a token of a query looks
    up "a:", any other query token "A:". A word of one consonant (Ayyub, Yar, Uday) has no
    skeleton key (one letter is shared by too many words to find it among them): it is
    posted under each way an abjad may write it with its long vowels ("m:",
    :func:`abjad_spellings`), which such a vowel-less query word looks up as it is written
    (``ywb``, ``yr``, ``dy``: :func:`abjad_written`). (Two-consonant words keep their
    skeleton key only: a written key too would count them twice in the candidates' sums.)
    A vowel-less token's th, dh, sh, kh or gh may be two letters (``thd``, اتحاد, is
    Ittihad): it is posted under "A:" by those readings too, and looks "a:" up by them
    (:func:`abjad_other_skeletons`); not "a:" posted so, which an abjad-script query's
    same word would meet twice. Returns (posted keys, query keys).
    """
    if not token.isalpha():
        return (), ()
    skel = abjad_skeleton(token)
    vowelless = _VOWELS.isdisjoint(token)
    if len(skel) == 1:
        if abjad and vowelless:
            return (), (_WRITTEN + abjad_written(token),)
        return tuple(_WRITTEN + spelling for spelling in abjad_spellings(token)), ()
    if len(skel) < 2:
        return (), ()
    if abjad and vowelless:
        others = [other for other in abjad_other_skeletons(token) if len(other) >= 2]
        return (("a:" + skel, "A:" + skel, *("A:" + other for other in others)),
                ("a:" + skel, *("a:" + other for other in others)))
    return ("a:" + skel,), ("A:" + skel,)


@lru_cache(maxsize=262144)
def vowelless_keys(token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys that bridge a word written without its vowels ("Rmzn") and the word (Ramzan):
    every list word is posted under its :func:`vowel_skeleton` ("v:", or "V:" when it is
    itself written without vowels); a vowel-less query word looks up "v:", any other "V:".
    Returns (posted keys, query keys); none for skeletons of fewer than three letters."""
    if not token.isascii() or not token.isalpha():
        return (), ()
    skel = vowel_skeleton(token)
    if len(skel) < _SKELETON_LETTERS:
        return (), ()
    if latin_vowelless(token):
        return ("V:" + skel,), ("v:" + skel,)
    return ("v:" + skel,), ("V:" + skel,)


@lru_cache(maxsize=65536)
def skeleton_probes(skeleton: str) -> tuple[str, ...]:
    """The "v:" keys of a vowel ``skeleton`` and of the skeletons the vowel rule reads alike
    once each run of a letter is written once (:func:`~discreet.match.similarity.
    written_once`, 3+ letters): that skeleton, and it with one of its letters written
    twice. Which of its consonants a list word's writer doubled ("Shbbz" for Shahbaz,
    skeleton shhbz) the rule forgives and the skeleton as written does not; a word written
    without vowels whose own skeleton no list word has looks the others up
    (:meth:`NameIndex._probed`). A list word has one skeleton, so it meets one at most."""
    once = written_once(skeleton)
    if len(once) < _SKELETON_LETTERS:
        return ("v:" + skeleton,)
    probes = [once, *(once[:i] + once[i] + once[i:] for i in range(len(once)))]
    return ("v:" + skeleton, *("v:" + p for p in dict.fromkeys(probes) if p != skeleton))



@lru_cache(maxsize=262144)
def short_skeleton_key(token: str) -> str | None:
    """The key of a word whose vowel skeleton has two letters ("Naji": nj, "Air": ar; or,
    when its y goes too, :func:`~discreet.match.similarity.y_skeleton`'s two: "Pouya":
    py), the skeletons the vowel rule pairs a two-letter word written without vowels with
    ("NJ", "PY AR", at two letters' lower credit). Posted for every list word of letters
    with vowels; looked up only by the words of a name written wholly without vowels
    (:meth:`NameIndex._short_keys`): elsewhere a two-letter word without vowels is as often
    a name or a code of its own (Ng, Ek, GK). None for any other word."""
    if not (token.isascii() and token.isalpha()):
        return None
    skel = vowel_skeleton(token)
    if len(skel) == 1:
        skel = y_skeleton(token)
    return _SHORT_KEY + skel if len(skel) == 2 else None


@lru_cache(maxsize=262144)
def folded_keys(token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys that bridge a query word written without its vowels and a spelling variant of
    the word in a list ("Vgr" and Vehera, the Belarusian spelling of Vegera): every list
    word with vowels is posted under its :func:`folded_skeleton` ("f:"), which a vowel-less
    query word looks up. Keys of their own, not the "v:" ones: a word meets by them only
    the words the folded rule pairs it with. One way only: a list word without vowels is
    mostly an acronym (JSC "SZMN", "SMT-K"), and the folded skeletons of the query's words
    met too many of them. Each word by each of its readings (:func:`folded_skeletons`: by
    the east-Slavic key, and by the phonetic key). (posted keys, query keys); none for
    folded skeletons of fewer than three letters."""
    keys = tuple(_FOLDED_KEY + f for f in folded_skeletons(token) if len(f) >= _SKELETON_LETTERS)
    return ((), keys) if latin_vowelless(token) else (keys, ())


_KeyGroups = list[tuple[Sequence[str], float, bool]]


def _key_groups(token: str, abjad: bool) -> _KeyGroups:
    """A query token's keys as :meth:`NameIndex._expand_ids` looks them up: groups of keys
    with their credit and whether their one-deletion neighbours are looked up too (the
    order of :meth:`NameIndex._expand`). A word of ASCII letters (nearly every one) reads
    its keys off its compiled forms (:func:`~discreet.match.prune.string_forms`, which the
    kernel reads of the query next, so made once: one compiled call for the phonetic,
    consonant, east-Slavic, abjad and vowel skeletons, the text written once and its
    keys); any other by the key functions (:func:`_groups_by_rule`)."""
    if not (token.isascii() and token.isalpha()) or len(token) < _FORMS_LETTERS:
        return _groups_by_rule(token, abjad)
    forms = string_forms(token, False)
    flags = forms[6]
    vowelless = bool(flags & _NO_VOWEL)
    groups: _KeyGroups = [(_own_keys(forms[1], forms[3]), 1.0, True)]
    if len(token) in ACRONYM_LENGTHS:
        groups.append(((_ACRONYM + token,), RULES.acronym_sim, True))
    skeleton = forms[4].decode()
    if abjad and vowelless:
        groups.append((abjad_keys(token, abjad)[1], _ABJAD, True))
    else:
        groups.append((("A:" + skeleton,) if len(skeleton) >= 2 else (), _ABJAD, True))
    if not vowelless:
        groups.append(((_SLAVIC + forms[2].decode(),), RULES.east_slavic_sim, True))
    once = forms[11]  # the forms of the word with each run of a letter written once
    if once is not None:
        if len(once[0]) >= 2:
            groups.append((_own_keys(once[1], once[3]), 1.0, False))
        if len(once[0]) >= _SLAVIC_LETTERS and not vowelless:
            # (its east-Slavic key is among its forms from variant_letters letters on)
            text = once[0].decode()
            slavic = _SLAVIC + (once[2].decode() if len(text) >= _VARIANT_LETTERS
                                else east_slavic_key(text))
            groups.append(((slavic,), _FUZZY, False))
    bare = bool(flags & _BARE)  # no vowel after the first letter
    written = forms[9].decode()  # vowel skeleton
    groups.append(((("v:" if bare else "V:") + written,) if len(written) >= _SKELETON_LETTERS
                   else (), RULES.vowelless_sim, False))
    if not abjad:
        # a word with vowels looks no folded key up; one without, its phonetic key's
        folded = ""
        if bare:
            folded = phonetic_folded(forms[1].decode())
        groups.append(((_FOLDED_KEY + folded,) if len(folded) >= _SKELETON_LETTERS else (),
                       FOLDED_SIM, False))
    groups.append((nickname_keys(token), RULES.nickname_sim, False))
    return groups


def _own_keys(key: bytes, consonant: bytes) -> tuple[str, ...]:
    """:func:`token_keys` from a word's phonetic key and consonants (compiled forms)."""
    return (key.decode(), "c:" + consonant.decode()) if len(consonant) >= 2 \
        else (key.decode(),)


def _groups_by_rule(token: str, abjad: bool) -> _KeyGroups:
    """:func:`_key_groups` by the key functions, for any token."""
    groups: _KeyGroups = [(token_keys(token), 1.0, True)]
    if len(token) in ACRONYM_LENGTHS:
        groups.append(((_ACRONYM + token,), RULES.acronym_sim, True))
    groups.append((abjad_keys(token, abjad)[1], _ABJAD, True))
    slavic = slavic_key(token)
    if slavic is not None:
        groups.append(((slavic,), RULES.east_slavic_sim, True))
    once = written_once(token)
    if once != token:
        if len(once) >= 2:
            groups.append((token_keys(once), 1.0, False))
        slavic = slavic_key(once)
        if slavic is not None:
            groups.append(((slavic,), _FUZZY, False))
    groups.append((vowelless_keys(token)[1], RULES.vowelless_sim, False))
    if not abjad:
        groups.append((folded_keys(token)[1], FOLDED_SIM, False))
    groups.append((nickname_keys(token), RULES.nickname_sim, False))
    return groups


# a key of fewer letters has no one-deletion neighbours (a query's probes, the list keys'
# table: one rule for both sides)
_DELETION_LETTERS = 4


@lru_cache(maxsize=1)
def _word_rules() -> WordRules:
    """The rules of a query word's keys as ``Neighbours.word`` reads them (made once: the
    nicknames' table is read when first asked)."""
    return WordRules(
        {"slavic": _SLAVIC_LETTERS, "variant": _VARIANT_LETTERS,
         "acronym": (ACRONYM_LENGTHS.start, ACRONYM_LENGTHS.stop - 1),
         "skeleton": _SKELETON_LETTERS, "deletion": _DELETION_LETTERS,
         "two_slips": _TWO_SLIPS_LETTERS, "three_parts": _THREE_PARTS},
        {"own": 1.0, "acronym": RULES.acronym_sim, "abjad": _ABJAD,
         "slavic": RULES.east_slavic_sim, "fuzzy": _FUZZY, "vowelless": RULES.vowelless_sim,
         "nickname": RULES.nickname_sim, "folded": FOLDED_SIM},
        {"consonant": "c:", "acronym": _ACRONYM, "abjad": "A:", "slavic": _SLAVIC,
         "vowelless": "V:", "bare": "v:", "skeleton": SKELETON, "joined": _JOINED},
        given_names().groups, nickname_keys, _folded_query_keys)


def _folded_query_keys(token: str) -> tuple[str, ...]:
    """The folded keys a query word looks up (:func:`folded_keys`' second part)."""
    return folded_keys(token)[1]


def _any_in(keys: Iterable[str], table: Container[str]) -> bool:
    """Whether any of ``keys`` is in ``table``: ``any`` over a generator, without the
    generator (one a query word, closed half read when a key is found, costs a cold query
    more than the test)."""
    for key in keys:  # noqa: SIM110 (no generator)
        if key in table:
            return True
    return False


def _deletes(key: str) -> tuple[str, ...]:
    """The key with one letter deleted, each variant once, in a fixed order (not a set's:
    the order keys are met in breaks ties, so results must not depend on string hashing)."""
    if len(key) < _DELETION_LETTERS:
        return ()
    return tuple(dict.fromkeys([key[:i] + key[i + 1:] for i in range(len(key))]))


# where two letters meet that the phonetic key writes as one: a letter twice, or two vowels
# it reads as one (it keeps both of ai, au, ia, io, ua...: a letter left out between those
# leaves the key one deletion away, where the neighbours find it); a lookahead, so that
# each place is found, overlapping ones too ("ieu")
# (the pairs by their first letter: one branch tried at a letter, not twelve)
_FOLDED_PAIR = re.compile(r"(?=(.)\1|ae|e[iouy]|i[ey]|o[eu]|ue|y[ei])")


def rejoined_keys(token: str) -> tuple[str, ...]:
    """The phonetic keys of ``token`` read in two parts at each place where two letters the
    key writes as one meet (:data:`_FOLDED_PAIR`), each part's key joined, where that is
    longer than the word's own key: a letter left out between two vowels or two same
    letters ("Qaalan" for Qabalan, "Beize" for Belize) lets the key fold them, so the word's
    key is two deletions from the list word's and no one-deletion neighbour proposes it;
    the parts' keys keep both letters, one deletion from it. ASCII letters, words of
    ``RULES.variant_letters`` or more (a slip in a shorter word reaches too many words);
    each key once, in order of place."""
    if len(token) < _VARIANT_LETTERS or not (token.isascii() and token.isalpha()):
        return ()
    places = [m.start() + 1 for m in _FOLDED_PAIR.finditer(token)]
    if not places:
        return ()
    own = phonetic_key(token)
    found: dict[str, None] = {}
    for i in places:
        joined = phonetic_key(token[:i]) + phonetic_key(token[i:])
        if len(joined) > len(own):
            found.setdefault(joined)
    return tuple(found)


def diphthong_keys(key: str) -> tuple[str, ...]:
    """The phonetic ``key`` with the a of an "ai" or "au" left out, each place once: the
    key folds a romanisation's ei, ey and ou to i and u (Suleiman, Suleyman: suliman;
    Shoukat: sukat) and keeps the ai, ay and au others write for the same Arabic
    diphthong (Sulaiman, Sulayman: sulaiman; Shaukat: saukat), so a query word written
    with ai or au is one letter more than the list word written with ei or ou, whose key
    a query key the lists post does not look up by its deletions (the other way round,
    the list word's key is the query key's neighbour, always looked up). A diphthong
    after a consonant, before a consonant or the end: the y or w of Ayaz, Mayar, Nawaf
    is a consonant, and a first ai is a name's own (Ayman, Aiman against Iman); keys of
    :data:`_DELETION_LETTERS` or more, as a typo's deletions."""
    if len(key) < _DELETION_LETTERS:
        return ()
    found = [key[:i] + key[i + 1:] for i in range(1, len(key) - 1)
             if key[i] == "a" and key[i + 1] in "iu" and key[i - 1] not in _VOWELS
             and key[i + 2:i + 3] not in _VOWELS]
    return tuple(dict.fromkeys(found))


def h_kept_key(token: str) -> str | None:
    """The phonetic key of a query word beginning "hs" with its h kept: the key reads
    such a word's hs as the s it is in Wade-Giles (Hsu, Hsieh), so an Arabic name's
    initial H whose vowel was dropped or moved behind the s ("Hsan", "Hsaam" for Hasan,
    Hasam) reads as another word (San, Sam) and meets its own name by no key or
    neighbour; with the h kept ("hsan", "hsam") it is one deletion from the list word's
    key. The h before the key of the rest of the word (a key never posted: every list
    word's key reads the hs so); None for any other word (ASCII letters with a vowel, of
    ``RULES.variant_letters`` or more, as the other readings of a slip)."""
    if len(token) < _VARIANT_LETTERS or not token.startswith("hs") \
            or not (token.isascii() and token.isalpha()) or _VOWELS.isdisjoint(token):
        return None
    return "h" + phonetic_key(token[1:])


# a query word this long may carry two letters swapped: three letters when none after the
# first is a vowel, a code or an acronym whose letters a swap reorders ("Prp" for Rpp;
# a syllable with its vowel swapped is another name, Quy / Kyu); a word of two letters
# swapped is another word (Al / La)
_SWAP_LETTERS = 3


def _swaps_read(token: str) -> bool:
    """A query word the index reads with two letters swapped back (:func:`swapped_back_keys`):
    letters, :data:`_SWAP_LETTERS` of them when none after the first is a vowel, else
    ``RULES.variant_letters``."""
    return len(token) >= _SWAP_LETTERS and token.isalpha() and (
        len(token) >= RULES.variant_letters or latin_vowelless(token))


@lru_cache(maxsize=65536)
def swapped_back_keys(token: str) -> tuple[tuple[str, float], ...]:
    """The keys of ``token`` read with two neighbouring letters swapped back, each with its
    share of credit: a one-deletion neighbour's (:data:`_FUZZY`; a swap credited more
    outranked a dropped letter's neighbours: "Imail" found Jamil before Ismail). A swap
    changes the phonetic key whole ("Kohslaf": kohslaf, Koshlaf's koslaf) or makes a short
    word another one ("Prp" for Rpp), which no one-deletion neighbour reaches (keys of four
    letters or more). Not a reading that sets a letter beside
    the same letter where the key so written once is the word's key with a letter deleted
    ("Kirillov" read "Kriillov": Krylov's key): a one-deletion neighbour, not a swap, looked
    up at that credit already (a key of three letters has none: "Prp" read "Rpp" is kept).
    Letters only, three of them when
    none after the first is a vowel (:data:`_SWAP_LETTERS`), in order of the swap's place,
    each key once (its best credit); each reading's phonetic key also as two adjacent list
    words written together (``j:``: "Smartdepto" read Smartdepot finds SMART DEPOT). The
    index looks them up for a query word no list word writes (:meth:`NameIndex._known`).
    Every reading's keys in one compiled call (:func:`~discreet.match.swaps.reading_keys`,
    which the scorer's readings share)."""
    if not _swaps_read(token):
        return ()
    share = _FUZZY
    own = phonetic_key(token)
    deleted: tuple[str, ...] | None = None
    out: dict[str, float] = {}
    for i, key, slavic, _ in reading_keys(token):
        # the reading sets letter i + 1 beside the one before, or letter i beside the next
        if token[i + 1] == token[i - 1:i] or token[i] == token[i + 2:i + 3]:
            if deleted is None:
                deleted = _deletes(own)
            if key in deleted:
                continue  # a letter set beside itself, written once: a one-deletion neighbour
        out.setdefault(key, share)
        if slavic is not None:
            out.setdefault(slavic, share)
        out.setdefault(_JOINED + key, share)  # two list words written together: Smartdepto
    return tuple((key, credit) for key, credit in out.items() if key != own)


# a query word this long, none of whose keys nor readings with two letters swapped back is
# posted, also looks up the keys one deletion from its readings' (a swap on top of a letter
# dropped, added or read otherwise: "Bacrhumshah" read Bachrumshah finds BACHRUMSYAH): a
# word so long is seldom another name two slips away
_TWO_SLIPS_LETTERS = 9


def swapped_near_keys(token: str, posted: KeyTable, neighbours: Neighbours) -> list[str]:
    """The posted keys one deletion from the phonetic key of a reading of ``token`` with
    two neighbouring letters swapped back (each key a list word's: the list key one of
    the reading key or one of its deletions is one deletion of; or a deletion of the reading
    key when that is neither posted nor a list key's deletion), in order: none when the token
    has fewer than :data:`_TWO_SLIPS_LETTERS` letters, or its own key has such a neighbour
    (one slip explains the word). The rule in Python (:meth:`NameIndex._swapped_near_ids`
    reads it by number)."""
    if len(token) < _TWO_SLIPS_LETTERS or _near_keys(phonetic_key(token), posted, neighbours):
        return []
    out: dict[str, None] = {}
    for _, key, _, _ in reading_keys(token):
        out.update(dict.fromkeys(_near_keys(key, posted, neighbours)))
    return list(out)


def _near_keys(key: str, posted: KeyTable, neighbours: Neighbours) -> list[str]:
    """The posted keys one deletion from ``key`` (SymSpell style), in order: the rule of
    ``Neighbours.expand`` and of :meth:`NameIndex._expand`'s neighbours, by key strings."""
    out = dict.fromkeys(neighbours.get(key, ()))
    if len(key) < _DELETION_LETTERS:
        return list(out)
    deletes = _deletes(key)
    for probe in deletes:
        out.update(dict.fromkeys(neighbours.get(probe, ())))
    if key not in neighbours and key not in posted:
        out.update(dict.fromkeys(d for d in deletes if d in posted))
    return list(out)


def _postings(names: Sequence[PreparedName],
              ) -> tuple[dict[str, int], npt.NDArray[np.int32], npt.NDArray[np.int64],
                         npt.NDArray[np.int64]]:
    """The postings of ``names`` as arrays: each key's id (numbered in the order keys are
    first met, name after name), the positions of the names posted under each key (ascending,
    each once) one key after the other in ``flat``, and each key's start and size in it.

    A token's keys are made once per distinct token (:meth:`NameIndex._name_keys` per
    name is what this computes); the (key, name) pairs are then grouped by key in numpy.
    """
    key_ids: dict[str, int] = {}
    by_token: dict[tuple[str, bool], tuple[int, ...]] = {}

    def number(keys: Iterator[str] | Sequence[str]) -> tuple[int, ...]:
        out = []
        for key in keys:
            i = key_ids.get(key)
            if i is None:
                i = key_ids[key] = len(key_ids)
            out.append(i)
        return tuple(out)

    ids: list[int] = []
    counts = np.zeros(len(names), np.int64)
    for pos, name in enumerate(names):
        before = len(ids)
        alone = len(name.tokens) == 1
        abjad = name.abjad
        for token, kind in zip(name.tokens, name.kinds, strict=True):
            if kind not in _SKIP or alone:
                found = by_token.get((token, abjad))
                if found is None:
                    found = by_token[token, abjad] = number(_token_posts(token, abjad))
                ids.extend(found)
        words = [t for t, k in zip(name.tokens, name.kinds, strict=True) if k not in _SKIP]
        if len(words) > 1:
            ids.extend(number([_JOINED + phonetic_key(a + b)
                               for a, b in itertools.pairwise(words)]))
        if name.org:
            ids.extend(number([_ACRONYM + initials
                               for initials in acronym_runs(name.tokens, name.kinds)]))
        counts[pos] = len(ids) - before
    keys = np.array(ids, np.int32)
    del ids
    positions = np.repeat(np.arange(len(names), dtype=np.int32), counts)
    order = np.argsort(keys, kind="stable")  # by key, then (stable) by name position
    keys, positions = keys[order], positions[order]
    del order
    # a key met twice in one name: the name posted once
    keep = np.ones(len(keys), np.bool_)
    keep[1:] = (keys[1:] != keys[:-1]) | (positions[1:] != positions[:-1])
    flat = np.ascontiguousarray(positions[keep], np.int32)
    sizes = np.bincount(keys[keep], minlength=len(key_ids)).astype(np.int64)
    starts = np.zeros(len(sizes), np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    return key_ids, flat, starts, sizes


def _key_table(keys: Sequence[str]) -> KeyTable:
    """The keys (in id order) as a :class:`~discreet.match._kernel.KeyTable`: arrays, which
    a persisted index maps from files shared by every process, where a dict of a million
    strings was unpickled into each one's memory; looked up in compiled code."""
    encoded = [key.encode("utf-8", "surrogatepass") for key in keys]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), out=offsets[1:])
    blob = np.frombuffer(b"".join(encoded), np.uint8)
    return KeyTable(blob, offsets, table_slots(table_hashes(blob, offsets)))


def _neighbours(table: KeyTable, keys: Sequence[str]) -> Neighbours:
    """The keys one deletion away from a string (:func:`_deletes` of every key but the
    prefixed ones), as arrays: each distinct deletion's hash, and the keys making it (in id
    order, each once), which the lookup confirms against the keys' bytes."""
    eligible = np.fromiter((len(key) >= _DELETION_LETTERS and key[1:2] != ":" for key in keys),
                           np.uint8, len(keys))
    hashes, owners = deletion_hashes(table.blob, table.offsets, eligible)
    order = np.lexsort((owners, hashes))  # by hash, then key id
    hashes, owners = hashes[order], owners[order]
    fresh = np.ones(len(hashes), np.bool_)
    fresh[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
    hashes, owners = hashes[fresh], owners[fresh]
    first = np.ones(len(hashes), np.bool_)
    first[1:] = hashes[1:] != hashes[:-1]
    groups = hashes[first]
    starts = np.append(np.flatnonzero(first), len(hashes)).astype(np.int64)
    return Neighbours(table, groups, table_slots(groups), starts, owners)


def _letter_arrays(names: Sequence[PreparedName],
                   ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """:func:`letters` of every name, as two arrays."""
    inits = np.zeros(len(names), np.uint32)
    firsts = np.zeros(len(names), np.uint32)
    for pos, name in enumerate(names):
        inits[pos], firsts[pos] = letters(name)
    return inits, firsts


def _article_compounds(name: PreparedName) -> frozenset[tuple[str, str]]:
    """Pairs of a name's words with the Arabic article alone between them ("شمس الدین",
    Shams al-Din; "نور الله", Nur Allah): the words of a compound name that lists often write
    as one word with the article assimilated (Shamsuddin, Nurullah, Abdurrahman)."""
    tokens, kinds = name.tokens, name.kinds
    return frozenset((tokens[i - 1], tokens[i + 1]) for i in range(1, len(tokens) - 1)
                     if tokens[i] == "al" and kinds[i] == "particle"
                     and kinds[i - 1] not in _SKIP and kinds[i + 1] not in _SKIP)


def _token_posts(token: str, abjad: bool) -> Iterator[str]:
    """The keys one token of a list name is posted under (see :meth:`NameIndex._name_keys`)."""
    yield from token_keys(token)
    yield from abjad_keys(token, abjad)[0]
    yield from vowelless_keys(token)[0]
    short = None if latin_vowelless(token) else short_skeleton_key(token)
    if short is not None:
        yield short
    yield from folded_keys(token)[0]
    slavic = slavic_key(token)
    if slavic is not None:
        yield slavic


class PostingMap(Mapping[str, tuple[int, ...]]):
    """The postings read as a mapping from key to the positions of the names posted under it
    (ascending), over the index's arrays: the arrays are the postings, this only reads them
    (a key's tuple made when asked)."""

    __slots__ = ("flat", "ids", "sizes", "starts")

    def __init__(self, ids: KeyTable, flat: npt.NDArray[np.int32],
                 starts: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]) -> None:
        self.ids, self.flat, self.starts, self.sizes = ids, flat, starts, sizes

    def __getitem__(self, key: str) -> tuple[int, ...]:
        i = self.ids[key]
        start = int(self.starts[i])
        return tuple(self.flat[start:start + int(self.sizes[i])].tolist())

    def __contains__(self, key: object) -> bool:
        return key in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __reduce__(self) -> tuple[object, ...]:
        return PostingMap, (self.ids, self.flat, self.starts, self.sizes)


class KeyWeights(Mapping[str, float]):
    """Each key's idf, read as a mapping over one array by key id (:attr:`NameIndex.key_ids`):
    numbers in an array, not a dict of floats, so a persisted index shares them."""

    __slots__ = ("ids", "weights")

    def __init__(self, ids: KeyTable, weights: npt.NDArray[np.float64]) -> None:
        self.ids, self.weights = ids, weights

    def __getitem__(self, key: str) -> float:
        return float(self.weights[self.ids[key]])

    def get(self, key: str, default: float | None = None) -> float | None:  # type: ignore[override]
        i = self.ids.get(key)
        return default if i is None else float(self.weights[i])

    def __contains__(self, key: object) -> bool:
        return key in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __reduce__(self) -> tuple[object, ...]:
        return KeyWeights, (self.ids, self.weights)


# the candidates' kernel's arguments for one query name (NameIndex._asking)
_Asked = tuple[list[int], list[float], float, float, int, int, list[int] | None]
# ... as kept for the names met lately: tuples of numbers, which the cycle collector stops
# walking after a pass or two (lists it walks in every pass while they are kept)
_Kept = tuple[tuple[int, ...], tuple[float, ...], float, float, int, int, tuple[int, ...] | None]
# a query token's keys by number with their credits (a dict of numbers, which the cycle
# collector never tracks, where (key, credit) pairs were each a tuple for its young pass to
# walk; never changed once cached), its parts' keys, and which of its keys are bridge keys
# and, when it has some, near keys (NameIndex._token)
_TokenKeys = tuple[dict[int, float], tuple[int, ...], tuple[int, ...], tuple[int, ...]]


class NameIndex:
    """Postings from keys to name positions, as numpy arrays (:class:`PostingMap` reads
    them as a mapping), with each key's idf by key id (:class:`KeyWeights`); the keys and their
    one-deletion neighbours in compiled tables over arrays (``_keys.pxi``). Picklable.

    Tuples, not lists: a tuple of numbers or strings is not tracked by Python's cycle
    collector, whose full passes would otherwise walk every posting of a large index.
    """

    # the shares of query_mass new words' keys gave (_new_token), for the idf table named
    # (an index unpickled from an older store has none: the class's None)
    _word_mass: dict[tuple[str, bool], float]
    _word_mass_idf: object = None
    _word_weights_made: Weights | None = None

    def __init__(self, names: Sequence[PreparedName]) -> None:
        # each key numbered in the order it is first met (name after name, key after key)
        numbered, self._flat, self._starts, self._sizes = _postings(names)
        # each key's twin, the first key posting the same names (the candidates' kernel
        # walks such keys once): told here, once, so that a persisted index maps it from
        # its file (shared by every process) and opening one tells nothing (at a million
        # names that was half a second and 18 MB of each process's own memory)
        self._twins: npt.NDArray[np.int32] = posting_twins(
            self._flat, self._starts, self._sizes)
        keys = list(numbered)
        del numbered
        # the idf of a key no list name holds (a query word never met): as rare as one more
        # key, counting the words' keys only. The folded skeletons (f:) are a second reading
        # of words the index holds already: counted, every such key posted would make a
        # query's unknown word weigh more, and drop names sharing its other words below
        # the floor
        self.top = math.log(sum(1 for key in keys if key[:2] not in _SECOND_READINGS) + 2)
        # the keys by id, and the keys one deletion away from a string (typos, SymSpell
        # style), as arrays looked up in compiled code: a persisted index maps them from
        # files shared by every process, not dicts of strings unpickled into each one
        self.key_ids: KeyTable = _key_table(keys)
        self.neighbours: Neighbours = _neighbours(self.key_ids, keys)
        total = max(len(names), 1)
        # each key's idf by key id, one array: numbers in an array, not Python objects, so a
        # persisted index (match/persist.py) maps them from a file, shared by every process
        # (math.log per distinct posting size: the numbers a dict of math.log gave)
        logs = {size: math.log((total + 1) / (size + 0.5))
                for size in np.unique(self._sizes).tolist()}
        self.idf: Mapping[str, float] = KeyWeights(self.key_ids, np.fromiter(
            (logs[size] for size in self._sizes.tolist()), np.float64, len(self.key_ids)))
        # the postings as one array, each key's a slice of it (key id -> start, size): a
        # query's keys are summed per name in compiled code, not one dict operation per
        # posting (see :meth:`candidates`)
        self.postings: Mapping[str, tuple[int, ...]] = PostingMap(
            self.key_ids, self._flat, self._starts, self._sizes)
        self._acronym_keys = np.array([key.startswith(_ACRONYM) for key in keys], np.uint8)
        del keys
        # each name's own evidence: a long name sharing a query's words is a weaker candidate
        # than a name made of just those words
        self.masses: npt.NDArray[np.float64] = self._masses(names, skeletons=False)
        # the words of the list names, sorted: the words a query's cut last word begins
        self.words = tuple(sorted({t for name in names for t, k in zip(
            name.tokens, name.kinds, strict=True) if k not in _SKIP}))
        # ... and as an abjad-script query meets it, by skeletons only
        self.skeleton_masses: npt.NDArray[np.float64] = self._masses(names, skeletons=True)
        # each name's initials and words' first letters (:func:`letters`), a bit a letter
        self.inits, self.firsts = _letter_arrays(names)
        self._token_cache: dict[tuple[str, bool], _TokenKeys] = {}
        # the ids of the keys queries met lately: a small dict that stays in the processor's
        # caches, where a lookup in :attr:`key_ids` (a million keys) misses them
        self._id_cache: dict[str, int] = {}
        # query tokens' shares of :meth:`mass`, valid for the idf table they were computed with
        self._mass_cache: dict[tuple[str, bool], float] = {}
        self._mass_idf: Mapping[str, float] | None = None
        # what the candidates' kernel is asked for each query name met lately (by the
        # name's id), the names themselves (alive while kept: no other takes their id),
        # and the idf table it was made with
        self._asked: dict[int, _Kept | None] = {}
        self._asked_names: dict[int, PreparedName] = {}
        self._asked_idf: Mapping[str, float] | None = None
        # the compiled postings, for the idf table they were made with
        self._postings: Postings | None = None
        self._postings_idf: Mapping[str, float] | None = None
        self._weights: npt.NDArray[np.float64] = np.zeros(0, np.float64)  # ... their idf

    def _masses(self, names: Sequence[PreparedName], skeletons: bool,
                ) -> npt.NDArray[np.float64]:
        """:meth:`mass` of every name, each distinct token's share computed once (the same
        numbers, summed in the same order)."""
        top = self.top
        shares: dict[tuple[str, bool], float] = {}
        out = np.empty(len(names), np.float64)
        for i, name in enumerate(names):
            abjad, total, alone = name.abjad, 0.0, len(name.tokens) == 1
            for t, k, weight in zip(name.tokens, name.kinds, name.weights, strict=True):
                if k not in _SKIP or alone:
                    share = shares.get((t, abjad))
                    if share is None:
                        share = shares[t, abjad] = self._token_mass(t, abjad, top, skeletons)
                    total += share * weight
            out[i] = total
        return out

    @staticmethod
    def _name_keys(name: PreparedName) -> Iterator[str]:
        """The keys a list name is posted under: every token's (titles, particles, legal forms
        and initials only when alone), and for an organisation the initials of its runs of
        words ("BNC" finds Banco Nacional de Cuba; align reads the acronym)."""
        for token, kind in zip(name.tokens, name.kinds, strict=True):
            if kind not in _SKIP or len(name.tokens) == 1:
                yield from _token_posts(token, name.abjad)
        words = [t for t, k in zip(name.tokens, name.kinds, strict=True) if k not in _SKIP]
        for a, b in itertools.pairwise(words):  # "Malikn Oorzai" finds Malik Noorzai
            yield _JOINED + phonetic_key(a + b)
        if name.org:
            for initials in acronym_runs(name.tokens, name.kinds):
                yield _ACRONYM + initials

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_token_cache"] = {}  # caches, not part of the index
        state["_id_cache"] = {}
        state["_asked"] = {}
        state["_asked_names"] = {}
        state["_asked_idf"] = None
        state["_mass_cache"] = {}
        state["_mass_idf"] = None
        state.pop("_word_mass", None)
        state.pop("_known_cache", None)
        state.pop("_word_mass_idf", None)  # (the class's None: none made)
        state.pop("_word_weights_made", None)
        state["_postings"] = None
        state["_postings_idf"] = None
        state["_weights"] = np.zeros(0, np.float64)
        return state

    def _token(self, token: str, abjad: bool) -> _TokenKeys:
        """A query token's keys (by number) with their shares (:meth:`_expand_ids`), and
        the keys of its parts when it reads as two indexed words written together
        ("VladimirPutin"), or three when it is long and no indexed word itself
        ("RoyalRoomDress"); cached (as a dict and tuples of numbers, which the cycle
        collector does not track)."""
        found = self._token_cache.get((token, abjad))
        if found is None:
            if len(self._token_cache) >= _TOKEN_CACHE:
                self._token_cache.clear()
                self._word_mass_idf = None  # (its shares are emptied when next made)
            found = self._token_cache[token, abjad] = self._new_token(token, abjad)
        return found

    def _new_token(self, token: str, abjad: bool) -> _TokenKeys:
        """:meth:`_token_by_rule` of a word met for the first time: a word of lowercase
        ASCII letters (nearly every one; not one without vowels in an abjad script's name)
        in one compiled call
        (``Neighbours.word``: every key made and looked up there, no key a string), which
        also gives the word's share of :meth:`query_mass` by the index's own idf (kept for
        :meth:`_query_token_mass` while ``idf`` is the same table); any other by the rule."""
        if len(token) >= 2 and token.isascii() and token.isalpha():
            weights = self._word_weights()
            word = self.neighbours.word(token, abjad, string_forms(token, False),
                                        _word_rules(), weights, self.top)
            if word is not None:
                keys, parts, share, bridges, near = word
                if share is not None:
                    self._word_mass[token, abjad] = share
                return keys, parts, bridges, near
        return self._token_by_rule(token, abjad)

    def _word_weights(self) -> Weights | None:
        """The ``idf`` table in use by key number as ``Neighbours.word`` reads it, when it
        is the index's own (None: another, a restricted matcher's, whose shares the rule
        makes); the shares :meth:`_new_token` made are emptied when the table changes, so
        that none is read for another."""
        idf = self.idf
        if self._word_mass_idf is not idf:
            self._word_mass = {}
            self._word_mass_idf = idf
            self._word_weights_made = Weights(idf.weights) \
                if isinstance(idf, KeyWeights) and idf.ids is self.key_ids else None
        return self._word_weights_made

    def _token_by_rule(self, token: str, abjad: bool) -> _TokenKeys:
        """:meth:`_token` by the rules (uncached): the reference ``Neighbours.word`` is
        tested against, and the way of any word it does not read."""
        # an ASCII token's splits in compiled code (every part's key made and looked up
        # there, no string made); any other by the rule in Python
        parts = self.key_ids.parts(token, _THREE_PARTS)
        if parts is None:
            parts = self._parts(token)
        # whether it is a Latin word without vowels, asked once: only such a word has
        # probes and bridge keys (most new words have vowels and ask neither)
        bare = not abjad and latin_vowelless(token)
        probes = self._bare_probes(token) if bare else ()
        groups = _key_groups(token, abjad)
        if probes:
            groups = [*groups, (probes, RULES.vowelless_sim, False)]
        own = self._expand_ids(token, abjad, groups)
        bridges = self._bare_bridges(token, own, probes) if bare else ()
        return own, tuple(parts), bridges, self._near(groups, own) if bridges else ()

    def _bridges(self, token: str, abjad: bool, own: Mapping[int, float]) -> tuple[int, ...]:
        """The bridge keys among a query token's keys ``own``: the second readings of a word
        without vowels, the folded skeletons it looks up (:func:`folded_keys`, the
        :data:`_BRIDGE_KEYS`) and its skeleton probes (:meth:`_probes`), which read the
        list words the folded key reads too ("Frrts": f:frts and v:frts both meet Freitas):
        each credits a name once at most, and none a name its near keys met."""
        if abjad or not latin_vowelless(token):
            return ()
        return self._bare_bridges(token, own, self._bare_probes(token))

    def _bare_bridges(self, token: str, own: Mapping[int, float],
                      probes: tuple[str, ...]) -> tuple[int, ...]:
        """:meth:`_bridges` of a Latin word without vowels, its ``probes`` made already."""
        found = (self._key_id(key) for key in (*folded_keys(token)[1], *probes))
        return tuple(k for k in found if k in own)

    def _near(self, groups: _KeyGroups, own: Mapping[int, float]) -> tuple[int, ...]:
        """A query token's near keys among its keys ``own``: those of list words one letter
        from its own (typo neighbours, letters swapped), not of its key ``groups``."""
        grouped = {self._key_id(key) for keys, _, _ in groups for key in keys}
        return tuple(k for k in own if k not in grouped)

    def _parts(self, token: str) -> list[int]:
        """The key numbers of ``token``'s parts (:meth:`_token`): of each split in two parts
        of 3 letters or more whose phonetic keys are both posted, in order; and when the
        token has _THREE_PARTS letters or more and its own key is not posted, of each such
        split in three. The rule in Python, which the compiled ``KeyTable.parts`` queries
        use is tested against."""
        parts: list[int] = []
        find = self.key_ids.find  # the compiled table: -1 for a key not posted
        three = len(token) >= _THREE_PARTS and find(phonetic_key(token)) < 0
        for i in range(3, len(token) - 2):
            left = find(phonetic_key(token[:i]))
            if left < 0:  # the rest's keys only when they can matter
                continue
            right = find(phonetic_key(token[i:]))
            if right >= 0:
                parts += (left, right)
            elif three:
                for j in range(i + 3, len(token) - 2):
                    middle = find(phonetic_key(token[i:j]))
                    if middle >= 0:
                        last = find(phonetic_key(token[j:]))
                        if last >= 0:
                            parts += (left, middle, last)
        return parts

    def _expand_ids(self, token: str, abjad: bool = False,
                    groups: _KeyGroups | None = None) -> dict[int, float]:
        """:meth:`_expand` by key number: the same keys, credits and order, the lookups and
        the typo neighbours in compiled code (``Neighbours.expand``), which makes no string
        for a key it tries. (``groups``: the token's :func:`_key_groups`, made already.)"""
        if groups is None:
            groups = self._probed(token, abjad, _key_groups(token, abjad))
        fuzzy = not (abjad and _VOWELS.isdisjoint(token))
        found: dict[int, float] = self.neighbours.expand(
            groups, phonetic_key(token), _DELETION_LETTERS, _FUZZY if fuzzy else None)
        if fuzzy:  # an ai or au the list writes ei or ou ("Sulaiman": Suleiman)
            for folded in diphthong_keys(phonetic_key(token)):
                if (k := self._key_id(folded)) >= 0:
                    found.setdefault(k, _FUZZY)
        # a letter left out where the key now folds two letters (rejoined_keys): a
        # lowercase ASCII word in one compiled call, any other by the rule
        if fuzzy and self.neighbours.rejoined(token, _VARIANT_LETTERS, found, _FUZZY) is None:
            for probe in rejoined_keys(token):
                self.neighbours.credit(probe, found, _FUZZY)
        held = h_kept_key(token) if fuzzy else None  # an initial hs with its h kept
        if held is not None:
            for k, share in self.neighbours.expand([], held, _DELETION_LETTERS,
                                                   _FUZZY).items():
                found.setdefault(k, share)
        if fuzzy and _swaps_read(token) and not self._known(token):
            swapped = self._swapped_back_ids(token)
            for k in swapped:  # two letters swapped back, as _expand
                if found.get(k, 0.0) < _FUZZY:
                    found[k] = _FUZZY
            if not swapped and len(token) >= _TWO_SLIPS_LETTERS:
                for k in self._swapped_near_ids(token):
                    found.setdefault(k, _FUZZY)
        return found

    def _probes(self, token: str, abjad: bool) -> tuple[str, ...]:
        """The skeletons a Latin word written without vowels looks up besides its own when
        no list word has its own (:func:`skeleton_probes`): a skeleton the lists write is
        that word's, as a word the lists write is no slip (:meth:`_known`); read so, a
        common one ("Hssn": Hassan) met every namesake the rule reads alike (Hasan) and
        displaced the listed name among them. Not an abjad's transliteration."""
        if abjad or not latin_vowelless(token):
            return ()
        return self._bare_probes(token)

    def _bare_probes(self, token: str) -> tuple[str, ...]:
        """:meth:`_probes` of a Latin word without vowels."""
        skeleton = vowel_skeleton(token)
        if len(skeleton) < _SKELETON_LETTERS or self._key_id("v:" + skeleton) >= 0:
            return ()
        return skeleton_probes(skeleton)[1:]

    def _probed(self, token: str, abjad: bool, groups: _KeyGroups) -> _KeyGroups:
        """A token's key ``groups`` and its :meth:`_probes`, last, at the vowel rule's credit."""
        probes = self._probes(token, abjad)
        return [*groups, (probes, RULES.vowelless_sim, False)] if probes else groups

    def _swapped_near_ids(self, token: str) -> list[int]:
        """The keys one deletion from the phonetic key of a reading of ``token`` with two
        letters swapped back (:func:`swapped_near_keys`), by number, in order: none when
        the word's own key has a one-deletion neighbour here (one slip explains it)."""
        near = self.neighbours.expand
        if near([], phonetic_key(token), _DELETION_LETTERS, _FUZZY):
            return []
        out: dict[int, None] = {}
        for _, key, _, _ in reading_keys(token):
            out.update(dict.fromkeys(near([], key, _DELETION_LETTERS, _FUZZY)))
        return list(out)

    def _swapped_back_ids(self, token: str) -> list[int]:
        """The numbers of :func:`swapped_back_keys` here (each at :data:`_FUZZY`), in its
        order, for a query word whose own keys are not posted (:meth:`_known`: its own
        phonetic key, which that function leaves out, is not here). A lower-case ASCII word
        in one compiled call that makes and looks up every reading's keys
        (``KeyTable.swaps``); any other by the keys' strings."""
        if not _swaps_read(token):
            return []
        table = self.key_ids
        found = table.swaps(token, _SLAVIC if len(token) >= _SLAVIC_LETTERS else None,
                            SKELETON, _JOINED)
        if found is None:
            return [k for k in map(table.find, (key for key, _ in swapped_back_keys(token)))
                    if k >= 0]
        ids = []
        for _, key, slavic, _, near, joined in found:
            if near:
                continue  # a letter set beside itself, written once: a one-deletion neighbour
            if key >= 0:
                ids.append(key)
            if slavic >= 0:
                ids.append(slavic)
            if joined >= 0:
                ids.append(joined)
        return ids

    def _expand(self, token: str, abjad: bool = False) -> dict[str, float]:
        """Keys for a query token with the share of credit each earns: the rule in Python,
        key by key, which the compiled :meth:`_expand_ids` that queries use is tested
        against."""
        found: dict[str, float] = {}
        posted = self.key_ids  # the compiled table (the postings' mapping asks it in Python)
        for key in token_keys(token):
            if key in posted:
                found[key] = 1.0
        if len(token) in ACRONYM_LENGTHS and _ACRONYM + token in posted:
            found[_ACRONYM + token] = RULES.acronym_sim
        for key in abjad_keys(token, abjad)[1]:
            if key in posted:
                found[key] = _ABJAD
        slavic = slavic_key(token)
        if slavic is not None and slavic in posted:
            found[slavic] = RULES.east_slavic_sim
        once = written_once(token)
        if once != token:  # a letter typed twice hides the key ("Ruubinov": Rubinau)
            for key in token_keys(once) if len(once) >= 2 else ():  # "Roomeo": romeo
                if key in posted:  # (a doubled vowel is a vowel group in the key: rumeo)
                    found.setdefault(key, 1.0)
            slavic = slavic_key(once)
            if slavic is not None and slavic in posted:
                found.setdefault(slavic, _FUZZY)
        for key in vowelless_keys(token)[1]:
            if key in posted:
                found.setdefault(key, RULES.vowelless_sim)
        for key in () if abjad else folded_keys(token)[1]:  # see similarity._vowelless_sim
            if key in posted:
                found.setdefault(key, FOLDED_SIM)
        for key in nickname_keys(token):  # "Ted" finds Theodore (text/given_names.py)
            if key in posted:
                found.setdefault(key, RULES.nickname_sim)
        for key in self._probes(token, abjad):  # "Shbbz" finds Shahbaz (skeleton shhbz)
            if key in posted:
                found.setdefault(key, RULES.vowelless_sim)
        key = phonetic_key(token)
        if abjad and _VOWELS.isdisjoint(token):
            # one deletion away from a few consonants is any other name: the skeleton keys
            # above carry the spelling variation of an abjad transliteration instead
            return found
        for near in _near_keys(key, posted, self.neighbours):  # one deletion away (typos)
            found.setdefault(near, _FUZZY)
        for folded in diphthong_keys(key):  # "Sulaiman" finds Suleiman (suliman)
            if folded in posted:
                found.setdefault(folded, _FUZZY)
        for probe in rejoined_keys(token):  # a letter left out where the key folds two
            for near in self.neighbours.get(probe, ()):
                found.setdefault(near, _FUZZY)
        held = h_kept_key(token)  # "Hsaam": its h kept, one deletion from Hasam's key
        if held is not None:
            for near in _near_keys(held, posted, self.neighbours):
                found.setdefault(near, _FUZZY)
        # two letters swapped ("Christpoher", "Kohslaf") change the key whole, or move the
        # word from its own key to a neighbour's; not in a word the lists write (Garcia is
        # no slip for Gracia)
        swapped = False
        for swapped_key, credit in () if self._known(token) else swapped_back_keys(token):
            if swapped_key in posted:
                swapped = True
                if found.get(swapped_key, 0.0) < credit:
                    found[swapped_key] = credit
        if not swapped and _swaps_read(token) and not self._known(token):
            for near in swapped_near_keys(token, posted, self.neighbours):
                found.setdefault(near, _FUZZY)
        return found

    def mass(self, name: PreparedName, skeletons: bool = False) -> float:
        """What a list name identical to the query would accumulate (keys missing: top idf).

        ``skeletons``: count every token by its abjad skeleton, as an abjad-script query
        meets the name.
        """
        top = self.top
        return sum(self._token_mass(t, name.abjad, top, skeletons) * weight
                   for t, k, weight in zip(name.tokens, name.kinds, name.weights, strict=True)
                   if k not in _SKIP or len(name.tokens) == 1)

    def _compiled(self) -> Postings:
        """The postings as compiled code reads them. Made again when ``idf`` is replaced
        (:meth:`~discreet.match.Matcher.restricted`), and not pickled."""
        if self._postings is None or self._postings_idf is not self.idf:
            idf = self.idf
            if isinstance(idf, KeyWeights) and idf.ids is self.key_ids:
                weights = idf.weights  # the index's own table: already by key id
            else:
                weights = np.array([idf.get(key, 0.0) for key in self.key_ids], np.float64)
            self._weights = weights
            self._postings = Postings(
                self._flat, self._starts, self._sizes, weights, self._acronym_keys,
                np.asarray(self.masses, np.float64),
                np.asarray(self.skeleton_masses, np.float64),
                np.asarray(self.inits, np.uint32), np.asarray(self.firsts, np.uint32),
                twins=self._twins)
            self._postings_idf = idf
        return self._postings

    def _key_weights(self) -> npt.NDArray[np.float64]:
        """Each key's idf by key number (the numbers :attr:`idf` holds), for the idf table
        in use."""
        self._compiled()
        return self._weights

    def query_mass(self, name: PreparedName) -> float:
        """:meth:`mass` of a query name, from per-token shares cached while ``idf`` is the
        same table (:meth:`~discreet.match.Matcher.restricted` replaces it)."""
        cache = self._token_masses()
        abjad, alone = name.abjad, len(name.tokens) == 1
        shares = []
        for t, k, weight in zip(name.tokens, name.kinds, name.weights, strict=True):
            if k not in _SKIP or alone:  # (a title's, an initial's share would not count)
                share = cache.get((t, abjad))
                if share is None:
                    share = cache[t, abjad] = self._query_token_mass(t, abjad)
                shares.append(share * weight)
        return sum(shares)  # summed exactly as mass() sums

    def _token_masses(self) -> dict[tuple[str, bool], float]:
        """Query tokens' shares of :meth:`query_mass` (:meth:`_query_token_mass`) met lately,
        for the ``idf`` table in use (emptied when it is replaced)."""
        cache = self._mass_cache
        if self._mass_idf is not self.idf:
            cache.clear()
            self._mass_idf = self.idf
        elif len(cache) >= _TOKEN_CACHE:
            cache.clear()
        return cache

    def _query_token_mass(self, token: str, abjad: bool) -> float:
        """A query token's share of :meth:`query_mass`: :meth:`_token_mass`, but for a word
        no list name writes alike (a typing error: "Pelleier", "Aleksandrlv") at most what
        its keys and near keys may gather (:meth:`_expand`): the top idf it would count
        otherwise would drop below the floor every name its error is near."""
        near, parts, _, _ = self._token(token, abjad)
        if self._word_mass_idf is self.idf:  # made with the word's keys
            made = self._word_mass.get((token, abjad))
            if made is not None:
                return made
        share = self._token_mass(token, abjad, self.top, False)
        if near and not parts:
            share = min(share, most_credit(near, self._key_weights()))
        return share

    def _token_mass(self, token: str, abjad: bool, top: float, skeletons: bool) -> float:
        """A token's share of :meth:`mass`: the idf of its rarest key (top if not indexed).

        A vowel-less token of an abjad-script name can only be expected to meet the Latin
        spellings by its skeleton, at the skeleton's share of credit.
        """
        if skeletons or (abjad and _VOWELS.isdisjoint(token)):
            skeleton = "a:" + abjad_skeleton(token)
            if len(skeleton) > 3 and token.isalpha():
                return _ABJAD * self.idf.get(skeleton, top)
            if abjad:
                # one consonant: the names its written form finds (none: nothing to expect
                # it to meet), at the skeleton's credit
                written = abjad_keys(token, True)[1] if len(skeleton) == 3 else ()
                return _ABJAD * self.idf.get(written[0], 0.0) if written else 0.0
            if len(skeleton) == 3 and token.isalpha():
                # a Latin word of one consonant (Yar, Uday) as an abjad-script query meets
                # it: by one of the ways an abjad writes it, at the skeleton's credit, as
                # such a query counts its own word of one consonant; the commonest (the
                # consonant alone, which every spelling of it shares), since which one the
                # query writes is not known. Not by the rarity of the word's own keys, which
                # no abjad spelling looks up: the name with every word of the query would
                # weigh as a longer name, one the query leaves a rare word of unmatched.
                spellings = abjad_keys(token, False)[0]
                if spellings:
                    return _ABJAD * min(self.idf.get(key, top) for key in spellings)
        keys = token_keys(token)
        if not _any_in(keys, self.idf):
            if _ACRONYM + token in self.idf:
                # all it can meet: the initials
                return RULES.acronym_sim * self.idf[_ACRONYM + token]
            for key in vowelless_keys(token)[1]:
                if key in self.idf:  # a word written without vowels meets its skeleton
                    return RULES.vowelless_sim * self.idf[key]
            # (only a Latin word without vowels looks a folded key up: the others' folded
            # skeletons, made for nothing, cost a new word more than the rest of its mass)
            for key in folded_keys(token)[1] if not abjad and latin_vowelless(token) else ():
                if key in self.idf:  # ... or a spelling variant's
                    return FOLDED_SIM * self.idf[key]
            return top  # none of its own keys is here: each weighs top
        return max(self.idf.get(key, top) for key in keys)

    def _query_keys(self, name: PreparedName) -> dict[str, float]:
        """A query name's keys with the credit each earns (:meth:`_query_ids`, the keys
        written out): what tests and tools read."""
        table = self.key_ids
        return {table.key(k): share for k, share in self._query_ids(name).items()}

    def _query_ids(self, name: PreparedName, bridged: list[_TokenKeys] | None = None,
                   shares: list[float] | None = None, cut: bool | None = None,
                   ) -> dict[int, float]:
        """A query name's keys, by number, with the credit each earns: its tokens' own, the
        keys of two adjacent tokens written together, of a token's parts, and of the list
        words a cut last word begins (in that order: the kernel sums them so). ``shares``:
        where each counted token's share of :meth:`query_mass` times its weight is put, in
        order (their sum is the query's evidence), as its keys are read. ``cut``:
        :func:`may_be_truncated` of the name, when the caller asked it (None: asked here).
        The words' loop and (a name not in an abjad script) the pairs' in two compiled
        calls (``query_words``, ``query_pairs``); :meth:`_query_ids_by_rule` is the rule."""
        keys: dict[int, float] = {}
        abjad = name.abjad
        pairs, halves = query_words(
            name.tokens, name.kinds, name.weights, _SKIP, abjad, self._token_cache, self,
            keys, bridged, _BRIDGED_WORDS, None if shares is None else self._token_masses(),
            shares, self.neighbours, string_forms, _word_rules(), _TOKEN_CACHE)
        if abjad:
            self._pair_keys(name, pairs, halves, keys)
        else:
            if no_vowel_written(name.original):
                self._short_keys([t for t, _ in pairs], [w for _, w in pairs], keys)
            query_pairs(self.key_ids, pairs, halves, keys, self._known_kept(), self, SKELETON,
                        _FUZZY, 0.9, _SLAVIC_LETTERS, _TOKEN_CACHE, _SHIFTED_LETTERS)
        if pairs and (may_be_truncated(name) if cut is None else cut) \
                and name.tokens[-1] == pairs[-1][0]:
            self._cut_keys(*pairs[-1], keys)
        return keys

    def _word_share(self, token: str, abjad: bool, masses: dict[tuple[str, bool], float],
                    ) -> float:
        """A query word's share of :meth:`query_mass` (the share its compiled reading made,
        else the rule's), kept in ``masses`` (:meth:`_token_masses`)."""
        made = self._word_mass.get((token, abjad)) if self._word_mass_idf is self.idf else None
        share = masses[token, abjad] = made if made is not None \
            else self._query_token_mass(token, abjad)
        return share

    def _pair_keys(self, name: PreparedName, pairs: list[tuple[str, float]],
                   halves: list[tuple[int, ...]], keys: dict[int, float]) -> None:
        """:meth:`_query_ids`' keys of an abjad-script name's adjacent words (written as
        one, and their bridge skeletons) and of its words' parts."""
        compounds = _article_compounds(name)
        posted = self._key_id
        for (a, wa), (b, wb) in itertools.pairwise(pairs):
            self._joined_keys(a, b, wa + wb, keys)
            # "ولی جان" for Walijan; a compound with the article between its words ("شمس
            # الدین" for Shamsuddin) is one list word: credited as the two words' weight, as
            # a joined key is
            share = _ABJAD * (wa + wb) if (a, b) in compounds else _ABJAD
            for bridge in abjad_keys(a + b, True)[1]:
                if (k := posted(bridge)) >= 0:
                    keys.setdefault(k, share)
        for parts in halves:
            for half in parts:
                keys.setdefault(half, 0.9)

    def _query_ids_by_rule(self, name: PreparedName, bridged: list[_TokenKeys] | None = None,
                           shares: list[float] | None = None) -> dict[int, float]:
        """:meth:`_query_ids` by the rules, in Python (what the compiled calls are tested
        against)."""
        keys: dict[int, float] = {}
        abjad = name.abjad
        pairs = [(t, w) for t, k, w in zip(name.tokens, name.kinds, name.weights, strict=True)
                 if k not in _SKIP or len(name.tokens) == 1]
        masses = None if shares is None else self._token_masses()
        halves = []  # the tokens' parts' keys (most have none)
        for token, weight in pairs:  # the larger credit of the tokens meeting a key
            word = (token, abjad)
            read = self._token(token, abjad)
            if read[2] and bridged is not None and len(bridged) < _BRIDGED_WORDS:
                bridged.append(read)  # a word with a bridge key (see _marks)
            raise_credits(keys, read[0], weight)
            if read[1]:
                halves.append(read[1])
            if masses is not None and shares is not None:
                share = masses.get(word)
                if share is None:
                    share = self._word_share(token, abjad, masses)
                shares.append(share * weight)
        if not abjad and no_vowel_written(name.original):
            self._short_keys([t for t, _ in pairs], [w for _, w in pairs], keys)
        if abjad:  # joined, bridge skeletons and parts: as _query_ids asks them
            self._pair_keys(name, pairs, halves, keys)
        else:
            for (a, wa), (b, wb) in itertools.pairwise(pairs):
                self._joined_keys(a, b, wa + wb, keys)
            for parts in halves:
                for half in parts:
                    keys.setdefault(half, 0.9)
            for (a, wa), (b, wb) in itertools.pairwise(pairs):
                self._shifted_keys(a, wa, b, wb, keys)
        if pairs and may_be_truncated(name) and name.tokens[-1] == pairs[-1][0]:
            self._cut_keys(*pairs[-1], keys)
        return keys

    def _short_keys(self, tokens: Sequence[str], weights: Sequence[float],
                    keys: dict[int, float]) -> None:
        """The two-letter skeletons (:func:`short_skeleton_key`) of the words of a name
        written wholly without vowels, at the credit the vowel rule gives them (a two-letter
        skeleton's): "PY AR" finds POUYA AIR, "Al Ahmd NJ" Ali Ahmed NAAJI, where only one
        word or none had a key the index posts."""
        for token, weight in zip(tokens, weights, strict=True):
            short = short_skeleton_key(token) if latin_vowelless(token) else None
            if short is not None and (k := self._key_id(short)) >= 0:
                credit = _SHORT_SKELETON * weight
                if keys.get(k, 0.0) < credit:
                    keys[k] = credit

    def _joined_keys(self, a: str, b: str, both: float, keys: dict[int, float]) -> None:
        """The keys of two adjacent query words written as one (``both``: their weights
        summed): its phonetic key, that of the text with each run of a letter written once
        ("Vitel Hoomme" for Vitelhomme), the same two words with the space elsewhere ("j:").
        Two words of lowercase ASCII letters (nearly all) in one compiled call
        (``KeyTable.joined``), any other by :meth:`_joined_by_rule`."""
        found = self.key_ids.joined(a, b)
        if found is None:
            self._joined_by_rule(a, b, both, keys)
            return
        k, again, shifted = found
        if k >= 0:
            keys[k] = 1.0
        if again >= 0:
            keys.setdefault(again, 1.0)
        if shifted >= 0:
            keys[shifted] = both
        if k < 0 and again < 0:
            self._joined_swaps(a, b, keys)

    def _joined_swaps(self, a: str, b: str, keys: dict[int, float]) -> None:
        """Two adjacent query words neither of which a list word writes, written as one and
        read with two neighbouring letters swapped back, may be one list word ("Vitel
        Homem" for Vitelhomme): the readings' phonetic keys posted are looked up at a
        swap's credit (:data:`_FUZZY`), as a word's are (:meth:`_swapped_back_ids`). Not
        beside a word the lists write (a name's given name, mostly: the joined readings
        of such pairs were two thirds of this rule's cost). Lowercase ASCII letters only
        (``KeyTable.swaps``, which reads no other)."""
        if self._known(a) or self._known(b):
            return
        found = self.key_ids.swaps(a + b, None, SKELETON)
        for _, k, _, _, _, _ in found or ():  # (no one-deletion neighbours looked up here)
            if k >= 0:
                keys.setdefault(k, _FUZZY)

    def _joined_by_rule(self, a: str, b: str, both: float, keys: dict[int, float]) -> None:
        """:meth:`_joined_keys` by the key functions, for any two words (the rule the
        compiled ``KeyTable.joined`` is tested against)."""
        posted = self._key_id
        joined = phonetic_key(a + b)
        first = posted(joined)
        if first >= 0:
            keys[first] = 1.0
        once = phonetic_key(written_once(a + b))
        again = posted(once) if once != joined else -1
        if again >= 0:
            keys.setdefault(again, 1.0)
        k = posted(_JOINED + joined)
        if k >= 0:
            keys[k] = both
        if first < 0 and again < 0:
            self._joined_swaps(a, b, keys)

    @staticmethod
    def _marks(bridged: Sequence[_TokenKeys], keys: Mapping[int, float]) -> list[int] | None:
        """Which query words each of ``keys`` reads (the candidates' kernel's marks), when
        a word has a bridge key (None: none has; ``bridged``: those words' keys, as
        :meth:`_query_ids` met them): a bit a word (the first :data:`_BRIDGED_WORDS`), in
        the low byte of each of its near keys, in the high byte
        of its bridge keys. A word without vowels meets a list word with one vowel more
        by a near key (one letter deleted: "Ynl" and YinLi's phonetic key "inli") and by
        its folded skeleton ("inl"): the same vowel left out, read twice. So a bridge key
        credits a name only when not every word it stands for met the name by a near key
        or by another of its bridge keys (the kernel marks a name a bridge key credits as
        its near keys do): counted twice, one word lifted such a name over the names
        sharing the query's other words."""
        if not bridged:
            return None
        marks = dict.fromkeys(keys, 0)
        for bit, (_, _, bridges, near) in enumerate(bridged):
            for k in near:
                if k in marks:
                    marks[k] |= 1 << bit
            for k in bridges:
                if k in marks:
                    marks[k] |= 1 << (bit + 8)
        return list(marks.values())

    def _known(self, token: str) -> bool:
        """A query word is a word the lists write: its phonetic or east-Slavic key is posted.
        A lowercase ASCII word (nearly every one) in one compiled call (``KeyTable.known``:
        both keys made and looked up there, no string made); any other by the key functions.
        Kept for the words met lately (a query's words are asked by each pair they are in)."""
        cache = self._known_kept()
        found = cache.get(token)
        if found is None:
            if len(cache) >= _TOKEN_CACHE:
                cache.clear()
            found = cache[token] = self._known_by_rule(token)
        return found

    def _known_kept(self) -> dict[str, bool]:
        """:meth:`_known`'s answers kept (made empty when none is: an index unpickled)."""
        cache: dict[str, bool] | None = self.__dict__.get("_known_cache")
        if cache is None:
            cache = self.__dict__["_known_cache"] = {}
        return cache

    def _known_by_rule(self, token: str) -> bool:
        """:meth:`_known`, not kept."""
        found = self.key_ids.known(token, _SLAVIC_LETTERS)
        if found is not None:
            return found
        if self._key_id(phonetic_key(token)) >= 0:
            return True
        slavic = slavic_key(token)
        return slavic is not None and self._key_id(slavic) >= 0

    def _shifted_keys(self, a: str, wa: float, b: str, wb: float,
                      keys: dict[int, float]) -> None:
        """A letter typed across the space between two query words ("Hafe zMakhlouf",
        "QasemS Olemani"): when one of the two is no word the lists write and, the letter
        moved back, both are, the two words so read look up their own keys (not their
        one-deletion neighbours: the reading is a guess already), at :data:`_SHIFTED` of
        their weights; the scorer's regrouped reading (align) pairs them with the list's
        words. A word so read that the query's words as written reach already (a near key)
        adds nothing: two real names can read as a shifted space ("Kirillov Ladimir":
        Kirillo Vladimir), and Vladimir would count twice, by its other keys. But when the
        written words reach both, one slip (the space) explains two near words: both are
        looked up, their keys raised to the reading's credit."""
        if not (self._known(a) and self._known(b)):
            self._shifted_read(a, wa, b, wb, keys)

    def _shifted_read(self, a: str, wa: float, b: str, wb: float, keys: dict[int, float],
                      readings: list[tuple[str, str]] | None = None) -> None:
        """:meth:`_shifted_keys` of two words not both known (``readings``: the compiled
        ones when ``query_pairs`` made them, else None: made here)."""
        if readings is None:
            readings = self.key_ids.shifted(a, b, _SHIFTED_LETTERS, _SLAVIC_LETTERS)
        if readings is None:
            readings = self._shifted_by_rule(a, b)
        for left, right in readings:
            read = [([(key, _SHIFTED * share * weight)
                      for key, share in self._token(token, False)[0].items()
                      if share >= _SHIFTED])
                    for token, weight in ((left, wa), (right, wb))]
            reached = [any(key in keys for key, _ in own) for own in read]
            for own, met in zip(read, reached, strict=True):
                if met and not all(reached):
                    continue
                for key, credit in own:
                    if keys.get(key, 0.0) < credit:
                        keys[key] = credit

    def _shifted_by_rule(self, a: str, b: str) -> list[tuple[str, str]]:
        """The readings :meth:`_shifted_keys` looks up, by the key functions (for any two
        words; the rule the compiled ``KeyTable.shifted`` is tested against): none unless
        both are ASCII letters and one is no word the lists write; else the space one
        letter left, then right, where both words so read have :data:`_SHIFTED_LETTERS` or
        more and are words the lists write."""
        if not (a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
            return []
        if self._known(a) and self._known(b):
            return []
        return [(left, right) for left, right in ((a[:-1], a[-1] + b), (a + b[0], b[1:]))
                if len(left) >= _SHIFTED_LETTERS and len(right) >= _SHIFTED_LETTERS
                and self._known(left) and self._known(right)]

    def _key_id(self, key: str) -> int:
        """The id of ``key`` (-1: not posted), from a small cache of the keys met lately."""
        cache = self._id_cache
        found = cache.get(key)
        if found is None:  # (a miss raises no KeyError: most of a new word's keys miss)
            if len(cache) >= _KEY_CACHE:
                cache.clear()
            found = cache[key] = self.key_ids.find(key)
        return found

    def _cut_keys(self, cut: str, weight: float, keys: dict[int, float]) -> None:
        """The keys of the list words a query's last word begins, when a field limit may
        have cut it ("... SREDNEVOL" for Srednevolzhsky): found in the sorted words."""
        if len(cut) < max(3, RULES.truncated_prefix) or not cut.isalpha():
            return
        words = self.words
        at = bisect.bisect_right(words, cut)  # the word itself is no cut
        # a slice, not islice: islice would step through the ``at`` words before the cut
        for word in words[at:at + _CUT_WORDS]:
            if not word.startswith(cut):
                break
            k = self.key_ids.find(phonetic_key(word))
            if k >= 0:
                keys.setdefault(k, RULES.truncated_sim * weight)
        if cut[-1] in _CUT_DIGRAPHS and cut.isascii() and not self._known(cut):
            # cut between the letters of ch, kh or ph, which the key reads as one sound
            # ("... KHODANOVIC" for Khodanovich: key hodanovik, not hodanovic): the word
            # with its h, by its keys and their typo neighbours (the list may spell it
            # otherwise: Khadanovich), at a cut word's credit
            for k, share in self._token(cut + "h", False)[0].items():
                keys.setdefault(k, RULES.truncated_sim * weight * share)

    @staticmethod
    def searched(tokens: Sequence[str], kinds: Sequence[str]) -> list[str]:
        """The tokens of a query name whose keys are looked up (titles, particles, legal
        forms and initials aside, unless the name is one token), in order."""
        if len(tokens) <= 1:
            return list(tokens)
        return [t for t, k in zip(tokens, kinds, strict=True) if k not in _SKIP]

    def posts_token(self, token: str, abjad: bool) -> bool:
        """A query token's own keys (typos, abjad skeletons, ...) or the keys of its parts
        are looked up: the index may propose names for it (the query keys' first part)."""
        own, parts, _, _ = self._token(token, abjad)
        return bool(own) or bool(parts)

    def posts_joined(self, joined: str, abjad: bool) -> bool:
        """Two adjacent query tokens written as one word ("Patr ushev") are posted."""
        postings = self.postings
        return phonetic_key(joined) in postings or (abjad and any(
            key in postings for key in abjad_keys(joined, True)[1]))

    def candidates(self, name: PreparedName, limit: int = 40, ratio: float = RATIO,
                   kind: str | None = None) -> list[int]:
        """Positions of up to ``limit`` names sharing the most (rarity-weighted) keys.

        Names sharing less than ``ratio`` of the query's own evidence (:meth:`query_mass`) are
        dropped; the rest are ranked by what they share over the larger of the two names'
        evidence plus :data:`_UNSHARED` of the evidence both leave unmatched, raised by
        :data:`_AGREE` when the name's initials agree with the query's words (or the
        reverse), and by :data:`_KINDRED` when the name is of the ``kind`` the query names
        (:mod:`~discreet.match.kind`'s: "person", or "organisation", "vessel", "body": a
        body's name, by :func:`letters`' organisation's bit; None: an organisation's name
        for a query that is one by its schema or a legal form, else no kind); ties: the
        earlier position first. So the organisations and vessels sharing a person query's
        common word (AL, ABU, a common surname) do not crowd the persons out of the
        ``limit`` places (nor persons an organisation's), and keep a place when they
        share more. A name found by the initials of its words
        weighs, in that ranking, no more than the acronym carries. The result is exactly
        the best ``limit`` of every name the keys find; the kernel (``Postings.candidates``)
        skips the work that cannot change it: keys are taken rarest first, and once the
        keys left cannot lift a name not met yet to the floor or among the best found so
        far, their (long) postings only add to the names that still may be ranked.
        """
        asked = self._asking(name)
        if asked is None:
            return []
        ids, shares, mass, tail, inits, firsts, marks = asked
        return self._compiled().candidates(ids, shares, mass, ratio, _LARGE, limit, name.abjad,
                                           tail, _UNSHARED, _AGREE, inits, firsts, marks,
                                           _KINDRED, _KIN.get(kind, 0))

    def _asking(self, name: PreparedName) -> _Asked | None:
        """What the candidates' kernel is asked for query name ``name``: its keys' ids and
        shares, its evidence, the share of a cut name's tail, its letters (None: no key);
        kept for the names met lately while ``idf`` is the same table (screening repeats
        names, as Matcher.prepare's cache knows). Kept as tuples, not the lists the kernel
        takes (made again for each ask, a copy of some dozens of numbers): a kept entry
        holds no container the cycle collector walks once its passes have untracked its
        tuples (no list, no tuple holding the name), where each new query name left four
        for every pass of the older generations to walk while they were kept."""
        found = self.__dict__
        cache: dict[int, _Kept | None] | None = found.get("_asked")
        names: dict[int, PreparedName] | None = found.get("_asked_names")
        if cache is None or names is None or found.get("_asked_idf") is not self.idf:
            cache, names = self._asked, self._asked_names = {}, {}  # (another table: or
            self._asked_idf = self.idf  # an index saved before, which kept none of these)
        key = id(name)
        if names.get(key) is name:
            kept = cache[key]
            return None if kept is None else (
                list(kept[0]), list(kept[1]), kept[2], kept[3], kept[4], kept[5],
                None if kept[6] is None else list(kept[6]))
        bridged: list[_TokenKeys] = []
        shares: list[float] = []
        cut = may_be_truncated(name)  # (asked once: the keys and the tail read it)
        keys = self._query_ids(name, bridged, shares, cut)
        asked: _Asked | None = None
        if len(cache) >= _QUERY_CACHE:
            cache.clear()
            names.clear()
        names[key] = name
        if not keys:
            cache[key] = None
            return None
        ids, credits = list(keys), list(keys.values())
        mass, tail = sum(shares), RULES.truncated_tail if cut else 1.0  # query_mass(name)
        inits, firsts = name_letters(name.tokens, name.kinds,
                                     _ORGANISATION if name.org or name.legal else 0, _SKIP)
        marks = self._marks(bridged, keys) if bridged else None
        asked = (ids, credits, mass, tail, inits, firsts, marks)
        cache[key] = (tuple(ids), tuple(credits), mass, tail, inits, firsts,
                      None if marks is None else tuple(marks))
        return asked


def candidate_recall(queries: Sequence[PreparedName], names: Sequence[PreparedName],
                     index: NameIndex, score: Callable[[PreparedName, PreparedName], float],
                     threshold: float, limit: int = 40) -> float:
    """Share of brute-force hits (every name scored, >= threshold) the index also proposes."""
    wanted = found = 0
    for q in queries:
        hits = {i for i, n in enumerate(names) if score(q, n) >= threshold}
        if hits:
            wanted += len(hits)
            found += len(hits & set(index.candidates(q, limit)))
    return found / wanted if wanted else 1.0

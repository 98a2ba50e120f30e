"""Score bounds and exact scores of a query's candidates, in compiled code.

Aligning two names in Python (:func:`~discreet.match.score.name_score`) costs tens of
microseconds, and most candidates the index proposes share a given name with the query and
nothing else. So, for each query name, :class:`CandidateScores` hands its candidates to the
compiled kernel (``_prune.pxi``, a part of ``_kernel.pyx``) which, per candidate:

1. bounds the name score: a token of either name that nothing on the other side can pair
   with (by a test never stricter than
   :func:`~discreet.match.similarity.token_similarity`: edit similarity of the tokens, of
   their phonetic keys, of their abjad skeletons; initials), alone or within a run of
   tokens written as one, is unmatched in every alignment; the score with just those tokens
   unmatched and every other paired at no loss is an upper bound (the unmatched-token terms
   only grow with the unmatched weight);
2. when that bound can reach the candidate's floor (the threshold, less what the query's
   other evidence can add), scores it exactly as ``name_score`` does, with the same rules
   and arithmetic (``tests/match/test_kernel.py`` holds them equal).

:class:`NameTables` holds what the kernel reads of every indexed name, built once per
index. The few pairs the kernel leaves to Python (see :meth:`CandidateScores.score`) are
scored by ``name_score`` itself.
"""

from __future__ import annotations

import array
import math
from collections.abc import Callable, Container, Sequence
from functools import lru_cache, partial
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from discreet.match import align, similarity
from discreet.match._kernel import (
    Kept,
    Kernel,
    QueryName,
    Strings,
    acronym_ids,
    query_lists,
    string_table,
)
from discreet.match._kernel import string_forms as compiled_forms
from discreet.match.align import Span, acronym_runs, cut_text, shifted_words
from discreet.match.explain import explained_score
from discreet.match.prepare import (
    PreparedName,
    letters_as_skeletons,
    read_without_vowels,
    restored_vowelless,
)
from discreet.match.rules import KINDS, RULES
from discreet.match.score import (
    SYLLABIC_SCRIPTS,
    NameScore,
    has_lineage,
    lineages,
    may_be_truncated,
    name_score,
    place_words,
    vowel_opened_words,
)
from discreet.match.similarity import BALTIC_ENDINGS, swap_readings
from discreet.match.swaps import posted_readings
from discreet.text.given_names import equivalents, given_names, opening_given
from discreet.text.phonetic import (
    abjad_other_skeletons,
    abjad_skeleton,
    chinese_key,
    consonants,
    east_slavic_key,
    korean_key,
    phonetic_key,
    word_keys,
)
from discreet.text.scripts import scripts_of, transcribed

__all__ = ["CandidateScores", "NameTables", "string_forms"]

_VOWELS = frozenset("aeiou")
# token_similarity's consonant rule for vowelled tokens needs an edit similarity of
# consonant_fuzzy, so a joined pair (>= join_min_sim) needs at least this much of it.
_JOIN_TEST = min(RULES.join_min_sim, RULES.consonant_fuzzy)
_MAX_TOKENS = 64  # longer names are scored by Python
_MAX_FAMILIES = 63  # legal-form families told apart by bits; names with others: Python
_QUERIES = 4096  # query names kept as the kernel reads them (as many as Matcher.prepare's)
_KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
_SYLLABIC = {"": 0, "han": 1, "hangul": 2}
# the bound test's cuts: a single token, a joined pair, and the abjad skeletons' factor
_CUTS = (RULES.min_sim, _JOIN_TEST, RULES.abjad_sim)
_ENDINGS = tuple(end.encode("ascii") for end in BALTIC_ENDINGS)  # as the kernel reads them
_VARIANT_LETTERS = RULES.variant_letters
# align.acronym_runs' rules, as acronym_ids reads them
_ACRONYM_RULES = (align._SPELLED_KINDS, align._UNSPELLED, align._LEADING_WORDS,
                  align._TRAILING_WORDS, align.ACRONYM_LENGTHS[0], align.ACRONYM_LENGTHS[-1])

_Own = tuple[bytes, bytes, bytes, bytes, bytes, tuple[tuple[int, bytes], ...], int, bytes,
             bytes, bytes, bytes]
# a string's own forms, and those of its text with each run of a letter written once
Forms = tuple[bytes, bytes, bytes, bytes, bytes, tuple[tuple[int, bytes], ...], int, bytes,
              bytes, bytes, bytes, _Own | None]
_Ints = npt.NDArray[np.int64]
_Floats = npt.NDArray[np.float64]
_Bytes = npt.NDArray[np.uint8]
# a vocabulary's forms packed (_Vocabulary.packed): (buffer, offsets) per form, stem starts,
# stem cuts, flags, the string written once of each
Packed = tuple[tuple[tuple[npt.NDArray[np.uint8], _Ints], ...], _Ints, _Ints,
               npt.NDArray[np.uint8], _Ints]


def _forms(text: str, syllables: bool, keys: _KeyFunctions,
           others: Callable[[str], tuple[str, ...]]) -> Forms:
    """:func:`string_forms`, with the given key functions (cached or not): a text of ASCII
    letters (nearly every word) in one compiled call (``_strings.pxi``), any other by
    :func:`reference_forms`."""
    found: Forms | None = compiled_forms(text, _ENDINGS, _VARIANT_LETTERS,
                                         keys[4] if syllables else None,
                                         keys[5] if syllables else None, others)
    return reference_forms(text, syllables, keys, others) if found is None else found


def reference_forms(text: str, syllables: bool, keys: _KeyFunctions,
                    others: Callable[[str], tuple[str, ...]]) -> Forms:
    """:func:`string_forms` by the rules as written in Python (the compiled forms of a text
    of ASCII letters must be the same: ``tests/match/test_kernel.py``)."""
    once = similarity.written_once(text) if text.isalpha() else text
    return (*_own(text, syllables, keys, others),
            _own(once, False, keys, others) if once != text else None)


def _own(text: str, syllables: bool, keys: _KeyFunctions,
         others: Callable[[str], tuple[str, ...]]) -> _Own:
    """A string's own forms (:func:`string_forms` but the last)."""
    key, _, _, _, zh, ko = keys
    stems = tuple((len(end), key(text[:-len(end)]).encode("ascii"))
                  for end in BALTIC_ENDINGS if text.endswith(end)) \
        if text.endswith(BALTIC_ENDINGS) else ()
    flags = (text.isalpha() | text.isdigit() << 1 | _VOWELS.isdisjoint(text) << 2
             | similarity.latin_vowelless(text) << 3)
    phonetic, slavic, cons, skel = word_keys(text, len(text) >= RULES.variant_letters)
    return (text.encode("ascii"), phonetic, slavic, cons, skel, stems, flags,
            zh(text).encode("ascii") if syllables else b"",
            ko(text).encode("ascii") if syllables else b"",
            similarity.vowel_skeleton(text).encode("ascii"),
            " ".join(others(text)).encode("ascii"))


_KeyFunctions = tuple[Callable[[str], str], ...]
_CACHED: _KeyFunctions = (phonetic_key, east_slavic_key, consonants, abjad_skeleton,
                          chinese_key, korean_key)
# a vocabulary's strings are met once: their keys need not stay in the caches
_UNCACHED: _KeyFunctions = tuple(getattr(f, "__wrapped__", f) for f in _CACHED)


@lru_cache(maxsize=65536)
def string_forms(text: str, syllables: bool = True) -> Forms:
    """What the kernel's token similarity reads of a token (or tokens joined): the text,
    its phonetic key, east-Slavic key, consonants and abjad skeleton, the keys of what is
    left when a Baltic ending is cut off, flags (letters only, digits only, vowel-less, no
    vowel after the first letter), its keys as a Chinese and as a Korean syllable
    (``syllables``; else empty: the kernel compares syllables only when the query is
    written in them), its vowel skeleton, its abjad skeleton's other readings, spaces
    between (:func:`~discreet.text.phonetic.abjad_other_skeletons`; mostly none), and the
    same (but the syllable keys) of the text with each run of a letter written once when
    that differs and the text is letters only (else None): similarity.typed_twice reads
    them. What the kernel reads only of tokens of ``variant_letters`` or more (the
    east-Slavic key) is empty below."""
    found: Forms | None = compiled_forms(
        text, _ENDINGS, _VARIANT_LETTERS, chinese_key if syllables else None,
        korean_key if syllables else None, abjad_other_skeletons)
    return reference_forms(text, syllables, _CACHED, abjad_other_skeletons) \
        if found is None else found


# a query's legal form written as a word no list name writes: its source is the query's
# own string number k, written as _OWN_SOURCE - k (below -1: no word id is negative)
_OWN_SOURCE = -2


def _one_word_form(kind: str, source: str) -> bool:
    """A legal form written as one word ("S.A.": sa), which pairs with that word where the
    other name reads it as a name (align._same)."""
    return kind == "legal" and " " not in source


def _spans(name: PreparedName) -> tuple[Span, ...]:
    return align.join_spans(name.tokens, name.kinds) if name.spans is None else name.spans


def _numbers(values: array.array[Any], dtype: type[np.generic]) -> npt.NDArray[Any]:
    """An array of machine numbers as a numpy array of ``dtype`` (its own copy)."""
    if not len(values):
        return np.zeros(0, dtype)
    typed = np.frombuffer(values, {"q": np.int64, "d": np.float64, "B": np.uint8}[
        values.typecode])
    return typed.astype(dtype)  # a copy, whatever the type


# a name's record (name_records): the flags of its header's second word ...
_LINEAGE, _ORG, _ABJAD, _FALLBACK, _SOURCES, _LEGAL = 1, 2, 4, 8, 16, 128
_SYLLABIC_SHIFT = 5  # ... and where its syllabic code (two bits) starts
_SHORT = 1 << 16  # tokens, runs, acronym runs, lineages and script sets told in 16 bits
_NARROW = 1 << 31  # word, string and token numbers told in 32 bits (signed)
_LINE = 8  # the 64-bit words of a cache line


def name_records(columns: dict[str, npt.NDArray[Any]]) -> tuple[_Ints, _Ints]:
    """Every name's tables as one record, in one array of 64-bit words, and where each
    begins (one more at the end): the kernel's pass reads a candidate's record, a cache
    line or two side by side, where columns of their own cost a cache miss (and a page
    walk) each in an index of a million names.

    ``columns``: per token (token_word, token_source, token_kind, token_weight), per run
    (run_id, run_start, run_size), per acronym run (acr_id, acr_first, acr_last), per
    lineage (lin_son, lin_father), with their offsets per name (``*_at``), and per name
    (totals, lineage, legal, org, abjad, syllabic, script_set, fallback, length).

    A record: its counts of tokens, runs, acronym runs and lineages (16 bits each) in one
    word; its flags and script set (16 bits each) and its length (32 bits) in the second;
    its total weight; its legal families (only when it has some: flag _LEGAL); its tokens'
    weights; then 32-bit numbers: its tokens' words, their sources (only when a token has
    one, or the name has more tokens than the kernel's array of none holds: flag
    _SOURCES), its runs' ids, starts and sizes, its acronym runs' ids, first and last
    tokens, its lineages' sons and fathers; then its tokens' kinds (a byte each). Narrow
    numbers make most records a cache line or two, and a record starts on a new line
    whenever that keeps it off one line more than its size needs (zeros between)."""
    token_at, run_at, acr_at, lin_at = (columns[k] for k in ("token_at", "run_at", "acr_at",
                                                             "lin_at"))
    count = len(token_at) - 1
    n, r, a, m = (np.diff(at) for at in (token_at, run_at, acr_at, lin_at))
    script_set = columns["script_set"]
    narrow = [columns[k] for k in ("token_word", "token_source", "run_id", "run_start",
                                   "run_size", "acr_id", "acr_first", "acr_last",
                                   "lin_son", "lin_father")]
    if count and (max(n.max(), r.max(), a.max(), m.max(), script_set.max()) >= _SHORT
                  or columns["length"].max() >= 1 << 32
                  or any(len(v) and (v.max() >= _NARROW or v.min() < -_NARROW)
                         for v in narrow)):
        raise ValueError("a name too long for the kernel's record")
    of_token = np.repeat(np.arange(count, dtype=np.int64), n)
    own = np.bincount(of_token, weights=columns["token_source"] >= 0, minlength=count) > 0
    sources = own | (n > _MAX_TOKENS)
    legal = columns["legal"] != 0
    head = 3 + legal  # words before the tokens' weights
    # each part's first 32-bit number in its name's record: after the weights
    words_from = 2 * (head + n)
    runs_from = words_from + n + sources * n
    acr_from = runs_from + 3 * r
    lin_from = acr_from + 3 * a
    kinds_from = 4 * (lin_from + 2 * m)  # (bytes)
    size = (kinds_from + n + 7) // 8
    record_at = _placed(size)
    records = _lined(int(record_at[-1]))
    floats = records.view(np.float64)
    halves = records.view(np.int32)
    at = record_at[:-1]
    flags = (columns["lineage"].astype(np.int64) * _LINEAGE
             | columns["org"].astype(np.int64) * _ORG
             | columns["abjad"].astype(np.int64) * _ABJAD
             | columns["fallback"].astype(np.int64) * _FALLBACK
             | sources.astype(np.int64) * _SOURCES
             | legal.astype(np.int64) * _LEGAL
             | columns["syllabic"].astype(np.int64) << _SYLLABIC_SHIFT)
    records[at] = n | r << 16 | a << 32 | m << 48
    records[at + 1] = flags | script_set << 16 | columns["length"].astype(np.int64) << 32
    floats[at + 2] = columns["totals"]
    records[(at + 3)[legal]] = columns["legal"][legal]

    def place(part_at: _Ints, counts: _Ints, starts: _Ints, unit: int) -> _Ints:
        """Where each row of a part goes, in units of ``unit`` per 64-bit word
        (``starts``: per name, the part's first unit in its record; ``part_at``: the
        part's offsets per name)."""
        owner = np.repeat(np.arange(count, dtype=np.int64), counts)
        return at[owner] * unit + starts[owner] + np.arange(len(owner), dtype=np.int64) \
            - part_at[:-1][owner]

    floats[place(token_at, n, head, 1)] = columns["token_weight"]
    words = place(token_at, n, words_from, 2)
    halves[words] = columns["token_word"]
    with_source = sources[of_token]
    halves[(words + n[of_token])[with_source]] = columns["token_source"][with_source]
    records.view(np.int8)[place(token_at, n, kinds_from, 8)] = columns["token_kind"]
    for part_at, counts, starts, names in (
            (run_at, r, runs_from, ("run_id", "run_start", "run_size")),
            (acr_at, a, acr_from, ("acr_id", "acr_first", "acr_last")),
            (lin_at, m, lin_from, ("lin_son", "lin_father"))):
        rows = place(part_at, counts, starts, 2)
        owner_counts = np.repeat(counts, counts)
        for k, key in enumerate(names):
            halves[rows + k * owner_counts] = columns[key]
    return records, record_at


def _placed(size: _Ints) -> _Ints:
    """Where records of ``size`` words begin, one after the other, each moved to the
    next cache line when it would otherwise touch one line more than its size needs
    (the array's data starts on a line: numpy's allocations and a mapped file's pages);
    one more at the end."""
    starts = []
    pos = 0
    for s in size.tolist():
        if pos % _LINE + s > -(-s // _LINE) * _LINE:
            pos += -pos % _LINE
        starts.append(pos)
        pos += s
    starts.append(pos)
    return np.array(starts, np.int64)


def _lined(words: int) -> _Ints:
    """``words`` zeros (64-bit) starting on a cache line, as the records are placed."""
    block = np.zeros(words + _LINE, np.int64)
    skip = (-block.ctypes.data % (8 * _LINE)) // 8
    return block[skip:skip + words]


def _offsets(counts: Sequence[int]) -> _Ints:
    out = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=out[1:])
    return out


class _Vocabulary:
    """Distinct strings, numbered in the order first met (the order the dict keeps)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def add(self, text: str) -> int:
        return self.ids.setdefault(text, len(self.ids))

    @property
    def texts(self) -> list[str]:
        """The strings by number."""
        return list(self.ids)

    def strings(self) -> Strings:
        """The strings and their forms, packed (one buffer per form)."""
        return Strings.packed(*self.packed())

    def packed(self, start: Start | None = None) -> Packed:
        """The strings' forms as arrays (what :meth:`Strings.packed` reads): 7 forms, the
        stems' keys, the vowel skeletons and the abjad skeletons' other readings as (bytes,
        offsets) pairs; where each string's stems begin, what each stem's ending takes off;
        each string's flags; each string's number written once (-1: none), those strings
        after the vocabulary's. Arrays, so an index persisted (``match/persist.py``) maps
        them from its files instead of computing every word's forms again. ``start``: the
        second half's forms made meanwhile by that (another process), the same arrays."""
        texts = self.texts
        half = len(texts) // 2 if start is not None else len(texts)
        rest = start(partial(_Part, texts[half:])) \
            if start is not None and half < len(texts) else None
        try:
            parts = [_Part(texts[:half])]
        except BaseException:
            if rest is not None:
                rest.abandon()
            raise
        if rest is not None:
            parts.append(rest.result())
        return _joined(parts, len(texts))


class Elsewhere(Protocol):
    """Work under way elsewhere (``matcher._Apart``): its result, or the work abandoned."""

    def result(self) -> Any: ...

    def abandon(self) -> None: ...


Start = Callable[[Callable[[], "_Part"]], Elsewhere]
_COLUMNS = 10  # the columns of bytes: 7 forms, stem keys, vowel skeletons, other readings


class _Columns:
    """Strings' own forms (:func:`_own`) as the columns :meth:`_Vocabulary.packed` joins:
    each column's bytes end to end and each value's length; stem cuts and counts; flags."""

    def __init__(self, rows: Sequence[_Own]) -> None:
        cols: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [()] * 11
        stems: Sequence[tuple[tuple[int, bytes], ...]] = cols[5]
        keys = [key for found in stems for _, key in found]
        values = (*cols[:5], cols[7], cols[8], keys, cols[9], cols[10])
        self.blobs = [b"".join(column) for column in values]
        self.lengths = [np.fromiter(map(len, column), np.int64, len(column))
                        for column in values]
        self.stem_cuts = np.array([cut for found in stems for cut, _ in found], np.int64)
        self.stem_counts = np.fromiter(map(len, stems), np.int64, len(stems))
        self.flags = np.array(cols[6], np.uint8)


class _Part:
    """Some of a vocabulary's strings, their forms packed: their own, those written once
    (for the strings that have them, in order), and which strings have them."""

    def __init__(self, texts: Sequence[str]) -> None:
        # kept here, not in the caches
        others = abjad_other_skeletons.__wrapped__
        forms = [_forms(text, True, _UNCACHED, others) for text in texts]
        self.own = _Columns([form[:11] for form in forms])
        once = [form[11] for form in forms]
        self.once = _Columns([own for own in once if own is not None])
        self.has_once = np.fromiter((own is not None for own in once), np.bool_, len(once))


def _joined(parts: Sequence[_Part], count: int) -> Packed:
    """The parts' columns end to end, every part's own strings first, then every part's
    strings written once (numbered from ``count``, the vocabulary's size)."""
    columns = [*(part.own for part in parts), *(part.once for part in parts)]
    has_once = np.concatenate([part.has_once for part in parts]) if parts \
        else np.zeros(0, np.bool_)
    once = np.full(count + int(has_once.sum()), -1, np.int64)
    once[:count][has_once] = np.arange(count, len(once), dtype=np.int64)
    return (tuple((np.frombuffer(b"".join(c.blobs[k] for c in columns), np.uint8),
                   _lengths_offsets([c.lengths[k] for c in columns]))
                  for k in range(_COLUMNS)),
            _lengths_offsets([c.stem_counts for c in columns]),
            np.concatenate([c.stem_cuts for c in columns]),
            np.concatenate([c.flags for c in columns]), once)


def _lengths_offsets(lengths: Sequence[_Ints]) -> _Ints:
    """Where each value begins, and the end, of values of these lengths end to end."""
    joined = np.concatenate(lengths)
    out = np.zeros(len(joined) + 1, np.int64)
    np.cumsum(joined, out=out[1:])
    return out


class NameTables:
    """Every indexed name as the kernel reads it: its tokens (ids into a vocabulary of
    words) with kinds, weights and unmatched-kind weights; its runs of tokens (ids into a
    vocabulary of runs, where they start, how many tokens they join); the runs of its words
    an acronym may spell; its lineages, total weight, legal-form families and flags. Built
    once per index; picklable (the kernel is made again where it is unpickled)."""

    def __init__(self, names: Sequence[PreparedName]) -> None:
        self.names = names
        # the keys the index posts list words under (the matcher's NameIndex.key_ids, set
        # where it is made or loaded): which readings with two letters swapped back a query
        # word is given (:meth:`swap_readings_of`); None: every reading
        self.posted: Container[str] | None = None
        self.words = _Vocabulary()
        self.runs = _Vocabulary()
        self.initials = _Vocabulary()  # the initials of runs of words an acronym may spell
        self.families: dict[str, int] = {}
        self.script_sets: dict[frozenset[str], int] = {}
        # machine numbers, not lists of Python ints (36 bytes an entry, not 8: gigabytes at
        # a million entities)
        ints: dict[str, array.array[int]] = {
            k: array.array("q") for k in ("token_word", "token_source", "token_kind", "run_id",
                                          "run_start", "run_size", "acr_id", "acr_first",
                                          "acr_last", "lin_son", "lin_father")}
        token_weight: array.array[float] = array.array("d")
        counts: dict[str, array.array[int]] = {
            k: array.array("q") for k in ("token", "run", "acr", "lin")}
        legal, fallback = array.array("q"), array.array("B")
        # per name, with everything it reads bound here (a million names and more):
        # _Vocabulary.add written out
        word_id, run_id, initials_id = (v.ids.setdefault for v in (
            self.words, self.runs, self.initials))
        words, runs_met, initials_met = self.words.ids, self.runs.ids, self.initials.ids
        token_word, token_source, token_kind, run_ids, run_start, run_size, acr_id, \
            acr_first, acr_last, lin_son, lin_father = ints.values()
        token_count, run_count, acr_count, lin_count = counts.values()
        kind_code = _KIND_CODES.__getitem__
        families = self.families
        for name in names:
            tokens, kinds = name.tokens, name.kinds
            token_word.extend([word_id(t, len(words)) for t in tokens])
            token_source.extend([word_id(source, len(words)) if _one_word_form(kind, source)
                                 else -1 for kind, source in zip(kinds, name.sources,
                                                                 strict=True)]
                                if "legal" in kinds else [-1] * len(tokens))
            token_kind.extend(map(kind_code, kinds))
            token_weight.extend(name.weights)
            spans = _spans(name)
            for start, size, text in spans:
                run_ids.append(run_id(text, len(runs_met)))
                run_start.append(start)
                run_size.append(size)
            acronyms = acronym_runs(tokens, kinds)
            for initials, positions in acronyms.items():
                acr_id.append(initials_id(initials, len(initials_met)))
                acr_first.append(positions[0])
                acr_last.append(positions[-1])
            found = lineages(name)
            for son, father in found:
                lin_son.append(son)
                lin_father.append(father)
            token_count.append(len(tokens))
            run_count.append(len(spans))
            acr_count.append(len(acronyms))
            lin_count.append(len(found))
            if name.legal:
                bits = [families.setdefault(f, len(families)) for f in sorted(name.legal)]
                legal.append(sum(1 << b for b in bits if b < _MAX_FAMILIES))
                fallback.append(len(tokens) > _MAX_TOKENS or any(b >= _MAX_FAMILIES
                                                                 for b in bits))
            else:
                legal.append(0)
                fallback.append(len(tokens) > _MAX_TOKENS)
        count = len(names)
        columns: dict[str, npt.NDArray[Any]] = {
            **{k: _numbers(v, np.int8 if k == "token_kind" else np.int64)
               for k, v in ints.items()},
            "token_weight": _numbers(token_weight, np.float64),
            **{f"{k}_at": _offsets(v) for k, v in counts.items()},
            "totals": np.fromiter((n.total for n in names), np.float64, count),
            "lineage": np.fromiter((has_lineage(n) for n in names), np.uint8, count),
            "legal": _numbers(legal, np.int64),
            "org": np.fromiter((n.org for n in names), np.uint8, count),
            "abjad": np.fromiter((n.abjad for n in names), np.uint8, count),
            "syllabic": np.fromiter((_SYLLABIC[n.syllabic] for n in names), np.uint8, count),
            "script_set": np.fromiter((self.script_set(n.original) for n in names), np.int64,
                                      count),
            "fallback": _numbers(fallback, np.uint8),
            "length": np.fromiter((len(n.original) for n in names), np.int64, count)}
        records, record_at = name_records(columns)
        # (the kernel reads a name's record; syllabic stays a column of its own for
        # _syllables_listed's one look over every name)
        self.arrays: dict[str, npt.NDArray[np.generic]] = {
            "records": records, "record_at": record_at, "syllabic": columns["syllabic"]}
        self.unlowered = np.zeros(len(names), np.float64)
        # the query names made lately, by the prepared name's id (kept with it, so the id
        # stays its own): screening repeats names (as Matcher.prepare's cache knows)
        self._queries: dict[tuple[int, bool], tuple[PreparedName, QueryName]] = {}
        # the words' and runs' tables of strings (string_table's blocks; kept when pickled,
        # so an index persisted maps them from its files: one copy for every process)
        self.packed: tuple[_Bytes, _Bytes] | None = None
        self._kernel: Kernel | None = None

    def kernel(self) -> Kernel:
        """The tables as the kernel reads them (made on first use, not pickled; the tables
        of strings it reads are kept, so it is made again at once where it is unpickled,
        reading them where they lie)."""
        if self._kernel is None:
            words, runs = self.pack()
            self._kernel = Kernel(Strings.table(words), Strings.table(runs), self.arrays)
        return self._kernel

    def pack(self, start: Start | None = None) -> tuple[_Bytes, _Bytes]:
        """The words' and runs' tables of strings (made once, from their forms packed: half
        of each made by ``start`` meanwhile, if given: :meth:`_Vocabulary.packed`); the
        runs' texts, read no more, let go (as when pickled)."""
        if self.packed is None:
            self.packed = (string_table(*self.words.packed(start)),
                           string_table(*self.runs.packed(start)))
            self.runs = _Vocabulary()
        return self.packed

    def __getstate__(self) -> dict[str, object]:
        state = {**self.__dict__, "_kernel": None, "_queries": {}, "posted": None}
        if self.packed is not None:
            # the kernel is made again from the packed forms: the runs' vocabulary is not
            # read again (the words' and initials' ids are)
            state["runs"] = _Vocabulary()
        return state

    def script_set(self, original: str, add: bool = True) -> int:
        """A number for the scripts a name is written in when one is syllabic (0 else):
        two names with the same number are compared character by character
        (``score._same_script_cap``), which the kernel leaves to Python. Unknown sets not
        added: -1."""
        if original.isascii():
            return 0
        scripts = scripts_of(original)
        if not scripts & SYLLABIC_SCRIPTS:
            return 0
        if not add:
            return self.script_sets.get(scripts, -1)
        return self.script_sets.setdefault(scripts, len(self.script_sets) + 1)

    def legal_mask(self, families: frozenset[str]) -> int:
        """The bits of legal-form families as the tables set them (unknown ones: none)."""
        return sum(1 << b for f in families
                   if (b := self.families.get(f, _MAX_FAMILIES)) < _MAX_FAMILIES)

    def query(self, q: PreparedName, syllables: bool = True) -> QueryName:
        """The query name as the kernel reads it: its tokens' and runs' forms, word ids and
        everything name_score reads of it (made once for the names met lately).
        ``syllables``: its strings carry their syllable keys (always for a name in
        syllables), which the kernel reads only against names written in syllables: a
        romanised query's are made (Chinese and Korean keys of every word and pair of
        words) only when such a name is among its candidates."""
        syllables = bool(q.syllabic) or syllables
        cache = self._queries
        found = cache.get((id(q), syllables))
        if found is not None and found[0] is q:
            return found[1]
        if len(cache) >= _QUERIES:
            cache.clear()
        made = self._query(q, syllables)
        cache[id(q), syllables] = (q, made)
        return made

    def swap_readings_of(self, token: str) -> tuple[str, ...]:
        """The readings of query word ``token`` with two letters swapped back that both
        paths compare (score.name_score's ``reads``; the kernel's by :func:`_swaps`)."""
        return _readings(token, self.words.ids.get(token, -1), self.posted)

    def syllabic_among(self, positions: list[int]) -> bool:
        """Whether a name at ``positions`` is written in Chinese characters or Hangul."""
        if not self._syllables_listed():
            return False
        return self.kernel().syllabic_among(positions)

    def _query(self, q: PreparedName, syllables: bool) -> QueryName:
        runs = _spans(q)
        n = len(q.tokens)
        words = self.words.ids
        ids, sources, kinds, spell, spans, equivalent = query_lists(
            q.tokens, q.kinds, q.sources, runs, words, self.initials.ids, _KIND_CODES,
            None if q.org or q.syllabic else equivalents, given_names().groups)
        # (the runs an acronym may spell: align.acronym_runs' as the kernel reads them)
        acronyms = acronym_ids(q.tokens, q.kinds, words, *_ACRONYM_RULES)
        if not (q.org or q.syllabic) and opening_given(q.kinds, q.sources, q.original):
            # its first word, a particle, read as a short given name (Ben: Benjamin): the
            # list names with a full form are Python's too (score.given_names_of)
            equivalent = [*equivalent, *((0, found) for word in equivalents(q.sources[0])
                                         if (found := self.words.ids.get(word, -1)) >= 0)]
        forms = [string_forms(t, syllables) for t in q.tokens]
        if runs:
            forms += [string_forms(text, syllables) for _, _, text in runs]
        readings, swaps = _swaps(q.tokens, ids, len(forms), self.posted)
        if readings:  # never compared as syllables (align reads swaps in Latin names only)
            forms += [string_forms(t, False) for t in readings]
        truncatable = may_be_truncated(q)
        cut_at = -1
        if truncatable and n and (cut := cut_text(q.tokens, q.kinds, q.sources)) != q.tokens[-1]:
            cut_at = len(forms)  # a particle as written (align reads it so)
            forms.append(string_forms(cut, syllables))
        for i, (kind, source) in enumerate(zip(q.kinds, q.sources, strict=True)
                                           if "legal" in q.kinds else ()):
            if sources[i] < 0 and _one_word_form(kind, source):
                # a form's word no list name writes: its string the query's own, for the
                # kernel's slip test (align._form_slip; -2 - its number, never a word id)
                sources[i] = _OWN_SOURCE - len(forms)
                forms.append(string_forms(source, syllables))
        strings = Strings(forms, False)
        families = [self.families.get(f, _MAX_FAMILIES) for f in q.legal] if q.legal else []
        lineage = has_lineage(q)  # (none: no "X bin Y" to look for, most names)
        return QueryName(
            strings, ids, sources, kinds, q.weights, spans, spell, acronyms,
            lineages(q) if lineage else [], lineage, q.total,
            self.legal_mask(q.legal) if q.legal else 0, bool(q.legal),
            q.org, q.abjad, _SYLLABIC[q.syllabic], self.script_set(q.original, add=False),
            any(f >= _MAX_FAMILIES for f in families), _CUTS, truncatable,
            len(q.original), equivalent, syllables, None,
            read_without_vowels(q), swaps, restored_vowelless(q.original, q.tokens),
            cut_at, letters_as_skeletons(q.original),
            partial(_shifted_forms, q.tokens, runs, syllables) if runs else None,
            vowel_opened_words(q) if q.abjad else 0,
            place_words(q) if q.org and max(spell, default=-1) >= 0 else 0,
            not q.original.isascii() and transcribed(q.original))

    def _syllables_listed(self) -> bool:
        """Whether any name here is written in Chinese characters or Hangul (known once)."""
        found = self.__dict__.get("_listed_syllables")
        if found is None:
            found = self._listed_syllables = bool(np.any(self.arrays["syllabic"]))
        return bool(found)


_Lists = tuple[list[int], list[int], list[int], list[int], list[tuple[int, int, int]],
               list[tuple[int, int]]]


def reference_lists(tokens: tuple[str, ...], kinds: tuple[str, ...], sources: tuple[str, ...],
                    spans: Sequence[Span], words: dict[str, int], initials: dict[str, int],
                    codes: dict[str, int], given: Callable[[str], tuple[str, ...]] | None,
                    ) -> _Lists:
    """What the kernel reads of a query name's words (the compiled ``query_lists`` makes
    the same in one call: ``tests/match/test_prune.py``): per token its word id (-1 - its
    place: no list word), the word a legal form was written as (:func:`_one_word_form`),
    its kind's code, its id among the initials an acronym may spell; per run its string
    (after the tokens), start and size; (query token, list word id) of every list word
    that is one given name with a query name token (``given``: text.given_names'
    equivalents, a nickname, the name in another language; None for an organisation or
    a name in syllables): the kernel counts them pairable in its bound and leaves their
    names to Python, whose rule (align) reads where each name writes its given names."""
    n = len(tokens)
    return ([words.get(t, -1 - i) for i, t in enumerate(tokens)],
            [words.get(source, -1) if _one_word_form(kind, source) else -1
             for kind, source in zip(kinds, sources, strict=True)],
            [codes[k] for k in kinds], [initials.get(t, -1) for t in tokens],
            [(n + r, start, size) for r, (start, size, _) in enumerate(spans)],
            [] if given is None else [
                (i, found) for i, (t, k) in enumerate(zip(tokens, kinds, strict=True))
                if k == "name" for other in given(t) if (found := words.get(other, -1)) >= 0])


def _shifted_forms(tokens: Sequence[str], runs: Sequence[Span], syllables: bool,
                   ) -> tuple[list[tuple[int, int, int, int]], list[Forms]]:
    """A query's runs' words with the space one letter off (:func:`_shifts`) and their
    strings' forms (:func:`string_forms`), made only when the kernel's align first
    compares them (QueryName's shift_forms; most queries never do, and each is a string met
    for the first time)."""
    texts, rows = _shifts(tokens, runs, 0)
    return rows, [string_forms(text, syllables) for text in texts]


def _shifts(tokens: Sequence[str], runs: Sequence[Span], first: int,
            ) -> tuple[list[str], list[tuple[int, int, int, int]]]:
    """The words of each run of two tokens with the space one letter left, then right
    (:func:`~discreet.match.align.shifted_words`, which align's regrouped rule compares),
    as strings numbered from ``first``; per run, the four strings' numbers (-1: none)."""
    texts: list[str] = []
    rows: list[tuple[int, int, int, int]] = []
    for start, size, _ in runs:
        if size != 2:
            rows.append(_NO_SHIFT)
            continue
        left, right = shifted_words(tokens[start], tokens[start + 1])
        at = first + len(texts)
        if left is not None:
            texts += left
            row = (at, at + 1)
            at += 2
        else:
            row = (-1, -1)
        if right is not None:
            texts += right
            rows.append((*row, at, at + 1))
        else:
            rows.append((*row, -1, -1))
    return texts, rows


_NO_SHIFT = (-1, -1, -1, -1)  # a run of three words: no shifted space read


def _swaps(tokens: Sequence[str], ids: Sequence[int], first: int,
           posted: Container[str] | None) -> tuple[list[str], list[tuple[int, int]]]:
    """Each token's readings with two letters swapped back (:func:`_readings`; align's
    singles compare them through similarity.swapped_variant), as strings numbered from
    ``first``; per token, the number of its first reading and how many it has (none at
    all when no token has a reading: the kernel reads none)."""
    texts: list[str] = []
    rows: list[tuple[int, int]] = []
    if not ids or min(ids) >= 0:  # every word one the lists write (most queries)
        return texts, rows
    for k, word in enumerate(ids):
        if word >= 0:  # a word the lists write (most query words): no readings (_readings)
            continue
        readings = swap_readings(tokens[k]) if posted is None \
            else posted_readings(tokens[k], posted)
        if readings:
            if not rows:
                rows = [(first, 0)] * len(ids)
            rows[k] = (first + len(texts), len(readings))
            texts += readings
    return texts, rows


def _readings(token: str, word: int, posted: Container[str] | None) -> tuple[str, ...]:
    """A query token's readings with two letters swapped back: none for a word a list name
    writes (its word number ``word`` 0 or more: that name, not a slip); else those some list
    word shares a key with, when the index's ``posted`` keys are known
    (swaps.posted_readings), or all of them (similarity.swap_readings)."""
    if word >= 0:
        return ()
    return swap_readings(token) if posted is None else posted_readings(token, posted)


class CandidateScores:
    """One query name's candidates: the bound of each (:attr:`loose`) and, for those whose
    bound reaches their floor, the exact name score (:meth:`score`). :attr:`marked` holds,
    by candidate, what the kernel's pass left: the score it made, -1 for a candidate below
    its floor, NaN for one Python scores (read in place by ``Matcher.match``, which calls
    :meth:`score` only where no score is there yet)."""

    def __init__(self, tables: NameTables, q: PreparedName, positions: Sequence[int],
                 floor: float = -math.inf, lowered: _Floats | None = None) -> None:
        """``floor``: score (in the kernel's pass) the candidates whose bound, lowered by
        their entry in ``lowered`` (per list name; none by default), reaches it."""
        self.tables = tables
        self.q = q
        self.positions = list(positions)
        self._python: dict[int, NameScore] = {}  # the pairs Python scored, by candidate
        self._listed: dict[int, PreparedName] = {}  # ... and their list names, decoded
        # the kernel's alignments made, by the first candidate of a name read alike
        self._aligned: dict[int, NameScore] = {}
        # the pass's alignments of what it scored: a result's explanation reads its own
        self._kept = kept = Kept()
        kernel = tables.kernel()
        lowering = tables.unlowered if lowered is None else lowered
        # the query's strings without their syllable keys unless a candidate is written in
        # syllables (the pass tells: None), as NameTables.query makes them
        self._query = tables.query(q, False)
        found = kernel.evaluate(self._query, self.positions, floor, lowering, kept, True)
        if found is None:
            self._query = tables.query(q, True)
            found = kernel.evaluate(self._query, self.positions, floor, lowering, kept)
        self.loose, self.marked, self._twins = found

    def score(self, k: int) -> float:
        """The name score of candidate ``k`` (an index into ``positions``): the kernel's,
        or Python's where the kernel leaves it (two names in the same syllabic scripts, a
        name in Chinese or Korean characters against a query that is not, names of more
        than 64 words)."""
        found = self.marked[k]
        if found < 0.0:  # below its floor: not scored yet
            found = float(self.tables.kernel().score(self._query, self.positions[k]))
            self.marked[k] = found
        if math.isnan(found):
            listed = self._listed[k] = self.tables.names[self.positions[k]]
            scored = self._python[k] = self._scored_twin(k, listed) or name_score(
                self.q, listed, self.tables.swap_readings_of)
            found = self.marked[k] = scored.score
        return found

    def _scored_twin(self, k: int, listed: PreparedName) -> NameScore | None:
        """Python's score of candidate ``k``'s first twin (:meth:`Kernel.evaluate`), when
        Python scored it and the two prepared names are equal (one name of several
        entities): the same score, which Python need not align again. The kernel's twins
        alone are not enough: Python reads what its tables do not hold (the characters).
        (The twin's name is the one its score decoded, not decoded again.)"""
        twin = self._twins[k]
        scored = self._python.get(twin) if twin != k else None
        if scored is None or self._listed[twin] != listed:
            return None
        return scored

    def name_score(self, k: int) -> NameScore:
        """:func:`~discreet.match.score.name_score` of candidate ``k``, for its explanation
        (from the kernel where it scores the pair; made once for the names read alike, as
        one list name of several entities)."""
        twin = self._twins[k]
        made = self._aligned.get(twin)
        if made is not None:
            return made
        # the alignment the pass made (of this candidate, or of its twin: the same name),
        # else made again (a candidate the pass did not score)
        kept = self._kept
        found = kept.explain(k)
        if found is None and twin != k:
            found = kept.explain(twin)
        if found is None:
            found = self.tables.kernel().explain(self._query, self.positions[k])
        if found is None:
            scored = self._python.get(k)
            return name_score(self.q, self.tables.names[self.positions[k]],
                              self.tables.swap_readings_of) if scored is None else scored
        made = self._aligned[twin] = explained_score(found)  # (records filled)
        return made

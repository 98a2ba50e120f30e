"""Upper bounds of name scores, so the matcher aligns only candidates that can matter.

Aligning two names (:func:`~discreet.match.score.name_score`) costs tens of microseconds;
most candidates the index proposes share a given name with the query and nothing else, and
score far below any threshold. :class:`QueryBound` prepares, once per query name, which list
tokens among all the candidates' could pair with each query token at all, using a test that
is never stricter than :func:`~discreet.match.similarity.token_similarity` (edit similarity
of the tokens and of their phonetic keys, consonant skeletons for vowel-less tokens,
initials; in C, over the whole candidate vocabulary at once). A token of either name that
nothing on the other side can pair with, alone or as part of a run of tokens written as one,
is unmatched in every alignment. The unmatched-token terms of the score only grow with the
unmatched weight, so the score computed with just those tokens unmatched and every other
token paired at no loss is an upper bound of the real score.

Two bounds come of it: :meth:`QueryBound.loose_bound` from the edit-distance test alone
(cheap: a few dictionary look-ups per list token, for every candidate), and
:meth:`QueryBound.bound`, which keeps only the pairs align itself would accept
(token_similarity at ``MIN_SIM``, ``JOIN_MIN_SIM`` for runs), asked for the few candidates
the loose bound does not rule out. Each is an upper bound; the second is never above the
first.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from discreet.match.align import (
    ACRONYM_LENGTHS,
    JOIN_MIN_SIM,
    MIN_SIM,
    Span,
    acronym_runs,
    join_spans,
)
from discreet.match.prepare import PreparedName
from discreet.match.score import UNMATCHED_WEIGHTS, WEIGHTS, has_lineage
from discreet.match.similarity import ABJAD_SIM, token_similarity
from discreet.text.phonetic import abjad_skeleton, phonetic_key

__all__ = ["NameForms", "QueryBound", "acronym_initials", "lexicon", "name_forms",
           "word_forms"]

_VOWELS = frozenset("aeiou")
_CONTRADICTION = WEIGHTS["contradiction"]
_OMISSION = WEIGHTS["omission"]
_CONTRADICTION_ABS = WEIGHTS["contradiction_abs"]
# token_similarity's skeleton rule for vowelled tokens needs an edit similarity >= 0.6, so a
# joined pair (>= JOIN_MIN_SIM) needs at least this much edit similarity.
_JOIN_TEST = min(JOIN_MIN_SIM, 0.6)


def _spans(name: PreparedName) -> tuple[Span, ...]:
    return join_spans(name.tokens, name.kinds) if name.spans is None else name.spans


def _join_fits(token_len: int, run_len: int) -> bool:
    """The length test align applies before comparing a token with a joined run."""
    return token_len >= 4 and abs(run_len - token_len) <= max(2, token_len // 4)


@lru_cache(maxsize=256)
def _join_window(run_len: int) -> tuple[int, int]:
    """Shortest and longest token a run of ``run_len`` letters may pair with: those passing
    :func:`_join_fits`, within QueryBound's historical window (an empty one: (1, 0))."""
    fits = [n for n in range(max(4, (4 * run_len - 8) // 5), (4 * run_len + 8) // 3 + 2)
            if _join_fits(n, run_len)]
    return (fits[0], fits[-1]) if fits else (1, 0)


Forms = tuple[str, str, bool]  # phonetic key, abjad skeleton, vowel-less or one letter
NameForms = tuple[dict[str, Forms], dict[str, Forms]]  # of the tokens, of the runs


def word_forms(word: str) -> Forms:
    """The phonetic key and abjad skeleton of a token (or of tokens joined)."""
    return phonetic_key(word), abjad_skeleton(word), len(word) == 1 or _VOWELS.isdisjoint(word)


def name_forms(name: PreparedName) -> NameForms:
    """:func:`word_forms` of a name's tokens and of its runs of tokens (shortest first, so
    that the runs of a length window are a prefix of them), computed once."""
    runs = sorted({text for _, _, text in _spans(name)}, key=len)
    return {t: word_forms(t) for t in name.tokens}, {text: word_forms(text) for text in runs}


_NO_INITIALS: frozenset[str] = frozenset()


def lexicon(names: Sequence[PreparedName]) -> dict[str, Forms]:
    """:func:`word_forms` of every token and run of tokens of the names, by the word: what
    :class:`QueryBound` needs of any set of candidates among them, built once."""
    found: dict[str, Forms] = {}
    for name in names:
        for word in (*name.tokens, *(text for _, _, text in _spans(name))):
            if word not in found:
                found[word] = word_forms(word)
    return found


def acronym_initials(name: PreparedName) -> frozenset[str]:
    """The initials of the runs of the name's words an acronym may spell."""
    runs = _acronyms(name)
    return frozenset(runs) if runs else _NO_INITIALS


class _Vocabulary:
    """Distinct strings, shortest first, with their phonetic keys and consonant skeletons."""

    def __init__(self, forms: dict[str, Forms]) -> None:
        self.words = sorted(forms, key=len)
        self.lengths = list(map(len, self.words))
        found = list(map(forms.__getitem__, self.words))
        self.keys = [f[0] for f in found]
        self.skeletons = [f[1] for f in found]
        self.odd = [i for i, f in enumerate(found) if f[2]]

    def similar(self, token: str, cut: float, shortest: int = 0,
                longest: int = 1 << 30) -> set[str]:
        """Every word (of ``shortest`` to ``longest`` letters) whose token_similarity with
        ``token`` may reach ``cut``: a superset, never missing one."""
        lo = bisect_left(self.lengths, shortest)
        hi = bisect_right(self.lengths, longest)
        if lo >= hi:
            return set()
        whole = lo == 0 and hi == len(self.words)
        words = self.words if whole else self.words[lo:hi]
        if len(token) == 1:
            return {w for w in words if w[0] == token[0]}
        found = {w for w, _, _ in process.extract(token, words, scorer=OSA.normalized_similarity,
                                                  score_cutoff=cut, limit=None)}
        found.update(words[i] for _, _, i in process.extract(
            phonetic_key(token), self.keys if whole else self.keys[lo:hi],
            scorer=OSA.normalized_similarity, score_cutoff=cut, limit=None))
        odd = self.odd[bisect_left(self.odd, lo):bisect_left(self.odd, hi)]
        vowelless = _VOWELS.isdisjoint(token)
        if not (vowelless or odd):
            return found
        skel = abjad_skeleton(token)
        skel_cut = cut / ABJAD_SIM
        if vowelless:
            found.update(words[i] for _, _, i in process.extract(
                skel, self.skeletons if whole else self.skeletons[lo:hi],
                scorer=Levenshtein.normalized_similarity, score_cutoff=skel_cut, limit=None))
        for i in odd:
            word = self.words[i]
            if len(word) == 1:
                if word == token[0]:
                    found.add(word)
            elif (not vowelless and Levenshtein.normalized_similarity(
                    skel, self.skeletons[i]) >= skel_cut):
                found.add(word)
        return found


def _acronyms(name: PreparedName) -> dict[str, tuple[int, ...]]:
    """:func:`~discreet.match.align.acronym_runs` of a name, cached (none below 3 words)."""
    if len(name.tokens) < min(ACRONYM_LENGTHS):
        return {}
    return _cached_acronyms(name.tokens, name.kinds)


@lru_cache(maxsize=65536)
def _cached_acronyms(tokens: tuple[str, ...], kinds: tuple[str, ...]
                     ) -> dict[str, tuple[int, ...]]:
    return acronym_runs(tokens, kinds)


class QueryBound:
    """Per query name: upper bounds of its name score against any of the candidates.

    Built once per query name: which of the candidates' tokens each query token may pair
    with, alone or within a run of query tokens written as one, and which runs of the
    candidates' tokens it may pair with, as bits per list token and per run (bit i: query
    token i), so that a bound costs a few dictionary look-ups per list token.
    """

    def __init__(self, q: PreparedName, candidates: Sequence[PreparedName],
                 forms: Sequence[NameForms] | None = None, *,
                 words: dict[str, Forms] | None = None,
                 initials: Sequence[frozenset[str]] | None = None) -> None:
        """``forms``: :func:`name_forms` of each candidate, or ``words``: a :func:`lexicon`
        of them, if precomputed; ``initials``: :func:`acronym_initials` of each candidate."""
        self.q = q
        if words is None and forms is None:
            forms = [name_forms(n) for n in candidates]
        tokens: dict[str, Forms] = {}
        if forms is not None:
            for token_forms, _ in forms:
                tokens.update(token_forms)
        else:
            assert words is not None
            for name in candidates:
                for t in name.tokens:
                    tokens[t] = words[t]
        # each candidate's acronym initials (given, or once asked for), by identity (the
        # list of candidates keeps them alive)
        self._candidates = candidates
        self._initials: dict[int, frozenset[str]] = {} if initials is None else {
            id(name): found for name, found in zip(candidates, initials, strict=True)}
        vocab = _Vocabulary(tokens)
        # pairs that may reach the similarity align needs, by the edit-distance tests above
        # (in C, over the whole vocabulary at once): list token -> query tokens (bit i:
        # token i), list token -> runs of query tokens, run of list tokens -> query tokens
        singles: dict[str, int] = {}
        for i, token in enumerate(q.tokens):
            bit = 1 << i
            for word in vocab.similar(token, MIN_SIM):
                singles[word] = singles.get(word, 0) | bit
        in_runs: list[tuple[str, int, str]] = []
        for start, size, text in _spans(q):
            # a token of n >= 4 letters takes runs of n - max(2, n // 4) to n + max(2, n // 4)
            shortest, longest = _join_window(len(text))
            window = vocab.similar(text, _JOIN_TEST, shortest, longest)
            bits = ((1 << size) - 1) << start
            in_runs.extend((word, bits, text) for word in window
                           if _join_fits(len(word), len(text)))
        joins: dict[str, int] = {}
        windows = [(i, len(t) - max(2, len(t) // 4), len(t) + max(2, len(t) // 4))
                   for i, t in enumerate(q.tokens) if len(t) >= 4]
        if windows:
            lo = min(w[1] for w in windows)
            hi = max(w[2] for w in windows)
            runs: dict[str, Forms] = {}
            if forms is not None:
                for _, run_forms in forms:
                    for text, found in run_forms.items():  # shortest first
                        if len(text) > hi:
                            break
                        if len(text) >= lo:
                            runs[text] = found
            else:
                assert words is not None
                for name in candidates:
                    for _, _, text in _spans(name):
                        if lo <= len(text) <= hi:
                            runs[text] = words[text]
            if runs:
                run_vocab = _Vocabulary(runs)
                for i, shortest, longest in windows:
                    bit = 1 << i
                    for text in run_vocab.similar(q.tokens[i], _JOIN_TEST, shortest, longest):
                        joins[text] = joins.get(text, 0) | bit
        # the loose test's bits, and (filled as asked for) those that align's own test
        # (token_similarity) confirms, for either way of comparing (abjad script or not)
        self.loose = dict(singles)
        self.in_runs: dict[str, list[tuple[int, str]]] = {}
        for word, bits, text in in_runs:
            self.loose[word] = self.loose.get(word, 0) | bits
            self.in_runs.setdefault(word, []).append((bits, text))
        self.singles = singles
        self.joins = joins
        self._tight: dict[bool, tuple[dict[str, int], dict[str, int]]] = {}
        # unmatched query weight and kind weight, by the bits of the query tokens matched
        self._left: dict[int, tuple[float, float]] = {}
        # an organisation's acronym pairs with a run of words (align._acronyms): such
        # candidates are not bounded at all; the lineage rule discounts some omissions
        self.acronyms = frozenset(t for t in q.tokens if len(t) in ACRONYM_LENGTHS)
        self.spelled = frozenset(_acronyms(q))
        self.lineage = has_lineage(q)

    def _spelled_by(self, listed: PreparedName) -> frozenset[str]:
        """The initials of the runs of a candidate's words an acronym may spell, once."""
        found = self._initials.get(id(listed))
        if found is None:
            found = self._initials[id(listed)] = acronym_initials(listed)
        return found

    def _left_q(self, matched: int) -> tuple[float, float]:
        """Weight and kind weight of the query tokens whose bit is not in ``matched``."""
        found = self._left.get(matched)
        if found is None:
            q = self.q
            left = kinds = 0.0
            for i, weight in enumerate(q.weights):
                if not matched >> i & 1:
                    left += weight
                    kinds += UNMATCHED_WEIGHTS[q.kinds[i]]
            found = self._left[matched] = (left, kinds)
        return found

    def loose_bound(self, listed: PreparedName) -> float:
        """An upper bound of ``name_score(q, listed).score``, never below :meth:`bound`:
        from the edit-distance tests alone, cheap enough for every candidate."""
        return self._bound(listed, self.loose.get, self.joins.get if self.joins else None)

    def bound(self, listed: PreparedName) -> float:
        """An upper bound of ``name_score(q, listed).score`` for one of the candidates."""
        abjad = self.q.abjad or listed.abjad
        tight = self._tight.get(abjad)
        if tight is None:
            tight = self._tight[abjad] = ({}, {})
        words, runs = tight

        def word_bits(word: str) -> int:
            found = words.get(word)
            if found is None:
                found = words[word] = self._confirm(word, abjad)
            return found

        def run_bits(text: str) -> int:
            found = runs.get(text)
            if found is None:
                found = runs[text] = _confirmed(self.q.tokens, self.joins.get(text, 0), text,
                                                abjad, JOIN_MIN_SIM)
            return found

        return self._bound(listed, word_bits, run_bits if self.joins else None)

    def _confirm(self, word: str, abjad: bool) -> int:
        """The query tokens (bits) a list token pairs with in align: alone at ``MIN_SIM``, or
        as a run of query tokens joined at ``JOIN_MIN_SIM``."""
        bits = _confirmed(self.q.tokens, self.singles.get(word, 0), word, abjad, MIN_SIM)
        for run, text in self.in_runs.get(word, ()):
            if token_similarity(word, text, abjad)[0] >= JOIN_MIN_SIM:
                bits |= run
        return bits

    def _bound(self, listed: PreparedName, word_bits: Callable[[str], int | None],
               run_bits: Callable[[str], int | None] | None) -> float:
        """The bound, given which query tokens (bits) each list token and each run of list
        tokens may pair with."""
        q = self.q
        if (q.org or listed.org) and (not self.spelled.isdisjoint(listed.tokens) or (
                not self.acronyms.isdisjoint(self._spelled_by(listed)))):
            return 1.0
        matched = 0
        joined: set[int] = set()
        if run_bits is not None:
            for start, size, text in _spans(listed):
                bits = run_bits(text)
                if bits:
                    matched |= bits
                    joined.update(range(start, start + size))
        left_l = kinds_l = 0.0
        for j, token in enumerate(listed.tokens):
            bits = word_bits(token)
            if bits:
                matched |= bits
            elif j not in joined:
                left_l += listed.weights[j]
                kinds_l += UNMATCHED_WEIGHTS[listed.kinds[j]]
        left_q, kinds_q = self._left_q(matched)
        total = max(q.total, listed.total, 1e-9)
        # ancestors left out of a lineage are discounted omissions: assume the least
        omission = 0.0 if self.lineage and has_lineage(listed) else abs(left_q - left_l)
        raw = 1.0 - (_CONTRADICTION * min(left_q, left_l) + _OMISSION * omission) / total
        raw -= _CONTRADICTION_ABS * min(kinds_q, kinds_l)
        if q.legal and listed.legal and not q.legal & listed.legal:
            raw -= WEIGHTS["legal_conflict"]
        return max(0.0, min(1.0, raw))


def _confirmed(tokens: Sequence[str], bits: int, other: str, abjad: bool, cut: float) -> int:
    """Of the query tokens in ``bits``, those whose token_similarity with ``other`` reaches
    ``cut`` (what align requires of a pair)."""
    kept = 0
    i = 0
    while bits >> i:
        if bits >> i & 1 and token_similarity(tokens[i], other, abjad)[0] >= cut:
            kept |= 1 << i
        i += 1
    return kept

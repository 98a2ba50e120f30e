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
token paired at no loss is an upper bound of the real score (:meth:`QueryBound.bound`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from discreet.match.align import JOIN_MIN_SIM, MIN_SIM, Span, join_spans
from discreet.match.prepare import PreparedName
from discreet.match.score import UNMATCHED_WEIGHTS, WEIGHTS
from discreet.match.similarity import ABJAD_SIM
from discreet.text.phonetic import abjad_skeleton, phonetic_key

__all__ = ["NameForms", "QueryBound", "name_forms", "word_forms"]

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


Forms = tuple[str, str, bool]  # phonetic key, abjad skeleton, vowel-less or one letter
NameForms = tuple[dict[str, Forms], dict[str, Forms]]  # of the tokens, of the runs


def word_forms(word: str) -> Forms:
    """The phonetic key and abjad skeleton of a token (or of tokens joined)."""
    return phonetic_key(word), abjad_skeleton(word), len(word) == 1 or _VOWELS.isdisjoint(word)


def name_forms(name: PreparedName) -> NameForms:
    """:func:`word_forms` of a name's tokens and of its runs of tokens, computed once."""
    return ({t: word_forms(t) for t in name.tokens},
            {text: word_forms(text) for _, _, text in _spans(name)})


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
        words = self.words[lo:hi]
        if len(token) == 1:
            return {w for w in words if w[0] == token[0]}
        found = {w for w, _, _ in process.extract(token, words, scorer=OSA.normalized_similarity,
                                                  score_cutoff=cut, limit=None)}
        found.update(words[i] for _, _, i in process.extract(
            phonetic_key(token), self.keys[lo:hi], scorer=OSA.normalized_similarity,
            score_cutoff=cut, limit=None))
        skel = abjad_skeleton(token)
        skel_cut = cut / ABJAD_SIM
        vowelless = _VOWELS.isdisjoint(token)
        if vowelless:
            found.update(words[i] for _, _, i in process.extract(
                skel, self.skeletons[lo:hi], scorer=Levenshtein.normalized_similarity,
                score_cutoff=skel_cut, limit=None))
        for i in self.odd:
            if lo <= i < hi:
                word = self.words[i]
                if len(word) == 1:
                    if word == token[0]:
                        found.add(word)
                elif (not vowelless and Levenshtein.normalized_similarity(
                        skel, self.skeletons[i]) >= skel_cut):
                    found.add(word)
        return found


class QueryBound:
    """Per query name: upper bounds of its name score against any of the candidates."""

    def __init__(self, q: PreparedName, candidates: Sequence[PreparedName],
                 forms: Sequence[NameForms] | None = None) -> None:
        """``forms``: :func:`name_forms` of each candidate, if precomputed."""
        self.q = q
        tokens: dict[str, Forms] = {}
        runs: dict[str, Forms] = {}
        for token_forms, run_forms in forms or [name_forms(n) for n in candidates]:
            tokens.update(token_forms)
            runs.update(run_forms)
        vocab = _Vocabulary(tokens)
        run_vocab = _Vocabulary(runs)
        # per query token: the list tokens, and the runs of list tokens, it may pair with
        self.similar: list[frozenset[str]] = []
        self.joins: list[frozenset[str]] = []
        for token in q.tokens:
            self.similar.append(frozenset(vocab.similar(token, MIN_SIM)))
            size = len(token)
            slack = max(2, size // 4)
            self.joins.append(frozenset(run_vocab.similar(
                token, _JOIN_TEST, size - slack, size + slack) if size >= 4 else ()))
        # per query token: list tokens that may pair with a run of query tokens containing it
        self.in_run: list[frozenset[str]] = [frozenset() for _ in q.tokens]
        for start, size, text in _spans(q):
            # a token of n >= 4 letters takes runs of n - max(2, n // 4) to n + max(2, n // 4)
            window = vocab.similar(text, _JOIN_TEST, max(4, (4 * len(text) - 8) // 5),
                                   (4 * len(text) + 8) // 3 + 1)
            fits = {t for t in window if _join_fits(len(t), len(text))}
            for i in range(start, start + size):
                self.in_run[i] |= fits
        # per query token: what it may pair with, runs it may pair with, its two weights
        self.terms = [(self.similar[i] | self.in_run[i], self.joins[i], q.weights[i],
                       UNMATCHED_WEIGHTS[q.kinds[i]]) for i in range(len(q.tokens))]
        self.any_similar = frozenset().union(*self.similar, *self.in_run)
        self.any_join = frozenset().union(*self.joins)

    def bound(self, listed: PreparedName) -> float:
        """An upper bound of ``name_score(q, listed).score`` for one of the candidates."""
        q = self.q
        lt = listed.tokens
        spans = _spans(listed) if self.any_join else ()
        left_q = kinds_q = 0.0
        for near, joins, weight, unmatched in self.terms:
            if near.isdisjoint(lt) and not (joins and any(t in joins for _, _, t in spans)):
                left_q += weight
                kinds_q += unmatched
        left_l = kinds_l = 0.0
        joined = {j for start, size, text in spans if text in self.any_join
                  for j in range(start, start + size)}
        near_any = self.any_similar
        for j, token in enumerate(lt):
            if token not in near_any and j not in joined:
                left_l += listed.weights[j]
                kinds_l += UNMATCHED_WEIGHTS[listed.kinds[j]]
        total = max(q.total, listed.total, 1e-9)
        raw = 1.0 - (_CONTRADICTION * min(left_q, left_l)
                     + _OMISSION * abs(left_q - left_l)) / total
        raw -= _CONTRADICTION_ABS * min(kinds_q, kinds_l)
        if q.legal and listed.legal and not q.legal & listed.legal:
            raw -= WEIGHTS["legal_conflict"]
        return max(0.0, min(1.0, raw))

"""Candidate generation: find fast the list names a brute-force comparison would find.

Each name token is posted under its phonetic key, its consonant skeleton and its abjad
skeleton (what an Arabic-script spelling of it would write, see :func:`abjad_keys`). A query
token looks up its own keys, keys one deletion away (typos, SymSpell style), the keys of
adjacent query tokens joined ("Patr ushev") and of a long token split in two
("VladimirPutin"). Candidates are the names sharing enough of the query's summed rarity
(IDF); they are ranked by what they share over the larger of the two names' own evidence (a
name made of just the query's words before a long name that also contains them), and capped.
Names that cannot reach the sharing floor any more are not collected at all.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from discreet.match.prepare import PreparedName
from discreet.text.phonetic import abjad_skeleton, consonants, phonetic_key

__all__ = ["RATIO", "NameIndex", "candidate_recall", "token_keys"]

_SKIP = frozenset({"title", "particle", "legal", "initial"})
_LARGE = 250  # postings longer than this only rescore candidates found by rarer keys
RATIO = 0.45  # candidates sharing less than this share of the query's evidence are dropped
_FUZZY = 0.7  # share of a key's weight credited for a one-deletion neighbour
_ABJAD = 0.7  # share of a key's weight credited for the same abjad skeleton
_TOKEN_CACHE = 16384  # query tokens whose keys are kept


_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=262144)
def token_keys(token: str) -> tuple[str, ...]:
    """Index keys of one token: phonetic key, and consonant skeleton ("c:" prefixed)."""
    key = phonetic_key(token)
    skel = consonants(token)
    return (key, "c:" + skel) if len(skel) >= 2 else (key,)


@lru_cache(maxsize=262144)
def abjad_keys(token: str, abjad: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys that bridge abjad (Arabic-script) transliterations and Latin spellings.

    Every list token is posted under its :func:`abjad_skeleton` ("a:"); a vowel-less token of
    a name written in an abjad script (``abjad``) under "A:" too. Such a token of a query looks
    up "a:", any other query token "A:". Returns (posted keys, query keys).
    """
    skel = abjad_skeleton(token)
    if len(skel) < 2 or not token.isalpha():
        return (), ()
    if abjad and _VOWELS.isdisjoint(token):
        return ("a:" + skel, "A:" + skel), ("a:" + skel,)
    return ("a:" + skel,), ("A:" + skel,)


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))} if len(key) > 3 else set()


class NameIndex:
    """Postings from keys to name positions; plain dicts and lists (picklable)."""

    def __init__(self, names: Sequence[PreparedName]) -> None:
        self.postings: dict[str, list[int]] = {}
        for pos, name in enumerate(names):
            for token, kind in zip(name.tokens, name.kinds, strict=True):
                if kind in _SKIP and len(name.tokens) > 1:
                    continue
                for key in (*token_keys(token), *abjad_keys(token, name.abjad)[0]):
                    slot = self.postings.setdefault(key, [])
                    if not slot or slot[-1] != pos:
                        slot.append(pos)
        self.neighbours: dict[str, list[str]] = {}
        for key in self.postings:
            if key[1:2] != ":":
                for d in _deletes(key):
                    self.neighbours.setdefault(d, []).append(key)
        total = max(len(names), 1)
        self.idf = {k: math.log((total + 1) / (len(v) + 0.5)) for k, v in self.postings.items()}
        self.large = {k: frozenset(v) for k, v in self.postings.items() if len(v) > _LARGE}
        # each name's own evidence: a long name sharing a query's words is a weaker candidate
        # than a name made of just those words
        self.masses = [self.mass(name) for name in names]
        # ... and as an abjad-script query meets it, by skeletons only
        self.skeleton_masses = [self.mass(name, skeletons=True) for name in names]
        self._token_cache: dict[tuple[str, bool], tuple[dict[str, float], tuple[str, ...]]] = {}

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_token_cache"] = {}  # a cache, not part of the index
        return state

    def _token(self, token: str, abjad: bool) -> tuple[dict[str, float], tuple[str, ...]]:
        """A query token's keys (:meth:`_expand`), and the keys of its halves when it reads
        as two indexed words written together ("VladimirPutin"); cached."""
        found = self._token_cache.get((token, abjad))
        if found is None:
            halves: list[str] = []
            for i in range(3, len(token) - 2):
                left, right = phonetic_key(token[:i]), phonetic_key(token[i:])
                if left in self.postings and right in self.postings:
                    halves += (left, right)
            if len(self._token_cache) >= _TOKEN_CACHE:
                self._token_cache.clear()
            found = self._token_cache[token, abjad] = (self._expand(token, abjad), tuple(halves))
        return found

    def _expand(self, token: str, abjad: bool = False) -> dict[str, float]:
        """Keys for a query token with the share of credit each earns."""
        found: dict[str, float] = {}
        for key in token_keys(token):
            if key in self.postings:
                found[key] = 1.0
        for key in abjad_keys(token, abjad)[1]:
            if key in self.postings:
                found[key] = _ABJAD
        key = phonetic_key(token)
        if abjad and _VOWELS.isdisjoint(token):
            # one deletion away from a few consonants is any other name: the skeleton keys
            # above carry the spelling variation of an abjad transliteration instead
            return found
        for probe in (key, *_deletes(key)):
            for near in self.neighbours.get(probe, ()):
                found.setdefault(near, _FUZZY)
        if key in self.neighbours or key in self.postings:
            return found
        for d in _deletes(key):
            if d in self.postings:
                found.setdefault(d, _FUZZY)
        return found

    def mass(self, name: PreparedName, skeletons: bool = False) -> float:
        """What a list name identical to the query would accumulate (keys missing: top idf).

        ``skeletons``: count every token by its abjad skeleton, as an abjad-script query
        meets the name.
        """
        top = math.log(len(self.postings) + 2)
        return sum(self._token_mass(t, name.abjad, top, skeletons) * weight
                   for t, k, weight in zip(name.tokens, name.kinds, name.weights, strict=True)
                   if k not in _SKIP or len(name.tokens) == 1)

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
                return 0.0  # one consonant or none: nothing to expect it to meet
        return max(self.idf.get(key, top) for key in token_keys(token))

    def _query_keys(self, name: PreparedName) -> dict[str, float]:
        keys: dict[str, float] = {}
        pairs = [(t, w) for t, k, w in zip(name.tokens, name.kinds, name.weights, strict=True)
                 if k not in _SKIP or len(name.tokens) == 1]
        toks = [t for t, _ in pairs]
        for token, weight in pairs:
            for key, share in self._token(token, name.abjad)[0].items():
                keys[key] = max(keys.get(key, 0.0), share * weight)
        for a, b in itertools.pairwise(toks):
            joined = phonetic_key(a + b)
            if joined in self.postings:
                keys[joined] = 1.0
            if name.abjad:  # "ولی جان" for Walijan
                for bridge in abjad_keys(a + b, True)[1]:
                    if bridge in self.postings:
                        keys.setdefault(bridge, _ABJAD)
        for token in toks:
            for half in self._token(token, name.abjad)[1]:
                keys.setdefault(half, 0.9)
        return keys

    def candidates(self, name: PreparedName, limit: int = 40, ratio: float = RATIO,
                   ) -> list[int]:
        """Positions of up to ``limit`` names sharing the most (rarity-weighted) keys.

        Names sharing less than ``ratio`` of the query's own evidence (:meth:`mass`) are dropped;
        the rest are ranked by what they share over the larger of the two names' evidence.
        """
        keys = self._query_keys(name)
        postings, idf, large = self.postings, self.idf, self.large
        ordered = sorted(keys.items(), key=lambda kv: len(postings.get(kv[0], ())))
        gains = [idf.get(key, 0.0) * share for key, share in ordered]
        own = self.mass(name)
        floor = own * ratio
        remaining = sum(gains)  # the most a name not yet seen can still gather
        acc: dict[int, float] = {}
        get = acc.get
        for (key, _), gain in zip(ordered, gains, strict=True):
            posting = postings.get(key, ())
            big = large.get(key)
            if big is not None and acc:
                for pos in acc:
                    if pos in big:
                        acc[pos] += gain
            elif remaining + 1e-9 < floor:  # new names cannot reach the floor: skip them
                for pos in posting:
                    if pos in acc:
                        acc[pos] += gain
            elif acc:
                for pos in posting:
                    acc[pos] = get(pos, 0.0) + gain
            else:
                acc = dict.fromkeys(posting, gain)
                get = acc.get
            remaining -= gain
        masses = self.skeleton_masses if name.abjad else self.masses
        kept = {pos: value / max(own, masses[pos], 1e-9) for pos, value in acc.items()
                if value >= floor}
        return heapq.nlargest(limit, kept, key=kept.__getitem__)


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

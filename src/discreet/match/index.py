"""Candidate generation: find fast the list names a brute-force comparison would find.

Each name token is posted under its phonetic key and its consonant skeleton. A query token
looks up its own keys, keys one deletion away (typos, SymSpell style), the keys of adjacent
query tokens joined ("Patr ushev") and of a long token split in two ("VladimirPutin").
Candidates are ranked by the summed rarity (IDF) of what they share, and capped.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from discreet.match.prepare import PreparedName
from discreet.text.phonetic import consonants, phonetic_key

__all__ = ["RATIO", "NameIndex", "candidate_recall", "token_keys"]

_SKIP = frozenset({"title", "particle", "legal", "initial"})
_LARGE = 250  # postings longer than this only rescore candidates found by rarer keys
RATIO = 0.45  # candidates sharing less than this share of the query's evidence are dropped
_FUZZY = 0.7  # share of a key's weight credited for a one-deletion neighbour


@lru_cache(maxsize=262144)
def token_keys(token: str) -> tuple[str, ...]:
    """Index keys of one token: phonetic key, and consonant skeleton ("c:" prefixed)."""
    key = phonetic_key(token)
    skel = consonants(token)
    return (key, "c:" + skel) if len(skel) >= 2 else (key,)


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
                for key in token_keys(token):
                    slot = self.postings.setdefault(key, [])
                    if not slot or slot[-1] != pos:
                        slot.append(pos)
        self.neighbours: dict[str, list[str]] = {}
        for key in self.postings:
            if not key.startswith("c:"):
                for d in _deletes(key):
                    self.neighbours.setdefault(d, []).append(key)
        total = max(len(names), 1)
        self.idf = {k: math.log((total + 1) / (len(v) + 0.5)) for k, v in self.postings.items()}
        self.large = {k: frozenset(v) for k, v in self.postings.items() if len(v) > _LARGE}

    def _expand(self, token: str) -> dict[str, float]:
        """Keys for a query token with the share of credit each earns."""
        found: dict[str, float] = {}
        for key in token_keys(token):
            if key in self.postings:
                found[key] = 1.0
        key = phonetic_key(token)
        for probe in (key, *_deletes(key)):
            for near in self.neighbours.get(probe, ()):
                found.setdefault(near, _FUZZY)
        if key in self.neighbours or key in self.postings:
            return found
        for d in _deletes(key):
            if d in self.postings:
                found.setdefault(d, _FUZZY)
        return found

    def mass(self, name: PreparedName) -> float:
        """What a list name identical to the query would accumulate (keys missing: top idf)."""
        top = math.log(len(self.postings) + 2)
        return sum(max(self.idf.get(key, top) for key in token_keys(t)) * weight
                   for t, k, weight in zip(name.tokens, name.kinds, name.weights, strict=True)
                   if k not in _SKIP or len(name.tokens) == 1)

    def _query_keys(self, name: PreparedName) -> dict[str, float]:
        keys: dict[str, float] = {}
        pairs = [(t, w) for t, k, w in zip(name.tokens, name.kinds, name.weights, strict=True)
                 if k not in _SKIP or len(name.tokens) == 1]
        toks = [t for t, _ in pairs]
        for token, weight in pairs:
            for key, share in self._expand(token).items():
                keys[key] = max(keys.get(key, 0.0), share * weight)
        for a, b in itertools.pairwise(toks):
            joined = phonetic_key(a + b)
            if joined in self.postings:
                keys[joined] = 1.0
        for token in toks:
            for i in range(3, len(token) - 2):
                left, right = phonetic_key(token[:i]), phonetic_key(token[i:])
                if left in self.postings and right in self.postings:
                    keys.setdefault(left, 0.9)
                    keys.setdefault(right, 0.9)
        return keys

    def candidates(self, name: PreparedName, limit: int = 40, ratio: float = RATIO,
                   ) -> list[int]:
        """Positions of up to ``limit`` names sharing the most (rarity-weighted) keys.

        Names sharing less than ``ratio`` of the query's own evidence (:meth:`mass`) are dropped.
        """
        keys = self._query_keys(name)
        acc: dict[int, float] = {}
        ordered = sorted(keys.items(), key=lambda kv: len(self.postings.get(kv[0], ())))
        for key, share in ordered:
            gain = self.idf.get(key, 0.0) * share
            big = self.large.get(key)
            if big is not None and acc:
                for pos in acc:
                    if pos in big:
                        acc[pos] += gain
                continue
            for pos in self.postings.get(key, ()):
                acc[pos] = acc.get(pos, 0.0) + gain
        floor = self.mass(name) * ratio
        return [pos for pos in heapq.nlargest(limit, acc, key=acc.__getitem__)
                if acc[pos] >= floor]


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

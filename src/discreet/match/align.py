"""Token alignment: which token of one name corresponds to which of the other.

Order is ignored ("PUTIN Vladimir" = "Vladimir PUTIN"). Exact tokens pair first (set work,
cheap); only the rest go through the similarity matrix, where adjacent tokens may also be
joined ("Abdul Rahman" / "Abdulrahman", "Patr ushev" / "Patrushev", "VladimirPutin"). Each
token is used once; the best pairs are taken first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from discreet.match.similarity import token_similarity

__all__ = ["MIN_SIM", "Alignment", "Pair", "align"]

MIN_SIM = 0.55  # below this two tokens are different words, not variants of one
_JOIN_MIN_SIM = 0.8  # joined tokens must match clearly to beat the single-token reading
_MAX_JOIN = 3
_NO_JOIN = frozenset({"number"})



@dataclass(frozen=True, slots=True)
class Pair:
    """Query token(s) matched to list token(s) with a similarity and the method that found it."""

    query: tuple[int, ...]
    listed: tuple[int, ...]
    sim: float
    method: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """The pairs, and the token positions of each side left without a partner."""

    pairs: tuple[Pair, ...]
    unmatched_query: tuple[int, ...]
    unmatched_listed: tuple[int, ...]


def _joins(free: list[int], texts: Sequence[str], kinds: Sequence[str], target: int,
           ) -> list[tuple[tuple[int, ...], str]]:
    """Runs of 2-3 adjacent free tokens joined into one string about ``target`` long."""
    out: list[tuple[tuple[int, ...], str]] = []
    free_set = set(free)
    for start in free:
        for size in range(2, _MAX_JOIN + 1):
            span = tuple(range(start, start + size))
            if not free_set.issuperset(span) or any(kinds[i] in _NO_JOIN for i in span):
                break
            joined = "".join(texts[i] for i in span)
            if abs(len(joined) - target) <= max(2, target // 4):
                out.append((span, joined))
    return out


_SPECIAL = frozenset({"legal", "number"})


def _singles(q: Sequence[str], qk: Sequence[str], lt: Sequence[str], lk: Sequence[str],
             free_q: list[int], free_l: list[int]) -> list[tuple[float, int, Pair]]:
    """Pairs of single free tokens similar enough to be variants of one word."""
    out: list[tuple[float, int, Pair]] = []
    for i in free_q:
        a, ka = q[i], qk[i]
        for j in free_l:
            b, kb = lt[j], lk[j]
            if (ka in _SPECIAL or kb in _SPECIAL) and ka != kb:
                continue  # legal forms and numbers pair only with their own kind
            la, lb = len(a), len(b)
            if la > 1 and lb > 1 and min(la, lb) < max(la, lb) * MIN_SIM - 1:
                continue  # an edit similarity this high is impossible at these lengths
            sim, method = token_similarity(a, b)
            if sim >= MIN_SIM:
                out.append((sim, 2, Pair((i,), (j,), sim, method)))
    return out


def _joined(q: Sequence[str], qk: Sequence[str], lt: Sequence[str], lk: Sequence[str],
            free_q: list[int], free_l: list[int]) -> list[tuple[float, int, Pair]]:
    """One token on one side against 2-3 adjacent tokens joined on the other."""
    out: list[tuple[float, int, Pair]] = []
    for side_a, kinds_a, free_a, side_b, kinds_b, free_b, flip in (
            (q, qk, free_q, lt, lk, free_l, False), (lt, lk, free_l, q, qk, free_q, True)):
        if len(free_b) < 2:
            continue
        for i in free_a:
            if len(side_a[i]) < 4 or kinds_a[i] in _SPECIAL:
                continue
            for span, text in _joins(free_b, side_b, kinds_b, len(side_a[i])):
                sim, method = token_similarity(side_a[i], text)
                if sim >= _JOIN_MIN_SIM:
                    method = "joined" if method == "exact" else method
                    pair = Pair(span, (i,), sim, method) if flip else Pair((i,), span, sim,
                                                                          method)
                    out.append((sim, 1 + len(span), pair))
    return out


def _exact(q: Sequence[str], lt: Sequence[str]) -> list[Pair]:
    """Identical tokens pair first, in order of appearance."""
    pairs: list[Pair] = []
    positions: dict[str, list[int]] = {}
    for j, text in enumerate(lt):
        positions.setdefault(text, []).append(j)
    for i, text in enumerate(q):
        slots = positions.get(text)
        if slots:
            pairs.append(Pair((i,), (slots.pop(0),), 1.0, "exact"))
    return pairs


def align(q: Sequence[str], qk: Sequence[str], lt: Sequence[str], lk: Sequence[str],
          ) -> Alignment:
    """Align query tokens ``q`` (kinds ``qk``) with list tokens ``lt`` (kinds ``lk``)."""
    pairs = _exact(q, lt)
    used_q = {p.query[0] for p in pairs}
    used_l = {p.listed[0] for p in pairs}
    free_q = [i for i in range(len(q)) if i not in used_q]
    free_l = [j for j in range(len(lt)) if j not in used_l]
    if free_q and free_l:
        found = _singles(q, qk, lt, lk, free_q, free_l)
        if len(free_q) > 1 or len(free_l) > 1:
            found.extend(_joined(q, qk, lt, lk, free_q, free_l))
        found.sort(key=lambda c: (-c[0], c[1]))  # best first; on a tie, fewer tokens
        for _, _, pair in found:
            if used_q.isdisjoint(pair.query) and used_l.isdisjoint(pair.listed):
                used_q.update(pair.query)
                used_l.update(pair.listed)
                pairs.append(pair)
    return Alignment(tuple(pairs), tuple(i for i in range(len(q)) if i not in used_q),
                     tuple(j for j in range(len(lt)) if j not in used_l))

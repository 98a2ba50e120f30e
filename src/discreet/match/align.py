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

__all__ = ["JOIN_MIN_SIM", "MIN_SIM", "Alignment", "Pair", "Span", "align", "join_spans"]

MIN_SIM = 0.55  # below this two tokens are different words, not variants of one
JOIN_MIN_SIM = 0.8  # joined tokens must match clearly to beat the single-token reading
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


Span = tuple[int, int, str]  # (first token, number of tokens, the tokens joined)


def join_spans(texts: Sequence[str], kinds: Sequence[str]) -> tuple[Span, ...]:
    """Every run of 2-3 adjacent tokens (no numbers) with its joined text.

    A name's runs do not depend on the other name, so prepared names compute them once.
    """
    out: list[Span] = []
    for start in range(len(texts)):
        if kinds[start] in _NO_JOIN:
            continue
        joined = texts[start]
        for size in range(2, _MAX_JOIN + 1):
            end = start + size - 1
            if end >= len(texts) or kinds[end] in _NO_JOIN:
                break
            joined += texts[end]
            out.append((start, size, joined))
    return tuple(out)


_SPECIAL = frozenset({"legal", "number"})


def _singles(q: Sequence[str], qk: Sequence[str], lt: Sequence[str], lk: Sequence[str],
             free_q: list[int], free_l: list[int], abjad: bool,
             ) -> list[tuple[float, int, Pair]]:
    """Pairs of single free tokens similar enough to be variants of one word."""
    out: list[tuple[float, int, Pair]] = []
    for i in free_q:
        a, ka = q[i], qk[i]
        la = len(a)
        special_a = ka in _SPECIAL
        for j in free_l:
            b, kb = lt[j], lk[j]
            if (special_a or kb in _SPECIAL) and ka != kb:
                continue  # legal forms and numbers pair only with their own kind
            lb = len(b)
            if la > 1 and lb > 1 and min(la, lb) < max(la, lb) * MIN_SIM - 1:
                continue  # an edit similarity this high is impossible at these lengths
            sim, method = token_similarity(a, b, abjad)
            if sim >= MIN_SIM:
                out.append((sim, 2, Pair((i,), (j,), sim, method)))
    return out


def _joined(q: Sequence[str], qk: Sequence[str], q_spans: Sequence[Span],
            lt: Sequence[str], lk: Sequence[str], l_spans: Sequence[Span],
            free_q: list[int], free_l: list[int], used_q: int, used_l: int, abjad: bool,
            ) -> list[tuple[float, int, Pair]]:
    """One token on one side against 2-3 adjacent free tokens joined on the other."""
    out: list[tuple[float, int, Pair]] = []
    for side_a, kinds_a, free_a, spans_b, used_b, nfree_b, flip in (
            (q, qk, free_q, l_spans, used_l, len(free_l), False),
            (lt, lk, free_l, q_spans, used_q, len(free_q), True)):
        if nfree_b < 2:
            continue
        runs = [(start, size, text) for start, size, text in spans_b
                if not used_b & (((1 << size) - 1) << start)]
        if not runs:
            continue
        for i in free_a:
            token = side_a[i]
            target = len(token)
            if target < 4 or kinds_a[i] in _SPECIAL:
                continue
            slack = max(2, target // 4)
            for start, size, text in runs:
                if abs(len(text) - target) > slack:
                    continue
                sim, method = token_similarity(token, text, abjad)
                if sim >= JOIN_MIN_SIM:
                    method = "joined" if method == "exact" else method
                    span = tuple(range(start, start + size))
                    pair = Pair(span, (i,), sim, method) if flip else Pair((i,), span, sim,
                                                                          method)
                    out.append((sim, 1 + size, pair))
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
          q_spans: Sequence[Span] | None = None, l_spans: Sequence[Span] | None = None,
          abjad: bool = True) -> Alignment:
    """Align query tokens ``q`` (kinds ``qk``) with list tokens ``lt`` (kinds ``lk``).

    ``q_spans`` and ``l_spans`` are :func:`join_spans` of each side, when already known;
    ``abjad``: one side is written in an abjad script (see ``token_similarity``).
    """
    pairs = _exact(q, lt)
    used_q = used_l = 0  # bit i set: token i is paired
    for p in pairs:
        used_q |= 1 << p.query[0]
        used_l |= 1 << p.listed[0]
    free_q = [i for i in range(len(q)) if not used_q >> i & 1]
    free_l = [j for j in range(len(lt)) if not used_l >> j & 1]
    if free_q and free_l:
        found = _singles(q, qk, lt, lk, free_q, free_l, abjad)
        if len(free_q) > 1 or len(free_l) > 1:
            found.extend(_joined(
                q, qk, join_spans(q, qk) if q_spans is None else q_spans,
                lt, lk, join_spans(lt, lk) if l_spans is None else l_spans,
                free_q, free_l, used_q, used_l, abjad))
        found.sort(key=lambda c: (-c[0], c[1]))  # best first; on a tie, fewer tokens
        for _, _, pair in found:
            mask_q = sum(1 << i for i in pair.query)
            mask_l = sum(1 << j for j in pair.listed)
            if not (used_q & mask_q or used_l & mask_l):
                used_q |= mask_q
                used_l |= mask_l
                pairs.append(pair)
    return Alignment(tuple(pairs), tuple(i for i in range(len(q)) if not used_q >> i & 1),
                     tuple(j for j in range(len(lt)) if not used_l >> j & 1))

"""The candidates' ranking as the index documents it, for the tests that check the compiled
summing against plain dictionaries: one place that says how sums become a ranking."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

from discreet.match import index as index_module
from discreet.match.index import _ACRONYM, _ORGANISATION, NameIndex, letters
from discreet.match.prepare import PreparedName
from discreet.match.rules import RULES
from discreet.match.score import may_be_truncated


def summed_keys(index: NameIndex, name: PreparedName,
                ) -> list[tuple[str, float, int, int]]:
    """The query's keys in the order the index sums them, each with its credit and the
    query words it reads (bits): as one of a word's own keys, as a word's bridge key (a
    second reading, summed after every other key: index._marks). Rarest first, stable."""
    asked = index._asking(name)
    if asked is None:
        return []
    ids, shares, *_, marks = asked
    table = index.key_ids
    rows = [(table.key(k), share, (m or 0) & 0xFF, (m or 0) >> 8)
            for k, share, m in zip(ids, shares, marks or [0] * len(ids), strict=True)]
    return sorted(rows, key=lambda row: (row[3] != 0, len(index.postings[row[0]])))


def add_key(sums: dict[int, float], met: dict[int, int], positions: Iterable[int],
            gain: float, own: int, bridge: int) -> None:
    """One key's gain added to the names it posts (``positions``): not a bridge key's to a
    name every word it stands for met by its own keys or by another bridge key (``met``: the
    words' bits a name)."""
    for pos in positions:
        if bridge and met.get(pos, 0) & bridge == bridge:
            continue
        sums[pos] = sums.get(pos, 0.0) + gain
        met[pos] = met.get(pos, 0) | own | bridge


def ranked(index: NameIndex, name: PreparedName, sums: Mapping[int, float], limit: int,
           ratio: float, kind: str | None = None) -> list[int]:
    """The best ``limit`` of the names with these ``sums``: those past the floor (``ratio``
    of the query's own evidence), by their share of the larger evidence (a name an acronym
    key found: at most that key's gain; a query a field limit may have cut: the list name's
    evidence past the query's at the tail's share) plus the unshared part of the evidence
    both leave unmatched, raised when initials agree, and again when the name is of the
    query's ``kind`` (a person's: no organisation's bit; a body's: that bit, raised once
    by either; no kind: an organisation's name for an organisation's); ties by position."""
    keys = index._query_keys(name)
    own = index.query_mass(name)
    masses = index.skeleton_masses if name.abjad else index.masses
    least = max(own, 1e-9)
    tail = RULES.truncated_tail if may_be_truncated(name) else 1.0
    unshared, agree = index_module._UNSHARED, index_module._AGREE
    q_inits, q_firsts = letters(name)
    kindred = index_module._KINDRED
    body = kind in ("organisation", "vessel", "body") or (
        kind != "person" and bool(q_firsts & _ORGANISATION))
    person = kind == "person"

    def evidence(pos: int, total: float) -> float:
        mass = float(masses[pos])
        for key, share in keys.items():
            if key.startswith(_ACRONYM) and pos in index.postings[key]:
                mass = min(mass, index.idf.get(key, 0.0) * share)
        if tail < 1.0 and mass > least:
            mass = least + tail * (mass - least)
        small = min(mass, least)
        return max(mass, least) + (unshared * (small - total) if small > total else 0.0)

    def factor(pos: int) -> float:
        inits, firsts = int(index.inits[pos]), int(index.firsts[pos])
        agrees = q_inits & (inits | firsts) or inits & q_firsts
        is_body = bool(firsts & _ORGANISATION)
        kin = (person and not is_body) or (body and is_body)
        if body:  # an organisation's name: raised once, by either
            return 1.0 + max(agree if agrees else 0.0, kindred if kin else 0.0)
        return (1.0 + agree if agrees else 1.0) * (1.0 + kindred if kin else 1.0)

    kept = {pos: value / evidence(pos, value) * factor(pos)
            for pos, value in sums.items() if value >= own * ratio}
    return heapq.nsmallest(limit, kept, key=lambda pos: (-kept[pos], pos))

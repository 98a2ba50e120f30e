"""Rarity weights: a token found in few list names is better evidence than "Mohammed".

A :class:`Rarity` counts, for each token, the number of names it occurs in (document
frequency). A :class:`~discreet.match.Matcher` counts the names it indexes; pair comparisons
without an index use the default table shipped in ``text/data/name_frequencies.tsv``, counted
the same way over the OFAC, UN, EU and UK lists.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["FLOOR", "Rarity", "default_rarity"]

FLOOR = 0.35  # the weight of the commonest name token, relative to a unique one
_MIN_NAMES = 1000  # below this many names, counts say too little: everything weighs 1


@dataclass(frozen=True, slots=True)
class Rarity:
    """Document frequencies of tokens over a set of names."""

    counts: dict[str, int]
    total: int
    _top: float = field(init=False, repr=False, compare=False)  # log(total / 4), once

    def __post_init__(self) -> None:
        object.__setattr__(self, "_top", math.log(self.total / 4.0) if self.total else 0.0)

    @classmethod
    def from_token_sets(cls, names: Iterable[Iterable[str]]) -> Rarity:
        counts: Counter[str] = Counter()
        total = 0
        for tokens in names:
            counts.update(set(tokens))
            total += 1
        return cls(dict(counts), total)

    def weight(self, token: str) -> float:
        """A factor in [FLOOR, 1]: 1 for tokens in a handful of names, FLOOR for the commonest."""
        if self.total < _MIN_NAMES:
            return 1.0
        count = self.counts.get(token, 0)
        top = self._top
        share = math.log((self.total + 1) / (count + 1)) / top
        # max(FLOOR, min(1.0, share)) without the two builtin calls (a weight per token)
        share = share if share < 1.0 else 1.0
        return share if share > FLOOR else FLOOR

    def to_tsv(self, min_count: int = 3) -> str:
        """The table as text (``token<TAB>count``, first line the number of names)."""
        rows = sorted((t, c) for t, c in self.counts.items() if c >= min_count)
        return "\n".join([f"#names\t{self.total}", *(f"{t}\t{c}" for t, c in rows)]) + "\n"

    @classmethod
    def from_tsv(cls, text: str) -> Rarity:
        counts: dict[str, int] = {}
        total = 0
        for line in text.splitlines():
            token, _, count = line.partition("\t")
            if token == "#names":
                total = int(count)
            elif token:
                counts[token] = int(count)
        return cls(counts, total)


@cache
def default_rarity() -> Rarity:
    """The shipped table (for :func:`~discreet.match.compare_names`)."""
    path = resources.files("discreet.text").joinpath("data").joinpath("name_frequencies.tsv")
    return Rarity.from_tsv(path.read_text(encoding="utf-8"))

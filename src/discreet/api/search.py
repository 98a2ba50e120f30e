"""Text search over the loaded entities: every query word must start a word of a name.

The index is the matcher's lookup (``match/lookup.py``): a sorted vocabulary and each word's
entity positions, and each entity's facet values, as arrays persisted with the index (mapped
and shared by every worker). A search is array work over the hits: filters and facets read
the arrays, never the entities; only the page returned is decoded. Facets are counted over
every hit (no cap: a count is one pass over the hits' codes). Fuzzy search is the matcher's
job (``/match``); this answers a search box.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from discreet.match.lookup import FACETS, EntityLookup, Positions, words

__all__ = ["FACETS", "SearchIndex", "words"]


class SearchIndex:
    """Word prefixes -> entity positions, filters and facet counts over positions."""

    def __init__(self, lookup: EntityLookup) -> None:
        self.lookup = lookup
        self.size = len(lookup)

    def find(self, text: str, sources: Iterable[str] | None = None) -> Positions:
        """Positions (ascending) whose names hold every word of ``text`` (as a word
        prefix), of ``sources`` only when given; an empty text matches every entity."""
        found = self.lookup.find(text)
        if sources is not None:
            found = found[self.carries(found, "datasets", sources)]
        return found

    def carries(self, positions: Positions, facet: str,
                values: Iterable[str]) -> npt.NDArray[np.bool_]:
        """For each position: whether its entity carries any of ``values`` in ``facet``."""
        return self.lookup.facets[facet].any_of(positions, values)

    def counts(self, positions: Positions, facet: str, most: int = 30,
               ) -> list[tuple[str, int]]:
        """The commonest values of ``facet`` over ``positions`` (each entity counted once
        per value), commonest first."""
        return self.lookup.facets[facet].counts(positions, most)

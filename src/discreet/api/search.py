"""Text search over the loaded entities: every query word must start a word of a name.

Small and in memory: a sorted word list per entity position, with facets counted over the
hits. Fuzzy search is the matcher's job (``/match``); this answers a search box.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from discreet.match.topics import entity_topics
from discreet.model import Entity

__all__ = ["FACETS", "SearchIndex", "words"]

_WORD = re.compile(r"\w+")
FACETS = ("countries", "schema", "datasets", "topics")


def words(text: str) -> list[str]:
    """Lower-case words without accents: what the search index and queries compare."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _WORD.findall(plain)


@dataclass(frozen=True, slots=True)
class Hit:
    """One entity position and how many query words it matched."""

    position: int
    matched: int


def facet_values(entity: Entity, facet: str) -> Iterable[str]:
    """The values an entity contributes to a facet."""
    if facet == "countries":
        return {c.lower() for c in (*entity.countries, *entity.nationalities,
                                    *entity.citizenships)}
    if facet == "schema":
        return (entity.schema,)
    if facet == "datasets":
        return (entity.source,) if entity.source else ()
    if facet == "topics":
        return entity_topics(entity)  # as the topic filter reads them (match/topics.py)
    return ()


class SearchIndex:
    """Word -> entity positions, as a sorted vocabulary for prefix lookups."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        postings: dict[str, set[int]] = {}
        for pos, entity in enumerate(entities):
            for name in entity.names:
                for word in words(name.value):
                    postings.setdefault(word, set()).add(pos)
            for ident in entity.identifiers:
                postings.setdefault(ident.value.casefold(), set()).add(pos)
        self.vocabulary = sorted(postings)
        self.postings = [frozenset(postings[w]) for w in self.vocabulary]
        self.size = len(entities)

    def _prefix(self, word: str) -> set[int]:
        found: set[int] = set()
        start = bisect.bisect_left(self.vocabulary, word)
        for i in range(start, min(start + 500, len(self.vocabulary))):
            if not self.vocabulary[i].startswith(word):
                break
            found |= self.postings[i]
        return found

    def search(self, text: str, keep: Callable[[int], bool]) -> list[Hit]:
        """Positions whose names hold every word of ``text`` (as a word prefix), best first.

        An empty text matches everything ``keep`` accepts.
        """
        terms = list(dict.fromkeys(words(text)))[:12]
        if not terms:
            return [Hit(p, 0) for p in range(self.size) if keep(p)]
        counts: Counter[int] = Counter()
        for term in terms:
            counts.update(self._prefix(term))
        need = len(terms)
        hits = [Hit(p, n) for p, n in counts.items() if n == need and keep(p)]
        hits.sort(key=lambda h: h.position)
        return hits

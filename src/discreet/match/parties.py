"""One result per party: the collapse rule, written once.

A *party* is one real person, organisation or vessel; an *entity* is one authority's listing
of it; a *same-as link* (:class:`discreet.store.SameAs`) joins two entities of one party. A
customer who matches one person listed by four authorities has one match, not four: every
path that yields results (``Matcher.match`` and so the bulk, re-screen, Spark and API paths
that call it, views of some sources or topics, the restricted indexes of re-screening)
returns one :class:`~discreet.match.query.MatchResult` per party. Its entity is the party's
best-scoring listing; ``also`` names every other listing of the party in the index, with its
own score when it scored (at or above the threshold, in the view asked for, among the
results compared), else None.

The limit counts parties: :meth:`Parties.match` asks the matcher for the best entities
(:meth:`~discreet.match.matcher.Matcher.match` with ``collapse=False``, exact for any
limit) and asks again for more while linked listings crowd the first ones, so the first
``limit`` parties are exactly those a party-wise ranking gives (parties ranked by their
best listing's score, then its id, as entities are). With no links a matcher has no
:class:`Parties` and nothing here runs: its results are what they were.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from discreet.match.query import Listing, MatchResult, Query, rank_key
from discreet.model import Entity

if TYPE_CHECKING:
    from discreet.match.matcher import Matcher
    from discreet.store import Store

__all__ = ["Parties", "merge_results"]


@dataclass(frozen=True, slots=True)
class Parties:
    """The linked entities of one index: entity id -> party id, and each party's listings.

    Only parties with at least two listings in the index are kept (a link to an entity
    that is not listed now collapses nothing). Plain data: it pickles with the matcher.
    """

    party_of: dict[str, str]  # entity id -> party id
    members: dict[str, tuple[Entity, ...]]  # party id -> its listings in the index, by id

    @classmethod
    def build(cls, party_of: Mapping[str, str], entities: Iterable[Entity]) -> Parties | None:
        """The parties of ``entities`` under ``party_of`` (:meth:`Store.parties`); None
        when no two of them are one party."""
        groups: dict[str, dict[str, Entity]] = {}
        for entity in entities:
            party = party_of.get(entity.id)
            if party is not None:
                groups.setdefault(party, {}).setdefault(entity.id, entity)
        members = {party: tuple(found[eid] for eid in sorted(found))
                   for party, found in groups.items() if len(found) > 1}
        if not members:
            return None
        return cls({e.id: party for party, listed in members.items() for e in listed}, members)

    @classmethod
    def from_store(cls, store: Store, entities: Iterable[Entity]) -> Parties | None:
        """The parties the store's same-as links make of ``entities`` (proposed and
        confirmed links; rejected ones join nothing)."""
        return cls.build(store.parties(), entities)

    def party(self, entity_id: str) -> str | None:
        """The party of a listed entity, None when it is linked to no other listed one."""
        return self.party_of.get(entity_id)

    def others(self, entity_id: str) -> tuple[Entity, ...]:
        """The other listings of an entity's party (none when it is not linked)."""
        party = self.party_of.get(entity_id)
        if party is None:
            return ()
        return tuple(e for e in self.members[party] if e.id != entity_id)

    def collapse(self, results: Iterable[MatchResult]) -> list[MatchResult]:
        """Entity results (best first) as one result per party, best first."""
        return merge_results(self._tag(r) for r in results)

    def _tag(self, result: MatchResult) -> MatchResult:
        party = self.party_of.get(result.entity.id)
        if party is None:
            return result
        return replace(result, party=party, also=tuple(
            Listing(e) for e in self.members[party] if e.id != result.entity.id))

    def match(self, matcher: Matcher, query: Query, *, limit: int, threshold: float | None,
              sources: Collection[str] | None,
              topics: Collection[str] | None = None) -> list[MatchResult]:
        """The best ``limit`` parties for ``query`` (see the module docstring); in a view
        of some sources or topics only the view's listings are compared (the others are
        named in ``also``, unscored)."""
        if limit <= 0:
            return []
        asked = limit
        while True:
            found = matcher.match(query, limit=asked, threshold=threshold, sources=sources,
                                  collapse=False, topics=topics)
            out = self.collapse(found)
            if len(out) >= limit or len(found) < asked:
                return out[:limit]
            # linked listings took places: ask for as many more as were merged away, and
            # one more per party still missing
            asked += (asked - len(out)) + (limit - len(out))


def merge_results(results: Iterable[MatchResult]) -> list[MatchResult]:
    """Results of one query (of its several names, or entity results tagged with their
    party) as one per party, and one per entity for those of no party: best first.

    A party's result is its best-scoring listing (ties: the smaller id); every other
    listing of it named in any of the results is in ``also``, at the best score it had.
    """
    groups: dict[str, list[MatchResult]] = {}
    for r in results:
        key = f"p:{r.party}" if r.party is not None else f"e:{r.entity.id}"
        groups.setdefault(key, []).append(r)
    out = [_merged(group) for group in groups.values()]
    out.sort(key=_rank)
    return out


def _rank(result: MatchResult) -> tuple[float, str, str]:
    return rank_key(result.score, result.entity)


def _merged(group: Sequence[MatchResult]) -> MatchResult:
    """One result of results that are one party (or one entity)."""
    best = min(group, key=_rank)
    if len(group) == 1 and best.party is None:
        return best
    entities: dict[str, Entity] = {}
    scores: dict[str, float] = {}
    for r in group:
        for listing in (Listing(r.entity, r.score), *r.also):
            entities.setdefault(listing.entity.id, listing.entity)
            if listing.score is not None:
                scores[listing.entity.id] = max(listing.score,
                                                scores.get(listing.entity.id, listing.score))
    own = best.entity.id
    also = [Listing(entities[eid], scores.get(eid)) for eid in entities if eid != own]
    also.sort(key=_listing_order)
    return replace(best, also=tuple(also))


def _listing_order(listing: Listing) -> tuple[bool, float, str]:
    """Scored listings first, best first; then the others by id."""
    return listing.score is None, -(listing.score or 0.0), listing.entity.id

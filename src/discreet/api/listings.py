"""A party's listings on the wire: what ``/match`` results and ``/entities/{id}`` say about
the other authorities' listings of the same party (same-as links).

yente's own fields carry them where yente would: ``referents`` (the other listings' ids)
and ``datasets`` (every list the party is on, the entity's own first). discreet adds
``party`` (the party's id: its smallest listing id), ``listings`` (every listing, this one
first: dataset, authority, the authority's id and, in match results, its own score) and,
on ``/entities/{id}``, ``same_as``: every link of the entity whatever its status (an
analyst's rejection included), and for each other listing the links that join it to this
one. Nothing is added to an entity linked to no other listed one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

from discreet.match import MatchResult
from discreet.match.parties import Parties
from discreet.model import Entity
from discreet.sources.opensanctions.ftm import ftm_id
from discreet.store import SameAs

__all__ = ["LinkGraph", "add_listings", "listing_out", "result_listings"]


class LinkGraph:
    """Every link of a generation by entity (every status), and the chain of proposed or
    confirmed links joining two listings of one party."""

    def __init__(self, links: Iterable[SameAs]) -> None:
        self.by_entity: dict[str, list[SameAs]] = {}
        for link in links:
            self.by_entity.setdefault(link.a, []).append(link)
            self.by_entity.setdefault(link.b, []).append(link)

    def of(self, entity_id: str) -> list[SameAs]:
        """The entity's links, every status."""
        return self.by_entity.get(entity_id, [])

    def chain(self, start: str, goal: str) -> list[SameAs]:
        """The shortest run of proposed or confirmed links from ``start`` to ``goal`` (one
        link when they are linked directly); empty when none joins them."""
        came: dict[str, SameAs | None] = {start: None}
        todo = deque([start])
        while todo:
            here = todo.popleft()
            if here == goal:
                break
            for link in self.by_entity.get(here, []):
                if link.status == "rejected":
                    continue
                there = link.b if link.a == here else link.a
                if there not in came:
                    came[there] = link
                    todo.append(there)
        if goal not in came or goal == start:
            return []
        path: list[SameAs] = []
        here = goal
        while (step := came[here]) is not None:
            path.append(step)
            here = step.a if step.b == here else step.b
        return path[::-1]


def listing_out(entity: Entity, score: float | None = None, *,
                scored: bool = False) -> dict[str, Any]:
    """One listing: its id (as the API gives it), caption, dataset, authority and the
    authority's own id; with ``scored``, its own score against the query (None when it
    did not score)."""
    out: dict[str, Any] = {"id": ftm_id(entity.id), "caption": entity.caption,
                           "dataset": entity.source, "authority": entity.authority,
                           "authority_id": entity.authority_id}
    if scored:
        out["score"] = None if score is None else round(score, 4)
    return out


def _datasets(data: dict[str, Any], others: Sequence[Entity]) -> list[str]:
    return list(dict.fromkeys([*data.get("datasets", []), *(e.source for e in others)]))


def result_listings(data: dict[str, Any], result: MatchResult) -> None:
    """Put a match result's other listings into its wire form ``data`` (nothing when the
    result's entity is linked to no other listing)."""
    if result.party is None:
        return
    others = [a.entity for a in result.also]
    data["referents"] = sorted({ftm_id(e.id) for e in others} - {data["id"]})
    data["datasets"] = _datasets(data, others)
    data["party"] = ftm_id(result.party)
    data["listings"] = [listing_out(result.entity, result.score, scored=True),
                        *(listing_out(a.entity, a.score, scored=True) for a in result.also)]


def add_listings(data: dict[str, Any], entity_id: str, parties: Parties | None,
                 graph: LinkGraph) -> None:
    """Put an entity's other listings and its links into its ``/entities`` form ``data``:
    ``party``, ``listings`` (each other one with the links joining it to this one) and
    ``same_as`` (every link of the entity, rejected ones too)."""
    data["same_as"] = [link.to_dict() for link in graph.of(entity_id)]
    party = None if parties is None else parties.party(entity_id)
    if party is None or parties is None:
        data["party"], data["listings"] = None, []
        return
    members = parties.members[party]
    others = [e for e in members if e.id != entity_id]
    data["referents"] = sorted({ftm_id(e.id) for e in others} - {data["id"]})
    data["datasets"] = _datasets(data, others)
    data["party"] = ftm_id(party)
    listings = []
    for member in sorted(members, key=lambda e: (e.id != entity_id, e.id)):
        out = listing_out(member)
        out["same_as"] = [link.to_dict() for link in graph.chain(entity_id, member.id)]
        listings.append(out)
    data["listings"] = listings

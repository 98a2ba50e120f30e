"""What a screening request states (:class:`Query`) and what it gets back (:class:`MatchResult`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from discreet.match.explain import Explanation
from discreet.match.topics import entity_topics
from discreet.model import Entity
from discreet.text.countries import country_code

__all__ = ["Listing", "MatchResult", "Query"]


@dataclass(frozen=True)
class Query:
    """A name to screen and whatever else is known about the party.

    ``schema`` None means any; ``birth_date`` is a date as written, in any form
    :func:`discreet.text.dates.parse_date` reads (1952-10-07, 07/10/1952, 7 Oct 1952,
    1952, …; an ambiguous one is compared under each reading, an unreadable one is no
    evidence); ``countries`` are ISO alpha-2 codes or country names.
    """

    name: str
    schema: str | None = None
    birth_date: str | None = None
    countries: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()
    gender: str | None = None
    id: str | None = None

    def country_codes(self) -> tuple[str, ...]:
        """The countries as lower-case ISO codes; unknown names are dropped."""
        codes = (country_code(c) for c in self.countries)
        return tuple(sorted({c for c in codes if c}))


@dataclass(frozen=True, slots=True)
class Listing:
    """Another listing of a result's party (:mod:`~discreet.match.parties`): the entity, and
    its own score against the query, None when it did not score (below the threshold,
    outside the sources asked for, or not among the results compared)."""

    entity: Entity
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        e = self.entity
        return {"id": e.id, "caption": e.caption, "source": e.source,
                "authority": e.authority, "authority_id": e.authority_id,
                "score": None if self.score is None else round(self.score, 4)}


def rank_key(score: float, entity: Entity) -> tuple[float, str, str]:
    """The order of results: best score first; ties by id, then source. One id may be listed
    by several sources (OFAC's SDN and consolidated lists), and the order must depend neither
    on what the search pruned nor on which listing it met first."""
    return -score, entity.id, entity.source


@dataclass
class MatchResult:
    """A listed entity, its score against the query, and why; for a party listed by several
    authorities (same-as links), its best-scoring listing, its ``party`` and the other
    listings in ``also`` (:mod:`~discreet.match.parties`)."""

    entity: Entity
    score: float
    explanation: Explanation
    party: str | None = None  # the party id when other listings are linked to this one
    also: tuple[Listing, ...] = ()  # the party's other listings, scored ones first

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.entity.id,
            "caption": self.entity.caption,
            "schema": self.entity.schema,
            "score": round(self.score, 4),
            "datasets": [self.entity.source],
            "topics": list(entity_topics(self.entity)),
            "explanation": self.explanation.to_dict(),
        }
        if self.party is not None:  # every listing of the party, this one first
            out["datasets"] = list(dict.fromkeys(
                [self.entity.source, *(a.entity.source for a in self.also)]))
            out["party"] = self.party
            out["listings"] = [Listing(self.entity, self.score).to_dict(),
                               *(a.to_dict() for a in self.also)]
        return out

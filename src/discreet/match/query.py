"""What a screening request states (:class:`Query`) and what it gets back (:class:`MatchResult`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from discreet.match.explain import Explanation
from discreet.model import Entity
from discreet.text.countries import country_code

__all__ = ["MatchResult", "Query"]


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


@dataclass
class MatchResult:
    """A listed entity, its score against the query, and why."""

    entity: Entity
    score: float
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.entity.id,
            "caption": self.entity.caption,
            "schema": self.entity.schema,
            "score": round(self.score, 4),
            "datasets": [self.entity.source],
            "explanation": self.explanation.to_dict(),
        }

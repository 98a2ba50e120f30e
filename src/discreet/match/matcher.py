"""The matcher: an index over every list name, and screening of one query against it.

Built once from entities (or a store's active versions); kept as plain Python data (lists,
dicts, tuples, frozen dataclasses) so it pickles and can be shipped to other processes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from discreet.match import features as feat
from discreet.match.explain import build_explanation
from discreet.match.index import NameIndex
from discreet.match.pairs import alternatives
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.query import MatchResult, Query
from discreet.match.rarity import Rarity
from discreet.match.score import DEFAULT_THRESHOLD, WEIGHTS, NameScore, name_score
from discreet.model import Entity
from discreet.store import Store
from discreet.text.names import name_class, parse_name

__all__ = ["CANDIDATES", "Matcher"]

CANDIDATES = 40  # list names fully scored per query name
_BONUS = WEIGHTS["dob_exact"] + WEIGHTS["country_match"] + WEIGHTS["id_match"]


@dataclass(frozen=True, slots=True)
class _Hit:
    score: float
    position: int
    name: NameScore
    query: PreparedName


class Matcher:
    """Screen queries against indexed entities; see :meth:`match`."""

    def __init__(self, entities: list[Entity], names: list[PreparedName], owners: list[int],
                 kinds: list[str], rarity: Rarity) -> None:
        self.entities = entities
        self.names = names
        self.owners = owners  # name position -> entity position
        self.kinds = kinds  # name position -> primary / alias / weak / previous
        self.rarity = rarity
        self.index = NameIndex(names)
        self.weights = dict(WEIGHTS)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> Matcher:
        """Index every name (each alternative of a slashed name too) of every entity."""
        ents = list(entities)
        raw: list[tuple[int, str, str]] = []
        for pos, entity in enumerate(ents):
            seen: set[str] = set()
            for name in entity.names:
                for text in alternatives(name.value):
                    if text not in seen:
                        seen.add(text)
                        raw.append((pos, text, name.kind))
        classes = [name_class(e.schema) for e in ents]
        rarity = Rarity.from_token_sets(
            [t.text for t in parse_name(text, classes[pos])] for pos, text, _ in raw)
        names = [prepare_name(text, classes[pos], rarity) for pos, text, _ in raw]
        return cls(ents, names, [r[0] for r in raw], [r[2] for r in raw], rarity)

    @classmethod
    def from_store(cls, store: Store) -> Matcher:
        """All entities of the active version of every source in the store."""
        return cls.from_entities(e for v in store.active() for e in store.entities(v.source))

    def __len__(self) -> int:
        return len(self.entities)

    def _hits(self, query: Query) -> dict[int, _Hit]:
        """Best-scoring name of each candidate entity."""
        cls = name_class(query.schema)
        best: dict[int, _Hit] = {}
        for text in alternatives(query.name):
            q = prepare_name(text, cls, self.rarity)
            for pos in self.index.candidates(q, CANDIDATES):
                ns = name_score(q, self.names[pos])
                score = ns.score + (self.weights["weak_alias"] if self.kinds[pos] == "weak"
                                    else 0.0)
                owner = self.owners[pos]
                if owner not in best or score > best[owner].score:
                    best[owner] = _Hit(score, pos, ns, q)
        return best

    def _features(self, query: Query, entity: Entity, kind: str) -> tuple[feat.Feature, ...]:
        w = self.weights
        found = [
            feat.schema(query.schema, entity.schema, w),
            feat.birth_date(query.birth_date, entity.birth_dates, w),
            feat.country(query.country_codes(), feat.entity_countries(entity), w),
            feat.gender(query.gender, entity.genders, w),
            feat.identifier(query.id_numbers, entity, w),
        ]
        if kind == "weak":
            found.append(feat.Feature("weak_alias", w["weak_alias"],
                                      "the list marks this name as a weak alias"))
        return tuple(f for f in found if f is not None)

    def match(self, query: Query, *, limit: int = 5,
              threshold: float | None = None) -> list[MatchResult]:
        """Entities scoring at least ``threshold`` (default DEFAULT_THRESHOLD), best first.

        ``threshold=0`` returns the best ``limit`` candidates whatever their score.
        """
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        scored: list[tuple[float, int, _Hit, tuple[feat.Feature, ...]]] = []
        for owner, hit in self._hits(query).items():
            if hit.name.score + _BONUS < cut:
                continue
            entity = self.entities[owner]
            found = self._features(query, entity, self.kinds[hit.position])
            total = max(0.0, min(1.0, hit.name.score + sum(f.delta for f in found)))
            if total >= cut:
                scored.append((total, owner, hit, found))
        scored.sort(key=lambda s: (-s[0], self.entities[s[1]].id))
        out = []
        for total, owner, hit, found in scored[:limit]:
            explanation = build_explanation(hit.query, self.names[hit.position], hit.name,
                                            score=total, name_kind=self.kinds[hit.position],
                                            features=found)
            out.append(MatchResult(self.entities[owner], total, explanation))
        return out

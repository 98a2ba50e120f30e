"""The matcher: an index over every list name, and screening of one query against it.

Built once from entities (or a store's active versions); kept as plain Python data (lists,
dicts, tuples, frozen dataclasses) so it pickles and can be shipped to other processes.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from discreet.match import features as feat
from discreet.match.explain import build_explanation
from discreet.match.index import NameIndex
from discreet.match.pairs import alternatives
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.prune import QueryBound, acronym_initials, lexicon
from discreet.match.query import MatchResult, Query
from discreet.match.rarity import Rarity
from discreet.match.score import DEFAULT_THRESHOLD, WEIGHTS, NameScore, name_score
from discreet.model import Entity
from discreet.store import Store
from discreet.text.names import NameClass, name_class, parse_name

__all__ = ["CANDIDATES", "Matcher"]

CANDIDATES = 40  # list names proposed by the index per query name
_PREPARED_CACHE = 4096  # query names kept prepared
_EPSILON = 1e-9
_SCAN = 2000  # threshold 0 finds too few entities: indexes of up to this many names are scanned
_FEW = 3  # with this few candidates, bounding their scores costs more than it saves


@dataclass(frozen=True, slots=True)
class _Hit:
    score: float
    position: int
    name: NameScore
    query: PreparedName


_Best = tuple[float, _Hit, tuple[feat.Feature, ...]]  # total, the hit, the features
# a candidate: upper bound of its name score (cheap), position, query name, and the
# function giving a tighter bound (None: the first bound is all there is)
_Work = tuple[float, int, PreparedName, Callable[[PreparedName], float] | None]


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
        # phonetic key and skeleton of every token and run of tokens, and the initials an
        # acronym of each name spells, for the score bounds
        self.words = lexicon(names)
        self.initials = [acronym_initials(n) for n in names]
        # list names equal in every field score alike: positions -> one number per such name
        same: dict[PreparedName, int] = {}
        self.same = [same.setdefault(n, len(same)) for n in names]
        self.weights = dict(WEIGHTS)
        self._prepared: dict[tuple[str, NameClass], PreparedName] = {}

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

    def restricted(self, entity_ids: Collection[str]) -> Matcher:
        """An index of only some entities that scores exactly as this one.

        The prepared names, the rarity weights and the index's key weights are this
        index's own, so a query scores against a kept entity what it scores here (used to
        re-screen only against the entities that changed).
        """
        wanted = set(entity_ids)
        keep = [i for i, entity in enumerate(self.entities) if entity.id in wanted]
        renumber = {old: new for new, old in enumerate(keep)}
        positions = [p for p, owner in enumerate(self.owners) if owner in renumber]
        sub = Matcher([self.entities[i] for i in keep], [self.names[p] for p in positions],
                      [renumber[self.owners[p]] for p in positions],
                      [self.kinds[p] for p in positions], self.rarity)
        sub.weights = dict(self.weights)
        sub.index.idf = {key: self.index.idf.get(key, value)
                         for key, value in sub.index.idf.items()}
        return sub

    def _prepare(self, text: str, cls: NameClass) -> PreparedName:
        """The query name prepared, from a small cache (screening repeats names)."""
        key = (text, cls)
        found = self._prepared.get(key)
        if found is None:
            if len(self._prepared) >= _PREPARED_CACHE:
                self._prepared.clear()
            found = self._prepared[key] = prepare_name(text, cls, self.rarity)
        return found

    def bounds(self, q: PreparedName, found: list[int]) -> QueryBound:
        """Score bounds of query name ``q`` against the candidates at ``found`` (also used
        by :mod:`~discreet.match.prefilter`, which must bound exactly as the matcher does)."""
        return QueryBound(q, [self.names[pos] for pos in found], words=self.words,
                          initials=[self.initials[pos] for pos in found])

    def _bonus(self, query: Query) -> float:
        """The most the non-name evidence the query states can add to a name score."""
        w = self.weights
        gain = 0.0
        if query.birth_date:
            gain += max(0.0, w["dob_exact"], w["dob_year"])
        if query.countries:
            gain += max(0.0, w["country_match"])
        if query.id_numbers:
            gain += max(0.0, w["id_match"])
        return gain

    def _work(self, query: Query) -> list[_Work]:
        """Every candidate (see :data:`_Work`), the most promising first."""
        cls = name_class(query.schema)
        work: list[_Work] = []
        names, kinds = self.names, self.kinds
        for text in alternatives(query.name):
            q = self._prepare(text, cls)
            found = self.index.candidates(q, CANDIDATES)
            if len(found) <= _FEW:
                work.extend((1.0, pos, q, None) for pos in found)
                continue
            bounds = self.bounds(q, found)
            loose, tight = bounds.loose_bound, bounds.bound
            weak = self.weights["weak_alias"]
            same: dict[int, float] = {}  # equal names, equal bounds
            for pos in found:
                bound = same.get(self.same[pos])
                if bound is None:
                    bound = same[self.same[pos]] = loose(names[pos])
                work.append((bound + weak if kinds[pos] == "weak" else bound, pos, q, tight))
        work.sort(key=_minus_bound)
        return work

    def _features(self, query: Query, entity: Entity, kind: str) -> tuple[feat.Feature, ...]:
        """The evidence besides the name; a kind the query does not state is not compared
        (each feature is None when the query is silent on it)."""
        w = self.weights
        found = [feat.schema(query.schema, entity.schema, w) if query.schema else None]
        if query.birth_date:
            found.append(feat.birth_date(query.birth_date, entity.birth_dates, w))
        if query.countries:
            found.append(feat.country(query.country_codes(), feat.entity_countries(entity), w))
        if query.gender:
            found.append(feat.gender(query.gender, entity.genders, w))
        if query.id_numbers:
            found.append(feat.identifier(query.id_numbers, entity, w))
        if kind == "weak":
            found.append(feat.Feature("weak_alias", w["weak_alias"],
                                      "the list marks this name as a weak alias"))
        return tuple(f for f in found if f is not None)

    def _add(self, best: dict[int, _Best], query: Query, q: PreparedName, pos: int,
             scores: dict[tuple[int, int], NameScore] | None = None) -> None:
        """Score list name ``pos``; keep it if it is its entity's best name so far.

        ``scores``: name scores of this query so far, by query name and :attr:`same` (a list
        name equal to one already scored is not aligned again).
        """
        if scores is None:
            ns = name_score(q, self.names[pos])
        else:
            key = (id(q), self.same[pos])
            known = scores.get(key)
            if known is None:
                known = scores[key] = name_score(q, self.names[pos])
            ns = known
        kind = self.kinds[pos]
        score = ns.score + (self.weights["weak_alias"] if kind == "weak" else 0.0)
        owner = self.owners[pos]
        prev = best.get(owner)
        if prev is not None and score <= prev[1].score:
            return
        found = self._features(query, self.entities[owner], kind)
        total = max(0.0, min(1.0, ns.score + sum(f.delta for f in found)))
        best[owner] = (total, _Hit(score, pos, ns, q), found)

    def _fill(self, query: Query, best: dict[int, _Best], limit: int) -> None:
        """Threshold 0 with fewer than ``limit`` entities found: add entities the index does
        not propose (sharing no word with the query). A small index is scored whole; in a
        large one, the first names of entities in order make up the number."""
        cls = name_class(query.schema)
        queries = [self._prepare(text, cls) for text in alternatives(query.name)]
        scan = len(self.names) <= _SCAN
        for pos in range(len(self.names)):
            if len(best) >= limit and not scan:
                return
            owner = self.owners[pos]
            if owner in best and (not scan or best[owner][1].position == pos):
                continue
            for q in queries:
                self._add(best, query, q, pos)

    def match(self, query: Query, *, limit: int = 5,
              threshold: float | None = None) -> list[MatchResult]:
        """Entities scoring at least ``threshold`` (default DEFAULT_THRESHOLD), best first.

        ``threshold=0`` returns the best ``limit`` entities whatever their score (those the
        index does not propose too, see :meth:`_fill`).
        Candidates are taken in the order of an upper bound of their name score
        (:class:`~discreet.match.prune.QueryBound`); once that bound plus the most the query's
        other evidence can add falls below both the threshold and the ``limit``-th best score
        found, no remaining candidate can change the results and the rest are skipped. Before
        a candidate is aligned, the same test is made with a tighter bound, and with its
        entity's best name score so far; a list name equal to one already scored is not
        aligned again.
        """
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        bonus = self._bonus(query)
        best: dict[int, _Best] = {}
        scores: dict[tuple[int, int], NameScore] = {}
        bar = cut
        owners = self.owners
        weak = self.weights["weak_alias"]
        for bound, pos, q, tight in self._work(query):
            if max(0.0, bound + bonus) < bar - _EPSILON:  # totals are clamped to [0, 1]
                break
            if tight is not None:  # the same test with the tighter bound
                bound = tight(self.names[pos]) + (weak if self.kinds[pos] == "weak" else 0.0)
                if max(0.0, bound + bonus) < bar - _EPSILON:
                    continue
            before = best.get(owners[pos])
            if before is not None and bound + _EPSILON <= before[1].score:
                continue  # cannot beat its entity's best name so far: _add would keep that
            self._add(best, query, q, pos, scores)
            if len(best) >= limit > 0 and best.get(owners[pos]) is not before:
                bar = max(cut, heapq.nlargest(limit, (b[0] for b in best.values()))[-1])
        if cut <= 0 and len(best) < limit:
            self._fill(query, best, limit)
        scored = [(total, owner, hit, found) for owner, (total, hit, found) in best.items()
                  if total >= cut]
        scored.sort(key=lambda s: (-s[0], self.entities[s[1]].id))
        out = []
        for total, owner, hit, found in scored[:limit]:
            explanation = build_explanation(hit.query, self.names[hit.position], hit.name,
                                            score=total, name_kind=self.kinds[hit.position],
                                            features=found)
            out.append(MatchResult(self.entities[owner], total, explanation))
        return out

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_prepared"] = {}
        return state


def _minus_bound(entry: _Work) -> float:
    return -entry[0]

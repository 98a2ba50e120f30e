"""The matcher: an index over every list name, and screening of one query against it.

Built once from entities (or a store's active versions); kept as plain Python data (lists,
dicts, tuples, frozen dataclasses) so it pickles and can be shipped to other processes.
"""

from __future__ import annotations

import array
import dataclasses
import functools
import gc
import itertools
import logging
import marshal
import math
import os
import pickle
import signal
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from discreet import collector_paused
from discreet.json_read import loads_canonical
from discreet.match import features as feat
from discreet.match._rows import Reader, Rows, Slots
from discreet.match.explain import build_explanation
from discreet.match.index import NameIndex
from discreet.match.kind import Kind, KindReader
from discreet.match.packed import Packed
from discreet.match.pairs import alternatives, query_alternatives
from discreet.match.parties import Parties
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.prune import CandidateScores, NameTables
from discreet.match.query import MatchResult, Query, rank_key
from discreet.match.rarity import Rarity
from discreet.match.rules import DEFAULT_THRESHOLD, WEIGHTS
from discreet.match.topics import entity_topics
from discreet.model import SCHEMATA, Address, DateSpec, Entity, Identifier, Link, Name, entity_row
from discreet.store import Store
from discreet.text.names import NameClass, NameToken, name_class, parse_name
from discreet.text.scripts import approximate_scripts, reading_note, scripts_of

__all__ = ["CANDIDATES", "LOOKUP_ATTRIBUTE", "Beside", "EntityRecords", "EntityRows", "Matcher",
           "settle"]

CANDIDATES = 40  # list names proposed by the index per query name
LOOKUP_ATTRIBUTE = "entity_lookup"  # where a matcher carries its lookup (match/lookup.py)
_PREPARED_CACHE = 4096  # query names kept prepared
_EPSILON = 1e-9
_YOUNG_OBJECTS = 10_000  # the collector's young pass once settled (settle)
_SCAN = 1000  # indexes of up to this many names compare every name (at every threshold)
# every kind a query's candidates may be asked for (Matcher.query_kind; None: no kind, or an
# organisation's by its prepared name): what a bound that must hold whatever the query's
# schema compares (Matcher.best_name_score). A vessel's or a body's reading asks as an
# organisation's does (NameIndex: the same names are of its kind).
_KINDS: tuple[Kind | None, ...] = (None, "person", "organisation")
# ... for an organisation's name by its own words (its class, or a legal form): without a
# kind it asks as an organisation's already (NameIndex.candidates), so not twice
_BODY_KINDS: tuple[Kind | None, ...] = (None, "person")
# the weights of the evidence besides the name (features.py), which Matcher.weights may
# change; the name score's numbers are the rules' (match/rules.py), the same in every matcher
EVIDENCE_WEIGHTS = ("dob_exact", "dob_year", "dob_near", "dob_mismatch", "dob_unreadable",
                    "country_match", "country_mismatch", "gender_mismatch", "id_match",
                    "schema_mismatch", "schema_unlikely", "weak_alias")
_MAX_WIDEN = 25  # a view of a small source asks the index for at most this many times more
_VIEWS = 16  # views kept built (sets of sources and topics); the cache starts over beyond
FORK_MIN = 50_000  # names from which a build does part of its work in a second process
_PARSE_BYTES = 1024  # memory a name needs to be parsed in another process (about)
_TABLES_BYTES = 3072  # memory a name needs for its NameTables rows in another process
_BESIDE_BYTES = 1024  # memory a name needs for the work besides the index (Beside)
_FORMS_BYTES = 512  # memory a name needs for half its words' forms in another process
T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _View:
    """Some sources or topics of an index: which names are in (by position), and how many
    more candidates to ask the index for so that the view keeps :data:`CANDIDATES` of its
    own."""

    mask: npt.NDArray[np.bool_]  # name position -> in the view (one byte a name)
    size: int  # how many names are in
    widen: int


# an entity's best name so far: its total, its name score (a weak alias lowered), its
# position, the query name's candidates it is one of with its number k among them, and the
# features (a plain tuple: made for each candidate kept, several a query)
_Best = tuple[float, float, int, CandidateScores, int, tuple[feat.Feature, ...]]
# a candidate: upper bound of its name score (weak aliases lowered), position, and the
# scores it is one of with its number among them
_Work = tuple[float, int, CandidateScores, int]
# one query's evidence besides the name by (schema number, weak alias): the features, and
# their deltas' sum (Matcher.match)
_Memo = dict[tuple[Any, bool], tuple[tuple[feat.Feature, ...], float]]


class Matcher:
    """Screen queries against indexed entities; see :meth:`match`."""

    def __init__(self, entities: Sequence[Entity], names: list[PreparedName], owners: list[int],
                 kinds: list[str], rarity: Rarity, facts: _Facts | None = None) -> None:
        """``facts``: each entity's source, schema and topics when the caller read them
        already (:meth:`from_store`: else every entity of ``entities`` is read for them)."""
        if facts is None:
            facts = _Facts.of(entities)
        self.entities = entities
        self.names = names
        self.owners = owners  # name position -> entity position
        self.kinds = kinds  # name position -> primary / alias / weak / previous
        self.rarity = rarity
        # the compiled bounds' and scores' tables of every name (NameTables) made in another
        # process meanwhile (a large index on a machine with cores and memory to spare)
        apart = _Apart(functools.partial(_name_tables, names)) \
            if _may_fork(len(names), _TABLES_BYTES) else None
        try:  # the rest made here meanwhile
            self.index = NameIndex(names)
            # what a query is compared with never depends on the threshold (which only filters):
            # every name of a small index, the index's candidates in a large one
            self.scan = len(names) <= _SCAN
            self._everyone = range(len(names))
            # the weights of the evidence besides the name, which a caller may change at any
            # time: features.py reads them, bonus() bounds with them, and the weak alias's is
            # what the kernel lowers a weak alias's bound by (followed on each match). The name
            # score's own numbers are the rules' (match/rules.py), not tunable per matcher.
            self.weights = {key: WEIGHTS[key] for key in EVIDENCE_WEIGHTS}
            self._prepared: dict[tuple[str, NameClass], PreparedName] = {}
            self._lower_weak_aliases()
            # each list name's source (dataset), as a number, for views (match(sources=...))
            self.source_names = sorted(set(facts.sources))
            number = {source: i for i, source in enumerate(self.source_names)}
            by_entity = np.array([number[source] for source in facts.sources], np.int32)
            self._name_owner: npt.NDArray[np.int32] = np.array(self.owners, np.int32)
            self._name_source: npt.NDArray[np.int32] = by_entity[self._name_owner]
            # each entity's topics (match/topics.py), for views (match(topics=...)): the
            # topics as numbers, entity after entity, entity i's from topic_starts[i]
            self.topic_names, self._topic_starts, self._topic_ids = _topic_table(facts.topics)
            # each entity's schema as a number (a byte an entity): what a query stating only a
            # name (and a schema) compares of a candidate, without decoding the entity
            self.schema_names = tuple(sorted(set(facts.schemata)))
            schema_number = {schema: i for i, schema in enumerate(self.schema_names)}
            self._schemata: npt.NDArray[np.uint8] = np.fromiter(
                (schema_number[schema] for schema in facts.schemata), np.uint8,
                len(facts.schemata))
            self._views: dict[tuple[tuple[int, ...] | None, tuple[int, ...] | None], _View] = {}
            # what a query without a schema most likely names, from the listed names' words
            self.reader = KindReader.from_names(names, owners, facts.schemata)
            # the scripts the listed names are written in (explanations of approximate ones)
            self.scripts = frozenset(s for n in names if not n.original.isascii()
                                     for s in scripts_of(n.original))
            # linked entities (same-as links), one result per party: match/parties.py
            self.parties: Parties | None = None
        except BaseException:
            if apart is not None:
                apart.abandon()
            raise
        # every name as the compiled bounds and scores read it (the kernel made now, not
        # at the first query)
        self.tables = NameTables(names) if apart is None else apart.result()
        self.tables.names = names
        self.tables.posted = self.index.key_ids  # which swapped-back readings are compared
        self.tables.kernel()

    def _lower_weak_aliases(self) -> None:
        """What each list name's score loses for being a weak alias (0 for the others), as
        a list for Python and as an array for the kernel."""
        weak = self._weak = self.weights["weak_alias"]
        self.lowering: list[float] = [weak if kind == "weak" else 0.0 for kind in self.kinds]
        self._lowered: npt.NDArray[np.float64] = np.array(self.lowering, np.float64)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> Matcher:
        """Index every name (each alternative of a slashed name too) of every entity."""
        with collector_paused():
            ents = list(entities)
            raw: list[tuple[int, str, str]] = []
            for pos, entity in enumerate(ents):
                _add_names(raw, pos, ((name.value, name.kind) for name in entity.names))
            names, rarity = _prepare_names(raw, [name_class(e.schema) for e in ents])
            return cls(ents, names, [r[0] for r in raw], [r[2] for r in raw], rarity)

    @classmethod
    def from_store(cls, store: Store, *, beside: Beside | None = None) -> Matcher:
        """All entities of the active version of every source in the store.

        Read as the store keeps them (JSON, a page at a time) and kept so
        (:class:`EntityRecords`: an entity is decoded when a query needs it): an index of a
        million entities does not hold a million :class:`~discreet.model.Entity` objects
        (about 4 KB each) while it is built. The index is the one :meth:`from_entities`
        makes of ``store.entities(...)`` of every active version.

        ``beside``: more work of the entities and of the prepared names (what a persisted
        index writes besides the matcher: ``match/persist.py``), done meanwhile in other
        processes when the build forks, and kept as the matcher's attributes."""
        with collector_paused():
            party_of = store.parties()
            records = _RecordsWriter()
            for version in store.active():
                for text in store.entity_data(version.source):
                    records.append(text)
            entities = records.done()
            extra = _Extra()
            try:  # the work of the entities besides the index under way while they are read
                extra.start(beside.entities if beside else None, entities, len(entities))
                raw, classes, facts, linked = _read_records(entities, party_of)
                names, rarity = _prepare_names(raw, classes)
                del classes
                extra.start(beside.names if beside else None, names, len(raw))
                owners = [r[0] for r in raw]
                kinds = [r[2] for r in raw]
                del raw
                matcher = cls(entities, names, owners, kinds, rarity, facts)
            except BaseException:
                extra.abandon()
                raise
            matcher.parties = Parties.build(party_of, linked) if linked else None
            extra.finish(matcher)
            return matcher

    def __len__(self) -> int:
        return len(self.entities)

    def restricted(self, entity_ids: Collection[str]) -> Matcher:
        """An index of only some entities that scores exactly as this one.

        The prepared names, the rarity weights and the index's key weights are this
        index's own, so a query scores against a kept entity what it scores here (used to
        re-screen only against the entities that changed).
        """
        keep = self.positions_of(entity_ids)
        renumber = {old: new for new, old in enumerate(keep)}
        positions = [p for p, owner in enumerate(self.owners) if owner in renumber]
        sub = Matcher([self.entities[i] for i in keep], [self.names[p] for p in positions],
                      [renumber[self.owners[p]] for p in positions],
                      [self.kinds[p] for p in positions], self.rarity)
        sub.weights = dict(self.weights)
        sub.parties = self.parties  # a party's listings named even when not kept here
        sub.reader = self.reader  # queries read as they are here
        sub._lower_weak_aliases()
        sub.scan = self.scan  # the same names compared: every name, or the candidates
        sub.index.idf = {key: self.index.idf.get(key, value)
                         for key, value in sub.index.idf.items()}
        return sub

    def positions_of(self, entity_ids: Collection[str]) -> list[int]:
        """Positions (ascending) of the entities with these ids. An index that carries its
        id table (:mod:`~discreet.match.lookup`; a persisted index does) is searched there:
        reading every entity's id instead decodes them all, ~16 s of a re-screen at 1M."""
        carried = self.__dict__.get(LOOKUP_ATTRIBUTE)
        if carried is not None and len(carried) == len(self.entities):
            return sorted({position for _, position in carried.locate(list(entity_ids))})
        wanted = set(entity_ids)
        return [i for i, entity in enumerate(self.entities) if entity.id in wanted]

    def prepare(self, text: str, cls: NameClass) -> PreparedName:
        """The query name prepared, from a small cache (screening repeats names)."""
        key = (text, cls)
        found = self._prepared.get(key)
        if found is None:
            if len(self._prepared) >= _PREPARED_CACHE:
                self._prepared.clear()
            found = self._prepared[key] = prepare_name(text, cls, self.rarity)
        return found

    def readings(self, name: str, cls: NameClass) -> tuple[PreparedName, ...]:
        """Each reading of a query name (:func:`~discreet.match.pairs.query_alternatives`)
        prepared (:meth:`prepare`), kept for the names met lately as :meth:`prepare`'s are:
        a name screened again is not read again."""
        return self._read(name, cls)[0]

    def written(self, name: str, cls: NameClass) -> tuple[str, ...]:
        """:func:`~discreet.match.pairs.alternatives` of a query name: the texts it writes,
        beside which its other readings are readings (a result's note), as :meth:`readings`
        met them (kept with them: not made again for a name just read)."""
        return self._read(name, cls)[1]

    def _read(self, name: str, cls: NameClass,
              ) -> tuple[tuple[PreparedName, ...], tuple[str, ...]]:
        """:meth:`readings` and :meth:`written` of a query name, kept for the names met
        lately, by class then by name: a key of the name alone (a str, which the cycle
        collector does not track), no (name, class) tuple a new name; each reading prepared
        for it (:func:`~discreet.match.prepare.prepare_name`), not kept a second time by
        :meth:`prepare`'s cache (what a query leaves alive, the collector walks)."""
        kept: dict[NameClass, dict[str, tuple[tuple[PreparedName, ...], tuple[str, ...]]]] \
            = self.__dict__.setdefault("_readings", {})  # (absent from indexes saved before)
        cache = kept.get(cls)
        if cache is None:
            cache = kept[cls] = {}
        found = cache.get(name)
        if found is None:
            if sum(map(len, kept.values())) >= _PREPARED_CACHE:  # (every class's, bounded
                for names in kept.values():  # together as one cache of (name, class))
                    names.clear()
            written = tuple(alternatives(name))
            rarity = self.rarity  # (a list made, not a generator read: most names one)
            found = cache[name] = (tuple([
                prepare_name(text, cls, rarity)
                for text in query_alternatives(name, cls, written)]), written)
        return found

    def query_kind(self, query: Query) -> Kind | None:
        """What a query names, as its candidates are asked for it (``NameIndex.candidates``'
        ``kind``): a person when its schema is Person; nothing more for another stated
        schema (an organisation's class: its prepared name says so itself); else what its
        name reads as (:class:`~discreet.match.kind.KindReader`, as the schema evidence
        reads it)."""
        if feat.stated(query.schema):
            return "person" if query.schema == "Person" else None
        return self.reader.read(query.name).kind

    def found(self, q: PreparedName, view: _View | None = None,
              kind: Kind | None = None) -> Sequence[int]:
        """The list names query name ``q`` is compared with, whatever the threshold: every
        name when the index is small (:data:`_SCAN`), else the index's candidates (also used
        by :mod:`~discreet.match.prefilter`, which must compare as the matcher does).

        In a ``view`` (some sources or topics only, :meth:`view`) the same rule applies to
        the view's names: every one of them, or the index's best candidates among them (the
        index is asked for more candidates in proportion to how much of it the view leaves
        out). An empty view compares nothing. ``kind``: what the query names
        (:meth:`query_kind`), which ranks the candidates of its kind first.
        """
        if view is None:
            return self._everyone if self.scan else self.index.candidates(q, CANDIDATES,
                                                                          kind=kind)
        if self.scan:  # a small index: its every name in the view (a few hundred at most)
            return np.flatnonzero(view.mask).tolist()
        if not view.size:
            return []
        wider = self.index.candidates(q, CANDIDATES * view.widen, kind=kind)
        if not wider:
            return wider
        at = np.asarray(wider, np.int64)
        return at[view.mask[at]][:CANDIDATES].tolist()  # type: ignore[no-any-return]

    def view(self, sources: Collection[str] | None,
             topics: Collection[str] | None = None) -> _View | None:
        """The names of the entities of ``sources`` that carry any of ``topics``
        (:mod:`~discreet.match.topics`); None for either (or every source): no restriction,
        and no restriction at all is the whole index (None). An empty ``topics`` is no
        restriction either, as yente reads it; a topic nobody carries selects nobody.

        A view restricts what a query is compared with, never how: the same prepared names,
        rarity weights and index keys score a pair the same in every view, so
        ``/match/us_ofac_sdn``, ``/match/default?topics=sanction`` and ``/match/default``
        agree on it.
        """
        by_source: tuple[int, ...] | None = None
        if isinstance(sources, str):
            sources = (sources,)
        if sources is not None:
            wanted = tuple(i for i, source in enumerate(self.source_names) if source in sources)
            by_source = None if len(wanted) == len(self.source_names) else wanted
        by_topic: tuple[int, ...] | None = None
        if isinstance(topics, str):
            topics = (topics,)  # one topic, not its letters
        if topics:
            by_topic = tuple(i for i, topic in enumerate(self.topic_names) if topic in topics)
        if by_source is None and by_topic is None:
            return None
        key = (by_source, by_topic)
        found = self._views.get(key)
        if found is None:  # built once per set of sources and topics, not per query
            mask = np.ones(len(self.names), np.bool_)
            if by_source is not None:
                mask &= np.isin(self._name_source, np.array(by_source, np.int32))
            if by_topic is not None:
                mask &= self._topic_mask(by_topic)[self._name_owner]
            size = int(np.count_nonzero(mask))
            widen = min(_MAX_WIDEN, max(1, math.ceil(len(self.names) / max(1, size))))
            if len(self._views) >= _VIEWS:
                self._views.clear()
            found = self._views[key] = _View(mask, size, widen)
        return found

    def _topic_mask(self, wanted: tuple[int, ...]) -> npt.NDArray[np.bool_]:
        """Entity position -> whether it carries any of the topics numbered ``wanted``."""
        hit = np.isin(self._topic_ids, np.array(wanted, np.int32))
        running = np.concatenate(([0], np.cumsum(hit, dtype=np.int64)))
        starts = self._topic_starts
        return running[starts[1:]] > running[starts[:-1]]

    def topics_of(self, position: int) -> tuple[str, ...]:
        """The topics entity ``position`` carries
        (:func:`~discreet.match.topics.entity_topics`)."""
        starts, names = self._topic_starts, self.topic_names
        return tuple(names[t] for t in
                     self._topic_ids[starts[position]:starts[position + 1]].tolist())

    def scores(self, q: PreparedName, found: Sequence[int],
               floor: float = -math.inf) -> CandidateScores:
        """Bounds and scores of query name ``q`` against the candidates at ``found``; those
        whose bound, a weak alias lowered, is below ``floor`` are scored only when asked."""
        self._follow_weights()
        return CandidateScores(self.tables, q, found, floor, self._lowered)

    def _follow_weights(self) -> None:
        """Lower weak aliases by the current ``weights["weak_alias"]`` (a caller may have
        changed it since the last query)."""
        if self.weights["weak_alias"] != self._weak:
            self._lower_weak_aliases()

    def best_name_score(self, q: PreparedName) -> float | None:
        """The best name score prepared name ``q`` reaches here, weak aliases lowered, with
        no other evidence: the names :meth:`match` compares it with (:meth:`found`), scored
        as it scores them; None when it compares it with none. What
        :class:`~discreet.match.prefilter.Prefilter` bounds a customer name by: whatever the
        query's schema, so every name its candidates may be for any kind it may be read
        as (:data:`_KINDS`; :data:`_BODY_KINDS` for an organisation's name, whose
        candidates without a kind are an organisation's) is compared."""
        if self.scan:
            found = self.found(q)
        else:
            kinds = _BODY_KINDS if q.org or q.legal else _KINDS
            found = list(dict.fromkeys(itertools.chain.from_iterable(
                self.found(q, kind=kind) for kind in kinds)))
        if not found:
            return None
        scores = self.scores(q, found)
        lowering = self.lowering
        return max(scores.score(k) + lowering[p] for k, p in enumerate(found))

    def bonus(self, query: Query) -> float:
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

    def _work(self, query: Query, cut: float, bonus: float, view: _View | None,
              ) -> list[_Work]:
        """The candidates whose bound plus ``bonus`` (what the query's other evidence can
        add) reaches ``cut`` (see :data:`_Work`), the most promising first, scored already;
        no other can reach the threshold."""
        floor = cut - bonus - _EPSILON
        cls = name_class(query.schema)
        kind = None if self.scan else self.query_kind(query)
        work: list[_Work] = []
        lowered = self.lowering
        for q in self.readings(query.name, cls):
            found = self.found(q, view, kind)
            if not found:
                continue
            scores = self.scores(q, found, floor)
            if found is self._everyone:  # every name: the same test, on arrays
                bounds = np.asarray(scores.loose) + self._lowered
                reach = np.flatnonzero(np.maximum(bounds + bonus, 0.0) >= cut - _EPSILON)
                work += [(bound, k, scores, k)
                         for k, bound in zip(reach.tolist(), bounds[reach].tolist(), strict=True)]
                continue
            # totals are clamped to [0, 1]: max(0, bound + bonus) reaches the cut when
            # bound + bonus does, or when 0 does
            least = cut - _EPSILON
            anyone = least <= 0.0
            if bonus == 0.0 and not anyone:
                # (a query of a name and a schema, most) the floor is then the cut less the
                # epsilon, ``least``, and the kernel's pass scored exactly the candidates
                # whose bound, lowered, reaches it (the same double sum and test; -1 for the
                # others): those taken as it marked them, in C, not each candidate's bound
                # made and tested again here (tests/match/test_threshold.py)
                work += [(loose + lowered[pos], pos, scores, k)
                         for k, pos, loose in itertools.compress(
                             zip(itertools.count(), found, scores.loose),
                             map(_SCORED, scores.marked))]
                continue
            work += [(bound, pos, scores, k)
                     for k, (loose, pos) in enumerate(zip(scores.loose, found, strict=True))
                     if (bound := loose + lowered[pos]) + bonus >= least or anyone]
        work.sort(key=_bound, reverse=True)  # stable: equal bounds in the order found
        return work

    def _features(self, query: Query, owner: int, kind: str) -> tuple[feat.Feature, ...]:
        """The evidence besides the name of entity ``owner``; a kind the query does not
        state is not compared (each feature is None when the query is silent on it). The
        entity is decoded only when the query states more than a name and a schema."""
        w = self.weights
        schema = self.schema_names[self._plain()[0][owner]]
        found = [feat.schema(query.schema, schema, w) if feat.stated(query.schema)
                 else feat.schema_unlikely(self.reader.read(query.name), schema, w)]
        if query.birth_date or query.countries or query.gender or query.id_numbers:
            found += _entity_features(query, self.entities[owner], w)
        if kind == "weak":
            found.append(feat.Feature("weak_alias", w["weak_alias"],
                                      "the list marks this name as a weak alias"))
        return tuple(f for f in found if f is not None)

    def _transliterated(self, q: PreparedName, pos: int) -> feat.Feature | None:
        """Weaker evidence when the query's name is written in a script whose
        transliteration is only approximate (text/data/scripts.yml: Devanagari, Thai; Han
        read in a Japanese name; an abjad or syllabic script none of the indexed names is
        written in) and list name ``pos`` is not written in it: the two were compared only
        through that transliteration. (The bound's bonus stays an upper bound: this only
        lowers.)"""
        if q.original.isascii():
            return None
        approximate = _approximate(q.original, self.scripts)
        if not approximate or approximate & scripts_of(self.names[pos].original):
            return None
        named = ", ".join(sorted(s.title() for s in approximate))
        where = "which no listed name is written in" if not approximate & self.scripts \
            else "and this list name is not"
        return feat.Feature(
            "approximate_script", WEIGHTS["approximate_script"],
            f"the query is written in {named} ({where}): compared only through its "
            f"transliteration, which is approximate")

    def match(self, query: Query, *, limit: int = 5, threshold: float | None = None,
              sources: Collection[str] | None = None, collapse: bool = True,
              topics: Collection[str] | None = None) -> list[MatchResult]:
        """Entities scoring at least ``threshold`` (default DEFAULT_THRESHOLD), best first;
        only entities of ``sources`` when given, and only entities carrying any of
        ``topics`` when given (a view of this index, :meth:`view`: the same scores as the
        whole index gives them). Entities linked as one party are one
        result and ``limit`` counts parties (:mod:`~discreet.match.parties`), unless
        ``collapse`` is False.

        The threshold only filters: the results at threshold T are exactly the results at
        threshold 0 (with a limit large enough) scoring at least T. What is compared never
        depends on it (:meth:`found`): in an index of up to :data:`_SCAN` names every name,
        so ``threshold=0`` returns the best ``limit`` entities whatever their score; in a
        larger one the names the index proposes.
        Candidates are taken in the order of an upper bound of their name score
        (:class:`~discreet.match.prune.CandidateScores`); once that bound plus the most the
        query's other evidence can add falls below both the threshold and the ``limit``-th
        best score found, no remaining candidate can change the results and the rest are
        skipped; nor is a candidate whose bound cannot beat its entity's best name so far.
        The kernel scores, in the same pass as the bounds, every candidate whose bound can
        reach the threshold and keeps each one's alignment, which the results' explanations
        read (a name scored in Python is aligned there).
        """
        if self.parties is not None and collapse:
            return self.parties.match(self, query, limit=limit, threshold=threshold,
                                      sources=sources, topics=topics)
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        self._follow_weights()
        bonus = self.bonus(query)
        best: dict[int, _Best] = {}
        bar = cut
        kth = cut  # the limit-th best total kept, once limit entities are kept
        owners, lowering, kinds = self.owners, self.lowering, self.kinds
        # the evidence besides the name already weighed for this query, by (schema number,
        # weak alias); None when the query states more than a name and a schema: each
        # entity's own facts then count
        memo: _Memo | None = None if query.birth_date or query.countries or query.gender \
            or query.id_numbers else {}
        schemata = self._plain()[0]  # entity -> schema number, as plain ints (a memo key)
        threshold = cut > _EPSILON
        for bound, pos, scores, k in self._work(query, cut, bonus,
                                                    self.view(sources, topics)):
            reach = bound + bonus  # totals are clamped to [0, 1]: max(0.0, reach), in line
            if (reach if reach > 0.0 else 0.0) < bar - _EPSILON:
                break
            owner = owners[pos]
            before = best.get(owner)
            if before is not None and bound + _EPSILON <= before[1]:
                continue  # cannot beat its entity's best name so far
            # the kernel's score when it made one (its pass scores every candidate whose
            # bound reaches the floor: most kept here), else scores.score's (below the
            # floor: -1; Python's to make: NaN, which compares False), without a call
            name = scores.marked[k]
            if not name >= 0.0:
                name = scores.score(k)
            score = name + lowering[pos]  # a weak alias lowered
            if threshold and score + bonus < cut - _EPSILON:
                continue  # below the threshold whatever else the query states
            if before is not None and score <= before[1]:
                continue  # not its entity's best name
            # kept as its entity's best name so far, with the evidence besides the name
            kind = kinds[pos]
            if memo is None:
                found = self._features(query, owner, kind)
                delta = sum(f.delta for f in found)
            else:
                key = (schemata[owner], kind == "weak")
                known = memo.get(key)
                if known is None:
                    found = self._features(query, owner, kind)
                    known = memo[key] = (found, sum(f.delta for f in found))
                found, delta = known
            if not scores.q.original.isascii():
                script = self._transliterated(scores.q, pos)
                if script is not None:
                    found = (*found, script)
                    delta += script.delta
            total = name + delta  # clamped to [0, 1] as max(0.0, min(1.0, total)), in line
            total = total if total < 1.0 else 1.0
            total = total if total > 0.0 else 0.0
            best[owner] = (total, score, pos, scores, k, found)
            if len(best) >= limit > 0 and (before is not None or len(best) == limit
                                           or total > kth):
                # (a new entity's total no better than the limit-th leaves it as it is)
                kth = sorted(map(_TOTAL, best.values()), reverse=True)[limit - 1]
                bar = kth if kth > cut else cut  # max(cut, kth), in line
        scored = [(b[0], owner, b) for owner, b in best.items() if b[0] >= cut]
        if 0 < limit < len(scored):  # only the entities that may be among the best: their
            # ties broken by id, which decoding them tells (the others are not decoded).
            # The least of them is kth: more than limit reach the cut, so the limit best
            # kept all do
            scored = [s for s in scored if s[0] >= kth]
            if len(scored) > limit:
                scored = self._untied(scored, limit, kth)
        entities = self.entities  # each read (decoded) once
        read = {s[1]: entities[s[1]] for s in scored}
        if len(scored) > 1:  # (none or one: nothing to order, no key made)
            scored.sort(key=lambda s: rank_key(s[0], read[s[1]]))
        written = None if query.name.isascii() else self.written(query.name,
                                                                 name_class(query.schema))
        out = []
        for total, owner, (_, _, pos, scores, k, found) in scored[:limit]:
            explanation = build_explanation(scores.q, self.names[pos], scores.name_score(k),
                                            score=total, name_kind=self.kinds[pos],
                                            features=found)
            if written is not None and scores.q.original not in written:
                explanation = dataclasses.replace(explanation, notes=(  # another reading
                    *explanation.notes, reading_note(query.name, scores.q.original)))
            out.append(MatchResult(read[owner], total, explanation))
        return out

    def _plain(self) -> tuple[memoryview, memoryview]:
        """Each entity's schema number and each name's source number as memoryviews of
        their arrays (plain ints read, no numpy scalar), made at the first query, not each
        (a numpy array's buffer made a memoryview costs a query some 1,500 instructions),
        and not pickled."""
        made: tuple[memoryview, memoryview] | None = self.__dict__.get("_plain_views")
        if made is None:
            made = self._plain_views = (self._schemata.data, self._name_source.data)
        return made

    def _untied(self, scored: list[tuple[float, int, _Best]], limit: int, least: float,
                ) -> list[tuple[float, int, _Best]]:
        """The first ``limit`` of ``scored`` in the results' order (:func:`rank_key`: ties
        by id, then source) when more tie at the last place, ``least`` (every other scores
        more, fewer than ``limit``: all kept), told by the ids the index carries (its
        lookup: a persisted index's) and each name's source, without decoding the tied
        entities left out; ``scored`` as it is otherwise (the caller decodes them). Only
        the tied are told apart: the id of an entity kept whatever its id is not read."""
        carried = self.__dict__.get(LOOKUP_ATTRIBUTE)
        if carried is None or len(carried) != len(self.entities):
            return scored
        above = [s for s in scored if s[0] > least]
        tied = [s for s in scored if not s[0] > least]
        sources, name_source = self.source_names, self._plain()[1]  # (plain ints)
        ids = carried.ids_at([s[1] for s in tied])
        keys = [(found, sources[name_source[s[2][2]]]) for s, found in zip(tied, ids, strict=True)]
        order = sorted(range(len(tied)), key=keys.__getitem__)  # stable, as a sort of scored
        return above + [tied[i] for i in order[:limit - len(above)]]

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_prepared"] = {}
        state["_readings"] = {}
        state.pop("_plain_views", None)  # (made again when asked)
        state["_views"] = {}
        return state


def settle() -> None:
    """Tell Python's cycle collector that what is alive now (a freshly built index and the
    entities it holds) stays for the life of the process.

    The collector's full passes walk every container object; an index of the full lists
    with its entities is over half a million of them, a 0.4 s pause that comes back every
    few thousand queries. Frozen objects are not walked (they are still freed when nothing
    refers to them). Call it once an index is built in a long-running process: the HTTP
    service does after each build, bulk screening before it forks its workers.

    The young generation's pass then runs every :data:`_YOUNG_OBJECTS` new objects, not
    every 700: a query of new words leaves a hundred or so (its words' keys and forms,
    kept in caches), and each pass also walks the objects of the query under way; a query
    makes no garbage cycles, and one left by other code waits at most that many objects
    more. A threshold set higher, or automatic collection turned off (0), is left as it is.
    """
    gc.freeze()
    young, *older = gc.get_threshold()
    if 0 < young < _YOUNG_OBJECTS:
        gc.set_threshold(_YOUNG_OBJECTS, *older)


@functools.lru_cache(maxsize=4096)
def _approximate(text: str, listed: frozenset[str]) -> frozenset[str]:
    """The scripts of ``text`` transliterated only approximately, against an index whose
    names are written in ``listed`` (once per query name, not once per candidate)."""
    return approximate_scripts(scripts_of(text), listed)


def _entity_features(query: Query, entity: Entity, w: dict[str, float],
                     ) -> list[feat.Feature | None]:
    """The evidence besides the name and the schema (birth date, country, gender,
    identifiers), each None when the query is silent on it."""
    found: list[feat.Feature | None] = []
    if query.birth_date:
        found.append(feat.birth_date(query.birth_date, entity.birth_dates, w))
    if query.countries:
        found.append(feat.country(query.country_codes(), feat.entity_countries(entity), w))
    if query.gender:
        found.append(feat.gender(query.gender, entity.genders, w))
    if query.id_numbers:
        found.append(feat.identifier(query.id_numbers, entity, w))
    return found


_bound: Callable[[_Work], float] = itemgetter(0)
# whether the kernel's pass scored a candidate (CandidateScores: -1 below its floor; a
# score, or NaN for Python's to make, otherwise)
_SCORED: Callable[[float], bool] = (-1.0).__ne__
_TOTAL: Callable[[_Best], float] = itemgetter(0)  # an entity's best total (Matcher.match)


def _topic_table(carried: Sequence[tuple[str, ...]]) -> tuple[
        list[str], npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Every entity's topics (``carried``) as numbers: the topics (sorted), where each
    entity's numbers start (one more entry than entities) and the numbers, entity after
    entity."""
    names = sorted({t for topics in carried for t in topics})
    number = {topic: i for i, topic in enumerate(names)}
    sizes = np.fromiter((len(topics) for topics in carried), np.int64, len(carried))
    starts = np.zeros(len(carried) + 1, np.int64)
    np.cumsum(sizes, out=starts[1:])
    ids = np.fromiter((number[t] for topics in carried for t in topics), np.int32,
                      int(starts[-1]))
    return names, starts, ids


def _share(shared: dict[object, object], value: T) -> T:
    """``value``, or the equal value met before (one object for a million repeats)."""
    return shared.setdefault(value, value)  # type: ignore[return-value]


def _read_records(records: EntityRecords, party_of: Collection[str]) -> tuple[
        list[tuple[int, str, str]], list[NameClass], _Facts, list[Entity]]:
    """What an index reads of stored entities (their JSON, not decoded as entities): each
    name as (entity position, text, kind) (:func:`_add_names`), each entity's name class,
    source, schema and topics, and the entities of ``party_of`` (same-as links)."""
    raw: list[tuple[int, str, str]] = []
    classes: list[NameClass] = []
    facts = _Facts([], [], [])
    linked: list[Entity] = []  # the entities a same-as link names (Parties)
    shared: dict[object, object] = {}  # one object for each repeated value
    for pos, data in enumerate(records.data()):
        _add_names(raw, pos, ((name["value"], _share(shared, name.get("kind", "primary")))
                              for name in data.get("names", ())))
        schema = _share(shared, data["schema"])
        classes.append(name_class(schema))
        facts.schemata.append(schema)
        facts.sources.append(_share(shared, data.get("source", "")))
        facts.topics.append(_share(shared, entity_topics(Entity(
            data["id"], schema, authority=data.get("authority", ""),
            programmes=list(data.get("programmes", ())),
            topics=list(data.get("topics", ()))))))
        if party_of and data["id"] in party_of:
            linked.append(Entity.from_dict(data))
    return raw, classes, facts, linked


def _add_names(raw: list[tuple[int, str, str]], pos: int,
               names: Iterable[tuple[str, str]]) -> None:
    """Each alternative of each of entity ``pos``'s (name, kind), once, in order."""
    seen: set[str] = set()
    for value, kind in names:
        for text in alternatives(value):
            if text not in seen:
                seen.add(text)
                raw.append((pos, text, kind))


def _prepare_names(raw: Sequence[tuple[int, str, str]], classes: Sequence[NameClass],
                   ) -> tuple[list[PreparedName], Rarity]:
    """Every (entity position, text, kind) of ``raw`` parsed and prepared, with the rarity
    weights their tokens make (``classes``: entity position -> name class). A name written
    again (the same text and class) is parsed and prepared once: the same object."""
    distinct: dict[tuple[str, NameClass], int] = {}
    which = [distinct.setdefault((text, classes[pos]), len(distinct)) for pos, text, _ in raw]
    keys = list(distinct)
    del distinct
    half = len(keys) // 2
    if _may_fork(len(raw), _PARSE_BYTES):  # the second half parsed in another process
        apart = _Apart(functools.partial(_parse, keys[half:]))
        try:
            parsed = _parse(keys[:half])
        except BaseException:
            apart.abandon()
            raise
        parsed += apart.result()
    else:
        parsed = _parse(keys)
    rarity = Rarity.from_token_sets([t.text for t in parsed[i]] for i in which)
    shared: dict[object, object] = {}  # names repeat their tuples: one object each
    prepared = [prepare_name(text, cls, rarity, tokens, shared)
                for (text, cls), tokens in zip(keys, parsed, strict=True)]
    return [prepared[i] for i in which], rarity


def _parse(keys: Sequence[tuple[str, NameClass]]) -> list[tuple[NameToken, ...]]:
    return [parse_name(text, cls) for text, cls in keys]


def _name_tables(names: Sequence[PreparedName]) -> NameTables:
    """:class:`NameTables` of ``names`` with the kernel's forms of their words packed, as
    another process sends it back (without the names, which the caller has)."""
    tables = NameTables(names)
    # the vocabularies' forms, most of this part's time, half made by one more process
    # when the other core may be free by then
    tables.pack(_Apart if _may_fork(len(names), _FORMS_BYTES) else None)
    tables.names = []
    return tables


def _may_fork(items: int, bytes_each: int) -> bool:
    """Whether to do part of a build of ``items`` names in a forked process: the names are
    many (:data:`FORK_MIN`), this process may use two cores, it runs no other thread (a
    fork copies only the calling one: a lock another holds would never be released in the
    child), and the memory the child needs (about ``bytes_each`` a name: what it copies as
    it touches the names, and makes) is available."""
    if items < FORK_MIN or not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1
    return cores > 1 and _available_memory() > items * bytes_each


def _available_memory() -> int:
    """The memory available to start new work without swapping (Linux's MemAvailable;
    0 where it is not known)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class _Apart(Generic[T]):
    """``work`` done in a forked child process while this one goes on; :meth:`result` is
    its result, sent back pickled through a pipe. Should the child fail (killed short of
    memory, say), the work is done here instead: the same result, later."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the work, its result down the pipe, and out
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    pickle.dump(work(), out, pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._pid = pid
        self._read = read

    def result(self) -> T:
        try:
            with os.fdopen(self._read, "rb") as source:
                found: T = pickle.load(source)
                return found
        except Exception as exc:  # the child died or failed: done here
            log.warning("a build process failed (%s: %s): its part is built here instead",
                        type(exc).__name__, exc)
            return self._work()
        finally:
            os.waitpid(self._pid, 0)

    def abandon(self) -> None:
        """The result is not wanted (this process failed meanwhile): the child ended."""
        os.close(self._read)
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)


_Work_T = tuple[str, Callable[[Sequence[T]], object]]


@dataclass(frozen=True, slots=True)
class Beside:
    """Work a build does besides the index (:meth:`Matcher.from_store`), each an attribute
    of the matcher and what makes it: ``entities`` of the entities (an
    :class:`EntityRecords`), ``names`` of the prepared names (the list the index holds)."""

    entities: _Work_T[Entity] | None = None
    names: _Work_T[PreparedName] | None = None


class _Extra:
    """The work of a :class:`Beside` under way: in a forked process each when the build
    may fork (:func:`_may_fork`), else done here at :meth:`finish`."""

    def __init__(self) -> None:
        self._under_way: list[tuple[str, _Apart[object] | Callable[[], object]]] = []

    def start(self, work: _Work_T[T] | None, items: Sequence[T], names: int) -> None:
        if work is None:
            return
        attribute, make = work
        job = functools.partial(make, items)
        self._under_way.append((attribute, _Apart(job) if _may_fork(names, _BESIDE_BYTES)
                                else job))

    def finish(self, matcher: Matcher) -> None:
        """Each result kept as its attribute of ``matcher``; should one fail (in this
        process: a forked one's failure is done here again), the others are ended."""
        try:
            while self._under_way:
                attribute, job = self._under_way.pop(0)
                setattr(matcher, attribute, job.result() if isinstance(job, _Apart)
                        else job())
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        for _, job in self._under_way:
            if isinstance(job, _Apart):
                job.abandon()
        self._under_way = []


@dataclass(slots=True)
class _Facts:
    """What an index reads of each entity besides its names: source, schema, topics."""

    sources: list[str]
    schemata: list[str]
    topics: list[tuple[str, ...]]

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> _Facts:
        facts = cls([], [], [])
        for entity in entities:
            facts.sources.append(entity.source)
            facts.schemata.append(entity.schema)
            facts.topics.append(entity_topics(entity))
        return facts


class EntityRecords(Packed[Entity]):
    """Entities as the store keeps them: their JSON one after another (``blob``) and where
    each begins (``offsets``, one more than entities). An entity is decoded when read (of
    those read again, the last :data:`~discreet.match.packed.DECODED` read are kept). What
    an index built from a store holds (:meth:`Matcher.from_store`); persisted
    (``match/persist.py``), the two arrays are mapped from the index's files and shared by
    every process."""

    __slots__ = ()
    _what = "entity"

    def _decode(self, i: int) -> Entity:
        at = self._at
        return Entity.from_parsed(loads_canonical(self._view[at[i]:at[i + 1]]))

    def data(self) -> Iterator[dict[str, Any]]:
        """Each entity's JSON read (as a dict; no entity made), in turn: through the
        arrays' memoryviews a read uses too (no list of every offset made)."""
        view, at = self._view, self._at
        start = at[0]
        for i in range(1, self._size + 1):
            end = at[i]
            yield loads_canonical(view[start:end])
            start = end


def _slots(cls: type, empties: tuple[type | None, ...] | None = None,
           coded: Collection[str] = ()) -> Slots:
    """The compiled maker of ``cls``'s objects of their rows (every slot, in order; those
    named in ``coded`` may be stored as the number of their word)."""
    names = tuple(cls.__dict__["__slots__"])
    return Slots(cls, names, empties, tuple(name in coded for name in names))


_ENTITY_FIELDS = tuple(f.name for f in dataclasses.fields(Entity))
# each field's empty value, list or dict (None: a field of text, always stored): what a
# stored row writes as None when empty (most of an entity's fields: its row a third shorter
# and read with a dozen objects fewer)
_EMPTIES = tuple(f.default_factory if f.default_factory in (list, dict) else None
                 for f in dataclasses.fields(Entity))
_EMPTY_AT = tuple(i for i, empty in enumerate(_EMPTIES) if empty is not None)
# the text a stored row writes as the number of its word (:func:`stored_row`): values few
# and repeated by many entities (an index's schemata, sources, authorities, a name's kind;
# the items of its lists of codes and topics), read back as one object each
_CODED = ("schema", "source", "authority")
_CODED_AT = tuple(_ENTITY_FIELDS.index(f) for f in _CODED)
_CODED_LISTS = tuple(_ENTITY_FIELDS.index(f) for f in (
    "nationalities", "citizenships", "countries", "genders", "programmes", "topics"))
_NAMES_AT = _ENTITY_FIELDS.index("names")
_KIND_AT = [f.name for f in dataclasses.fields(Name)].index("kind")


def _entity_maker(words: tuple[str, ...] = ()) -> Rows:
    """:meth:`Entity.from_row`, compiled (``_rows.pyx``), of a stored row
    (:func:`stored_row`, its coded text the numbers of ``words``): the same entity as of the
    row itself (``tests/match/test_rows.py``), its records made in their lists."""
    records = {"names": _slots(Name, coded=("kind",)), "birth_dates": _slots(DateSpec),
               "identifiers": _slots(Identifier), "addresses": _slots(Address),
               "links": _slots(Link)}
    return Rows(_slots(Entity, _EMPTIES, _CODED),
                {_ENTITY_FIELDS.index(f): maker for f, maker in records.items()},
                _ENTITY_FIELDS.index("schema"), frozenset(SCHEMATA), words, _CODED_LISTS)


entity_of_row: Callable[[tuple[Any, ...]], Entity] = _entity_maker()


def stored_row(row: tuple[Any, ...], number: dict[str, int] | None = None,
               ) -> tuple[Any, ...]:
    """An entity's row (:func:`~discreet.model.entity_row`) as an index stores it: each
    empty list or mapping None (the maker makes a new one of it); and, given ``number``
    (each word's number, which the row's new words are added to), the text of the
    :data:`_CODED` fields, of each name's kind and of the items of the lists of
    :data:`_CODED_LISTS` as the number of its word."""
    if len(row) != len(_EMPTIES):
        raise ValueError(f"an entity's row has {len(_EMPTIES)} fields, not {len(row)}")
    out = list(row)
    for i in _EMPTY_AT:
        if not out[i]:
            out[i] = None
    if number is None:
        return tuple(out)

    def code(text: object) -> object:
        return number.setdefault(text, len(number)) if type(text) is str else text

    for i in _CODED_AT:
        out[i] = code(out[i])
    for i in _CODED_LISTS:
        if out[i]:
            out[i] = [code(item) for item in out[i]]
    if out[_NAMES_AT]:
        out[_NAMES_AT] = [(*name[:_KIND_AT], code(name[_KIND_AT]), *name[_KIND_AT + 1:])
                          for name in out[_NAMES_AT]]
    return tuple(out)


class EntityRows(Packed[Entity]):
    """Entities as their rows (:func:`~discreet.model.entity_row`: the fields in slot
    order, no keys; each empty list or mapping None, :func:`stored_row`), marshalled one
    after another, and where each begins: what a persisted index keeps of its entities
    (``match/persist.py`` writes an :class:`EntityRecords` so). An entity is unmarshalled
    in place from the mapped bytes (``_rows.Reader``: no slice, no ``marshal.loads`` call)
    and its slots filled by compiled code (:func:`entity_of_row`, the entity
    :meth:`~discreet.model.Entity.from_row` makes), not parsed as JSON and looked up key
    by key."""

    __slots__ = ()
    _what = "entity"
    # an entity is kept decoded at its third read among the latest, not its second: a kept
    # entity is some twenty containers the cycle collector walks in each of its passes
    # while it is kept (a decoding is a few microseconds), and a second read is mostly
    # not a result's again (on new 1M queries: 0.01 reads a query found an entity kept,
    # 0.62 kept one; the benchmarks read the entity of each query they make first)
    _kept_at = 3

    def __init__(self, blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64],
                 words: tuple[str, ...] = ()) -> None:
        """``words``: what the rows' coded text is the numbers of (:func:`stored_row`)."""
        super().__init__(blob, offsets)
        # (compiled: _rows.pyx; what _decode calls, and a read itself)
        self._make = Reader(_entity_maker(words), blob, offsets)

    @property
    def words(self) -> tuple[str, ...]:
        assert self._make is not None
        maker = self._make.maker
        assert isinstance(maker, Rows)
        return maker.words

    @classmethod
    def of_records(cls, records: EntityRecords) -> EntityRows:
        """Each record's row, in order (every record read once: a million in seconds).
        The record's mapping is let go before its row is marshalled: a value only the row
        holds is written plainly, one held twice is marked for reference, which costs its
        reading a list append (a quarter of ``marshal.loads``'s time)."""
        blob = bytearray()
        ends = array.array("q", [0])
        dumps = marshal.dumps
        view, at = records._view, records._at
        number: dict[str, int] = {}
        for i in range(len(records)):
            blob += dumps(stored_row(entity_row(loads_canonical(view[at[i]:at[i + 1]])),
                                     number))
            ends.append(len(blob))
        made = np.frombuffer(blob, np.uint8) if blob else np.zeros(0, np.uint8)
        return cls(made, np.frombuffer(ends, np.int64).copy(), tuple(number))

    def _decode(self, i: int) -> Entity:
        assert self._make is not None
        made: Entity = self._make(i)
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return type(self), (self._blob, self._offsets, self.words)


class _RecordsWriter:
    """:class:`EntityRecords` made one entity's JSON after another."""

    def __init__(self) -> None:
        self._blob = bytearray()
        self._offsets = array.array("q", [0])

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def append(self, text: str) -> None:
        self._blob += text.encode("utf-8")
        self._offsets.append(len(self._blob))

    def done(self) -> EntityRecords:
        blob = np.frombuffer(self._blob, np.uint8) if self._blob else np.zeros(0, np.uint8)
        return EntityRecords(blob, np.frombuffer(self._offsets, np.int64).copy())

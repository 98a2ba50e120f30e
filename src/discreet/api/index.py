"""The screening index, built whole as one immutable generation per set of active list versions
and same-as links.

Requests take the current generation once and use only it, so an answer comes wholly from one
set of list versions and links even while a newer generation is being built or swapped in.
An analyst's decision on a link, or links recomputed after an update, change the store's
``links_stamp`` and so bring a new generation.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from discreet.api.listings import LinkGraph
from discreet.api.search import SearchIndex
from discreet.errors import DiscreetError
from discreet.match import Matcher, MatchResult, Query
from discreet.match.lookup import EntityLookup, Positions, lookup_of
from discreet.match.parties import Parties
from discreet.match.persist import open_matcher
from discreet.model import Entity
from discreet.sources.opensanctions.ftm import entity_to_ftm
from discreet.store import SameAs, Store, VersionInfo

__all__ = ["FTM_KEPT", "ById", "Generation", "IndexPartError", "SeenDates", "build_generation",
           "read_seen", "seen_dates", "signature"]

_GENERATION = itertools.count(1)
Seen = tuple[str, str, str]  # first_seen, last_seen, last_change
T = TypeVar("T")
_PARTS = {"lookup": "entity lookup", "by_id": "entity id table", "search": "search index",
          "seen": "seen dates"}
FTM_KEPT = 4096  # entities' FtM JSON kept per generation (the last converted)


class IndexPartError(DiscreetError):
    """A part of a generation made at its first use (the seen dates, read from the store;
    the lookup of an index built in memory) could not be made: the request
    that needed it is answered 503 (the service cannot answer now, with this message), and
    the next request that needs it tries again. ``part`` names it, ``generation`` the
    generation's number."""

    def __init__(self, part: str, generation: int, cause: BaseException) -> None:
        super().__init__(f"the {_PARTS.get(part, part)} of index {generation} could not be "
                         f"made ({type(cause).__name__}: {cause}); try again shortly")
        self.part = part
        self.generation = generation


def signature(active: Iterable[VersionInfo]) -> tuple[tuple[str, int, str], ...]:
    """What identifies a set of active versions: a change means a new generation is due."""
    return tuple(sorted((v.source, v.version, v.sha256) for v in active))


def seen_dates(store: Store, info: VersionInfo) -> dict[str, Seen]:
    """Entity id -> (first seen, last seen, last change): the as-of dates of the versions
    (the date the list states, or the operator or the download gives), so an older file
    loaded today is not "first seen" today; the load time only where nobody states a date.
    """
    loaded = {v.version: _as_of(v) for v in store.versions(info.source)}
    now = loaded[info.version]
    return {eid: (loaded.get(first, now), now, loaded.get(last, now))
            for eid, (first, last) in store.span_bounds(info.source, info.version).items()}


def _as_of(version: VersionInfo) -> str:
    """A version's date as an ISO timestamp: its as-of date, else its load time."""
    if version.as_of and version.as_of_basis != "load":
        return f"{version.as_of[:10]}T00:00:00"
    return version.loaded_at


def read_seen(store: Store, active: Iterable[VersionInfo]) -> dict[str, Seen]:
    """:func:`seen_dates` of every active version, in one dict."""
    seen: dict[str, Seen] = {}
    for info in active:
        seen.update(seen_dates(store, info))
    return seen


class SeenDates:
    """:func:`read_seen`'s dates kept per entity position: each position's three dates as
    numbers into the distinct dates (one or two a version), 0 for none; 6 bytes an entity,
    not a dict of a million ids. Read as that dict is: ``get(entity_id)`` (the first
    position with the id: every position with it has the same dates)."""

    def __init__(self, lookup: EntityLookup, dates: dict[str, Seen]) -> None:
        self.lookup = lookup
        number: dict[str, int] = {}
        coded: dict[Seen, tuple[int, ...]] = {}  # few distinct: the versions' dates
        ids = list(dates)
        positions: list[int] = []
        rows: list[tuple[int, ...]] = []
        for i, position in lookup.locate(ids):
            seen = dates[ids[i]]
            row = coded.get(seen)
            if row is None:
                row = coded[seen] = tuple(number.setdefault(d, len(number) + 1) for d in seen)
            positions.append(position)
            rows.append(row)
        self.dates: tuple[str, ...] = ("", *number)
        self.codes = np.zeros((len(lookup), 3), np.uint16 if len(self.dates) <= 1 << 16
                              else np.int64)
        if positions:
            self.codes[positions] = rows

    def at(self, position: int) -> Seen | None:
        first, last, change = self.codes[position].tolist()
        if not first:
            return None
        return self.dates[first], self.dates[last], self.dates[change]

    def get(self, entity_id: str, default: Seen | None = None) -> Seen | None:
        position = self.lookup.position(entity_id)
        found = None if position is None else self.at(position)
        return default if found is None else found

    def __getitem__(self, entity_id: str) -> Seen:
        found = self.get(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    def changed_since(self, positions: Positions, since: str) -> npt.NDArray[np.bool_]:
        """For each position: whether its entity last changed on or after ``since``."""
        later = np.array([bool(d) and d >= since for d in self.dates], bool)
        found: npt.NDArray[np.bool_] = later[self.codes[positions, 2]]
        return found


class ById:
    """Entity id -> the first entity with it, through the lookup's id table: only the
    entity asked for is decoded."""

    def __init__(self, lookup: EntityLookup, entities: Sequence[Entity]) -> None:
        self.lookup = lookup
        self.entities = entities

    def get(self, entity_id: str, default: Entity | None = None) -> Entity | None:
        position = self.lookup.position(entity_id)
        return default if position is None else self.entities[position]

    def __getitem__(self, entity_id: str) -> Entity:
        found = self.get(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    def __contains__(self, entity_id: object) -> bool:
        return isinstance(entity_id, str) and self.lookup.position(entity_id) is not None


@dataclass
class Generation:
    """Matchers, entities and search index for one set of active versions and links.

    Ready to screen as soon as the matcher is open. The entities are the matcher's, decoded
    one at a time when read; the lookup (``match/lookup.py``: id table, /search words,
    facets) is the one persisted with the index, mapped and shared by every worker (built
    at the first use for an index built in memory). The seen dates are read from the store
    at their first use (:meth:`warm` makes them ahead, in the index thread, after the swap),
    once, under a lock; a request that needs them before they are made waits for them, and
    never sees a partial one. ``seen`` is the dates themselves, or what reads them (its
    own store connection)."""

    versions: tuple[VersionInfo, ...]
    matcher: Matcher
    seen_reader: dict[str, Seen] | Callable[[], dict[str, Seen]]
    built_seconds: float = 0.0
    number: int = field(default_factory=lambda: next(_GENERATION))
    links: tuple[SameAs, ...] = ()  # every same-as link, every status, as read at the build
    link_stamp: str = ""  # the store's links_stamp() read just before them

    def __post_init__(self) -> None:
        self.sig = signature(self.versions)
        self.graph = LinkGraph(self.links)
        self._ftm: dict[str, dict[str, Any]] = {}
        self._ftm_lock = threading.Lock()
        self._made: dict[str, Any] = {}
        self._locks = {name: threading.Lock() for name in _PARTS}

    def _once(self, name: str, make: Callable[[], T]) -> T:
        """The part ``name``, made now if it is not yet; a failure to make it is an
        :class:`IndexPartError` (nothing kept: the next caller tries again)."""
        found = self._made.get(name)
        if found is None:
            with self._locks[name]:
                found = self._made.get(name)
                if found is None:
                    try:
                        found = make()
                    except IndexPartError:
                        raise
                    except Exception as exc:
                        raise IndexPartError(name, self.number, exc) from exc
                    self._made[name] = found
        made: T = found
        return made

    @property
    def entities(self) -> Sequence[Entity]:
        """The matcher's entities (the active versions' in order), decoded when read."""
        return self.matcher.entities

    @property
    def lookup(self) -> EntityLookup:
        """Ids, words, facets and relationship keys of the entities (``match/lookup.py``)."""
        return self._once("lookup", lambda: lookup_of(self.matcher))

    @property
    def by_id(self) -> ById:
        """Entity id -> the first entity with it."""
        return self._once("by_id", lambda: ById(self.lookup, self.entities))

    @property
    def search_index(self) -> SearchIndex:
        return self._once("search", lambda: SearchIndex(self.lookup))

    @property
    def seen(self) -> SeenDates:
        """Entity id -> (first seen, last seen, last change) (:func:`seen_dates`)."""
        reader = self.seen_reader
        return self._once("seen", lambda: SeenDates(
            self.lookup, reader if isinstance(reader, dict) else reader()))

    def warm(self) -> None:
        """Make what requests read (seen dates, entities by id, search index) now; raises
        :class:`IndexPartError` when one cannot be made."""
        _ = self.seen, self.by_id, self.search_index

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(v.source for v in self.versions)

    @property
    def parties(self) -> Parties | None:
        """The parties of the listed entities (None: no two are linked)."""
        return self.matcher.parties

    def version_map(self) -> dict[str, int]:
        return {v.source: v.version for v in self.versions}

    def ftm(self, entity: Entity) -> dict[str, Any]:
        """The entity's FtM JSON, converted once per generation; the last :data:`FTM_KEPT`
        converted are kept (results repeat; a million would not fit)."""
        data = self._ftm.get(entity.id)
        if data is None:
            data = entity_to_ftm(entity)
            with self._ftm_lock:
                while len(self._ftm) >= FTM_KEPT:
                    del self._ftm[next(iter(self._ftm))]  # the oldest
                self._ftm[entity.id] = data
        return data

    def match(self, query: Query, sources: frozenset[str], limit: int,
              cutoff: float) -> list[MatchResult]:
        """Best results among ``sources``: a view of the one index, so a pair scores the
        same whichever datasets are asked for."""
        if not sources:
            return []
        return self.matcher.match(query, limit=limit, threshold=cutoff, sources=sources)


def build_generation(store: Store, open_store: Callable[[], Store] | None = None,
                     ) -> Generation:
    """Read the links and the active versions, and open their index: the persisted one
    (memory-mapped, shared with every other process) when valid, else built and persisted
    (:func:`discreet.match.persist.open_matcher`; seconds for a large list: run it aside).
    The links are read first, their stamp before them: a link changed while this runs is
    seen by the next poll (the stamp differs), never lost; so is a version made active
    meanwhile (the generation keeps the versions read here).

    With ``open_store``, the seen dates are read at their first use (or
    :meth:`Generation.warm`) through a store it opens, not here: they are for the versions
    read here, which do not change."""
    started = time.perf_counter()
    stamp = store.links_stamp()
    links = tuple(store.links())
    active = tuple(store.active())
    matcher = open_matcher(store)
    seen: dict[str, Seen] | Callable[[], dict[str, Seen]]
    if open_store is None:
        seen = read_seen(store, active)
    else:
        opener = open_store

        def seen_later() -> dict[str, Seen]:
            with opener() as own:
                return read_seen(own, active)
        seen = seen_later
    return Generation(active, matcher, seen, built_seconds=time.perf_counter() - started,
                      links=links, link_stamp=stamp)

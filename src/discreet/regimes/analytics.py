"""Regime analytics over the store: size over time, flows, alignment, relistings, coverage.

A regime (``russia-ukraine``, ``isil-al-qaida``…) is run by several authorities, each under
its own programme codes; the programme catalogue (:mod:`discreet.programmes`) maps every code
to one regime. An entity is *in* a regime in a version when one of its programme codes there
maps to it. Everything is counted from the store's spans (an entity's content over a run of
versions, in as-of order), read once per question (:meth:`Store.span_facts`), so the cost
grows with the number of changes, not with entities × versions.

How each date is known is kept with it (the store's vocabulary, ``store/history.py``):
``stated`` (the list states it), ``between`` (first seen in a version: after the one
before's as-of date, on or before this one's), ``on or before`` (present in the first
version held: not a designation then) and ``load time`` (a version dated by nobody).

A *party* is one real person or organisation; an *entity* one authority's listing of it.
Same-as links (``Store.parties()``) join entities of one party; an entity with no link is
its own party. Alignment counts parties, so one person listed by four authorities counts
once in each.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from discreet.errors import NotFoundError
from discreet.programmes.catalogue import Regime, catalogue
from discreet.store import Store, VersionInfo
from discreet.store.regimes import SpanFacts

__all__ = [
    "Alignment",
    "AlignmentCell",
    "Coverage",
    "FlowRow",
    "Member",
    "RegimeData",
    "RegimeEvent",
    "Relisting",
    "SizePoint",
    "SizeSeries",
    "SourceCoverage",
    "alignment",
    "coverage",
    "events",
    "flows",
    "load_regime",
    "name_events",
    "regime_alignment",
    "regime_flows",
    "regime_relistings",
    "regime_sizes",
    "regime_summaries",
    "relistings",
    "size_series",
    "version_at",
]

STATED, BETWEEN, ON_OR_BEFORE, LOAD_TIME = "stated", "between", "on or before", "load time"
DESIGNATION, RELISTING, DELISTING = "designation", "relisting", "delisting"


@dataclass(frozen=True, slots=True)
class VersionRef:
    """One version a figure rests on: its source, number, place and as-of date."""

    source: str
    authority: str
    version: int
    position: int
    as_of: str  # ISO date
    as_of_basis: str  # file, operator, last-modified, download, load

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Member:
    """One run of versions (positions ``first``..``last``; ``last`` None: still in the
    active version) in which an entity of a source is in the regime."""

    source: str
    entity_id: str
    first: int
    last: int | None
    first_hash: str
    last_hash: str
    listed_on: str | None  # as stated in the run's first content
    delisted_on: str | None  # as stated in the run's last content


@dataclass(slots=True)
class RegimeData:
    """What the analytics of one regime read from the store, once.

    ``members`` are the runs in the regime; ``listed`` is, per (source, entity), the runs of
    positions in which it is listed at all (under any programme), to tell a delisting from
    a programme change and to see who lists a party under another regime.
    """

    regime: Regime
    versions: dict[str, list[VersionRef]]  # source -> versions in as-of order
    authorities: dict[str, str]  # source -> authority
    members: list[Member]
    listed: dict[tuple[str, str], list[tuple[int, int | None]]]
    regime_authorities: list[str]  # authorities whose catalogue has programmes of the regime
    captions: Callable[[Iterable[str]], dict[str, str]] = lambda _: {}  # hash -> a name

    def version(self, source: str, position: int) -> VersionRef | None:
        found = self.versions.get(source, [])
        return found[position - 1] if 1 <= position <= len(found) else None

    def listed_at(self, source: str, entity_id: str, position: int) -> bool:
        return any(first <= position and (last is None or last >= position)
                   for first, last in self.listed.get((source, entity_id), ()))

    @property
    def sources(self) -> list[str]:
        """Sources with at least one entity in the regime in some version."""
        return sorted({m.source for m in self.members})


def _authority_code(label: str) -> str:
    found = catalogue().authority(label)
    return found.code if found else label


def _regime(regime_id: str) -> Regime:
    cat = catalogue()
    found = cat.regimes.get(regime_id) or cat.regimes.get(regime_id.strip().lower())
    if found is None:
        raise NotFoundError(f"no regime {regime_id!r}; known: "
                            f"{', '.join(sorted(cat.regimes))}")
    return found


def _in_regime(authority: str, programmes: tuple[str, ...], regime: str,
               cache: dict[tuple[str, tuple[str, ...]], bool], source: str) -> bool:
    """Whether one of the codes maps to the regime; kept per (source, codes)."""
    cat = catalogue()
    hit = cache[(source, programmes)] = any(
        (p := cat.resolve(authority, code)) is not None and p.regime == regime
        for code in programmes)
    return hit


def _refs(infos: Iterable[VersionInfo], authorities: Mapping[str, str]
          ) -> dict[str, list[VersionRef]]:
    out: dict[str, list[VersionRef]] = {}
    for v in infos:
        out.setdefault(v.source, []).append(VersionRef(
            v.source, authorities.get(v.source, ""), v.version, v.position, v.as_of[:10],
            v.as_of_basis))
    for refs in out.values():
        refs.sort(key=lambda r: r.position)
    return out


def load_regime(store: Store, regime_id: str) -> RegimeData:
    """Read one regime's runs from the store (one query over the spans of every source)."""
    regime = _regime(regime_id)
    authorities = store.source_authorities()
    versions = _refs(store.versions(), authorities)
    cache: dict[tuple[str, tuple[str, ...]], bool] = {}
    members: list[Member] = []
    listed: dict[tuple[str, str], list[tuple[int, int | None]]] = {}
    run: list[SpanFacts] = []
    for span in store.span_facts():
        key = (span.source, span.entity_id)
        runs = listed.get(key)
        if runs is None:
            listed[key] = [(span.first, span.last)]
        elif runs[-1][1] is not None and runs[-1][1] + 1 == span.first:
            runs[-1] = (runs[-1][0], span.last)
        else:
            runs.append((span.first, span.last))
        inside = cache.get((span.source, span.programmes))
        if inside is None:
            inside = _in_regime(authorities.get(span.source, ""), span.programmes, regime.id,
                                cache, span.source)
        if not inside:
            continue
        if run and (run[-1].source, run[-1].entity_id) == key and run[-1].last is not None \
                and run[-1].last + 1 == span.first:
            run.append(span)
            continue
        if run:
            members.append(_member(run))
        run = [span]
    if run:
        members.append(_member(run))
    # An entity no longer in the regime but still listed leaves only runs of other
    # programmes: keep ``listed`` for every entity, it is one pair per run.
    taking_part = sorted({p.authority for p in catalogue().programmes(regime.id)})
    return RegimeData(regime, versions, authorities, members, listed, taking_part,
                      store.record_captions)


def _member(run: list[SpanFacts]) -> Member:
    first, last = run[0], run[-1]
    return Member(first.source, first.entity_id, first.first, last.last, first.hash, last.hash,
                  first.listed_on, last.delisted_on)


# -- size over time -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SizePoint:
    """Entities of one source in the regime as of one version."""

    date: str
    count: int
    version: int
    as_of_basis: str


@dataclass(slots=True)
class SizeSeries:
    """A step series: the regime's listings of one source at each of its version dates."""

    source: str
    authority: str
    points: list[SizePoint] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.authority} ({self.source})"

    def at(self, day: str) -> SizePoint | None:
        """The point of the latest version as of ``day`` (None: no version by then)."""
        found = [p for p in self.points if p.date <= day]
        return found[-1] if found else None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "authority": self.authority,
                "points": [asdict(p) for p in self.points]}


def _counts(data: RegimeData, source: str) -> list[int]:
    """Entities in the regime at each position (index 0 = position 1) of a source."""
    n = len(data.versions.get(source, []))
    delta = [0] * (n + 2)
    for m in data.members:
        if m.source == source:
            delta[m.first] += 1
            delta[(m.last if m.last is not None else n) + 1] -= 1
    out, running = [], 0
    for pos in range(1, n + 1):
        running += delta[pos]
        out.append(running)
    return out


def size_series(data: RegimeData) -> list[SizeSeries]:
    """Per source with entities in the regime, its count at each version (as-of order)."""
    out = []
    for source in data.sources:
        refs = data.versions[source]
        series = SizeSeries(source, data.authorities.get(source, ""))
        for ref, count in zip(refs, _counts(data, source), strict=True):
            series.points.append(SizePoint(ref.as_of, count, ref.version, ref.as_of_basis))
        out.append(series)
    return out


# -- designations, delistings, relistings ----------------------------------------------------


@dataclass(slots=True)
class RegimeEvent:
    """An entity entering or leaving the regime in one source.

    ``kind`` is designation (first run), relisting (a later run) or delisting (a run ends).
    ``date``/``dated``/``after`` say when, as the store's histories do. ``other_programmes``
    marks an entry or exit while the entity stays listed under other programmes (a
    programme added or removed, not a listing or delisting of the entity).
    """

    kind: str
    source: str
    authority: str
    entity_id: str
    version: int  # the version in which the change is first seen
    position: int
    date: str
    dated: str
    after: str | None = None
    other_programmes: bool = False
    caption: str = ""
    party: str = ""
    hash: str = ""  # the entity's content there (entering: the new one; leaving: the last)

    @property
    def when(self) -> str:
        if self.dated == BETWEEN and self.after:
            return f"between {self.after} and {self.date}"
        if self.dated == ON_OR_BEFORE:
            return f"on or before {self.date}"
        if self.dated == LOAD_TIME:
            since = f"after {self.after}, " if self.after else ""
            return f"{since}date not stated (loaded {self.date})"
        return self.date

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "when": self.when}


def _seen(data: RegimeData, source: str, pos: int) -> tuple[str, str, str | None]:
    """(date, dated, after) of a change first seen in the version at ``pos``."""
    here = data.version(source, pos)
    assert here is not None
    before = data.version(source, pos - 1)
    after = before.as_of if before else None
    if here.as_of_basis == "load":
        return here.as_of, LOAD_TIME, after
    if before is None:
        return here.as_of, ON_OR_BEFORE, None
    return here.as_of, BETWEEN, after


def _stated(value: str | None, after: str | None, upto: str) -> str | None:
    """A date the list states, kept when it lies after ``after`` and by ``upto``."""
    if not value or value > upto or (after is not None and value <= after):
        return None
    return value


def events(data: RegimeData) -> list[RegimeEvent]:
    """Every designation, relisting and delisting of the regime, by source then date."""
    out: list[RegimeEvent] = []
    previous: Member | None = None
    for m in data.members:
        auth = data.authorities.get(m.source, "")
        again = previous is not None and (previous.source, previous.entity_id) == \
            (m.source, m.entity_id)
        ref = data.version(m.source, m.first)
        assert ref is not None
        date, dated, after = _seen(data, m.source, m.first)
        stated = _stated(m.listed_on, after if dated != ON_OR_BEFORE else None, ref.as_of)
        if stated and not again:
            date, dated = stated, STATED
        other = m.first > 1 and data.listed_at(m.source, m.entity_id, m.first - 1)
        out.append(RegimeEvent(RELISTING if again else DESIGNATION, m.source, auth,
                               m.entity_id, ref.version, m.first, date, dated,
                               after if dated != STATED else None, other, hash=m.first_hash))
        gone = data.version(m.source, m.last + 1) if m.last is not None else None
        if m.last is not None and gone is not None:
            date, dated, after = _seen(data, m.source, m.last + 1)
            here = data.version(m.source, m.last)
            stated = _stated(m.delisted_on, None, gone.as_of)
            if stated and here is not None and stated >= here.as_of:
                date, dated, after = stated, STATED, None
            still = data.listed_at(m.source, m.entity_id, m.last + 1)
            out.append(RegimeEvent(DELISTING, m.source, auth, m.entity_id, gone.version,
                                   m.last + 1, date, dated, after, still, hash=m.last_hash))
        previous = m
    return out


def name_events(data: RegimeData, found: Iterable[RegimeEvent],
                parties: Mapping[str, str] | None = None) -> None:
    """Fill each event's caption (one batched read) and party id."""
    found = list(found)
    names = data.captions(e.hash for e in found)
    for e in found:
        e.caption = names.get(e.hash, e.entity_id)
        e.party = (parties or {}).get(e.entity_id, e.entity_id)


@dataclass(slots=True)
class FlowRow:
    """Designations (relistings included) and delistings of one source in one period, by
    how their dates are known (``basis``: stated, inferred, on or before, undated)."""

    period: str
    source: str
    authority: str
    basis: str
    designations: int = 0
    delistings: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _bucket(day: str, by: str) -> str:
    return day[:4] if by == "year" else day[:7]


def flows(data: RegimeData, *, by: str = "month", since: str | None = None,
          until: str | None = None, found: Sequence[RegimeEvent] | None = None
          ) -> list[FlowRow]:
    """Designations and delistings per period and source.

    A change first seen in a version is counted in the period of that version's as-of
    date with basis ``inferred`` (it happened between the version before and it); a
    stated date puts it in its own period (``stated``). Entities present in the first
    version held are not designations: they are counted under ``≤DATE`` (``on or
    before``). ``since``/``until`` keep events dated in that range (by their date as
    counted).
    """
    if by not in ("month", "year"):
        raise ValueError(f"by must be month or year, not {by!r}")
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for e in found if found is not None else events(data):
        if (since and e.date < since) or (until and e.date > until):
            continue
        if e.dated == STATED:
            period, basis = _bucket(e.date, by), "stated"
        elif e.dated == BETWEEN:
            period, basis = _bucket(e.date, by), "inferred"
        elif e.dated == ON_OR_BEFORE:
            period, basis = f"≤{e.date}", "on or before"
        else:
            period, basis = (f"after {e.after}" if e.after else f"≤{e.date}"), "undated"
        counts[(period, e.source, basis, e.kind)] += 1
    rows: dict[tuple[str, str, str], FlowRow] = {}
    for (period, source, basis, kind), n in counts.items():
        row = rows.setdefault((period, source, basis), FlowRow(
            period, source, data.authorities.get(source, ""), basis))
        if kind == DELISTING:
            row.delistings += n
        else:
            row.designations += n
    return [rows[k] for k in sorted(rows)]


@dataclass(slots=True)
class Relisting:
    """An entity that left the regime in a source and came back: when each happened."""

    source: str
    authority: str
    entity_id: str
    delisted: RegimeEvent
    relisted: RegimeEvent
    caption: str = ""
    party: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "authority": self.authority,
                "entity_id": self.entity_id, "caption": self.caption, "party": self.party,
                "delisted": self.delisted.to_dict(), "relisted": self.relisted.to_dict()}


def relistings(data: RegimeData, found: Sequence[RegimeEvent] | None = None
               ) -> list[Relisting]:
    """Each delisting followed by a relisting of the same entity in the same source."""
    out: list[Relisting] = []
    last_out: dict[tuple[str, str], RegimeEvent] = {}
    for e in found if found is not None else events(data):
        key = (e.source, e.entity_id)
        if e.kind == DELISTING:
            last_out[key] = e
        elif e.kind == RELISTING and key in last_out:
            out.append(Relisting(e.source, e.authority, e.entity_id, last_out.pop(key), e))
    return out


# -- where the answers come from ------------------------------------------------------------


def version_at(data: RegimeData, source: str, day: str) -> VersionRef | None:
    """The version of a source in force on ``day``: the latest as of that day."""
    found = [r for r in data.versions.get(source, []) if r.as_of <= day]
    return found[-1] if found else None


@dataclass(slots=True)
class SourceCoverage:
    """Which versions of one source a figure for [since, until] rests on, and its gaps."""

    source: str
    authority: str
    first: VersionRef | None  # the first version held
    last: VersionRef | None  # the last version held
    baseline: VersionRef | None  # in force on ``since`` (None: no version by then)
    end: VersionRef | None  # in force on ``until``
    used: list[VersionRef] = field(default_factory=list)  # baseline .. end
    gaps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def ref(r: VersionRef | None) -> dict[str, Any] | None:
            return r.to_dict() if r else None
        return {"source": self.source, "authority": self.authority, "first": ref(self.first),
                "last": ref(self.last), "baseline": ref(self.baseline), "end": ref(self.end),
                "used": [r.to_dict() for r in self.used], "gaps": self.gaps}


@dataclass(slots=True)
class Coverage:
    """Coverage of every source taking part in the regime, and authorities with no data."""

    since: str
    until: str
    sources: list[SourceCoverage]
    missing_authorities: list[str]  # in the catalogue for the regime, no source in the store
    gaps: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until,
                "sources": [s.to_dict() for s in self.sources],
                "missing_authorities": self.missing_authorities, "gaps": self.gaps}


def coverage(data: RegimeData, since: str, until: str) -> Coverage:
    """Which versions answer a question about [since, until], and where there is no data."""
    out: list[SourceCoverage] = []
    gaps: list[str] = []
    for source in data.sources:
        refs = data.versions[source]
        auth = data.authorities.get(source, "")
        base, end = version_at(data, source, since), version_at(data, source, until)
        lo = base.position if base else 1
        hi = end.position if end else 0
        cov = SourceCoverage(source, auth, refs[0] if refs else None,
                             refs[-1] if refs else None, base, end,
                             [r for r in refs if lo <= r.position <= hi])
        if end is None:
            cov.gaps.append(f"no version of {source} as of {until} or before: its first is "
                            f"as of {refs[0].as_of}")
        elif base is None:
            cov.gaps.append(f"no version of {source} as of {since} or before (the first held "
                            f"is as of {refs[0].as_of}): no count at {since}, and changes "
                            f"before {refs[0].as_of} are unknown")
        if end is not None and end.position == len(refs) and end.as_of < until:
            cov.gaps.append(f"{source}: nothing held after {end.as_of} (to {until})")
        undated = [r for r in cov.used if r.as_of_basis == "load"]
        if undated:
            cov.gaps.append(f"{source}: {len(undated)} version(s) dated only by their load "
                            "time (changes in them are not dated)")
        gaps.extend(cov.gaps)
        out.append(cov)
    present = {_authority_code(a) for a in data.authorities.values()}
    with_data = {_authority_code(data.authorities.get(s, "")) for s in data.sources}
    missing = [a for a in data.regime_authorities if a not in with_data and a != "FtM"]
    for a in missing:
        gaps.append(f"{a}: its lists in the store name no entity in this regime (zero only "
                    "if they are complete)" if a in present else
                    f"{a}: no list of it in the store: no data, not zero")
    return Coverage(since, until, out, missing, gaps)


# -- alignment ------------------------------------------------------------------------------


@dataclass(slots=True)
class AlignmentCell:
    """Of the parties authority ``a`` lists in the regime, how many ``b`` lists too (in the
    regime), how many ``b`` lists only under another regime, and who ``b`` does not list."""

    a: str
    b: str
    listed_by_a: int
    also_by_b: int
    other_regime_by_b: int
    not_by_b: list[str]  # party ids (entity ids of ``a``'s listings)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Alignment:
    """The alignment matrix of a regime on one date, with the versions it rests on."""

    regime: str
    at: str
    authorities: list[str]
    cells: list[AlignmentCell]
    versions: list[VersionRef]
    parties: dict[str, set[str]]  # authority -> its parties in the regime on ``at``
    captions: dict[str, str] = field(default_factory=dict)  # party -> a name
    gaps: list[str] = field(default_factory=list)

    def cell(self, a: str, b: str) -> AlignmentCell:
        for c in self.cells:
            if (c.a, c.b) == (a, b):
                return c
        raise KeyError((a, b))

    def to_dict(self) -> dict[str, Any]:
        return {"regime": self.regime, "at": self.at, "authorities": self.authorities,
                "cells": [c.to_dict() for c in self.cells],
                "versions": [v.to_dict() for v in self.versions],
                "parties": {a: len(p) for a, p in self.parties.items()},
                "captions": self.captions, "gaps": self.gaps}


def _active_at(data: RegimeData, day: str) -> tuple[dict[str, set[str]], dict[str, set[str]],
                                                     list[VersionRef], dict[str, str]]:
    """Per authority, the entities in the regime and all its listed entities on ``day``;
    the versions used; entity -> hash (for names)."""
    in_regime: dict[str, set[str]] = {}
    listed: dict[str, set[str]] = {}
    used: list[VersionRef] = []
    hashes: dict[str, str] = {}
    where: dict[str, int] = {}
    for source in data.versions:
        ref = version_at(data, source, day)
        if ref is not None:
            where[source] = ref.position
            used.append(ref)
            listed.setdefault(_authority_code(data.authorities.get(source, "")), set())
    for (src, eid), runs in data.listed.items():
        pos = where.get(src)
        if pos is not None and any(f <= pos and (last is None or last >= pos)
                                   for f, last in runs):
            listed[_authority_code(data.authorities.get(src, ""))].add(eid)
    for m in data.members:
        pos = where.get(m.source)
        if pos is not None and m.first <= pos and (m.last is None or m.last >= pos):
            auth = _authority_code(data.authorities.get(m.source, ""))
            in_regime.setdefault(auth, set()).add(m.entity_id)
            hashes[m.entity_id] = m.last_hash
    return in_regime, listed, used, hashes


def alignment(data: RegimeData, parties: Mapping[str, str], at: str) -> Alignment:
    """Who lists whom in the regime on ``at``, counted in parties (``parties``: entity ->
    party id for linked entities; others are their own party)."""
    in_regime, listed, used, hashes = _active_at(data, at)
    auths = sorted(a for a in in_regime if in_regime[a])
    own = {a: {parties.get(e, e) for e in in_regime[a]} for a in auths}
    anywhere = {a: {parties.get(e, e) for e in listed.get(a, set())} for a in listed}
    cells = []
    for a in auths:
        for b in auths:
            if a == b:
                continue
            also = own[a] & own[b]
            other = (own[a] & anywhere.get(b, set())) - own[b]
            cells.append(AlignmentCell(a, b, len(own[a]), len(also), len(other),
                                       sorted(own[a] - own[b])))
    gaps = [f"{a}: no version as of {at} or before" for a in data.regime_authorities
            if a != "FtM" and a not in auths]
    names = data.captions(hashes.values())
    captions = {parties.get(e, e): names.get(h, e)
                for e, h in sorted(hashes.items(), reverse=True)}
    return Alignment(data.regime.id, at, auths, cells, sorted(used, key=lambda r: r.source),
                     own, captions, gaps)


# -- every regime at a glance ---------------------------------------------------------------


def regime_summaries(store: Store) -> list[dict[str, Any]]:
    """Each regime of the catalogue: its authorities, and its listings in the active
    versions of the store per authority (one pass over the open spans)."""
    cat = catalogue()
    authorities = store.source_authorities()
    per: dict[str, Counter[str]] = {}
    memo: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    for span in store.span_facts():
        if span.last is not None:  # open spans: in the active version
            continue
        auth = authorities.get(span.source, "")
        key = (auth, span.programmes)
        found = memo.get(key)
        if found is None:
            found = memo[key] = {p.regime for c in span.programmes
                                 if (p := cat.resolve(auth, c)) is not None and p.regime}
        for regime in found:
            per.setdefault(regime, Counter())[_authority_code(auth)] += 1
    return [{"id": r.id, "name": r.name,
             "authorities": sorted({p.authority for p in cat.programmes(r.id)}),
             "active": dict(sorted(per.get(r.id, Counter()).items()))}
            for r in cat.regimes.values()]


# -- one call per question (the CLI and the API) --------------------------------------------


def regime_sizes(store: Store, regime: str) -> list[SizeSeries]:
    """Size over time of one regime, per list."""
    return size_series(load_regime(store, regime))


def regime_flows(store: Store, regime: str, *, by: str = "month", since: str | None = None,
                 until: str | None = None) -> list[FlowRow]:
    """Designations and delistings of one regime per period and list."""
    if by not in ("month", "year"):
        raise ValueError(f"by must be month or year, not {by!r}")
    return flows(load_regime(store, regime), by=by, since=since, until=until)


def regime_alignment(store: Store, regime: str, at: str | None = None) -> Alignment:
    """The alignment matrix of one regime on ``at`` (default: today, the latest versions)."""
    return alignment(load_regime(store, regime), store.parties(),
                     at or dt.date.today().isoformat())


def regime_relistings(store: Store, regime: str) -> list[Relisting]:
    """Every delisting of the regime followed by a relisting, named."""
    data = load_regime(store, regime)
    found = relistings(data)
    parties = store.parties()
    name_events(data, [e for r in found for e in (r.delisted, r.relisted)], parties)
    for r in found:
        r.caption, r.party = r.relisted.caption, r.relisted.party
    return found

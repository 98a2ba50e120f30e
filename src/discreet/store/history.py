"""An entity's life across versions, and designations / delistings per programme over time.

Everything follows as-of order (each version's ``pos``), never load order. Each date says
how it is known (``dated``):

- ``stated``: the list itself states it (UN ``LISTED_ON``, EU and UK designation dates,
  a stated delisting date);
- ``between``: first seen in a version: it happened after the version before's as-of
  date and on or before this version's;
- ``on or before``: present in the first version of its source discreet holds, so its
  designation could have been any time before: it is not counted as a designation then;
- ``load time``: seen in a version whose file states no date and whose operator gave none:
  the load time bounds it from above, but is never used as the event's date.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from discreet.errors import NotFoundError
from discreet.model import Entity
from discreet.store.db import Database
from discreet.store.diff import field_changes

__all__ = ["HistoryEvent", "TimelineRow", "entity_history", "timeline"]

STATED, BETWEEN, ON_OR_BEFORE, LOAD_TIME = "stated", "between", "on or before", "load time"


@dataclass(slots=True)
class HistoryEvent:
    """listed, changed, delisted or relisted, in one version of one source.

    ``date`` is the stated date when the list gives one, else the version's as-of date;
    ``dated`` says which (see the module's docstring) and ``after`` is the as-of date of
    the version before, when the event lies between two versions.
    """

    source: str
    version: int
    date: str
    event: str
    fields: list[str] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    dated: str = STATED
    after: str | None = None

    @property
    def when(self) -> str:
        """The date as a person should read it: stated, a bound, or an interval."""
        if self.dated == BETWEEN and self.after:
            return f"between {self.after} and {self.date}"
        if self.dated == LOAD_TIME:
            since = f"after {self.after}, " if self.after else ""
            return f"{since}date not stated (loaded {self.date})"
        if self.dated == ON_OR_BEFORE:
            return f"on or before {self.date}"
        return self.date

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "when": self.when}


@dataclass(slots=True)
class TimelineRow:
    """Counts in one period for one authority and programme, and how their dates are known.

    ``basis`` is ``stated`` (the list's own dates), ``inferred`` (between two versions,
    counted in the later one's period), ``on or before`` (present in the first version
    held: ``period`` is then ``≤DATE``, not a period of designations) or ``undated`` (the
    version's date was not stated: ``period`` is ``after DATE``, the version before).
    """

    period: str
    authority: str
    programme: str
    designations: int
    delistings: int
    basis: str = STATED

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Version:
    seq: int
    as_of: str
    basis: str


def _versions(db: Database) -> dict[tuple[str, int], _Version]:
    """(source, position) -> the version there, its as-of date and how it is known."""
    rows = db.query("SELECT source, pos, seq, as_of, as_of_basis FROM version")
    return {(str(s), int(p)): _Version(int(q), str(a)[:10], str(b)) for s, p, q, a, b in rows}


def _spans(db: Database, where: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return db.query("SELECT s.source, s.entity_id, s.first_pos, s.last_pos, r.data FROM span s "
                    f"JOIN record r ON r.hash = s.hash {where} "
                    "ORDER BY s.source, s.entity_id, s.first_pos", params)


def _seen(versions: dict[tuple[str, int], _Version], source: str, pos: int
          ) -> tuple[str, str, str | None]:
    """(date, dated, after) of something first seen in the version at ``pos``."""
    here = versions[(source, pos)]
    before = versions.get((source, pos - 1))
    after = before.as_of if before else None
    if here.basis == "load":
        return here.as_of, LOAD_TIME, after
    if before is None:
        return here.as_of, ON_OR_BEFORE, None
    return here.as_of, BETWEEN, after


def _stated(value: object, after: str | None) -> str | None:
    """A date the list states, kept when it does not contradict the versions around it."""
    if not isinstance(value, str) or not value:
        return None
    return value if after is None or value[:10] > after else None


def entity_history(db: Database, entity_id: str) -> list[HistoryEvent]:
    """Every listing, change and delisting of one entity, in as-of order."""
    spans = _spans(db, "WHERE s.entity_id = ?", (entity_id,))
    if not spans:
        raise NotFoundError(f"no entity {entity_id!r} in any version of any source")
    versions = _versions(db)
    events: list[HistoryEvent] = []
    previous: tuple[Any, ...] | None = None
    for span in spans:
        source, _, first, last, data = span
        seq = versions[(source, first)].seq
        date, dated, after = _seen(versions, source, first)
        if previous is not None and previous[0] == source and previous[3] == first - 1:
            names, was, now = field_changes(Entity.from_dict(json.loads(previous[4])),
                                            Entity.from_dict(json.loads(data)))
            changes = {k: {"before": was[k], "after": now[k]} for k in names}
            events.append(HistoryEvent(source, seq, date, "changed", names, changes, dated,
                                       after))
        else:
            relisted = previous is not None and previous[0] == source
            stated = _stated(json.loads(data).get("listed_on"), after if relisted else None)
            kind = "relisted" if relisted else "listed"
            events.append(HistoryEvent(source, seq, stated, kind) if stated else
                          HistoryEvent(source, seq, date, kind, dated=dated, after=after))
        if (last is not None and (source, last + 1) in versions
                and not _continues(spans, span)):
            events.append(_delisting(versions, source, last, json.loads(data)))
        previous = span
    return events


def _delisting(versions: dict[tuple[str, int], _Version], source: str, last: int,
               record: dict[str, Any]) -> HistoryEvent:
    """The delisting of an entity last present at position ``last``."""
    seq = versions[(source, last + 1)].seq
    stated = _stated(record.get("delisted_on"), None)
    if stated:
        return HistoryEvent(source, seq, stated, "delisted")
    date, dated, after = _seen(versions, source, last + 1)
    return HistoryEvent(source, seq, date, "delisted", dated=dated, after=after)


def _continues(spans: list[tuple[Any, ...]], span: tuple[Any, ...]) -> bool:
    return any(s[0] == span[0] and s[2] == span[3] + 1 for s in spans)


def _bucket(date: str, by: str) -> str:
    return date[:4] if by == "year" else date[:7]


def _period(date: str, dated: str, after: str | None, by: str) -> tuple[str, str]:
    """(period, basis) a timeline counts an event under."""
    if dated == STATED:
        return _bucket(date, by), "stated"
    if dated == BETWEEN:
        return _bucket(date, by), "inferred"
    if dated == ON_OR_BEFORE:
        return f"≤{date}", "on or before"
    return (f"after {after}" if after else f"≤{date}"), "undated"


def timeline(db: Database, *, programme: str | None = None, authority: str | None = None,
             by: str = "month") -> list[TimelineRow]:
    """Designations and delistings per period, authority and programme, with their basis."""
    sources = db.query("SELECT name, authority FROM source")
    wanted = {str(n): str(a) for n, a in sources
              if authority is None or str(a).lower() == authority.lower()}
    versions = _versions(db)
    counts: Counter[tuple[str, str, str, str, str]] = Counter()
    for source, auth in wanted.items():
        spans = _spans(db, "WHERE s.source = ?", (source,))
        for date, dated, after, prog, kind in _events(spans, versions):
            period, basis = _period(date, dated, after, by)
            counts[(period, auth, prog, basis, kind)] += 1
    return _rows(counts, programme)


def _events(spans: Iterable[tuple[Any, ...]], versions: dict[tuple[str, int], _Version]
            ) -> Iterable[tuple[str, str, str | None, str, str]]:
    """(date, dated, after, programme, kind) for each designation and delisting."""
    by_entity: dict[str, list[tuple[Any, ...]]] = {}
    for span in spans:
        by_entity.setdefault(span[1], []).append(span)
    for rows in by_entity.values():
        source = rows[0][0]
        first, last = json.loads(rows[0][4]), rows[-1]
        stated = _stated(first.get("listed_on"), None)
        date, dated, after = ((stated, STATED, None) if stated
                              else _seen(versions, source, rows[0][2]))
        for prog in first.get("programmes") or ["(none)"]:
            yield date, dated, after, prog, "designations"
        final = json.loads(last[4])
        gone = last[3] is not None and (source, last[3] + 1) in versions
        delisted = _stated(final.get("delisted_on"), None)
        if delisted or gone:
            date, dated, after = ((delisted, STATED, None) if delisted
                                  else _seen(versions, source, last[3] + 1))
            for prog in final.get("programmes") or ["(none)"]:
                yield date, dated, after, prog, "delistings"


def _rows(counts: Counter[tuple[str, str, str, str, str]], programme: str | None
          ) -> list[TimelineRow]:
    merged: dict[tuple[str, str, str, str], list[int]] = {}
    for (period, auth, prog, basis, kind), n in counts.items():
        if programme is not None and prog.lower() != programme.lower():
            continue
        slot = merged.setdefault((period, auth, prog, basis), [0, 0])
        slot[0 if kind == "designations" else 1] += n
    return [TimelineRow(p, a, g, d, x, b) for (p, a, g, b), (d, x) in sorted(merged.items())]

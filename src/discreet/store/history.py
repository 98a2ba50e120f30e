"""An entity's life across versions, and designations / delistings per programme over time.

Dates: a designation is dated by the authority's own listing date when the list states one,
else by the version in which discreet first saw the entity; a delisting by the list's
delisting date when stated, else by the first version without the entity. Version dates are
the file's publication date, else the load time.
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


@dataclass(slots=True)
class HistoryEvent:
    """listed, changed, delisted or relisted, in one version of one source."""

    source: str
    version: int
    date: str
    event: str
    fields: list[str] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class TimelineRow:
    """Counts in one period for one authority and programme."""

    period: str
    authority: str
    programme: str
    designations: int
    delistings: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _version_dates(db: Database) -> dict[tuple[str, int], str]:
    rows = db.query("SELECT source, seq, published, loaded_at FROM version")
    return {(str(s), int(q)): str(p or la)[:10] for s, q, p, la in rows}


def _spans(db: Database, where: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return db.query("SELECT s.source, s.entity_id, s.first_seq, s.last_seq, r.data FROM span s "
                    f"JOIN record r ON r.hash = s.hash {where} "
                    "ORDER BY s.source, s.entity_id, s.first_seq", params)


def entity_history(db: Database, entity_id: str) -> list[HistoryEvent]:
    """Every listing, change and delisting of one entity, oldest first."""
    spans = _spans(db, "WHERE s.entity_id = ?", (entity_id,))
    if not spans:
        raise NotFoundError(f"no entity {entity_id!r} in any version of any source")
    dates = _version_dates(db)
    events: list[HistoryEvent] = []
    previous: tuple[Any, ...] | None = None
    for span in spans:
        source, _, first, last, data = span
        if previous is not None and previous[0] == source and previous[3] == first - 1:
            names, was, now = field_changes(Entity.from_dict(json.loads(previous[4])),
                                            Entity.from_dict(json.loads(data)))
            changes = {k: {"before": was[k], "after": now[k]} for k in names}
            events.append(HistoryEvent(source, first, dates[(source, first)], "changed",
                                       names, changes))
        else:
            kind = "relisted" if previous is not None and previous[0] == source else "listed"
            events.append(HistoryEvent(source, first, dates[(source, first)], kind))
        if last is not None and (source, last + 1) in dates and not _continues(spans, span):
            events.append(HistoryEvent(source, last + 1, dates[(source, last + 1)], "delisted"))
        previous = span
    return events


def _continues(spans: list[tuple[Any, ...]], span: tuple[Any, ...]) -> bool:
    return any(s[0] == span[0] and s[2] == span[3] + 1 for s in spans)


def _bucket(date: str, by: str) -> str:
    return date[:4] if by == "year" else date[:7]


def timeline(db: Database, *, programme: str | None = None, authority: str | None = None,
             by: str = "month") -> list[TimelineRow]:
    """Designations and delistings per period, authority and programme."""
    sources = db.query("SELECT name, authority FROM source")
    wanted = {str(n): str(a) for n, a in sources
              if authority is None or str(a).lower() == authority.lower()}
    dates = _version_dates(db)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for source, auth in wanted.items():
        spans = _spans(db, "WHERE s.source = ?", (source,))
        for key in _events(spans, dates):
            counts[(_bucket(key[0], by), auth, key[1], key[2])] += 1
    return _rows(counts, programme)


def _events(spans: Iterable[tuple[Any, ...]], dates: dict[tuple[str, int], str]
            ) -> Iterable[tuple[str, str, str]]:
    """(date, programme, kind) for each designation and delisting in one source's spans."""
    by_entity: dict[str, list[tuple[Any, ...]]] = {}
    for span in spans:
        by_entity.setdefault(span[1], []).append(span)
    for rows in by_entity.values():
        first, last = json.loads(rows[0][4]), rows[-1]
        source = rows[0][0]
        listed = first.get("listed_on") or dates[(source, rows[0][2])]
        for prog in first.get("programmes") or ["(none)"]:
            yield listed, prog, "designations"
        final = json.loads(last[4])
        gone = last[3] is not None and (source, last[3] + 1) in dates
        if gone or final.get("delisted_on"):
            when = final.get("delisted_on") or dates[(source, last[3] + 1)]
            for prog in final.get("programmes") or ["(none)"]:
                yield when, prog, "delistings"


def _rows(counts: Counter[tuple[str, str, str, str]], programme: str | None
          ) -> list[TimelineRow]:
    merged: dict[tuple[str, str, str], list[int]] = {}
    for (period, auth, prog, kind), n in counts.items():
        if programme is not None and prog.lower() != programme.lower():
            continue
        slot = merged.setdefault((period, auth, prog), [0, 0])
        slot[0 if kind == "designations" else 1] += n
    return [TimelineRow(p, a, g, d, x) for (p, a, g), (d, x) in sorted(merged.items())]

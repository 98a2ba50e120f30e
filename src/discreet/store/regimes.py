"""What regime analytics read from the store: each span's programmes and stated dates.

Regime analytics need, for every run of versions in which an entity had one content, the
programme codes and the listing and delisting dates the list states: a handful of fields
of the stored JSON. The database extracts them (SQLite ``json_extract``, PostgreSQL
``->>``), so a whole archive is read in one pass without decoding every record in Python,
and rows are returned in (source, entity, position) order, ready to be walked once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from discreet.model import Entity
from discreet.store.db import Database

__all__ = ["SpanFacts", "forget_facts", "record_captions", "source_authorities", "span_facts"]

BATCH = 500


class SpanFacts(NamedTuple):
    """One span (an entity's content over positions ``first``..``last`` of its source, ``last``
    None while open) with what analytics read from that content. A named tuple: a whole
    archive has tens of thousands of spans, and a tuple is built several times faster than
    a frozen dataclass."""

    source: str
    entity_id: str
    first: int
    last: int | None
    hash: str
    programmes: tuple[str, ...]
    listed_on: str | None
    delisted_on: str | None


def _fields(dialect: str) -> str:
    if dialect == "postgres":
        return ("(r.data::json ->> 'programmes'), (r.data::json ->> 'listed_on'), "
                "(r.data::json ->> 'delisted_on')")
    return ("json_extract(r.data, '$.programmes'), json_extract(r.data, '$.listed_on'), "
            "json_extract(r.data, '$.delisted_on')")


def _programmes(raw: object) -> tuple[str, ...]:
    """The programme codes of a JSON array as text (None or garbage: none)."""
    if not isinstance(raw, str) or not raw:
        return ()
    try:
        value = json.loads(raw)
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _date(raw: object) -> str | None:
    return raw[:10] if isinstance(raw, str) and raw else None


Facts = tuple[tuple[str, ...], str | None, str | None]  # programmes, listed on, delisted on

# Content hash -> what analytics read from that content. A record is keyed by the SHA-256 of
# its content, so what is read once stays true for every store and every later question: a
# long-running process (the API) reads each record's JSON once, not once per question.
_FACTS: dict[str, Facts] = {}
FACTS_KEPT = 1_000_000  # records; beyond, the memo starts again (about 200 bytes each)


def forget_facts() -> None:
    """Empty the memo (tests: so each backend reads the records itself)."""
    _FACTS.clear()


def _record_facts(db: Database, hashes: Iterable[str]) -> None:
    """Read into the memo the facts of the records not there yet."""
    wanted = sorted({h for h in hashes if h not in _FACTS})
    if not wanted:
        return
    if len(_FACTS) + len(wanted) > FACTS_KEPT:
        _FACTS.clear()
    codes: dict[object, tuple[str, ...]] = {}  # many records share one programme list
    sql = f"SELECT r.hash, {_fields(db.dialect)} FROM record r WHERE r.hash IN "
    for i in range(0, len(wanted), BATCH * 10):
        chunk = wanted[i:i + BATCH * 10]
        rows = db.query(sql + f"({', '.join('?' for _ in chunk)})", tuple(chunk))
        for digest, progs, listed, delisted in rows:
            found = codes.get(progs)
            if found is None:
                found = codes[progs] = _programmes(progs)
            _FACTS[str(digest)] = (found, _date(listed), _date(delisted))


def span_facts(db: Database, sources: Sequence[str] | None = None) -> list[SpanFacts]:
    """Every span of the given sources (default: all), in (source, entity, first) order."""
    where, params = "", tuple(sources or ())
    if sources is not None:
        if not sources:
            return []
        where = f"WHERE s.source IN ({', '.join('?' for _ in sources)}) "
    rows = db.query(f"SELECT s.source, s.entity_id, s.first_pos, s.last_pos, s.hash FROM span s "
                    f"{where}ORDER BY s.source, s.entity_id, s.first_pos", params)
    _record_facts(db, (row[4] for row in rows))
    none: Facts = ((), None, None)
    facts = _FACTS.get
    return [SpanFacts(source, eid, first, last, digest, *facts(digest, none))
            for source, eid, first, last, digest in rows]


def record_captions(db: Database, hashes: Iterable[str]) -> dict[str, str]:
    """Content hash -> the caption (primary name) of the entity stored under it."""
    wanted = sorted(set(hashes))
    out: dict[str, str] = {}
    for i in range(0, len(wanted), BATCH):
        chunk = wanted[i:i + BATCH]
        rows = db.query(f"SELECT hash, data FROM record WHERE hash IN "
                        f"({', '.join('?' for _ in chunk)})", tuple(chunk))
        for digest, data in rows:
            out[str(digest)] = Entity.from_dict(json.loads(data)).caption
    return out


def source_authorities(db: Database) -> dict[str, str]:
    """Source name -> the authority that publishes it (OFAC, UN, EU, UK, CA, AU…)."""
    return {str(n): str(a) for n, a in db.query("SELECT name, authority FROM source")}

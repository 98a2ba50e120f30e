"""The review workflow's tables: the customer book, screening runs, alerts and their cases.

Everything the compliance workflow (:mod:`discreet.review`) keeps lives here, so that no
module outside ``store/`` touches the database. The workflow's rules (roles, four eyes,
when a decision suppresses a pair) are the library's; this module stores and reads, and
guards two things only it can guard: every write of an alert is checked against the
version the writer read (optimistic locking: a stale write is refused, never lost), and
ids are handed out under one lock, so concurrent writers on PostgreSQL never collide.

Reached through ``Store.review`` (a :class:`ReviewStore`), one attribute on the facade
rather than thirty methods, because the workflow's surface is large and its own.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn

from discreet.errors import NotFoundError, StoreError
from discreet.model import Entity
from discreet.store.db import Database
from discreet.store.queries import load_record

__all__ = ["ALERT_SORTS", "ALERT_STATES", "CURSOR_CHARS", "Alert", "AlertPage", "Attachment",
           "CursorError", "Customer", "CustomerChange", "CustomerInput", "CustomerVersion",
           "Event", "Hit", "ReviewStore", "Run", "StaleAlertError", "Suppression",
           "alert_cursor", "fields_hash", "review_counts", "review_queue"]

ALERT_STATES = ("open", "in_review", "pending_approval", "decided", "closed")
_LOCK = "discreet-review"  # every write of the workflow: ids stay unique, checks stay true
_CHUNK = 500  # refs per IN (...) query


class StaleAlertError(StoreError):
    """An alert changed since the caller read it: the update is refused (reload, retry)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fields_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 of a customer's screening fields as canonical JSON: what a remembered
    decision is keyed by (blank values left out, so an empty cell is no change)."""
    kept = {k: v for k, v in fields.items() if v not in (None, "", [], ())}
    return hashlib.sha256(_json(kept).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CustomerInput:
    """A customer as the firm states it: reference, screening fields, free attributes."""

    ref: str
    fields: dict[str, Any]
    attributes: dict[str, str] = field(default_factory=dict)
    status: str = "active"  # "active" | "closed"


@dataclass(frozen=True, slots=True)
class CustomerChange:
    """What storing one customer did: created, updated, unchanged (or closed)."""

    ref: str
    outcome: str
    version: int
    screening_changed: bool


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer as the book holds it now."""

    ref: str
    version: int
    status: str
    fields: dict[str, Any]
    attributes: dict[str, str]
    screening_hash: str
    created_at: str
    updated_at: str
    tokens: str | None = None  # the names as the matcher prepared them (prefilter)
    screened: dict[str, int] | None = None  # source -> version last screened against in full

    def to_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "version": self.version, "status": self.status,
                "fields": self.fields, "attributes": self.attributes,
                "screening_hash": self.screening_hash, "created_at": self.created_at,
                "updated_at": self.updated_at, "screened": self.screened}


@dataclass(frozen=True, slots=True)
class CustomerVersion:
    """One stored state of a customer: who changed it, when, to what."""

    ref: str
    version: int
    status: str
    fields: dict[str, Any]
    attributes: dict[str, str]
    screening_hash: str
    changed_at: str
    actor: str

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "status": self.status, "fields": self.fields,
                "attributes": self.attributes, "screening_hash": self.screening_hash,
                "changed_at": self.changed_at, "actor": self.actor}


@dataclass(slots=True)
class Run:
    """One screening run of (part of) the book: what it screened against and found."""

    id: int
    kind: str  # "customer" | "book" | "segment" | "lists"
    started_at: str
    actor: str
    lists: list[dict[str, Any]]  # source, version, as_of, content_hash
    threshold: float
    algorithm: str
    segment: dict[str, str] = field(default_factory=dict)
    finished_at: str | None = None
    screened: int = 0
    opened: int = 0
    reopened: int = 0
    suppressed: int = 0
    updated: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "started_at": self.started_at,
                "finished_at": self.finished_at, "actor": self.actor, "lists": self.lists,
                "threshold": self.threshold, "algorithm": self.algorithm,
                "segment": self.segment, "screened": self.screened, "opened": self.opened,
                "reopened": self.reopened, "suppressed": self.suppressed,
                "updated": self.updated}


@dataclass(frozen=True, slots=True)
class Alert:
    """A (customer, listed entity) pair under review, at ``version`` (optimistic lock)."""

    id: int
    customer_ref: str
    entity_id: str
    state: str
    score: float
    entity_hash: str
    customer_hash: str
    customer_version: int
    opened_at: str
    updated_at: str
    version: int
    decision: str | None = None
    assignee: str | None = None
    due_at: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    decided_entity_hash: str | None = None
    decided_customer_hash: str | None = None
    decided_customer_version: int | None = None
    approval: str | None = None  # None | "pending" | "approved" | "rejected"
    caption: str = ""
    source: str = ""  # the list the entity is on (its source), as last seen
    programmes: tuple[str, ...] = ()  # the entity's sanctions programmes, as last seen

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in _ALERT_FIELDS}
        out["programmes"] = list(self.programmes)
        return out


_ALERT_FIELDS = ("id", "customer_ref", "entity_id", "state", "score", "entity_hash",
                 "customer_hash", "customer_version", "opened_at", "updated_at", "version",
                 "decision", "assignee", "due_at", "decided_by", "decided_at",
                 "decided_entity_hash", "decided_customer_hash", "decided_customer_version",
                 "approval", "caption", "source", "programmes")
_ALERT_COLUMNS = ", ".join(_ALERT_FIELDS)
# The review queue's orders (``ReviewStore.alerts(sort=...)``): column, then id as the tie.
ALERT_SORTS = {"due": "due_at", "score": "score", "age": "opened_at", "updated": "updated_at",
               "id": "id"}
# what a writer may change on an alert (the rest is set when it opens)
_MUTABLE = frozenset({"state", "score", "entity_hash", "customer_hash", "customer_version",
                      "decision", "assignee", "due_at", "decided_by", "decided_at",
                      "decided_entity_hash", "decided_customer_hash",
                      "decided_customer_version", "approval", "caption"})


@dataclass(frozen=True, slots=True)
class Hit:
    """One run's finding of a pair: its score and explanation, against which content."""

    alert_id: int
    run_id: int
    score: float
    entity_hash: str
    customer_hash: str
    explanation: dict[str, Any]
    outcome: str  # opened | reopened | suppressed | updated
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.run_id, "score": self.score, "entity_hash": self.entity_hash,
                "customer_hash": self.customer_hash, "explanation": self.explanation,
                "outcome": self.outcome, "at": self.at}


@dataclass(frozen=True, slots=True)
class Event:
    """One step of an alert's case: opened, assigned, commented, decided, approved, …"""

    id: int
    alert_id: int
    at: str
    actor: str
    kind: str
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "kind": self.kind,
                "details": self.details}


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file kept with an alert (its bytes are read with ``ReviewStore.attachment_data``)."""

    id: int
    alert_id: int
    name: str
    media_type: str
    size: int
    sha256: str
    at: str
    actor: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "media_type": self.media_type,
                "size": self.size, "sha256": self.sha256, "at": self.at, "actor": self.actor}


@dataclass(frozen=True, slots=True)
class Suppression:
    """A run found a pair a remembered false-positive decision still covers."""

    run_id: int
    alert_id: int
    customer_ref: str
    entity_id: str
    score: float
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.run_id, "alert": self.alert_id, "customer": self.customer_ref,
                "entity": self.entity_id, "score": self.score, "at": self.at}


@dataclass(frozen=True, slots=True)
class NewHit:
    """What a run writes for one pair, decided by the library (see ``write_hits``):
    ``action`` open (a new alert), reopen, suppress or update (add the run's hit)."""

    customer_ref: str
    entity_id: str
    score: float
    entity_hash: str
    customer_hash: str
    customer_version: int
    explanation: dict[str, Any]
    caption: str
    action: str
    alert_id: int | None = None
    alert_version: int | None = None
    due_at: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # the reopen's "what changed"
    source: str = ""  # the entity's list, and its programmes: what the queue filters by
    programmes: tuple[str, ...] = ()


def _customer(row: Sequence[Any]) -> Customer:
    return Customer(str(row[0]), int(row[1]), str(row[2]), json.loads(row[3]),
                    json.loads(row[4]), str(row[5]), str(row[6]), str(row[7]),
                    None if row[8] is None else str(row[8]),
                    None if row[9] is None else json.loads(row[9]))


def _alert(row: Sequence[Any]) -> Alert:
    values = dict(zip(_ALERT_FIELDS, row, strict=True))
    values["score"] = float(values["score"])
    values["source"] = values["source"] or ""
    values["programmes"] = tuple(json.loads(values["programmes"] or "[]"))
    return Alert(**values)


def _alert_where(*, state: str | Sequence[str] | None, assignee: str | None,
                 customer_ref: str | None, decision: str | None, overdue_at: str | None,
                 source: str | None, programme: str | None, min_score: float | None,
                 max_score: float | None, opened_before: str | None, opened_after: str | None,
                 due_before: str | None, unassigned: bool, dense: bool = False
                 ) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause of the queue's filters (see ``ReviewStore.alerts``); ``dense``: the
    programme is on many alerts (see ``_PROGRAMME_DENSE``)."""
    where: list[str] = []
    params: list[Any] = []
    if isinstance(state, str):
        where.append("state = ?")
        params.append(state)
    elif state is not None:
        states = list(dict.fromkeys(state))
        where.append(f"state IN ({', '.join('?' * len(states))})" if states else "1 = 0")
        params.extend(states)
    for column, text in (("assignee", assignee), ("customer_ref", customer_ref),
                         ("decision", decision), ("source", source)):
        if text is not None:
            where.append(f"{column} = ?")
            params.append(text)
    if unassigned:
        where.append("assignee IS NULL")
    for test, value in (("score >= ?", min_score), ("score <= ?", max_score),
                        ("opened_at < ?", opened_before), ("opened_at >= ?", opened_after),
                        ("due_at < ?", due_before)):
        if value is not None:
            where.append(test)
            params.append(float(value) if test.startswith("score") else value)
    if overdue_at is not None:
        where.append("due_at < ? AND state IN ('open', 'in_review', 'pending_approval')")
        params.append(overdue_at)
    if programme is not None:
        where.append(_PROGRAMME_DENSE if dense else _PROGRAMME_FEW)
        params.append(programme)
    return (" WHERE " + " AND ".join(where) if where else ""), tuple(params)


# -- keyset paging of the queue -------------------------------------------------------------

class CursorError(StoreError):
    """A queue cursor this store did not hand out (damaged), or made for another order."""


@dataclass(frozen=True, slots=True)
class AlertPage:
    """A page of the review queue and the cursor of the next one (None: the last page)."""

    alerts: list[Alert]
    next: str | None


_NULLABLE = frozenset({"due_at"})  # sort columns that may hold NULL (the rest never do)
CURSOR_CHARS = 4096  # longest cursor read (one made of a time is about 60 characters)
_MAX_ID = 2**62


def alert_cursor(alert: Alert, sort: str = "due", descending: bool = False) -> str:
    """The cursor naming ``alert`` as the last one read in the queue's ``sort`` order:
    ``alerts(after=...)`` goes on from the alert after it. Opaque (URL-safe text) to the
    caller; it carries the order it was made for, the sort value and the id."""
    column = ALERT_SORTS.get(sort)
    if column is None:
        raise StoreError(f"unknown alert sort {sort!r}: one of {', '.join(ALERT_SORTS)}")
    text = json.dumps([sort, int(descending), getattr(alert, column), alert.id],
                      ensure_ascii=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def _read_cursor(token: str, sort: str, descending: bool) -> tuple[Any, int]:
    """(sort value, id) of a cursor, checked: it was made for this order, and its values
    are of the column's kind (anything else is a CursorError, never a database error)."""
    damaged = CursorError("not a cursor of the alert queue (damaged or truncated): start "
                          "again from the first page")
    if not isinstance(token, str) or not 0 < len(token) <= CURSOR_CHARS:
        raise damaged
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        made = json.loads(raw.decode("ascii"))
    except (ValueError, RecursionError):  # binascii.Error and JSON errors are ValueErrors
        raise damaged from None
    if not isinstance(made, list) or len(made) != 4 or made[0] not in ALERT_SORTS \
            or made[1] not in (0, 1) or isinstance(made[1], bool):
        raise damaged
    if (made[0], bool(made[1])) != (sort, descending):
        way = " descending" if made[1] else ""
        raise CursorError(f"this cursor pages the queue by {made[0]}{way}: ask with that "
                          "sort, or start again without a cursor")
    value, alert_id = made[2], made[3]
    if not isinstance(alert_id, int) or isinstance(alert_id, bool) \
            or not 0 <= alert_id <= _MAX_ID:
        raise damaged
    column = ALERT_SORTS[sort]
    if column == "id":
        ok = value == alert_id
    elif column == "score":
        ok = isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value)
        value = float(value) if ok else value
    elif value is None:
        ok = column in _NULLABLE
    else:
        ok = isinstance(value, str) and "\x00" not in value and _encodes(value)
    if not ok:
        raise damaged
    return value, alert_id


def _encodes(text: str) -> bool:
    """Whether a text is valid Unicode (JSON lets a lone surrogate through)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _after(column: str, descending: bool, key: tuple[Any, int], nulls_last: bool
           ) -> list[tuple[str, tuple[Any, ...]]]:
    """The queue after a cursor, as the WHERE terms of its parts in the queue's order (each
    read in that order until a page is full): the rows after (value, id) among those with
    a value, by a row comparison an index range serves, and, for a column that may be
    NULL, the rows without one where the dialect sorts them (SQLite: lowest, PostgreSQL:
    highest; ``nulls_last`` says whether they come after the values in this direction)."""
    value, alert_id = key
    op = "<" if descending else ">"
    parts: list[tuple[str, tuple[Any, ...]]]
    if column == "id":
        return [(f"id {op} ?", (alert_id,))]
    if value is not None:
        parts = [(f"({column}, id) {op} (?, ?)", (value, alert_id))]
        if column in _NULLABLE and nulls_last:
            parts.append((f"{column} IS NULL", ()))
        return parts
    parts = [(f"{column} IS NULL AND id {op} ?", (alert_id,))]
    if not nulls_last:
        parts.append((f"{column} IS NOT NULL", ()))
    return parts


# A programme filter, two ways: for a programme few alerts have, their ids first (then the
# page is sorted from those few); for one many have, the queue's own order is walked and
# each alert tested (a page is found after a few probes). SQLite's planner cannot tell the
# two apart (it keeps no per-value statistics), so ``ReviewStore`` counts first.
_PROGRAMME_FEW = "id IN (SELECT alert_id FROM review_alert_programme WHERE programme = ?)"
_PROGRAMME_DENSE = ("EXISTS (SELECT 1 FROM review_alert_programme p WHERE p.programme = ? "
                    "AND p.alert_id = review_alert.id)")
_DENSE = 0.02  # a programme on more than this share of the alerts is walked in order


def _customer_match(text: str | None, dialect: str) -> tuple[list[str], list[Any]]:
    """The WHERE term of a customer search: the text in the reference or one of the
    names, in any case (SQLite's LIKE folds ASCII letters; PostgreSQL's ILIKE every
    script); LIKE's wildcards in the text are matched literally. A scan of the book
    (about 0.2 s per 100,000 customers on SQLite)."""
    if not text:
        return [], []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if dialect == "postgres":
        like, names = "ILIKE", "(fields::json ->> 'names')"
    else:
        like, names = "LIKE", "json_extract(fields, '$.names')"
    # the raw JSON's LIKE first: a cheap test that rules out most rows before the names
    # are taken out of it
    return ([f"(ref {like} ? ESCAPE '\\' OR (fields {like} ? ESCAPE '\\' AND {names} "
             f"{like} ? ESCAPE '\\'))"], [pattern, pattern, pattern])


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


@dataclass(frozen=True, slots=True)
class _Insert:
    """An insert of many rows, written the fastest way each dialect has: SQLite one
    ``executemany`` (in this process, no round trip), PostgreSQL one ``INSERT ... SELECT
    FROM unnest(...)`` per ``_ROWS`` rows, each column sent as one binary array (one
    statement and one round trip for them all; psycopg's work per row, per placeholder or
    per quoted array item was most of a batch's time otherwise). Rows go in the order
    given, so an ``ON CONFLICT DO NOTHING`` tail keeps the first of two, as one row at a
    time would."""

    table: str
    columns: tuple[tuple[str, str], ...]  # (column, PostgreSQL type) given per row
    fixed: tuple[tuple[str, str], ...] = ()  # (column, SQL literal) alike on every row
    tail: str = ""

    def sql(self, dialect: str) -> str:
        names = ", ".join([c for c, _ in self.columns] + [c for c, _ in self.fixed])
        literals = "".join(f", {v}" for _, v in self.fixed)
        if dialect == "postgres":
            arrays = ", ".join(f"%b::{t}[]" for _, t in self.columns)
            return (f"INSERT INTO {self.table} ({names}) SELECT v.*{literals} FROM "
                    f"unnest({arrays}) AS v{self.tail}")
        marks = ", ".join("?" * len(self.columns))
        return f"INSERT INTO {self.table} ({names}) VALUES ({marks}{literals}){self.tail}"

    def write(self, db: Database, rows: Sequence[tuple[Any, ...]]) -> None:
        _write_rows(db, self.sql(db.dialect), [t for _, t in self.columns], rows)


@dataclass(frozen=True, slots=True)
class _Update:
    """An update of many rows by key, like :class:`_Insert`: SQLite one ``executemany``,
    PostgreSQL one ``UPDATE ... FROM unnest(...)`` per ``_ROWS`` rows. Each row gives the
    ``sets`` values, then the key; ``fixed`` are further SET terms alike on every row. A
    key must come once (the checks of ``write_hits`` see to it)."""

    table: str
    sets: tuple[tuple[str, str], ...]  # (column, PostgreSQL type)
    fixed: str = ""
    key: tuple[str, str] = ("id", "bigint")
    keep: frozenset[str] = frozenset()  # columns a NULL in the row leaves as they are

    def sql(self, dialect: str) -> str:
        key = self.key[0]
        more = f", {self.fixed}" if self.fixed else ""
        if dialect == "postgres":
            names = ", ".join([c for c, _ in self.sets] + [key])
            arrays = ", ".join(f"%b::{t}[]" for _, t in (*self.sets, self.key))
            sets = ", ".join(f"{c} = COALESCE(v.{c}, {self.table}.{c})" if c in self.keep
                             else f"{c} = v.{c}" for c, _ in self.sets)
            return (f"UPDATE {self.table} SET {sets}{more} FROM unnest({arrays}) AS "
                    f"v({names}) WHERE {self.table}.{key} = v.{key}")
        sets = ", ".join(f"{c} = COALESCE(?, {c})" if c in self.keep else f"{c} = ?"
                         for c, _ in self.sets)
        return f"UPDATE {self.table} SET {sets}{more} WHERE {key} = ?"

    def write(self, db: Database, rows: Sequence[tuple[Any, ...]]) -> None:
        _write_rows(db, self.sql(db.dialect), [t for _, t in (*self.sets, self.key)], rows)


@dataclass(frozen=True, slots=True)
class _Delete:
    """A delete of many keys: SQLite one ``executemany``, PostgreSQL ``= ANY`` an array."""

    table: str
    key: tuple[str, str]

    def sql(self, dialect: str) -> str:
        if dialect == "postgres":
            return f"DELETE FROM {self.table} WHERE {self.key[0]} = ANY(%b::{self.key[1]}[])"
        return f"DELETE FROM {self.table} WHERE {self.key[0]} = ?"

    def write(self, db: Database, rows: Sequence[tuple[Any, ...]]) -> None:
        _write_rows(db, self.sql(db.dialect), [self.key[1]], rows)


def _write_rows(db: Database, sql: str, types: Sequence[str],
                rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows through ``sql``: on SQLite one ``executemany``; on PostgreSQL, ``_ROWS`` rows at
    a time, each column one array (of its type: 1 in a column of scores is sent as 1.0)."""
    if db.dialect != "postgres":
        db.executemany(sql, rows)
        return
    kinds = [_KINDS[t] for t in types]
    for at in range(0, len(rows), _ROWS):
        columns = zip(*rows[at:at + _ROWS], strict=True)
        db.execute(sql, [[v if v is None or type(v) is kind else kind(v) for v in column]
                         for kind, column in zip(kinds, columns, strict=True)])


_ROWS = 5000  # rows per PostgreSQL statement
_KINDS: dict[str, type] = {"bigint": int, "float8": float, "text": str}
_Many = _Insert | _Update | _Delete


class _Writes:
    """A transaction's statements, statements in the order given at creation (every insert
    of a row before any update of it), rows in the order added: an :class:`_Insert`,
    :class:`_Update` or :class:`_Delete` as it writes many rows, a plain statement with
    one ``executemany`` (which psycopg sends as one pipeline)."""

    def __init__(self, *order: str | _Many) -> None:
        self._rows: dict[str | _Many, list[tuple[Any, ...]]] = {s: [] for s in order}

    def add(self, statement: str | _Many, params: tuple[Any, ...]) -> None:
        self._rows[statement].append(params)

    def flush(self, db: Database) -> None:
        for statement, rows in self._rows.items():
            if not rows:
                continue
            if isinstance(statement, str):
                db.executemany(statement, rows)
            else:
                statement.write(db, rows)
            rows.clear()


_NEW_CUSTOMER = ("INSERT INTO review_customer (ref, version, status, screening_hash, fields, "
                 "attributes, tokens, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, "
                 "?, ?)")
_CHANGE_CUSTOMER = ("UPDATE review_customer SET version = ?, status = ?, screening_hash = ?, "
                    "fields = ?, attributes = ?, updated_at = ?, tokens = CASE WHEN "
                    "screening_hash = ? THEN tokens ELSE NULL END, screened = CASE WHEN "
                    "screening_hash = ? THEN screened ELSE NULL END WHERE ref = ?")
_CUSTOMER_VERSION = ("INSERT INTO review_customer_version (ref, version, status, "
                     "screening_hash, fields, attributes, changed_at, actor) VALUES (?, ?, ?, "
                     "?, ?, ?, ?, ?)")


# A run's findings (``ReviewStore.write_hits``), one statement per kind of row.
_NEW_ALERT = _Insert("review_alert", (
    ("id", "bigint"), ("customer_ref", "text"), ("entity_id", "text"), ("score", "float8"),
    ("entity_hash", "text"), ("customer_hash", "text"), ("customer_version", "bigint"),
    ("opened_at", "text"), ("updated_at", "text"), ("due_at", "text"), ("caption", "text"),
    ("source", "text"), ("programmes", "text")), (("state", "'open'"), ("version", "1")))
# An alert found again: its content as seen now, and its list and programmes when the finding
# says them (NULL: an old caller that does not; they are kept), in one write of the row.
_REOPEN_ALERT = _Update("review_alert", (
    ("score", "float8"), ("entity_hash", "text"), ("customer_hash", "text"),
    ("customer_version", "bigint"), ("due_at", "text"), ("caption", "text"),
    ("updated_at", "text"), ("source", "text"), ("programmes", "text")),
    "state = 'open', decision = NULL, approval = NULL, assignee = NULL, "
    "version = version + 1", keep=frozenset({"source", "programmes"}))
_UPDATE_ALERT = _Update("review_alert", (
    ("score", "float8"), ("entity_hash", "text"), ("customer_hash", "text"),
    ("customer_version", "bigint"), ("caption", "text"), ("updated_at", "text"),
    ("source", "text"), ("programmes", "text")), "version = version + 1",
    keep=frozenset({"source", "programmes"}))
_DROP_PROGRAMMES = _Delete("review_alert_programme", ("alert_id", "bigint"))
_ADD_PROGRAMME = _Insert("review_alert_programme",
                         (("programme", "text"), ("alert_id", "bigint")))
_NEW_EVENT = _Insert("review_event", (
    ("id", "bigint"), ("alert_id", "bigint"), ("at", "text"), ("actor", "text"),
    ("kind", "text"), ("details", "text")))
_NEW_HIT = _Insert("review_hit", (
    ("alert_id", "bigint"), ("run_id", "bigint"), ("score", "float8"),
    ("entity_hash", "text"), ("customer_hash", "text"), ("explanation", "text"),
    ("outcome", "text"), ("at", "text")), tail=" ON CONFLICT (alert_id, run_id) DO NOTHING")


class _Events:
    """The events of one write, numbered from the table's next id in the order added (the
    caller holds the workflow's lock, so the numbers stay free until it commits)."""

    def __init__(self, first_id: int, actor: str, at: str) -> None:
        self._next, self._actor, self._at = first_id, actor, at

    def add(self, writes: _Writes, alert_id: int, kind: str, details: Mapping[str, Any]) -> None:
        writes.add(_NEW_EVENT, (self._next, alert_id, self._at, self._actor, kind,
                                _json(dict(details))))
        self._next += 1


def _programme_rows(writes: _Writes, alert_id: int, programmes: Iterable[str]) -> None:
    """The alert's programmes as rows (what the queue's programme filter reads)."""
    for programme in sorted(set(programmes)):
        writes.add(_ADD_PROGRAMME, (programme, alert_id))


def _plan_apply(writes: _Writes, events: _Events, run_id: int, alert_id: int, hit: NewHit,
                at: str) -> None:
    """A finding on an alert already there: reopen it, count a suppression, or update."""
    source = hit.source or None
    programmes = _json(list(hit.programmes)) if source else None
    if hit.action == "reopen":
        writes.add(_REOPEN_ALERT, (hit.score, hit.entity_hash, hit.customer_hash,
                                   hit.customer_version, hit.due_at, hit.caption, at, source,
                                   programmes, alert_id))
        events.add(writes, alert_id, "reopened", {"run": run_id, **hit.details})
    elif hit.action == "suppress":
        events.add(writes, alert_id, "suppressed", {"run": run_id, "score": hit.score})
    elif hit.action == "update":
        writes.add(_UPDATE_ALERT, (hit.score, hit.entity_hash, hit.customer_hash,
                                   hit.customer_version, hit.caption, at, source, programmes,
                                   alert_id))
    else:  # refused by the checks before anything is planned
        raise StoreError(f"unknown action {hit.action!r} for a run's hit")


class ReviewStore:
    """The workflow's reads and writes (``Store.review``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- ids ---------------------------------------------------------------------------

    def _next_id(self, table: str) -> int:
        """The next id of a table; callers hold the workflow's lock."""
        rows = self._db.query(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return int(rows[0][0]) + 1

    # -- the customer book ---------------------------------------------------------------

    def upsert_customers(self, items: Sequence[CustomerInput], actor: str,
                         within: Callable[[list[CustomerChange]], object] | None = None
                         ) -> list[CustomerChange]:
        """Create or update customers by reference in one transaction; each change a new
        version (an identical restatement is "unchanged" and stores nothing). ``within``
        runs in the same transaction with the changes (the audit record: both or
        neither). The rows are written set-wise (one statement per kind of write), in the
        order the items came, so a reference given twice is created, then updated."""
        at = _now()
        changes: list[CustomerChange] = []
        with self._db.transaction(lock=_LOCK):
            current = self._current([i.ref for i in items])
            writes = _Writes(_NEW_CUSTOMER, _CHANGE_CUSTOMER, _CUSTOMER_VERSION)
            for item in items:
                changes.append(self._upsert(item, current, actor, at, writes))
            writes.flush(self._db)
            if within is not None:
                within(changes)
        return changes

    def _current(self, refs: Sequence[str]) -> dict[str, tuple[int, str, str, str, str]]:
        """ref -> (version, status, screening hash, fields JSON, attributes JSON)."""
        found: dict[str, tuple[int, str, str, str, str]] = {}
        for part in _chunks(list(dict.fromkeys(refs))):
            marks = ", ".join("?" * len(part))
            for row in self._db.query(
                    "SELECT ref, version, status, screening_hash, fields, attributes FROM "
                    f"review_customer WHERE ref IN ({marks})", tuple(part)):
                found[str(row[0])] = (int(row[1]), str(row[2]), str(row[3]), str(row[4]),
                                      str(row[5]))
        return found

    def _upsert(self, item: CustomerInput, current: dict[str, tuple[int, str, str, str, str]],
                actor: str, at: str, writes: _Writes) -> CustomerChange:
        fields_json, attrs_json = _json(item.fields), _json(item.attributes)
        screening = fields_hash(item.fields)
        before = current.get(item.ref)
        if before is not None and before[1:] == (item.status, screening, fields_json,
                                                 attrs_json):
            return CustomerChange(item.ref, "unchanged", before[0], False)
        version = 1 if before is None else before[0] + 1
        if before is None:
            writes.add(_NEW_CUSTOMER, (item.ref, version, item.status, screening, fields_json,
                                       attrs_json, at, at))
        else:
            writes.add(_CHANGE_CUSTOMER, (version, item.status, screening, fields_json,
                                          attrs_json, at, screening, screening, item.ref))
        writes.add(_CUSTOMER_VERSION, (item.ref, version, item.status, screening, fields_json,
                                       attrs_json, at, actor))
        current[item.ref] = (version, item.status, screening, fields_json, attrs_json)
        if before is None:
            return CustomerChange(item.ref, "created", version, True)
        outcome = "closed" if item.status == "closed" and before[1] != "closed" else "updated"
        return CustomerChange(item.ref, outcome, version, screening != before[2])

    def customer(self, ref: str) -> Customer:
        rows = self._db.query(
            "SELECT ref, version, status, fields, attributes, screening_hash, created_at, "
            "updated_at, tokens, screened FROM review_customer WHERE ref = ?", (ref,))
        if not rows:
            raise NotFoundError(f"no customer {ref!r} in the book")
        return _customer(rows[0])

    def customers(self, *, status: str | None = "active",
                  refs: Sequence[str] | None = None, limit: int | None = None,
                  offset: int = 0, match: str | None = None) -> list[Customer]:
        """Customers by reference order (``status`` None: every one; ``refs``: only those;
        ``match``: whose reference or screening fields (names…) hold that text, any case)."""
        sql = ("SELECT ref, version, status, fields, attributes, screening_hash, created_at, "
               "updated_at, tokens, screened FROM review_customer")
        where, params = _customer_match(match, self._db.dialect)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if refs is not None:
            out: list[Customer] = []
            for part in _chunks(list(refs)):
                marks = ", ".join("?" * len(part))
                out.extend(_customer(r) for r in self._db.query(
                    f"{sql} WHERE {' AND '.join([*where, f'ref IN ({marks})'])}",
                    (*params, *part)))
            return sorted(out, key=lambda c: c.ref)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY ref"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [_customer(r) for r in self._db.query(sql, tuple(params))]

    def count_customers(self, status: str | None = "active", *,
                        match: str | None = None) -> int:
        where, params = _customer_match(match, self._db.dialect)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        sql = "SELECT COUNT(*) FROM review_customer"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return int(self._db.query(sql, tuple(params))[0][0])

    def customer_versions(self, ref: str) -> list[CustomerVersion]:
        rows = self._db.query(
            "SELECT ref, version, status, fields, attributes, screening_hash, changed_at, "
            "actor FROM review_customer_version WHERE ref = ? ORDER BY version", (ref,))
        return [CustomerVersion(str(r[0]), int(r[1]), str(r[2]), json.loads(r[3]),
                                json.loads(r[4]), str(r[5]), str(r[6]), str(r[7]))
                for r in rows]

    def customer_version(self, ref: str, version: int) -> CustomerVersion:
        for found in self.customer_versions(ref):
            if found.version == version:
                return found
        raise NotFoundError(f"no version {version} of customer {ref!r}")

    def set_tokens(self, tokens: Mapping[str, tuple[str, str]]) -> None:
        """Keep each customer's prepared names (ref -> (screening hash, encoded names)),
        only where the customer's screening fields are still those they were made from."""
        rows = [(text, ref, hashed) for ref, (hashed, text) in tokens.items()]
        if rows:
            with self._db.transaction(lock=_LOCK):
                self._db.executemany("UPDATE review_customer SET tokens = ? WHERE ref = ? AND "
                                     "screening_hash = ?", rows)

    # -- runs ---------------------------------------------------------------------------

    def start_run(self, run: Run) -> Run:
        """Record a run's start (its id is assigned here)."""
        with self._db.transaction(lock=_LOCK):
            run.id = self._next_id("review_run")
            self._db.execute(
                "INSERT INTO review_run (id, kind, started_at, actor, lists, threshold, "
                "algorithm, segment, screened, opened, reopened, suppressed, updated) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0)",
                (run.id, run.kind, run.started_at, run.actor, _json(run.lists), run.threshold,
                 run.algorithm, _json(run.segment)))
        return run

    def finish_run(self, run: Run, within: Callable[[], object] | None = None) -> None:
        run.finished_at = _now()
        with self._db.transaction(lock=_LOCK):
            if within is not None:
                within()
            self._db.execute(
                "UPDATE review_run SET finished_at = ?, screened = ?, opened = ?, reopened = ?, "
                "suppressed = ?, updated = ? WHERE id = ?",
                (run.finished_at, run.screened, run.opened, run.reopened, run.suppressed,
                 run.updated, run.id))

    def runs(self, *, limit: int = 50, kind: str | None = None,
             run_id: int | None = None) -> list[Run]:
        """Runs, newest first (of one kind, or the one run ``run_id``)."""
        sql = ("SELECT id, kind, started_at, actor, lists, threshold, algorithm, segment, "
               "finished_at, screened, opened, reopened, suppressed, updated FROM review_run")
        params: tuple[Any, ...] = ()
        if kind is not None:
            sql, params = sql + " WHERE kind = ?", (kind,)
        elif run_id is not None:
            sql, params = sql + " WHERE id = ?", (run_id,)
        rows = self._db.query(f"{sql} ORDER BY id DESC LIMIT {int(limit)}", params)
        return [Run(int(r[0]), str(r[1]), str(r[2]), str(r[3]), json.loads(r[4]), float(r[5]),
                    str(r[6]), json.loads(r[7]), r[8], int(r[9]), int(r[10]), int(r[11]),
                    int(r[12]), int(r[13])) for r in rows]

    def run(self, run_id: int) -> Run:
        found = self.runs(limit=1, run_id=run_id)
        if not found:
            raise NotFoundError(f"no screening run {run_id}")
        return found[0]

    def mark_screened(self, refs: Sequence[str], versions: Mapping[str, int]) -> None:
        """Record that these customers were screened against (or brought up to) the list
        versions: what the next list-change run screens them against the changes since."""
        text = _json(dict(versions))
        rows = [(text, ref) for ref in refs]
        with self._db.transaction(lock=_LOCK):
            for start in range(0, len(rows), 5000):
                self._db.executemany("UPDATE review_customer SET screened = ? WHERE ref = ?",
                                     rows[start:start + 5000])

    def screened_groups(self, status: str = "active") -> dict[str | None, int]:
        """How many customers were last screened against each set of list versions (the
        stored JSON text, canonical; None: never screened): one grouped scan of the book,
        so a list-change run plans without reading a customer."""
        rows = self._db.query("SELECT screened, COUNT(*) FROM review_customer WHERE status = ? "
                              "GROUP BY screened", (status,))
        return {None if r[0] is None else str(r[0]): int(r[1]) for r in rows}

    def customer_pages(self, *, screened: str | None = None, any_screened: bool = False,
                       status: str = "active", page: int = 5000) -> Iterator[list[Customer]]:
        """The customers last screened against ``screened`` (the text ``screened_groups``
        gives; None: never screened), or every one with ``any_screened``, by reference,
        ``page`` at a time (keyset paging: a book of any size is never held whole, and
        marking a page screened meanwhile neither skips nor repeats a customer)."""
        where, fixed = ["status = ?"], [status]  # type: list[str], list[Any]
        if not any_screened:
            where.append("screened IS NULL" if screened is None else "screened = ?")
            fixed.extend(() if screened is None else (screened,))
        after = ""
        while True:
            rows = self._db.query(
                "SELECT ref, version, status, fields, attributes, screening_hash, created_at, "
                f"updated_at, tokens, screened FROM review_customer WHERE "
                f"{' AND '.join(where)} AND ref > ? ORDER BY ref LIMIT {int(page)}",
                (*fixed, after))
            if not rows:
                return
            yield [_customer(r) for r in rows]
            after = str(rows[-1][0])

    def customer_tokens(self, *, screened: str, status: str = "active",
                        page: int = 20_000) -> Iterator[list[tuple[str, str | None]]]:
        """(reference, prepared names or None) of the customers last screened against
        ``screened``, by reference, a page at a time: all a prefilter reads of a
        customer, without parsing its fields."""
        after = ""
        while True:
            rows = self._db.query(
                "SELECT ref, tokens FROM review_customer WHERE status = ? AND screened = ? "
                f"AND ref > ? ORDER BY ref LIMIT {int(page)}", (status, screened, after))
            if not rows:
                return
            yield [(str(r[0]), None if r[1] is None else str(r[1])) for r in rows]
            after = str(rows[-1][0])

    def mark_group_screened(self, screened: str, versions: Mapping[str, int],
                            status: str = "active") -> int:
        """Bring every customer last screened against ``screened`` up to ``versions`` in
        one statement (a list-change run covered them all: screened, or ruled out by the
        prefilter). A customer whose screening fields changed meanwhile has no ``screened``
        any more and is left for its own screening. How many rows changed is not
        reported by every driver alike: the count of the group before is returned."""
        text = _json(dict(versions))
        with self._db.transaction(lock=_LOCK):
            count = int(self._db.query("SELECT COUNT(*) FROM review_customer WHERE status = ? "
                                       "AND screened = ?", (status, screened))[0][0])
            if text != screened:
                self._db.execute("UPDATE review_customer SET screened = ? WHERE status = ? "
                                 "AND screened = ?", (text, status, screened))
        return count

    # -- alerts -------------------------------------------------------------------------

    def alerts_for(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Alert]:
        """The alerts of (customer, entity) pairs that have one."""
        wanted = set(pairs)
        by_customer = sorted({c for c, _ in wanted})
        found: dict[tuple[str, str], Alert] = {}
        for part in _chunks(by_customer):
            marks = ", ".join("?" * len(part))
            for row in self._db.query(f"SELECT {_ALERT_COLUMNS} FROM review_alert "
                                      f"WHERE customer_ref IN ({marks})", tuple(part)):
                alert = _alert(row)
                if (alert.customer_ref, alert.entity_id) in wanted:
                    found[alert.customer_ref, alert.entity_id] = alert
        return found

    def alert(self, alert_id: int) -> Alert:
        rows = self._db.query(f"SELECT {_ALERT_COLUMNS} FROM review_alert WHERE id = ?",
                              (alert_id,))
        if not rows:
            raise NotFoundError(f"no alert {alert_id}")
        return _alert(rows[0])

    def alerts(self, *, state: str | Sequence[str] | None = None,
               assignee: str | None = None, customer_ref: str | None = None,
               decision: str | None = None, overdue_at: str | None = None,
               limit: int = 100, offset: int = 0, source: str | None = None,
               programme: str | None = None, min_score: float | None = None,
               max_score: float | None = None, opened_before: str | None = None,
               opened_after: str | None = None, due_before: str | None = None,
               unassigned: bool = False, sort: str = "due", descending: bool = False,
               after: str | None = None) -> list[Alert]:
        """The review queue: alerts filtered, sorted and paged; filters combine (AND).

        ``state``: one state or several; ``assignee`` / ``unassigned``: whose, or nobody's;
        ``source``: the entity's list; ``programme``: one of its programmes; ``min_score``
        / ``max_score``: inclusive; ``opened_before`` / ``opened_after`` (age) and
        ``due_before`` / ``overdue_at`` (SLA; overdue = due before it and not decided):
        ISO 8601 UTC times as the store writes them. ``sort``: one of
        :data:`ALERT_SORTS` (``due`` soonest first by default, ``score``, ``age`` = opened
        at, ``updated``, ``id``), ``descending`` to reverse; ties go by id in the same
        direction, so pages never overlap or skip. Each sort is served by an index led by
        the state (0009_review_queue).

        Paged by ``offset``, or by ``after``: a cursor (:func:`alert_cursor`, or
        :meth:`alert_page`'s ``next``) naming the last alert of the page before, so a deep
        page is read from the index where the last one ended instead of counting past
        every alert before it (the same alerts as the offset when nothing changed
        meanwhile; when alerts change, a cursor neither repeats nor skips one that kept
        its place). A cursor is for the sort and direction it was made with."""
        column = ALERT_SORTS.get(sort)
        if column is None:
            raise StoreError(f"unknown alert sort {sort!r}: one of {', '.join(ALERT_SORTS)}")
        key = None if after is None else _read_cursor(after, sort, descending)
        if key is not None and offset:
            raise CursorError("give a cursor or an offset, not both")
        where, params = _alert_where(
            state=state, assignee=assignee, customer_ref=customer_ref, decision=decision,
            overdue_at=overdue_at, source=source, programme=programme, min_score=min_score,
            max_score=max_score, opened_before=opened_before, opened_after=opened_after,
            due_before=due_before, unassigned=unassigned,
            dense=programme is not None and self._dense(programme))
        way = "DESC" if descending else "ASC"
        order = f"{column} {way}" if column == "id" else f"{column} {way}, id {way}"
        limit = max(int(limit), 0)
        if key is None:
            sql = (f"SELECT {_ALERT_COLUMNS} FROM review_alert{where} ORDER BY {order} "
                   f"LIMIT {limit} OFFSET {max(int(offset), 0)}")
            return [_alert(r) for r in self._db.query(sql, params)]
        found: list[Alert] = []
        nulls_last = (self._db.dialect == "postgres") != descending
        for term, values in _after(column, descending, key, nulls_last):
            if len(found) >= limit:
                break
            joined = f"{where} AND {term}" if where else f" WHERE {term}"
            sql = (f"SELECT {_ALERT_COLUMNS} FROM review_alert{joined} ORDER BY {order} "
                   f"LIMIT {limit - len(found)}")
            found.extend(_alert(r) for r in self._db.query(sql, (*params, *values)))
        return found

    def alert_page(self, *, limit: int = 100, offset: int = 0, after: str | None = None,
                   sort: str = "due", descending: bool = False, **filters: Any) -> AlertPage:
        """A page of the queue (:meth:`alerts`, the same filters) and the cursor of the
        page after it (None: this is the last one): one alert more is read to know."""
        limit = max(int(limit), 0)
        found = self.alerts(limit=limit + 1, offset=offset, after=after, sort=sort,
                            descending=descending, **filters)
        more = len(found) > limit and limit > 0
        found = found[:limit]
        return AlertPage(found, alert_cursor(found[-1], sort, descending) if more else None)

    def _dense(self, programme: str) -> bool:
        """Whether a programme is on a large share of the alerts (how to filter by it)."""
        alerts = int(self._db.query("SELECT COALESCE(MAX(id), 0) FROM review_alert")[0][0])
        enough = int(_DENSE * alerts) + 1  # counted no further than this
        rows = self._db.query("SELECT COUNT(*) FROM (SELECT 1 FROM review_alert_programme "
                              f"WHERE programme = ? LIMIT {enough}) AS few", (programme,))
        return int(rows[0][0]) >= enough

    def count_alerts(self, state: str | None = None, *, assignee: str | None = None,
                     customer_ref: str | None = None, decision: str | None = None,
                     overdue_at: str | None = None, source: str | None = None,
                     programme: str | None = None, min_score: float | None = None,
                     max_score: float | None = None, opened_before: str | None = None,
                     opened_after: str | None = None, due_before: str | None = None,
                     unassigned: bool = False) -> dict[str, int]:
        """Alerts per state among those the filters keep (the same filters as
        :meth:`alerts`): the queue's tabs and its page count. ``state``: only that one."""
        where, params = _alert_where(
            state=state, assignee=assignee, customer_ref=customer_ref, decision=decision,
            overdue_at=overdue_at, source=source, programme=programme, min_score=min_score,
            max_score=max_score, opened_before=opened_before, opened_after=opened_after,
            due_before=due_before, unassigned=unassigned)
        if where in ("", " WHERE state = ?"):  # no filter but the state: kept counts
            rows = self._db.query("SELECT state, alerts FROM review_alert_count WHERE "
                                  "alerts > 0")
        else:
            rows = self._db.query(f"SELECT state, COUNT(*) FROM review_alert{where} GROUP BY "
                                  "state", params)
        counts = {str(r[0]): int(r[1]) for r in rows}
        return {state: counts.get(state, 0)} if state is not None else counts

    def alert_facets(self) -> dict[str, list[str]]:
        """What the queue can be filtered by: the lists, programmes and assignees alerts
        have (sorted; for a filter's choices)."""
        def values(sql: str) -> list[str]:
            return [str(r[0]) for r in self._db.query(sql) if r[0]]
        return {"source": values("SELECT DISTINCT source FROM review_alert ORDER BY source"),
                "programme": values("SELECT DISTINCT programme FROM review_alert_programme "
                                    "ORDER BY programme"),
                "assignee": values("SELECT DISTINCT assignee FROM review_alert WHERE assignee "
                                   "IS NOT NULL ORDER BY assignee")}

    def alert_as_read(self, alert_id: int, version: int | None) -> Alert:
        """The alert, when it is still at ``version``, the one the caller read (None: as it
        is); else StaleAlertError, before any test of its state: a state the caller did not
        see is another actor's change (two reviewers deciding at once: the later one is told
        the alert changed, not that it waits for approval)."""
        alert = self.alert(alert_id)
        if version is not None and alert.version != version:
            self._stale(alert_id, version, alert.version, alert.updated_at, None)
        return alert

    def update_alert(self, alert_id: int, expected_version: int, changes: Mapping[str, Any],
                     event: tuple[str, str, dict[str, Any]] | None = None,
                     within: Callable[[], object] | None = None) -> Alert:
        """Change an alert read at ``expected_version`` and append the event (kind, actor,
        details) in one transaction (``within`` too: the audit record); StaleAlertError
        when someone changed it since."""
        unknown = set(changes) - _MUTABLE
        if unknown:
            raise StoreError(f"alert fields that cannot be set: {', '.join(sorted(unknown))}")
        with self._db.transaction(lock=_LOCK):
            before = self._check_version(alert_id, expected_version)
            at = _now()
            sets = ", ".join(f"{k} = ?" for k in changes)
            sql = "UPDATE review_alert SET " + (f"{sets}, " if sets else "") + \
                "updated_at = ?, version = version + 1 WHERE id = ?"
            self._db.execute(sql, (*changes.values(), at, alert_id))
            after = changes.get("state", before)
            if after != before:
                self._recount({before: -1, str(after): 1})
            if event is not None:
                self._event(alert_id, event[0], event[1], event[2], at)
            if within is not None:
                within()
        return self.alert(alert_id)

    def _check_version(self, alert_id: int, expected: int) -> str:
        """The alert's state, when it is still at the version the caller read."""
        rows = self._db.query("SELECT version, updated_at, state FROM review_alert WHERE "
                              "id = ?", (alert_id,))
        if not rows:
            raise NotFoundError(f"no alert {alert_id}")
        if int(rows[0][0]) != expected:
            self._stale(alert_id, expected, int(rows[0][0]), str(rows[0][1]), None)
        return str(rows[0][2])

    def _recount(self, deltas: Mapping[str, int]) -> None:
        """Apply changes of the alerts per state (``review_alert_count``), in the writer's
        transaction, under the workflow's lock: the counts move with the rows."""
        rows = [(state, delta) for state, delta in deltas.items() if delta]
        if rows:
            self._db.executemany(
                "INSERT INTO review_alert_count (state, alerts) VALUES (?, ?) ON CONFLICT "
                "(state) DO UPDATE SET alerts = review_alert_count.alerts + excluded.alerts",
                rows)

    def recount_alerts(self) -> dict[str, int]:
        """Count the alerts per state again from the alerts themselves (after rows were
        changed outside this class, e.g. restored from a backup); the counts."""
        with self._db.transaction(lock=_LOCK):
            _fill_counts(self._db)
        return self.count_alerts()

    def _event(self, alert_id: int, kind: str, actor: str, details: Mapping[str, Any],
               at: str) -> int:
        event_id = self._next_id("review_event")
        self._db.execute("INSERT INTO review_event (id, alert_id, at, actor, kind, details) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         (event_id, alert_id, at, actor, kind, _json(dict(details))))
        return event_id

    def add_event(self, alert_id: int, kind: str, actor: str,
                  details: Mapping[str, Any]) -> Event:
        """Append a step that changes nothing on the alert (a comment)."""
        with self._db.transaction(lock=_LOCK):
            self.alert(alert_id)
            at = _now()
            event_id = self._event(alert_id, kind, actor, details, at)
        return Event(event_id, alert_id, at, actor, kind, dict(details))

    def events(self, alert_id: int) -> list[Event]:
        rows = self._db.query("SELECT id, alert_id, at, actor, kind, details FROM review_event "
                              "WHERE alert_id = ? ORDER BY id", (alert_id,))
        return [Event(int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), json.loads(r[5]))
                for r in rows]

    def hits(self, alert_id: int) -> list[Hit]:
        rows = self._db.query("SELECT alert_id, run_id, score, entity_hash, customer_hash, "
                              "explanation, outcome, at FROM review_hit WHERE alert_id = ? "
                              "ORDER BY run_id", (alert_id,))
        return [Hit(int(r[0]), int(r[1]), float(r[2]), str(r[3]), str(r[4]), json.loads(r[5]),
                    str(r[6]), str(r[7])) for r in rows]

    def suppressions(self, *, run_id: int | None = None, limit: int = 1000
                     ) -> list[Suppression]:
        """Pairs runs found and a remembered decision kept closed, newest run first."""
        sql = ("SELECT h.run_id, h.alert_id, a.customer_ref, a.entity_id, h.score, h.at FROM "
               "review_hit h JOIN review_alert a ON a.id = h.alert_id WHERE h.outcome = "
               "'suppressed'")
        params: tuple[Any, ...] = ()
        if run_id is not None:
            sql, params = sql + " AND h.run_id = ?", (run_id,)
        rows = self._db.query(f"{sql} ORDER BY h.run_id DESC, h.alert_id LIMIT {int(limit)}",
                              params)
        return [Suppression(int(r[0]), int(r[1]), str(r[2]), str(r[3]), float(r[4]), str(r[5]))
                for r in rows]

    def write_hits(self, run_id: int, hits: Sequence[NewHit], actor: str,
                   within: Callable[[], object] | None = None) -> list[int]:
        """Write a run's findings in one transaction: open new alerts, reopen, count a
        suppression, or add the run's hit; each reopen checked against the alert version
        the library read (StaleAlertError: the run re-reads and decides again). The alert
        ids, in order.

        Set-wise, so a page of findings costs a fixed number of statements, not several
        per finding (each one a round trip on PostgreSQL): every check first, from two
        reads of the alerts concerned (a stale or unknown one refuses the whole page before
        anything is written), then the rows planned in the findings' order (ids, events,
        counts exactly as one finding at a time would make them) and written with one
        ``executemany`` per statement (psycopg pipelines those)."""
        ids: list[int] = []
        with self._db.transaction(lock=_LOCK):
            at = _now()
            states = self._check_hits(hits, actor, at)
            next_id = self._next_id("review_alert")
            events = _Events(self._next_id("review_event"), actor, at)
            writes = _Writes(_NEW_ALERT, _REOPEN_ALERT, _UPDATE_ALERT, _DROP_PROGRAMMES,
                             _ADD_PROGRAMME, _NEW_EVENT, _NEW_HIT)
            deltas: dict[str, int] = {}
            for hit in hits:
                if hit.action == "open":
                    alert_id, next_id = next_id, next_id + 1
                    writes.add(_NEW_ALERT, (
                        alert_id, hit.customer_ref, hit.entity_id, hit.score, hit.entity_hash,
                        hit.customer_hash, hit.customer_version, at, at, hit.due_at,
                        hit.caption, hit.source, _json(list(hit.programmes))))
                    _programme_rows(writes, alert_id, hit.programmes)
                    deltas["open"] = deltas.get("open", 0) + 1
                    events.add(writes, alert_id, "opened", {"run": run_id, "score": hit.score})
                else:
                    assert hit.alert_id is not None and hit.alert_version is not None
                    alert_id = hit.alert_id
                    before = states[alert_id]
                    _plan_apply(writes, events, run_id, alert_id, hit, at)
                    if hit.action == "reopen":
                        states[alert_id] = "open"
                        if before != "open":
                            deltas[before] = deltas.get(before, 0) - 1
                            deltas["open"] = deltas.get("open", 0) + 1
                    if hit.source and hit.action in ("reopen", "update"):
                        writes.add(_DROP_PROGRAMMES, (alert_id,))
                        _programme_rows(writes, alert_id, hit.programmes)
                writes.add(_NEW_HIT, (alert_id, run_id, hit.score, hit.entity_hash,
                                      hit.customer_hash, _json(hit.explanation),
                                      _outcome(hit.action), at))
                ids.append(alert_id)
            writes.flush(self._db)
            self._recount(deltas)
            if within is not None:
                within()
        return ids

    def _alert_rows(self, alert_ids: Sequence[int]) -> dict[int, tuple[int, str, str]]:
        """id -> (version, updated at, state) of those alerts that exist."""
        found: dict[int, tuple[int, str, str]] = {}
        for start in range(0, len(alert_ids), _CHUNK):
            part = alert_ids[start:start + _CHUNK]
            marks = ", ".join("?" * len(part))
            for row in self._db.query("SELECT id, version, updated_at, state FROM review_alert "
                                      f"WHERE id IN ({marks})", tuple(part)):
                found[int(row[0])] = (int(row[1]), str(row[2]), str(row[3]))
        return found

    def _check_hits(self, hits: Sequence[NewHit], actor: str, at: str) -> dict[int, str]:
        """Every check ``write_hits`` makes, before it writes anything, in the findings'
        order and with the words one finding at a time would give: a pair planned as new
        that has an alert (or comes twice), an alert missing or not at the version the
        library read (a finding earlier in the same page counts: a second reopen or
        update of one alert is stale), an unknown action. The state of each alert named,
        as it stands before the page."""
        existing = {h.alert_id for h in hits if h.action != "open" and h.alert_id is not None}
        rows = self._alert_rows(sorted(existing))
        states = {alert_id: state for alert_id, (_, _, state) in rows.items()}
        opened = self._existing_pairs({(h.customer_ref, h.entity_id) for h in hits
                                       if h.action == "open"})
        last: dict[int, tuple[str, str]] = {}  # alert -> (actor, kind) of a planned event
        for hit in hits:
            if hit.action == "open":
                pair = (hit.customer_ref, hit.entity_id)
                if pair in opened:
                    raise StaleAlertError(f"an alert for {hit.customer_ref} and "
                                          f"{hit.entity_id} was opened meanwhile")
                opened.add(pair)
                continue
            assert hit.alert_id is not None and hit.alert_version is not None
            alert_id = hit.alert_id
            if alert_id not in rows:
                raise NotFoundError(f"no alert {alert_id}")
            version, updated_at, state = rows[alert_id]
            if version != hit.alert_version:
                self._stale(alert_id, hit.alert_version, version, updated_at,
                            last.get(alert_id))
            if hit.action == "reopen":
                rows[alert_id] = (version + 1, at, "open")
                last[alert_id] = (actor, "reopened")
            elif hit.action == "update":
                rows[alert_id] = (version + 1, at, state)
            elif hit.action == "suppress":
                last[alert_id] = (actor, "suppressed")
            else:
                raise StoreError(f"unknown action {hit.action!r} for a run's hit")
        return states

    def _existing_pairs(self, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those of the (customer, entity) pairs that have an alert."""
        found: set[tuple[str, str]] = set()
        for part in _chunks(sorted({c for c, _ in pairs})):
            marks = ", ".join("?" * len(part))
            for ref, entity_id in self._db.query(
                    f"SELECT customer_ref, entity_id FROM review_alert WHERE customer_ref IN "
                    f"({marks})", tuple(part)):
                if (str(ref), str(entity_id)) in pairs:
                    found.add((str(ref), str(entity_id)))
        return found

    def _stale(self, alert_id: int, expected: int, version: int, updated_at: str,
               planned: tuple[str, str] | None) -> NoReturn:
        """Refuse a write made against an old version: who changed the alert, when."""
        who = [planned] if planned is not None else self._db.query(
            "SELECT actor, kind FROM review_event WHERE alert_id = ? ORDER BY id DESC "
            "LIMIT 1", (alert_id,))
        by = f" ({who[0][1]} by {who[0][0]})" if who else ""
        raise StaleAlertError(
            f"alert {alert_id} was changed at {updated_at}{by} since you read it "
            f"(it is at version {version}, you had {expected}); nothing was "
            "written: reload it and try again")

    def note_delisted(self, run_id: int, entity_ids: Iterable[str], actor: str,
                      within: Callable[[list[int]], object] | None = None) -> list[int]:
        """Tell every alert not closed on an entity no longer listed (an event in its case;
        its state and decision stay a person's to change, the events written set-wise);
        the alert ids."""
        wanted = sorted(set(entity_ids))
        noted: list[int] = []
        with self._db.transaction(lock=_LOCK):
            events = _Events(self._next_id("review_event"), actor, _now())
            writes = _Writes(_NEW_EVENT)
            for part in _chunks(wanted):
                marks = ", ".join("?" * len(part))
                rows = self._db.query(
                    f"SELECT id, entity_id FROM review_alert WHERE entity_id IN ({marks}) "
                    "AND state <> 'closed' ORDER BY id", tuple(part))
                for alert_id, entity_id in rows:
                    events.add(writes, int(alert_id), "delisted",
                               {"run": run_id, "entity": str(entity_id)})
                    noted.append(int(alert_id))
            writes.flush(self._db)
            if within is not None:
                within(noted)
        return noted

    # -- attachments --------------------------------------------------------------------

    def add_attachment(self, alert_id: int, name: str, media_type: str, data: bytes,
                       actor: str, within: Callable[[], object] | None = None) -> Attachment:
        """Keep a file with an alert (size limits are the library's)."""
        digest = hashlib.sha256(data).hexdigest()
        with self._db.transaction(lock=_LOCK):
            self.alert(alert_id)
            at = _now()
            attachment_id = self._next_id("review_attachment")
            self._db.execute(
                "INSERT INTO review_attachment (id, alert_id, name, media_type, size, sha256, "
                "data, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (attachment_id, alert_id, name, media_type, len(data), digest,
                 base64.b64encode(data).decode("ascii"), at, actor))
            self._event(alert_id, "attached", actor,
                        {"attachment": attachment_id, "name": name, "size": len(data),
                         "sha256": digest}, at)
            if within is not None:
                within()
        return Attachment(attachment_id, alert_id, name, media_type, len(data), digest, at,
                          actor)

    def attachments(self, alert_id: int) -> list[Attachment]:
        rows = self._db.query("SELECT id, alert_id, name, media_type, size, sha256, at, actor "
                              "FROM review_attachment WHERE alert_id = ? ORDER BY id",
                              (alert_id,))
        return [Attachment(int(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4]), str(r[5]),
                           str(r[6]), str(r[7])) for r in rows]

    def attachment_data(self, attachment_id: int) -> bytes:
        rows = self._db.query("SELECT data FROM review_attachment WHERE id = ?",
                              (attachment_id,))
        if not rows:
            raise NotFoundError(f"no attachment {attachment_id}")
        return base64.b64decode(rows[0][0])

    def version_hashes(self) -> dict[tuple[str, int], str]:
        """(source, version) -> the content hash of that version's entities."""
        rows = self._db.query("SELECT source, seq, content_hash FROM version")
        return {(str(r[0]), int(r[1])): str(r[2]) for r in rows}

    # -- listed entities as the alerts saw them ----------------------------------------------

    def entity_at(self, content_hash: str) -> Entity:
        """The listed entity stored under a content hash (the version an alert saw)."""
        return load_record(self._db, content_hash)


def _outcome(action: str) -> str:
    return {"open": "opened", "reopen": "reopened", "suppress": "suppressed",
            "update": "updated"}[action]


REVIEW = """
CREATE TABLE IF NOT EXISTS review_customer (
    ref TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    screening_hash TEXT NOT NULL,
    fields TEXT NOT NULL,
    attributes TEXT NOT NULL,
    tokens TEXT,
    screened TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_customer_status ON review_customer (status, ref);
CREATE TABLE IF NOT EXISTS review_customer_version (
    ref TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    screening_hash TEXT NOT NULL,
    fields TEXT NOT NULL,
    attributes TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (ref, version)
);
CREATE TABLE IF NOT EXISTS review_run (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    actor TEXT NOT NULL,
    lists TEXT NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    algorithm TEXT NOT NULL,
    segment TEXT NOT NULL,
    screened INTEGER NOT NULL,
    opened INTEGER NOT NULL,
    reopened INTEGER NOT NULL,
    suppressed INTEGER NOT NULL,
    updated INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS review_alert (
    id INTEGER PRIMARY KEY,
    customer_ref TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    state TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    entity_hash TEXT NOT NULL,
    customer_hash TEXT NOT NULL,
    customer_version INTEGER NOT NULL,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    decision TEXT,
    assignee TEXT,
    due_at TEXT,
    decided_by TEXT,
    decided_at TEXT,
    decided_entity_hash TEXT,
    decided_customer_hash TEXT,
    decided_customer_version INTEGER,
    approval TEXT,
    caption TEXT NOT NULL,
    UNIQUE (customer_ref, entity_id)
);
CREATE INDEX IF NOT EXISTS review_alert_queue ON review_alert (state, due_at, id);
CREATE INDEX IF NOT EXISTS review_alert_assignee ON review_alert (assignee, state);
CREATE INDEX IF NOT EXISTS review_alert_due ON review_alert (due_at, id);
CREATE TABLE IF NOT EXISTS review_hit (
    alert_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    entity_hash TEXT NOT NULL,
    customer_hash TEXT NOT NULL,
    explanation TEXT NOT NULL,
    outcome TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (alert_id, run_id)
);
CREATE INDEX IF NOT EXISTS review_hit_run ON review_hit (run_id, outcome);
CREATE TABLE IF NOT EXISTS review_event (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_event_alert ON review_event (alert_id, id);
CREATE TABLE IF NOT EXISTS review_attachment (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL
)
"""


# The review queue (0009): each alert's list (the entity's source) and programmes, as last
# seen, to filter by; programmes also as rows (one alert, many programmes) under an index;
# per order the queue sorts by, an index led by the state and one without (due has both
# since 0007), so a page is read in order, not sorted from every alert.
_QUEUE_SQL = """
ALTER TABLE review_alert ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE review_alert ADD COLUMN programmes TEXT NOT NULL DEFAULT '[]';
CREATE TABLE IF NOT EXISTS review_alert_programme (
    programme TEXT NOT NULL,
    alert_id INTEGER NOT NULL,
    PRIMARY KEY (programme, alert_id)
);
CREATE INDEX IF NOT EXISTS review_alert_programme_alert ON review_alert_programme (alert_id);
CREATE INDEX IF NOT EXISTS review_alert_score ON review_alert (state, score, id);
CREATE INDEX IF NOT EXISTS review_alert_age ON review_alert (state, opened_at, id);
CREATE INDEX IF NOT EXISTS review_alert_score_all ON review_alert (score, id);
CREATE INDEX IF NOT EXISTS review_alert_age_all ON review_alert (opened_at, id);
CREATE INDEX IF NOT EXISTS review_alert_assignee_due ON review_alert (assignee, due_at, id);
CREATE INDEX IF NOT EXISTS review_alert_source ON review_alert (source, state)
"""


def review_queue(db: Database) -> None:
    """Migration 0009: the queue's columns and indexes, then each existing alert's list and
    programmes from the entity content it last saw (the store keeps every version), a
    page at a time."""
    for statement in _QUEUE_SQL.split(";"):
        if statement.strip():
            db.execute(statement)
    after = 0
    while True:
        rows = db.query("SELECT a.id, r.data FROM review_alert a LEFT JOIN record r ON "
                        "r.hash = a.entity_hash WHERE a.id > ? ORDER BY a.id LIMIT 5000",
                        (after,))
        if not rows:
            return
        updates: list[tuple[Any, ...]] = []
        programme_rows: list[tuple[Any, ...]] = []
        for alert_id, data in rows:
            entity = json.loads(data) if data else {}
            programmes = sorted({str(p) for p in entity.get("programmes") or []})
            updates.append((str(entity.get("source") or ""), _json(programmes), alert_id))
            programme_rows.extend((p, alert_id) for p in programmes)
        db.executemany("UPDATE review_alert SET source = ?, programmes = ? WHERE id = ?",
                       updates)
        if programme_rows:
            db.executemany("INSERT INTO review_alert_programme (programme, alert_id) VALUES "
                           "(?, ?) ON CONFLICT DO NOTHING", programme_rows)
        after = int(rows[-1][0])


# The alerts per state, kept (0010): the queue's tabs read them on every page, and
# counting 100,000 rows per page is too slow for it. Every write of an alert's state in
# ``ReviewStore`` (under the workflow's lock, in the same transaction) moves them;
# ``ReviewStore.recount_alerts`` counts again from the rows.
_COUNT_SQL = """
CREATE TABLE IF NOT EXISTS review_alert_count (
    state TEXT PRIMARY KEY,
    alerts BIGINT NOT NULL
)
"""


def _fill_counts(db: Database) -> None:
    db.execute("DELETE FROM review_alert_count")
    db.execute("INSERT INTO review_alert_count (state, alerts) SELECT state, COUNT(*) FROM "
               "review_alert GROUP BY state")


def review_counts(db: Database) -> None:
    """Migration 0010: the kept counts of alerts per state, counted once from the rows."""
    db.execute(_COUNT_SQL)
    _fill_counts(db)

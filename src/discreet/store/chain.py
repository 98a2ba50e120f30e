"""The audit log as a hash chain: every record carries the hash of the one before it.

Each row of ``audit_log`` has a gap-free sequence number ``seq`` and ``hash`` = SHA-256
of a canonical encoding (:func:`record_hash`) of its fields and of ``prev_hash``, the
hash of record ``seq - 1`` (:data:`GENESIS` before the first). Editing, deleting or
moving a record breaks the chain at that record; rewriting the whole tail is caught by
an anchor (``seq`` and ``hash`` of the head, exported and kept elsewhere).

Appends are serialised by one row, ``audit_head`` (the last sequence number and hash),
read and updated in the appending transaction: ``SELECT ... FOR UPDATE`` on PostgreSQL,
and on SQLite the transaction's ``BEGIN IMMEDIATE`` (one writer at a time). Two
appenders, in threads, processes or hosts, can therefore never give two records one
predecessor: the chain cannot fork. An append inside a transaction the caller already
holds (a list load) joins it, so the record commits or rolls back with what it records;
append last in such a transaction, after its other locks.

Rows of migration 0003 (before the chain) are chained in (time, id) order by the first
append after the migration, or by :func:`seal`. Retention (:func:`prune`) deletes a
whole expired prefix of the chain and keeps one summary row per deleted segment in
``audit_segment`` (first and last sequence number, last hash), itself chained and
recorded in the live chain by an ``audit.prune`` event, so what is left still verifies.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import re
import socket
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from discreet.store.db import Database

__all__ = ["GENESIS", "KINDS", "Anchor", "ChainRecord", "Segment", "Verdict", "anchor",
           "append_event", "append_rows", "chain_records", "clean", "default_actor", "export_rows",
           "prune", "record_hash", "replace_surrogates", "seal", "search", "segments",
           "verify", "verify_export"]

GENESIS = "0" * 64  # the "previous hash" of record 1
KINDS = ("api", "event")  # an API request (or refusal), or a store event
_FIELDS = ("id", "at", "kind", "key_id", "endpoint", "dataset", "status", "request",
           "versions", "results")
_CHAIN_COLUMNS = "seq, " + ", ".join(_FIELDS) + ", prev_hash, hash"
_PAGE = 5000  # rows read at a time when walking the chain
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL) and lone surrogates
_LONE = re.compile("[\ud800-\udfff]")


def record_hash(prev_hash: str, seq: int, fields: Sequence[object]) -> str:
    """SHA-256 (hex) of a record: its sequence number, its stored fields (in ``_FIELDS``
    order, as stored: the JSON columns as their text) and the previous record's hash,
    encoded as one JSON array (ASCII, no spaces), so the encoding is the same everywhere."""
    status = fields[6]
    values = [int(seq), *(str(v) for v in fields[:6]), int(str(status)),
              *(str(v) for v in fields[7:]), str(prev_hash)]
    text = json.dumps(values, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def replace_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (pairs are joined, as UTF-16)."""
    if not _LONE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean(text: str) -> str:
    """``text`` as every store can hold it: lone surrogates become U+FFFD, NUL goes.

    A request may carry text that is not valid Unicode (``"\\ud800"`` in JSON); one such
    record must not fail the batch it is written in.
    """
    if not _UNSTORABLE.search(text):
        return text
    return replace_surrogates(text.replace("\x00", ""))


def default_actor() -> str:
    """Who runs this process, for events no user is known for: ``user@host``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container)
        user = "uid-unknown"
    return f"{user}@{socket.gethostname()}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _in_transaction(db: Database) -> bool:
    conn = getattr(db, "conn", None)
    if db.dialect == "sqlite":
        return bool(getattr(conn, "in_transaction", False))
    if db.dialect == "postgres" and conn is not None:
        import psycopg  # the driver the store already uses

        return bool(conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)
    return False


def _atomic(db: Database) -> AbstractContextManager[Any]:
    """The caller's transaction when one is open, else a new one."""
    return nullcontext() if _in_transaction(db) else db.transaction()


def _head(db: Database) -> tuple[int, str, bool]:
    """(last seq, last hash, legacy rows sealed), locked until the transaction ends."""
    lock = " FOR UPDATE" if db.dialect == "postgres" else ""
    rows = db.query(f"SELECT seq, hash, sealed FROM audit_head WHERE id = 1{lock}")
    if not rows:  # created by the migration; only a hand-edited store lacks it
        db.execute("INSERT INTO audit_head (id, seq, hash, sealed) VALUES (1, 0, ?, 0)",
                   (GENESIS,))
        return _head(db)
    return int(str(rows[0][0])), str(rows[0][1]), bool(int(str(rows[0][2])))


def _seal_legacy(db: Database, seq: int, prev: str) -> tuple[int, str]:
    """Chain the rows written before the chain existed, in (time, id) order."""
    rows = db.query(f"SELECT {', '.join(_FIELDS)} FROM audit_log WHERE seq IS NULL "
                    "ORDER BY at, id")
    updates: list[tuple[object, ...]] = []
    for row in rows:
        seq += 1
        digest = record_hash(prev, seq, row)
        updates.append((seq, prev, digest, row[0]))
        prev = digest
    for i in range(0, len(updates), 1000):
        db.executemany("UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?",
                       updates[i:i + 1000])
    db.execute("UPDATE audit_head SET seq = ?, hash = ?, sealed = 1 WHERE id = 1", (seq, prev))
    return seq, prev


def _locked_head(db: Database) -> tuple[int, str]:
    seq, prev, sealed = _head(db)
    if not sealed:
        seq, prev = _seal_legacy(db, seq, prev)
    return seq, prev


def append_rows(db: Database, rows: Sequence[tuple[object, ...]], *, kind: str = "api",
                skip_existing: bool = False) -> list[int]:
    """Append encoded rows (``id, at, key_id, endpoint, dataset, status, request,
    versions, results``) to the chain, in order, in one transaction; their sequence
    numbers. ``skip_existing`` leaves out rows whose id is stored already (a record
    replayed after a crash); otherwise a duplicate id fails the whole append."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit record kind {kind!r}")
    if not rows:
        return []
    with _atomic(db):
        seq, prev = _locked_head(db)
        todo = list(rows)
        if skip_existing:
            ids = [str(r[0]) for r in todo]
            held: set[str] = set()
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                held.update(str(r[0]) for r in db.query(
                    f"SELECT id FROM audit_log WHERE id IN ({', '.join('?' * len(part))})",
                    part))
            fresh: list[tuple[object, ...]] = []
            for row in todo:  # a replayed batch may hold one id twice: keep the first
                if str(row[0]) not in held:
                    held.add(str(row[0]))
                    fresh.append(row)
            todo = fresh
        out: list[tuple[object, ...]] = []
        numbers: list[int] = []
        for row in todo:
            seq += 1
            fields = (row[0], row[1], kind, *row[2:])
            digest = record_hash(prev, seq, fields)
            out.append((seq, *fields, prev, digest))
            numbers.append(seq)
            prev = digest
        if out:
            db.executemany(f"INSERT INTO audit_log ({_CHAIN_COLUMNS}) VALUES "
                           f"({', '.join('?' * 13)})", out)
            db.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, prev))
    return numbers


def _json(value: object) -> str:
    return clean(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                            default=str))


def append_event(db: Database, event: str, actor: str | None,
                 details: Mapping[str, object]) -> int:
    """Append one store event (``list.load``, ``key.create``, a review decision…) by
    ``actor`` (default: this process's user) with its details; its sequence number.
    Joins the caller's transaction when one is open."""
    if not event or not str(event).strip():
        raise ValueError("an audit event needs a name")
    row = (uuid.uuid4().hex, _now(), clean(str(actor or default_actor()))[:200],
           clean(str(event))[:200], "", 0, _json(dict(details)), "{}", "{}")
    return append_rows(db, [row], kind="event")[0]


def seal(db: Database) -> int:
    """Chain the rows left from before the chain (if not done yet); the head's seq."""
    with _atomic(db):
        return _locked_head(db)[0]


# --- reading, anchors, verification ------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainRecord:
    """One record of the chain as stored (JSON columns decoded)."""

    seq: int
    id: str
    at: str
    kind: str
    actor: str  # the API key id, or the user of an event
    endpoint: str  # the API endpoint, or the event's name
    dataset: str
    status: int
    request: Any  # the API request, or the event's details
    versions: Any
    results: Any
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Anchor:
    """The head of the chain at a moment: kept outside the store, it catches a rewrite
    or a cut tail later."""

    seq: int
    hash: str
    at: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"seq": self.seq, "hash": self.hash, "at": self.at}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Anchor:
        seq, digest = data.get("seq"), data.get("hash")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 \
                or not isinstance(digest, str) or len(digest) != 64:
            raise ValueError("an anchor is {\"seq\": <int>, \"hash\": <64 hex>}")
        return cls(seq, digest.lower(), str(data.get("at", "")))


@dataclass(frozen=True, slots=True)
class Segment:
    """A pruned part of the chain: what is kept of it so the rest still verifies."""

    first_seq: int
    last_seq: int
    last_hash: str
    records: int
    first_at: str
    last_at: str
    pruned_at: str
    prev_hash: str  # the previous segment's ``hash`` (GENESIS for the first)
    hash: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(slots=True)
class Verdict:
    """What :func:`verify` found: ``ok``, or the first bad record and why, in one line."""

    ok: bool
    checked: int = 0  # records whose hash and link were checked
    head: int = 0  # the last sequence number reached
    pruned: int = 0  # records in pruned segments
    bad_seq: int | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.ok:
            return (f"ok: {self.checked} records chained, head {self.head}"
                    + (f", {self.pruned} pruned in segments" if self.pruned else "")
                    + "".join(f"; {note}" for note in self.notes))
        where = f"record {self.bad_seq}" if self.bad_seq is not None else "chain"
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "checked": self.checked, "head": self.head,
                "pruned": self.pruned, "bad_seq": self.bad_seq, "reason": self.reason,
                "notes": list(self.notes), "line": self.line()}


def anchor(db: Database) -> Anchor:
    """The head now (after chaining any rows left from before the chain)."""
    with _atomic(db):
        seq, digest = _locked_head(db)
    return Anchor(seq, digest, _now())


def _decode(text: object) -> Any:
    try:
        return json.loads(str(text))
    except ValueError:
        return str(text)


def _record(row: tuple[Any, ...]) -> ChainRecord:
    return ChainRecord(int(str(row[0])), str(row[1]), str(row[2]), str(row[3]), str(row[4]),
                       str(row[5]), str(row[6]), int(str(row[7])), _decode(row[8]),
                       _decode(row[9]), _decode(row[10]), str(row[11]), str(row[12]))


def _rows(db: Database, where: str = "", params: Sequence[object] = ()) -> Iterator[
        tuple[Any, ...]]:
    """Chained rows in sequence order, a page at a time (keyset: never OFFSET)."""
    after = -1
    while True:
        page = db.query(f"SELECT {_CHAIN_COLUMNS} FROM audit_log WHERE seq > ? {where} "
                        f"ORDER BY seq LIMIT {_PAGE}", (after, *params))
        yield from page
        if len(page) < _PAGE:
            return
        after = int(str(page[-1][0]))


def _window(since: str | None, until: str | None) -> tuple[str, list[str]]:
    """The SQL condition (and its parameters) of records stamped from ``since`` to before
    ``until``; either may be open."""
    where, params = "", []
    if since:
        where += " AND at >= ?"
        params.append(since)
    if until:
        where += " AND at < ?"
        params.append(until)
    return where, params


def chain_records(db: Database, *, since: str | None = None,
                  until: str | None = None) -> Iterator[ChainRecord]:
    """Records in chain order, stamped at or after ``since`` and before ``until``."""
    for row in _rows(db, *_window(since, until)):
        yield _record(row)


def search(db: Database, *, since: str | None = None, until: str | None = None,
           actor: str | None = None, kind: str | None = None, event: str | None = None,
           text: str | None = None, before: int | None = None, after: int | None = None,
           limit: int = 50) -> list[ChainRecord]:
    """Records newest first (by sequence number, below ``before`` and above ``after``),
    stamped from ``since`` to before ``until``, by ``actor`` (exactly), of ``kind``, whose
    endpoint or event name starts with ``event``, and containing ``text`` (as typed, or in
    any case: Latin letters everywhere, every script on PostgreSQL) in the actor, the
    endpoint, the dataset or the request/details.
    A page of at most ``limit``; what the audit page searches with."""
    where, window = _window(since, until)
    conditions: list[str] = [where] if where else []
    params: list[object] = list(window)
    if before is not None:
        conditions.append(" AND seq < ?")
        params.append(int(before))
    if after is not None:
        conditions.append(" AND seq > ?")
        params.append(int(after))
    if actor:
        conditions.append(" AND key_id = ?")
        params.append(actor)
    if kind:
        conditions.append(" AND kind = ?")
        params.append(kind)
    if event:
        conditions.append(" AND endpoint LIKE ? ESCAPE '!'")
        params.append(_like(event) + "%")
    if text:
        # as typed, and lower-cased against lower-cased columns: SQLite's LOWER folds only
        # ASCII letters, PostgreSQL's every script
        exact, lower = "%" + _like(text) + "%", "%" + _like(text.lower()) + "%"
        columns = ("key_id", "endpoint", "dataset", "request")
        conditions.append(" AND (" + " OR ".join(
            f"{c} LIKE ? ESCAPE '!' OR LOWER({c}) LIKE ? ESCAPE '!'" for c in columns) + ")")
        params.extend([exact, lower] * len(columns))
    rows = db.query(f"SELECT {_CHAIN_COLUMNS} FROM audit_log WHERE seq IS NOT NULL"
                    f"{''.join(conditions)} ORDER BY seq DESC LIMIT {max(1, int(limit))}",
                    params)
    return [_record(row) for row in rows]


def _like(value: str) -> str:
    """``value`` as a literal inside a LIKE pattern (``!`` escapes)."""
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_")


EXPORT_KEYS = ("seq", *_FIELDS, "prev_hash", "hash")  # one exported line's keys


def export_rows(db: Database, *, since: str | None = None,
                until: str | None = None) -> Iterator[dict[str, object]]:
    """Records in chain order exactly as hashed: every field as its stored text (the JSON
    columns not decoded), so :func:`verify_export` can recompute each hash offline."""
    for row in _rows(db, *_window(since, until)):
        yield {key: int(str(value)) if key in ("seq", "status") else str(value)
               for key, value in zip(EXPORT_KEYS, row, strict=True)}


def _exported(line: str) -> tuple[int, tuple[object, ...], str, str]:
    """(seq, fields, prev_hash, hash) of one exported line; ValueError if it is not one."""
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    missing = [key for key in EXPORT_KEYS if key not in data]
    if missing:
        raise ValueError(f"no {', '.join(missing)}")
    seq, status = data["seq"], data["status"]
    if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(status, int) \
            or isinstance(status, bool):
        raise ValueError("seq and status must be integers")
    texts = [data[key] for key in EXPORT_KEYS if key not in ("seq", "status")]
    if not all(isinstance(t, str) for t in texts):
        raise ValueError("every field but seq and status is stored text")
    fields = tuple(data[key] for key in _FIELDS)
    return seq, fields, str(data["prev_hash"]), str(data["hash"])


def verify_export(lines: Iterable[str], pin: Anchor | None = None) -> Verdict:
    """Verify an export of :func:`export_rows` (one JSON record a line) without the
    database: each record's hash from its fields, each link to the record before, no
    sequence number missing, and (with ``pin``) that it reaches the anchor. An export
    that starts after record 1 (a window, or after pruning) takes its first record's
    link as given, and says so."""
    verdict = Verdict(ok=True)
    expected: int | None = None
    prev = GENESIS
    pinned = ""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            seq, fields, link, digest = _exported(line)
        except (ValueError, RecursionError) as exc:
            where = expected if expected is not None else None
            return _bad(verdict, where, f"line {number} is not a whole exported record "
                        f"({exc}): edited or cut")
        if expected is None:
            expected = seq
            if seq == 1:
                if link != GENESIS:
                    return _bad(verdict, 1, "edited: record 1 does not start the chain")
            else:
                verdict.notes.append(f"starts at record {seq}: its link to record "
                                     f"{seq - 1} is taken as given")
            prev = link
        if seq != expected:
            if seq < expected:
                return _bad(verdict, seq, f"out of order: record {seq} after "
                            f"{expected - 1}")
            gap = f"{expected}" if seq == expected + 1 else f"{expected}-{seq - 1}"
            return _bad(verdict, expected, f"missing (deleted or moved): the export jumps "
                        f"from record {expected - 1} to {seq} (records {gap} are not here)")
        try:
            good = str(fields[2]) in KINDS and record_hash(link, seq, fields) == digest
        except (ValueError, TypeError):
            good = False
        if not good:
            return _bad(verdict, seq, "edited: its fields do not give its hash (changed, or "
                        "moved here from another position)")
        if link != prev:
            if verdict.checked:
                return _bad(verdict, seq - 1, f"replaced: record {seq} was chained to another "
                            "record here (edited with its hash recomputed, or swapped)")
            return _bad(verdict, seq, f"out of order: it does not follow record {seq - 1}")
        if pin is not None and seq == pin.seq:
            pinned = digest
        verdict.checked += 1
        expected, prev = seq + 1, digest
    last = (expected or 1) - 1
    verdict.head = last
    if pin is not None:
        if pin.seq > last:
            return _bad(verdict, last + 1, f"missing (truncated tail): the export ends at "
                        f"{last} but the anchor says the chain reached {pin.seq}")
        if pin.seq == 0:
            pinned = GENESIS
        if not pinned:
            verdict.notes.append(f"anchor {pin.seq} lies before the export: not checkable")
        elif pinned != pin.hash:
            return _bad(verdict, pin.seq, "rewritten: its hash differs from the anchor's")
        else:
            verdict.notes.append(f"reaches anchor {pin.seq}")
    return verdict


def segments(db: Database) -> list[Segment]:
    rows = db.query("SELECT first_seq, last_seq, last_hash, records, first_at, last_at, "
                    "pruned_at, prev_hash, hash FROM audit_segment ORDER BY first_seq")
    return [Segment(int(str(r[0])), int(str(r[1])), str(r[2]), int(str(r[3])), str(r[4]),
                    str(r[5]), str(r[6]), str(r[7]), str(r[8])) for r in rows]


def _segment_hash(s: Segment) -> str:
    values = [s.first_seq, s.last_seq, s.last_hash, s.records, s.first_at, s.last_at,
              s.pruned_at, s.prev_hash]
    text = json.dumps(values, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _bad(verdict: Verdict, seq: int | None, reason: str) -> Verdict:
    verdict.ok, verdict.bad_seq, verdict.reason = False, seq, reason
    return verdict


def verify(db: Database, pin: Anchor | None = None) -> Verdict:
    """Walk the chain once and name the first bad record: edited (its fields no longer
    give its hash), deleted (a sequence number missing), moved or swapped (it does not
    follow its predecessor), written outside the chain, or a tail cut off (the head row
    or the anchor ``pin`` names a record past the end)."""
    verdict = Verdict(ok=True)
    expected, prev = 1, GENESIS
    pruned = segments(db)
    seg_prev = GENESIS
    for s in pruned:
        if s.first_seq != expected or s.last_seq < s.first_seq:
            return _bad(verdict, expected, f"the pruned segments do not continue the chain "
                        f"(segment {s.first_seq}-{s.last_seq} after {expected - 1})")
        if s.prev_hash != seg_prev or _segment_hash(s) != s.hash:
            return _bad(verdict, s.first_seq, f"the summary of pruned segment {s.first_seq}-"
                        f"{s.last_seq} was edited")
        seg_prev = s.hash
        expected, prev = s.last_seq + 1, s.last_hash
        verdict.pruned += s.records
    head_rows = db.query("SELECT seq, hash, sealed FROM audit_head WHERE id = 1")
    head_seq, head_hash, sealed = ((int(str(head_rows[0][0])), str(head_rows[0][1]),
                                    bool(int(str(head_rows[0][2]))))
                                   if head_rows else (0, GENESIS, True))
    loose = db.query("SELECT id, at FROM audit_log WHERE seq IS NULL ORDER BY at, id LIMIT 1")
    if loose and sealed:
        return _bad(verdict, None, f"record id {loose[0][0]} (at {loose[0][1]}) is not in "
                    "the chain: written outside it (no sequence number)")
    if loose:
        verdict.notes.append("records from before the chain are not sealed yet "
                             "(`discreet audit seal`)")
    prune_hashes: set[str] = set()
    hashes_at: dict[int, str] = {}
    if pin is not None and pin.seq < expected:
        hashes_at[pin.seq] = next((s.last_hash for s in pruned if s.last_seq == pin.seq), "")
    for row in _rows(db):
        seq, fields, link, digest = int(str(row[0])), row[1:11], str(row[11]), str(row[12])
        if seq != expected:
            if seq < expected:  # only a pruned segment's own rows can come before
                return _bad(verdict, seq, f"written inside pruned segment ending at "
                            f"{expected - 1}")
            gap = f"{expected}" if seq == expected + 1 else f"{expected}-{seq - 1}"
            return _bad(verdict, expected, f"missing (deleted): the chain jumps from record "
                        f"{expected - 1} to {seq} (records {gap} are gone)")
        if str(fields[2]) not in KINDS:
            return _bad(verdict, seq, f"edited: unknown kind {fields[2]!r}")
        if record_hash(link, seq, fields) != digest:
            return _bad(verdict, seq, "edited: its fields do not give its hash (changed, or "
                        "moved here from another position)")
        if link != prev:
            if verdict.checked:  # the record before is stored: it is what changed
                return _bad(verdict, seq - 1, f"replaced: record {seq} was chained to another "
                            "record here (edited with its hash recomputed, or swapped)")
            return _bad(verdict, seq, f"out of order: it does not follow record {seq - 1}")
        if str(fields[2]) == "event" and str(fields[4]) == "audit.prune":
            details = _decode(fields[7])
            if isinstance(details, dict):
                prune_hashes.add(str(details.get("segment_hash", "")))
        if pin is not None and seq == pin.seq:
            hashes_at[seq] = digest
        verdict.checked += 1
        expected, prev = seq + 1, digest
    last = expected - 1
    verdict.head = last
    if pruned and pruned[-1].hash not in prune_hashes:
        s = pruned[-1]
        return _bad(verdict, s.first_seq, f"pruned segment {s.first_seq}-{s.last_seq} is not "
                    "the one the chain recorded when it was pruned (its audit.prune event "
                    "is gone or differs)")
    if head_rows and sealed:
        if head_seq > last:
            return _bad(verdict, last + 1, f"missing (truncated tail): the chain ends at "
                        f"{last} but its head says {head_seq}")
        if head_seq < last:
            return _bad(verdict, head_seq + 1, f"written outside the chain: after the head "
                        f"({head_seq})")
        if head_hash != prev:
            return _bad(verdict, last, "edited: the head row names another hash for it")
    if pin is not None:
        if pin.seq > last:
            return _bad(verdict, last + 1, f"missing (truncated tail): the chain ends at "
                        f"{last} but the anchor says it reached {pin.seq}")
        seen = hashes_at.get(pin.seq, "")
        if pin.seq == 0:
            seen = GENESIS
        if not seen:
            verdict.notes.append(f"anchor {pin.seq} lies inside a pruned segment: "
                                 "not checkable")
        elif seen != pin.hash:
            return _bad(verdict, pin.seq, "rewritten: its hash differs from the anchor's")
        else:
            verdict.notes.append(f"reaches anchor {pin.seq}")
    return verdict


def prune(db: Database, before: str, *, actor: str | None = None) -> int:
    """Delete the expired prefix of the chain: every record from the first kept one up
    to (not including) the first stamped at or after ``before``, as one segment whose
    summary is kept (and recorded by an ``audit.prune`` event). A record stamped later
    than an older one after it keeps that one too: segments are whole ranges. Returns
    how many records went."""
    with _atomic(db):
        head_seq, _ = _locked_head(db)
        rows = db.query("SELECT MIN(seq) FROM audit_log WHERE seq IS NOT NULL AND at >= ?",
                        (before,))
        stop = int(str(rows[0][0])) if rows and rows[0][0] is not None else head_seq + 1
        kept = segments(db)
        first = kept[-1].last_seq + 1 if kept else 1
        last = stop - 1
        if last < first:
            return 0
        facts = db.query("SELECT COUNT(*), MIN(at), MAX(at) FROM audit_log WHERE seq >= ? "
                         "AND seq <= ?", (first, last))
        ends = db.query("SELECT hash FROM audit_log WHERE seq = ?", (last,))
        if not ends:  # the chain is broken there already: never prune over damage
            from discreet.errors import StoreError

            raise StoreError(f"audit: record {last} is missing; run `discreet audit verify` "
                             "before pruning")
        count = int(str(facts[0][0]))
        segment = Segment(first, last, str(ends[0][0]), count, str(facts[0][1]),
                          str(facts[0][2]), _now(), kept[-1].hash if kept else GENESIS, "")
        segment = replace(segment, hash=_segment_hash(segment))
        db.execute("DELETE FROM audit_log WHERE seq >= ? AND seq <= ?", (first, last))
        db.execute("INSERT INTO audit_segment (first_seq, last_seq, last_hash, records, "
                   "first_at, last_at, pruned_at, prev_hash, hash) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (segment.first_seq, segment.last_seq, segment.last_hash, segment.records,
                    segment.first_at, segment.last_at, segment.pruned_at, segment.prev_hash,
                    segment.hash))
        append_event(db, "audit.prune", actor,
                     {"first_seq": first, "last_seq": last, "records": count,
                      "last_hash": segment.last_hash, "segment_hash": segment.hash,
                      "before": before})
    return count

"""The screening audit log: who screened what, when, against which list versions, with what.

The API server writes one record per screening request (in batches, from a background
thread); records older than the retention period are pruned. Every record is appended to
the audit hash chain (:mod:`discreet.store.chain`), beside the store's own events (list
loads, key changes, review decisions): pruning removes whole expired segments of it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from discreet.store import chain
from discreet.store.chain import clean, replace_surrogates
from discreet.store.db import Database

__all__ = ["AuditRecord", "clean", "encode_audit", "now_iso", "placeholder", "prune_audit",
           "read_audit", "replace_surrogates", "write_audit", "write_audit_rows"]

_COLUMNS = "id, at, key_id, endpoint, dataset, status, request, versions, results"
_SHORT = 200  # longest key id, endpoint or dataset kept


def now_iso() -> str:
    """The time an audit record is stamped with: UTC, ISO 8601, milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class AuditRecord:
    """One screening request: who (key id), when (UTC ISO), what, versions, results."""

    id: str
    at: str
    key_id: str
    endpoint: str
    dataset: str
    status: int
    request: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)  # source -> version screened
    results: dict[str, Any] = field(default_factory=dict)  # query key -> [(id, score)…]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _dump(value: Any) -> str:
    return clean(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                            default=repr))


def encode_audit(r: AuditRecord) -> tuple[object, ...]:
    """The row stored for ``r`` (raises if a value cannot be turned into text at all)."""
    return _row(r)


def _row(r: AuditRecord) -> tuple[object, ...]:
    return (clean(str(r.id))[:64], clean(str(r.at))[:40], clean(str(r.key_id))[:_SHORT],
            clean(str(r.endpoint))[:_SHORT], clean(str(r.dataset))[:_SHORT], int(r.status),
            _dump(r.request), _dump(r.versions), _dump(r.results))


def placeholder(record: AuditRecord, reason: str) -> AuditRecord:
    """What is kept of a record the store refused: who, when, where, status, and why.

    It has an id of its own (the record's may be what the store refused).
    """
    status = record.status if isinstance(record.status, int) else 0
    return AuditRecord(uuid.uuid4().hex, str(record.at), str(record.key_id),
                       str(record.endpoint), str(record.dataset), status,
                       {"unwritable": clean(reason)[:500], "record": clean(str(record.id))[:64]},
                       {}, {})


def write_audit(db: Database, records: Sequence[AuditRecord]) -> None:
    """Append records in one transaction (text the store cannot hold is replaced first)."""
    write_audit_rows(db, [_row(r) for r in records])


def write_audit_rows(db: Database, rows: Sequence[tuple[object, ...]], *,
                     skip_existing: bool = False) -> None:
    """Append rows from :func:`encode_audit` to the chain in one transaction;
    ``skip_existing`` leaves out rows whose id is stored (a record replayed after a crash)."""
    chain.append_rows(db, rows, kind="api", skip_existing=skip_existing)


def read_audit(db: Database, *, since: str | None = None, key_id: str | None = None,
               limit: int = 100) -> list[AuditRecord]:
    """API requests, newest first; ``since`` is an ISO timestamp, ``key_id`` one key's
    requests (the store's events are read with ``chain.chain_records``)."""
    where, params = ["kind = 'api'"], []
    if since:
        where.append("at >= ?")
        params.append(since)
    if key_id:
        where.append("key_id = ?")
        params.append(key_id)
    rows = db.query(f"SELECT {_COLUMNS} FROM audit_log WHERE {' AND '.join(where)} "
                    f"ORDER BY at DESC, id LIMIT {int(limit)}", params)
    return [AuditRecord(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), int(str(r[5])),
                        json.loads(str(r[6])), json.loads(str(r[7])), json.loads(str(r[8])))
            for r in rows]


def prune_audit(db: Database, before: str) -> int:
    """Delete the chain's expired segment: records up to the first one stamped at or
    after ``before`` (ISO timestamp), keeping its summary; returns how many went."""
    return chain.prune(db, before)

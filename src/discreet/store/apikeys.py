"""API keys: created, listed and revoked from the CLI; the API server looks them up by hash.

A key is ``dk_<id>_<secret>``: ``id`` names the key in listings and audit records, ``secret``
is 32 random bytes. Only the SHA-256 of the whole key is stored, so the key is shown once,
when it is created, and a stolen store does not reveal it. Creating and revoking a key
are appended to the audit chain (who, which key, its scopes; never the secret or its hash).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from discreet.errors import ConfigError, NotFoundError
from discreet.store.chain import append_event
from discreet.store.db import Database

__all__ = ["SCOPES", "ApiKey", "create_key", "find_key", "hash_key", "list_keys", "revoke_key"]

SCOPES = ("screen", "admin")
PREFIX = "dk_"
_COLUMNS = "id, name, scopes, rate_limit, created_at, revoked_at, role"
ROLES = ("analyst", "reviewer", "admin", "auditor")  # as store.users.USER_ROLES


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One key as stored (never the secret): its scopes, rate limit and revocation."""

    id: str
    name: str
    scopes: tuple[str, ...]
    rate_limit: int | None  # requests per minute; None = the server's default
    created_at: str
    revoked_at: str | None = None
    role: str | None = None  # the review role the machine acts in (None: screening only)

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "scopes": list(self.scopes),
                "rate_limit": self.rate_limit, "created_at": self.created_at,
                "revoked_at": self.revoked_at, "active": self.active, "role": self.role}


def hash_key(key: str) -> str:
    """SHA-256 (hex) of a presented key: what the store keeps and looks up."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(row: tuple[object, ...]) -> ApiKey:
    key_id, name, scopes, rate, created, revoked, role = row
    return ApiKey(str(key_id), str(name), tuple(str(scopes).split()) if scopes else (),
                  None if rate is None else int(str(rate)), str(created),
                  None if revoked is None else str(revoked),
                  None if role is None else str(role))


def create_key(db: Database, name: str, scopes: tuple[str, ...] = ("screen",),
               rate_limit: int | None = None, *,
               by: str | None = None, role: str | None = None) -> tuple[ApiKey, str]:
    """Store a new key; returns its record and the key itself (shown once, never stored).
    ``by`` is who creates it for the audit (default: this process's user); ``role`` the
    review role the machine acts in (a key without one cannot act on the review book)."""
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ConfigError(f"unknown scope(s) {unknown or 'none given'}; known: {SCOPES}")
    if role is not None and role not in ROLES:
        raise ConfigError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if rate_limit is not None and rate_limit < 1:
        raise ConfigError("a rate limit must be at least 1 request per minute")
    key_id = secrets.token_hex(4)
    secret = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    record = ApiKey(key_id, name, tuple(dict.fromkeys(scopes)), rate_limit, _now(), role=role)
    with db.transaction():
        db.execute("INSERT INTO api_key (id, name, key_hash, scopes, rate_limit, created_at, "
                   "role) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (record.id, name, hash_key(secret), " ".join(record.scopes), rate_limit,
                    record.created_at, role))
        append_event(db, "key.create", by, {"key_id": record.id, "name": name,
                                            "scopes": list(record.scopes),
                                            "rate_limit": rate_limit, "role": role})
    return record, secret


def list_keys(db: Database, *, include_revoked: bool = False) -> list[ApiKey]:
    """Every key, oldest first; revoked ones only when asked."""
    where = "" if include_revoked else "WHERE revoked_at IS NULL"
    rows = db.query(f"SELECT {_COLUMNS} FROM api_key {where} ORDER BY created_at, id")
    return [_row(r) for r in rows]


def find_key(db: Database, key: str) -> ApiKey | None:
    """The active key a presented secret belongs to, or None (unknown or revoked)."""
    rows = db.query(f"SELECT {_COLUMNS} FROM api_key WHERE key_hash = ? AND revoked_at IS NULL",
                    (hash_key(key),))
    return _row(rows[0]) if rows else None


def revoke_key(db: Database, key_id: str, *, by: str | None = None) -> ApiKey:
    """Revoke a key by id; a revoked key is refused from the next lookup on. A revocation
    (not a repeated one) is appended to the audit chain by ``by``."""
    with db.transaction():
        rows = db.query(f"SELECT {_COLUMNS} FROM api_key WHERE id = ?", (key_id,))
        if not rows:
            raise NotFoundError(f"no API key with id {key_id!r}")
        db.execute("UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                   (_now(), key_id))
        record = _row(db.query(f"SELECT {_COLUMNS} FROM api_key WHERE id = ?", (key_id,))[0])
        if _row(rows[0]).revoked_at is None:
            append_event(db, "key.revoke", by, {"key_id": record.id, "name": record.name,
                                                "revoked_at": record.revoked_at})
        return record

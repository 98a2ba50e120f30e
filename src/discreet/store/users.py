"""People who sign in: users with roles, argon2 password hashes, sign-in sessions.

A password is never stored, only its argon2id hash (memory-hard: a stolen store is slow to
guess from). A session is a random bearer token (``ds_<secret>``) of which only the SHA-256
is stored, with an expiry; disabling a user ends their sessions. Every user, role and
password change is appended to the audit chain (never a password, hash or token).

Reached through ``Store.users`` (a :class:`UserStore`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from discreet.errors import ConfigError, NotFoundError
from discreet.store.chain import append_event
from discreet.store.db import Database

__all__ = ["SESSION_PREFIX", "USERS", "USER_ROLES", "Session", "User", "UserStore",
           "check_roles"]

USER_ROLES = ("analyst", "reviewer", "admin", "auditor")
SESSION_PREFIX = "ds_"
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # argon2 hashes anything, but a megabyte "password" is an attack

USERS = """
CREATE TABLE IF NOT EXISTS app_user (
    name TEXT PRIMARY KEY,
    password_hash TEXT,
    roles TEXT NOT NULL,
    origin TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    disabled_at TEXT
);
CREATE TABLE IF NOT EXISTS user_session (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES app_user(name),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX IF NOT EXISTS user_session_user ON user_session (user_name);
ALTER TABLE api_key ADD COLUMN role TEXT
"""

_COLUMNS = "name, roles, origin, created_at, updated_at, disabled_at"
_HASHER = PasswordHasher()  # argon2id, the library's current recommended parameters


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """Roles cleaned and checked: at least one, each a known one (unknown ones refused)."""
    wanted = tuple(dict.fromkeys(r.strip().lower() for r in roles if r.strip()))
    unknown = [r for r in wanted if r not in USER_ROLES]
    if unknown or not wanted:
        raise ConfigError(f"unknown role(s) {', '.join(unknown) or 'none given'}; "
                          f"roles: {', '.join(USER_ROLES)}")
    return wanted


def _check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean or len(clean) > 200:
        raise ConfigError("a user name must be 1 to 200 characters")
    return clean


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ConfigError(f"a password of at most {MAX_PASSWORD} characters")


@dataclass(frozen=True, slots=True)
class User:
    """A person as stored (never the password or its hash)."""

    name: str
    roles: tuple[str, ...]
    origin: str  # "local" (a password) or "oidc"
    created_at: str
    updated_at: str
    disabled_at: str | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "roles": list(self.roles), "origin": self.origin,
                "created_at": self.created_at, "updated_at": self.updated_at,
                "disabled_at": self.disabled_at, "active": self.active}


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in user's bearer token (the token itself only when it is created)."""

    user: User
    expires_at: str
    token: str | None = None


def _user(row: tuple[object, ...]) -> User:
    name, roles, origin, created, updated, disabled = row
    return User(str(name), tuple(str(roles).split()), str(origin), str(created),
                str(updated), None if disabled is None else str(disabled))


class UserStore:
    """Users and sessions in the store; ``by`` names who made a change, for the audit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _get(self, name: str) -> User | None:
        rows = self._db.query(f"SELECT {_COLUMNS} FROM app_user WHERE name = ?", (name,))
        return _user(rows[0]) if rows else None

    def user(self, name: str) -> User:
        found = self._get(name)
        if found is None:
            raise NotFoundError(f"no user {name!r}")
        return found

    def users(self, *, include_disabled: bool = True) -> list[User]:
        where = "" if include_disabled else " WHERE disabled_at IS NULL"
        return [_user(r) for r in self._db.query(
            f"SELECT {_COLUMNS} FROM app_user{where} ORDER BY name")]

    def add(self, name: str, roles: Iterable[str], password: str | None, *, by: str | None,
            origin: str = "local") -> User:
        """A new user; a local user needs a password (stored as its argon2 hash)."""
        name, checked = _check_name(name), check_roles(roles)
        digest = None
        if origin == "local":
            if password is None:
                raise ConfigError("a local user needs a password")
            _check_password(password)
            digest = _HASHER.hash(password)
        stamp = _iso(_now())
        with self._db.transaction():
            if self._get(name) is not None:
                raise ConfigError(f"user {name!r} already exists")
            self._db.execute("INSERT INTO app_user (name, password_hash, roles, origin, "
                             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                             (name, digest, " ".join(checked), origin, stamp, stamp))
            append_event(self._db, "user.add", by, {"user": name, "roles": list(checked),
                                                    "origin": origin})
        return self.user(name)

    def external(self, name: str, roles: Iterable[str]) -> User:
        """A person signed in by an identity provider: created on first sign-in, their
        roles set from the provider's each time (a change audited). A local user of the
        same name, or a disabled one, is refused."""
        checked = check_roles(roles)
        found = self._get(name)
        if found is None:
            return self.add(name, checked, None, by="oidc", origin="oidc")
        if found.origin != "oidc":
            raise ConfigError(f"{name!r} is a local user: the provider cannot sign them in")
        if not found.active:
            raise ConfigError(f"user {name!r} is disabled")
        if set(found.roles) != set(checked):
            return self.set_roles(name, checked, by="oidc")
        return found

    def set_roles(self, name: str, roles: Iterable[str], *, by: str | None) -> User:
        checked = check_roles(roles)
        with self._db.transaction():
            before = self.user(name)
            self._db.execute("UPDATE app_user SET roles = ?, updated_at = ? WHERE name = ?",
                             (" ".join(checked), _iso(_now()), before.name))
            append_event(self._db, "user.roles", by, {"user": before.name,
                                                      "from": list(before.roles),
                                                      "to": list(checked)})
        return self.user(name)

    def set_password(self, name: str, password: str, *, by: str | None) -> User:
        """A new password; the user's open sessions end (a changed password is a reset)."""
        _check_password(password)
        digest = _HASHER.hash(password)
        stamp = _iso(_now())
        with self._db.transaction():
            found = self.user(name)
            self._db.execute("UPDATE app_user SET password_hash = ?, updated_at = ? "
                             "WHERE name = ?", (digest, stamp, found.name))
            self._end_sessions(found.name, stamp)
            append_event(self._db, "user.password", by, {"user": found.name})
        return self.user(name)

    def disable(self, name: str, *, by: str | None) -> User:
        """Disable a user: no sign-in, and every open session ends now."""
        stamp = _iso(_now())
        with self._db.transaction():
            found = self.user(name)
            if found.active:
                self._db.execute("UPDATE app_user SET disabled_at = ?, updated_at = ? "
                                 "WHERE name = ?", (stamp, stamp, found.name))
                self._end_sessions(found.name, stamp)
                append_event(self._db, "user.disable", by, {"user": found.name})
        return self.user(name)

    def _end_sessions(self, name: str, stamp: str) -> None:
        self._db.execute("UPDATE user_session SET ended_at = ? WHERE user_name = ? "
                         "AND ended_at IS NULL", (stamp, name))

    def verify(self, name: str, password: str) -> User | None:
        """The active local user whose password this is, or None (never says which part
        was wrong). A hash made with older parameters is refreshed."""
        rows = self._db.query("SELECT password_hash FROM app_user WHERE name = ? AND "
                              "disabled_at IS NULL AND origin = 'local'", (name,))
        if not rows or rows[0][0] is None or len(password) > MAX_PASSWORD:
            _HASHER.hash("spend-the-same-time")  # no quick answer for an unknown name
            return None
        digest = str(rows[0][0])
        try:
            _HASHER.verify(digest, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if _HASHER.check_needs_rehash(digest):
            self._db.execute("UPDATE app_user SET password_hash = ? WHERE name = ?",
                             (_HASHER.hash(password), name))
        return self.user(name)

    def start_session(self, name: str, ttl_seconds: int) -> Session:
        """A new bearer token for an active user, valid ``ttl_seconds``; audited."""
        now = _now()
        token = f"{SESSION_PREFIX}{secrets.token_urlsafe(32)}"
        expires = _iso(now + timedelta(seconds=ttl_seconds))
        with self._db.transaction():
            found = self.user(name)
            if not found.active:
                raise ConfigError(f"user {name!r} is disabled")
            self._db.execute("INSERT INTO user_session (token_hash, user_name, created_at, "
                             "expires_at) VALUES (?, ?, ?, ?)",
                             (_token_hash(token), found.name, _iso(now), expires))
            append_event(self._db, "user.signin", found.name, {"user": found.name,
                                                               "expires_at": expires})
        return Session(found, expires, token)

    def session(self, token: str) -> Session | None:
        """The live session of a token (not ended, not expired, user active), or None."""
        rows = self._db.query(
            f"SELECT s.expires_at, {', '.join('u.' + c for c in _COLUMNS.split(', '))} "
            "FROM user_session s JOIN app_user u ON u.name = s.user_name "
            "WHERE s.token_hash = ? AND s.ended_at IS NULL AND u.disabled_at IS NULL",
            (_token_hash(token),))
        if not rows or str(rows[0][0]) <= _iso(_now()):
            return None
        return Session(_user(tuple(rows[0][1:])), str(rows[0][0]))

    def extend_session(self, token: str, idle_seconds: int, max_seconds: int) -> Session | None:
        """Keep a browser session alive while it is used: its expiry slides to
        ``idle_seconds`` from now, never past ``max_seconds`` after it started (an idle
        time-out within an absolute one). Written at most once a minute per session, so
        busy pages do not turn every read into a write. None when the session is not live."""
        live = self.session(token)
        if live is None:
            return None
        now = _now()
        rows = self._db.query("SELECT created_at FROM user_session WHERE token_hash = ?",
                              (_token_hash(token),))
        started = datetime.fromisoformat(str(rows[0][0]))
        until = min(now + timedelta(seconds=idle_seconds),
                    started + timedelta(seconds=max_seconds))
        current = datetime.fromisoformat(live.expires_at)
        if until - timedelta(seconds=60) <= current <= until:
            return live  # slid less than a minute ago, and within the absolute limit
        self._db.execute("UPDATE user_session SET expires_at = ? WHERE token_hash = ? "
                         "AND ended_at IS NULL", (_iso(until), _token_hash(token)))
        return Session(live.user, _iso(until))

    def end_session(self, token: str) -> bool:
        """Sign out: the token stops working; True when it was live."""
        with self._db.transaction():
            live = self.session(token)
            if live is None:
                return False
            self._db.execute("UPDATE user_session SET ended_at = ? WHERE token_hash = ?",
                             (_iso(_now()), _token_hash(token)))
            append_event(self._db, "user.signout", live.user.name, {"user": live.user.name})
        return True

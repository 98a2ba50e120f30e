"""API keys and rate limits: who is asking, may they, and not too often.

Keys are looked up by hash through a short cache (a revoked key is refused within
``KEY_TTL`` seconds on every worker); each key gets a token bucket of its own.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from discreet.api.errors import ApiError
from discreet.api.gate import StoreGate
from discreet.store.apikeys import ApiKey, find_key, hash_key

__all__ = ["KEY_TTL", "KeyRing", "Principal", "RateLimiter", "parse_authorization"]

KEY_TTL = 5.0  # seconds a looked-up key (or its absence) is remembered
_SCHEMES = ("apikey", "bearer", "token")


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a key id (or ``anonymous`` under --no-auth), its scopes and rate."""

    key_id: str
    scopes: frozenset[str]
    rate_limit: int  # requests per minute
    bucket: str  # what the rate limit is counted against

    def require(self, scope: str) -> None:
        """Raise 403 unless the caller holds ``scope`` (admin holds every scope)."""
        if scope not in self.scopes and "admin" not in self.scopes:
            raise ApiError(403, f"this API key lacks the {scope!r} scope")


def parse_authorization(header: str | None) -> str:
    """The key from ``Authorization: ApiKey <key>`` or ``Bearer <key>``; 401 otherwise."""
    challenge = {"WWW-Authenticate": 'ApiKey realm="discreet", Bearer realm="discreet"'}
    if not header:
        raise ApiError(401, "an API key is required: send 'Authorization: ApiKey <key>'",
                       headers=challenge)
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() not in _SCHEMES or not key.strip():
        raise ApiError(401, "malformed Authorization header: use 'ApiKey <key>' or "
                            "'Bearer <key>'", headers=challenge)
    return key.strip()


class KeyRing:
    """Presented key -> stored key record, cached for a few seconds."""

    def __init__(self, gate: StoreGate) -> None:
        self.gate = gate
        self._cache: dict[str, tuple[float, ApiKey | None]] = {}
        self._lock = threading.Lock()

    def lookup(self, key: str) -> ApiKey | None:
        digest = hash_key(key)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached is not None and now - cached[0] < KEY_TTL:
            return cached[1]
        with self.gate() as store:
            found = find_key(store.db, key)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (now, found)
        return found


class RateLimiter:
    """A token bucket per caller: ``rate`` per minute, bursts of ten seconds' worth."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}  # bucket -> (tokens, stamp)
        self._lock = threading.Lock()

    def check(self, bucket: str, per_minute: int) -> None:
        """Take one token, or raise 429 with Retry-After."""
        rate = per_minute / 60.0
        capacity = max(5.0, rate * 10)
        now = time.monotonic()
        with self._lock:
            tokens, stamp = self._buckets.get(bucket, (capacity, now))
            tokens = min(capacity, tokens + (now - stamp) * rate)
            if tokens < 1.0:
                self._buckets[bucket] = (tokens, now)
                wait = max(1, int((1.0 - tokens) / rate + 0.999))
                raise ApiError(429, f"rate limit of {per_minute} requests per minute reached",
                               headers={"Retry-After": str(wait)})
            self._buckets[bucket] = (tokens - 1.0, now)

"""API keys and rate limits: who is asking, may they, and not too often.

Keys are looked up by hash through a short cache (a revoked key is refused within
``KEY_TTL`` seconds on every worker); each key gets a token bucket of its own.

Failed authentications are limited per client address and claimed key id
(:class:`AuthFailures`): past ``--auth-failures`` a minute, that pair is answered 429 without
looking the key up, and the refusals past the limit are audited as one record per minute
with their count.
"""


from __future__ import annotations

import ipaddress
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from discreet.api.errors import ApiError
from discreet.api.gate import StoreGate
from discreet.api.settings import Network
from discreet.store.apikeys import ApiKey, hash_key
from discreet.store.audit import AuditRecord, now_iso

__all__ = ["FAILURE_WINDOW", "KEY_TTL", "AuthFailures", "KeyRing", "Principal", "RateLimiter",
           "client_address", "parse_authorization"]

KEY_TTL = 5.0  # seconds a looked-up key (or its absence) is remembered
_SCHEMES = ("apikey", "bearer", "token")


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a key id (or ``anonymous`` under --no-auth), its scopes and rate."""

    key_id: str
    scopes: frozenset[str]
    rate_limit: int  # requests per minute
    bucket: str  # what the rate limit is counted against
    actor: str = ""  # who acts on the review book: a user's name, or "key:<id>"
    roles: frozenset[str] = frozenset()  # review roles (a user's, or the key's --role)

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
        self._ids: tuple[float, frozenset[str]] = (-KEY_TTL, frozenset())

    def known_ids(self) -> frozenset[str]:
        """The ids of the active keys (refreshed every ``KEY_TTL`` seconds)."""
        now = time.monotonic()
        if now - self._ids[0] >= KEY_TTL:
            with self.gate() as store:
                self._ids = (now, frozenset(k.id for k in store.list_keys()))
        return self._ids[1]

    def lookup(self, key: str) -> ApiKey | None:
        digest = hash_key(key)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached is not None and now - cached[0] < KEY_TTL:
            return cached[1]
        with self.gate() as store:
            found = store.find_key(key)
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


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: tuple[Network, ...]) -> str:
    """The client's address: the TCP peer, unless the peer is a trusted proxy; then the
    right-most address of ``X-Forwarded-For`` that is not itself a trusted proxy.

    Only the proxies the administrator names are believed: anyone else could write any
    address into the header and so escape a limit (or aim it at someone else).
    """
    address = peer or "unknown"
    if not trusted or not _within(address, trusted):
        return address
    for hop in reversed((forwarded_for or "").split(",")):
        hop = hop.strip()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # a garbled chain: the proxy is the client we can name
        if not _within(hop, trusted):
            return hop
        address = hop
    return address


def _within(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in trusted)


FAILURE_WINDOW = 60.0  # seconds: failed authentications are counted per minute
FAILURE_TABLE = 10_000  # (client, key id) pairs tracked at most: bounded memory


@dataclass(slots=True)
class _Window:
    client: str
    key_id: str  # the claimed key id, or "-" for none, a malformed or an unknown one
    started: float  # monotonic
    first_at: str
    last_at: str
    failures: int = 0
    written: int = 0  # refusals audited one by one (at most per_minute)
    collapsed: dict[int, int] = field(default_factory=dict)  # status -> refusals not written


class AuthFailures:
    """Failed authentications per (client address, claimed key id), per minute.

    Past ``per_minute`` failures the pair is refused (429, Retry-After: the rest of the
    minute) before its key is looked up. Another key id, or the same key from another
    address, is never affected; unknown or malformed keys share one pair per address, so
    guessing ids does not escape the limit. The audit middleware counts other refusals
    here too (:meth:`refused`: before the key was checked, and a key's 429s), which never
    lock a pair out. Refusals within the budget are audited as usual; those past it are
    counted and written as one record when the minute ends (or the pair is pushed out of
    the table, or the server stops): at most ``per_minute + 1`` records per pair and
    minute, and every refusal counted. At most ``capacity`` pairs are tracked; used on the
    event loop only.
    """

    def __init__(self, per_minute: int, write: Callable[[AuditRecord], None] | None,
                 capacity: int = FAILURE_TABLE, window: float = FAILURE_WINDOW) -> None:
        self.per_minute = per_minute
        self.write = write
        self.capacity = capacity
        self.window = window
        self._windows: OrderedDict[tuple[str, str], _Window] = OrderedDict()

    def __len__(self) -> int:
        return len(self._windows)

    def retry_after(self, client: str, key_id: str) -> int:
        """Seconds until the pair may try again (0: it may now)."""
        found = self._windows.get((client, key_id))
        if found is None or found.failures < self.per_minute:
            return 0
        left = found.started + self.window - time.monotonic()
        return max(1, int(left + 0.999)) if left > 0 else 0

    def failed(self, client: str, key_id: str, status: int) -> bool:
        """Count one refusal (401 or 429); True while the pair is within its budget (the
        refusal is audited as it is), False past it (collapsed into the minute's count)."""
        return self._count(client, key_id, status, failure=True)

    def refused(self, client: str, key_id: str, status: int) -> bool:
        """Count one other refusal of the pair (a 404, 405, 413, 422 before the key was
        verified; a verified key's 429): True while the pair's minute has records left to
        write, False past them (collapsed). It never locks the pair out: only
        :meth:`failed` counts towards that."""
        return self._count(client, key_id, status, failure=False)

    def _count(self, client: str, key_id: str, status: int, *, failure: bool) -> bool:
        self.sweep()
        pair = (client, key_id)
        found = self._windows.get(pair)
        stamp = now_iso()
        if found is None:
            while len(self._windows) >= self.capacity:
                self._flush(self._windows.popitem(last=False)[1])
            found = self._windows[pair] = _Window(client, key_id, time.monotonic(), stamp,
                                                  stamp)
        found.failures += failure
        if found.written < self.per_minute:
            found.written += 1
            return True
        found.last_at = stamp
        found.collapsed[status] = found.collapsed.get(status, 0) + 1
        return False

    def sweep(self) -> None:
        """Write and forget the minutes that have ended (oldest first: cheap when none)."""
        now = time.monotonic()
        while self._windows:
            oldest = next(iter(self._windows.values()))
            if now - oldest.started < self.window:
                return
            self._flush(self._windows.popitem(last=False)[1])

    def close(self) -> None:
        """Write every open minute's count (the server stops)."""
        while self._windows:
            self._flush(self._windows.popitem(last=False)[1])

    def _flush(self, found: _Window) -> None:
        refused = sum(found.collapsed.values())
        if not refused or self.write is None:
            return
        status = 429 if 429 in found.collapsed else max(found.collapsed)
        request = {"client": found.client, "key": "unverified" if found.key_id != "-"
                   else "none or unknown", "refused": refused, "from": found.first_at,
                   "to": found.last_at,
                   "statuses": {str(k): v for k, v in sorted(found.collapsed.items())},
                   "detail": f"{refused} refused requests from {found.client} past the "
                             f"{self.per_minute} a minute audited one by one "
                             f"(--auth-failures), in the minute from {found.first_at}"}
        self.write(AuditRecord(uuid.uuid4().hex, now_iso(),
                               found.key_id if found.key_id != "-" else "anonymous",
                               "auth", "", status, request, {}, {}))

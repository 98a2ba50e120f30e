"""The API server's settings, checked before anything starts.

Insecure combinations are refused rather than warned about: serving without keys is only
allowed on a loopback address, and every limit must be positive.
"""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass, fields

from discreet.errors import ConfigError

__all__ = ["ENV_VAR", "ApiSettings", "is_loopback"]

ENV_VAR = "DISCREET_API_SETTINGS"  # JSON settings handed to each uvicorn worker


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """What ``discreet serve`` was started with (see docs/api.md)."""

    db: str = "discreet.db"
    host: str = "127.0.0.1"
    auth: bool = True  # False only with an explicit --no-auth
    rate_limit: int = 6000  # requests per minute per key, unless the key says otherwise
    max_body_bytes: int = 1_000_000
    max_batch: int = 100  # queries per /match or /reconcile request
    poll_seconds: float = 1.0  # how often the store is checked for new list versions
    max_work: int = 5_000  # names x limit summed over a /match request's queries
    screen_threads: int = 2  # screening threads per worker (the event loop stays free)
    header_timeout: float = 10.0  # seconds to receive a request's line and headers
    body_timeout: float = 30.0  # seconds to receive a request's body once headers are in
    max_connections: int = 2000  # open connections per worker; the idlest go first
    audit: bool = True
    audit_retention_days: int = 365
    title: str = "discreet"
    public_url: str = ""  # e.g. https://screening.example.com; never taken from Host

    def check(self) -> ApiSettings:
        """Return self, or raise ConfigError for an insecure or impossible setting."""
        if not self.auth and not is_loopback(self.host):
            raise ConfigError(f"refusing to serve without API keys on {self.host}: --no-auth "
                              "is only allowed on a loopback address (127.0.0.1, ::1)")
        for name in ("rate_limit", "max_body_bytes", "max_batch", "audit_retention_days",
                     "max_work", "screen_threads", "max_connections"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        if not 0.05 <= self.poll_seconds <= 3600:
            raise ConfigError("poll_seconds must be between 0.05 and 3600")
        for name in ("header_timeout", "body_timeout"):
            if not 0.5 <= getattr(self, name) <= 3600:
                raise ConfigError(f"{name} must be between 0.5 and 3600 seconds")
        if self.screen_threads > 64:
            raise ConfigError("screen_threads above 64 only adds contention for one process")
        if self.max_batch > 1000:
            raise ConfigError("max_batch above 1000 would let one request hold a worker")
        return self

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ApiSettings:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known}).check()

    @classmethod
    def from_env(cls) -> ApiSettings:
        """Settings from DISCREET_API_SETTINGS (set by ``discreet serve`` for its workers)."""
        text = os.environ.get(ENV_VAR)
        if not text:
            raise ConfigError(f"{ENV_VAR} is not set; start the server with `discreet serve`")
        return cls.from_json(text)

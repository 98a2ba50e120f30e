"""The API server's settings, checked before anything starts.

Insecure combinations are refused rather than warned about: serving without keys is only
allowed on a loopback address, and every limit must be positive.
"""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from discreet.api.audit_journal import FSYNC_POLICIES
from discreet.errors import ConfigError
from discreet.store.location import DEFAULT_DB

__all__ = ["ENV_VAR", "ApiSettings", "Flag", "check_public_url", "is_loopback",
           "trusted_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

ENV_VAR = "DISCREET_API_SETTINGS"  # JSON settings handed to each uvicorn worker


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_public_url(url: str) -> str:
    """``url`` if empty or an absolute http(s) URL without query or fragment; else
    ConfigError."""
    if url and (not url.startswith(("http://", "https://")) or any(
            c in url for c in "?#\"'<> \t\n")):
        raise ConfigError(f"public_url {url!r} must be an http:// or https:// URL with no "
                          "query, fragment, quotes or spaces (e.g. https://screening.example)")
    return url


def trusted_networks(text: str) -> tuple[Network, ...]:
    """The networks of ``--trusted-proxy`` (``10.0.0.5,10.1.0.0/16``); ConfigError naming
    an entry that is no address or network."""
    found: list[Network] = []
    for item in text.split(","):
        if not item.strip():
            continue
        try:
            found.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError as exc:
            raise ConfigError(f"trusted_proxy: {item.strip()!r} is not an IP address or "
                              f"network ({exc})") from exc
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Flag:
    """How a setting is given to ``discreet serve``: flag, help, and the range it must be in
    (the command's options and :meth:`ApiSettings.check` both read it: written once).

    A true/false setting is a ``--x/--no-x`` pair, or, when ``flag`` starts with ``--no-``
    (``--no-auth``), only that flag, which turns the setting off. A text setting with
    ``choices`` takes one of them."""

    flag: str
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


def _flag(default: object, flag: str, help: str, low: float | None = None,
          high: float | None = None, choices: tuple[str, ...] = ()) -> Any:
    return field(default=default, metadata={"flag": Flag(flag, help, low, high, choices)})


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """What ``discreet serve`` was started with (see docs/api.md).

    A field with a :class:`Flag` is an option of ``discreet serve``, in this order, with
    this default, range and help (discreet/cli/serve.py builds the options from this table;
    nothing of them is written anywhere else)."""

    db: str = DEFAULT_DB
    port: int = _flag(8000, "--port", "", 0, 65535)
    workers: int = _flag(1, "--workers", "Worker processes; each holds its own index and "
                         "polls the store.", 1, 64)
    auth: bool = _flag(True, "--no-auth", "Serve without API keys (refused unless --host is "
                       "a loopback address).")
    update_every: str | None = _flag(None, "--update-every", "Download and load new list "
                                     "versions this often (e.g. 6h, 30m); default: never.")
    host: str = _flag("127.0.0.1", "--host", "Address to listen on.")
    poll_seconds: float = _flag(1.0, "--poll-every", "Seconds between checks of the store "
                                "for new versions.", 0.05, 3600)
    rate_limit: int = _flag(6000, "--rate-limit", "Requests per minute per key (a key's own "
                            "limit wins).", 1)
    max_body_bytes: int = _flag(1_000_000, "--max-body", "Largest request body in bytes "
                                "(413 beyond).", 1)
    max_batch: int = _flag(100, "--max-batch", "Most queries in one /match or /reconcile "
                           "request (413 beyond; above 1000 one request would hold a "
                           "worker).", 1, 1000)
    max_work: int = _flag(5_000, "--max-work", "Most name-results one /match or /reconcile "
                          "request may ask for: screened names x limit, summed over its "
                          "queries (413 beyond).", 1)
    screen_threads: int = _flag(2, "--screen-threads", "Screening threads per worker "
                                "(requests beyond wait their turn; more than 64 only adds "
                                "contention).", 1, 64)
    header_timeout: float = _flag(10.0, "--header-timeout", "Seconds a client has to send "
                                  "a request's headers.", 0.5, 3600)
    body_timeout: float = _flag(30.0, "--body-timeout", "Seconds a client has to send a "
                                "body after its headers.", 0.5, 3600)
    max_connections: int = _flag(2000, "--max-connections", "Open connections per worker; "
                                 "over it the one idle longest is closed.", 1)
    max_header_bytes: int = _flag(65_536, "--max-header-bytes", "Largest request line plus "
                                  "headers in bytes (431 beyond); with --max-connections it "
                                  "bounds what waiting connections hold.", 4096, 1 << 20)
    auth_failures: int = _flag(30, "--auth-failures", "Failed authentications per minute "
                               "from one client address for one key id (or for no known "
                               "key) before 429.", 1, 1_000_000)
    trusted_proxy: str = _flag("", "--trusted-proxy", "Comma-separated addresses or networks "
                               "of reverse proxies whose X-Forwarded-For names the client "
                               "(default: none; the peer address is the client).")
    public_url: str = _flag("", "--public-url", "Base of the URLs the API gives out "
                            "(reconciliation manifest), e.g. https://screening.example.com; "
                            "never taken from Host (default: $DISCREET_PUBLIC_URL).")
    audit: bool = _flag(True, "--audit", "Log every screening request (who, when, what, "
                        "versions, results).")
    audit_retention_days: int = _flag(365, "--audit-retention-days", "Audit records older "
                                      "than this are deleted.", 1)
    audit_journal_dir: str = _flag("", "--audit-journal-dir", "Directory of the audit "
                                   "journal: each audit record is written there before its "
                                   "answer is sent, and replayed after a crash (default: "
                                   "beside a SQLite store; for PostgreSQL, in the working "
                                   "directory).")
    audit_fsync: str = _flag("batch", "--audit-fsync", "When the audit journal is synced to "
                             "disk: batch = group commit, each answer waits for the sync "
                             "that holds its record; always = one sync per record; none = "
                             "never (survives a killed server, not a power loss).",
                             choices=FSYNC_POLICIES)
    audit_fsync_ms: float = _flag(1.0, "--audit-fsync-ms", "With --audit-fsync batch: "
                                  "milliseconds at least between two syncs (more requests "
                                  "share one; each may wait this long).", 0, 1000)
    oidc_issuer: str = _flag("", "--oidc-issuer", "OpenID Connect provider to sign people "
                             "in with (its issuer URL); default: none (passwords only).")
    oidc_client_id: str = _flag("discreet", "--oidc-client-id", "This service's client id "
                                "at the provider (the secret: $DISCREET_OIDC_CLIENT_SECRET).")
    oidc_role_claim: str = _flag("roles", "--oidc-role-claim", "The ID token claim holding "
                                 "the person's roles (analyst, reviewer, admin, auditor).")
    oidc_redirect_url: str = _flag("", "--oidc-redirect-url", "Where the provider sends "
                                   "people back (default: --public-url + "
                                   "/auth/oidc/callback).")
    oidc_client_secret: str = ""  # from $DISCREET_OIDC_CLIENT_SECRET, never a flag
    title: str = "discreet"

    def check(self) -> ApiSettings:
        """Return self, or raise ConfigError for an insecure or impossible setting."""
        if not self.auth and not is_loopback(self.host):
            raise ConfigError(f"refusing to serve without API keys on {self.host}: --no-auth "
                              "is only allowed on a loopback address (127.0.0.1, ::1)")
        for f in fields(self):
            spec = f.metadata.get("flag")
            value = getattr(self, f.name)
            if spec is not None and spec.choices and value not in spec.choices:
                raise ConfigError(f"{f.name} must be one of {', '.join(spec.choices)} "
                                  f"({spec.flag}), not {value!r}")
            if spec is None or value is None or isinstance(value, (str, bool)):
                continue
            low, high = spec.low, spec.high
            if (low is not None and value < low) or (high is not None and value > high):
                bound = (f"at least {low:g}" if high is None
                         else f"between {low:g} and {high:g}")
                raise ConfigError(f"{f.name} must be {bound} ({spec.flag}), not {value}")
        trusted_networks(self.trusted_proxy)  # raises ConfigError naming a bad address
        check_public_url(self.public_url.strip())
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

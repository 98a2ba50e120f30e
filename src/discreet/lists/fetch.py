"""Downloading an official list file: streamed, size-capped, retried, never half-written.

A list is written to a temporary file beside its final name and renamed only once complete,
so a crash or a refused download never leaves a truncated list where the loader looks.
Timeouts, connection errors and 5xx answers are retried with exponential backoff; 4xx are
not (asking again will not make a missing file appear). An HTTP error status is an error
whatever the body says (S3 answers 404 with a well-formed XML error document).

The content is *not* judged here: an empty body, an HTML error page or a suspicious drop in
size are the loader's to refuse. A 0-byte body is reported as exactly that.
``timeout`` is httpx's: it bounds each network operation (connect, each read), not the whole
download; ``max_bytes`` bounds the rest.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO

import httpx

from discreet import __version__
from discreet.errors import FetchError
from discreet.lists.settings import url_file_name

__all__ = ["Downloaded", "download", "http_date"]

CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Downloaded:
    """What was fetched: where it is now, from where, and facts for the audit trail."""

    path: Path
    url: str  # as requested (redirects, if any, are followed)
    status: int
    sha256: str
    bytes: int
    content_type: str | None
    last_modified: str | None
    date: str | None = None  # the server's Date header: when the content was served

    def as_of(self) -> tuple[str, str] | None:
        """(ISO date-time, basis) the download vouches for: the file's Last-Modified, else
        the moment it was served (Date); None when the server gave neither usably."""
        for header, basis in ((self.last_modified, "last-modified"), (self.date, "download")):
            when = http_date(header)
            if when:
                return when, basis
        return None


def http_date(value: str | None) -> str | None:
    """An HTTP date header (RFC 9110) as ISO 8601 UTC; None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


class _Retryable(Exception):
    """A failure worth another attempt (timeout, connection, 5xx); carries the message."""


def _error_text(response: httpx.Response) -> str:
    """A short excerpt of an error body: S3's <Code>NoSuchKey</Code> says more than 404."""
    body = b""
    try:
        for chunk in response.iter_bytes(CHUNK):
            body += chunk
            if len(body) >= 300:
                break
    except httpx.HTTPError:
        return ""
    text = body[:300].decode("utf-8", "replace")
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())[:200]


def _stream_to(response: httpx.Response, handle: IO[bytes],
               url: str, max_bytes: int) -> tuple[str, int]:
    """Copy the body to ``handle``; refuse it as soon as it passes ``max_bytes``."""
    length = response.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"{url}: HTTP {response.status_code}: body of {length} bytes is over "
                         f"the limit of {max_bytes} bytes")
    digest, size = hashlib.sha256(), 0
    for chunk in response.iter_bytes(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: HTTP {response.status_code}: body exceeds the limit of "
                             f"{max_bytes} bytes")
        digest.update(chunk)
        handle.write(chunk)
    return digest.hexdigest(), size


def _check_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if status < 400:
        return
    message = f"{url}: HTTP {status} {response.reason_phrase}"
    detail = _error_text(response)
    message += f" ({detail})" if detail else ""
    if status >= 500:
        raise _Retryable(message)
    raise FetchError(message)


def _attempt(client: httpx.Client, url: str, target: Path, timeout: float,
             max_bytes: int) -> Downloaded:
    """One GET into a temporary file, renamed to ``target`` only when complete."""
    with client.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
        _check_status(response, url)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                sha256, size = _stream_to(response, handle, url, max_bytes)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return Downloaded(target, url, response.status_code, sha256, size,
                          response.headers.get("content-type"),
                          response.headers.get("last-modified"),
                          response.headers.get("date"))


def _once(client: httpx.Client, url: str, target: Path, timeout: float,
          max_bytes: int) -> Downloaded:
    """One attempt with httpx's errors sorted into retryable and final."""
    try:
        return _attempt(client, url, target, timeout, max_bytes)
    except httpx.TimeoutException as exc:
        raise _Retryable(f"{url}: timed out after {timeout} s ({type(exc).__name__})") from exc
    except httpx.TransportError as exc:
        raise _Retryable(f"{url}: connection failed: {exc or type(exc).__name__}") from exc
    except httpx.HTTPError as exc:  # e.g. too many redirects, invalid URL
        raise FetchError(f"{url}: {exc or type(exc).__name__}") from exc


def download(url: str, dest_dir: Path, *, client: httpx.Client | None = None,
             timeout: float = 60.0, retries: int = 3, max_bytes: int = 1 << 30,
             file_name: str | None = None, backoff: float = 1.0) -> Downloaded:
    """Fetch ``url`` into ``dest_dir/file_name`` (default: the URL's last path segment).

    Tries ``retries + 1`` times in all, sleeping ``backoff``, then twice that, and so on.
    Raises FetchError naming the URL, the status (if any) and the reason.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / (file_name or url_file_name(url))
    own = client is None
    http = client or httpx.Client(headers={"User-Agent": f"discreet/{__version__}"})
    try:
        for attempt in range(retries + 1):
            try:
                return _once(http, url, target, timeout, max_bytes)
            except _Retryable as exc:
                if attempt == retries:
                    raise FetchError(f"{exc} (gave up after {attempt + 1} attempts)") from exc
            time.sleep(backoff * 2 ** attempt)
        raise AssertionError("unreachable")  # pragma: no cover
    finally:
        if own:
            http.close()

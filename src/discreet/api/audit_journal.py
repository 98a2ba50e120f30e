"""The audit journal: every audit record is on disk before its answer is sent.

Each API process appends the records it acknowledges to its own journal, a directory entry
``audit-<pid>-<start ms>`` made of a lock file (``.lock``, held with ``fcntl.flock`` for
the life of the process) and numbered segments (``.000001.jnl`` …), each opened with
``O_APPEND``. A line is one framed record::

    J1 <length> <crc32> <json>\\n

``length`` (decimal) and ``crc32`` (8 hex digits) are those of the JSON text (ASCII), so a
line a crash cut short, or a corrupt one, is detected and never mis-read. Bodies are
``{"r": record}`` (a record; ``"again": true`` when taken over from a dead process, so it
is written skipping ids already stored) or ``{"done": [segment, offset]}``, a checkpoint:
everything before that place has been committed to the store. Segments wholly before a
checkpoint are deleted, so the journal holds little more than what the store has not
taken yet.

Durability (``--audit-fsync``): ``batch`` (default) is group commit: a thread
``fdatasync``\\ s the journal at most every ``--audit-fsync-ms`` and the request waits
for the sync that covers its record, so an answer is only sent once its record is on
disk; ``always`` syncs every record as it is appended (the caller waits for its own sync);
``none`` never syncs: a record is in the operating system's cache when its answer is sent,
which survives a ``kill -9`` of the server but not a power loss.

A journal whose lock nobody holds belongs to a process that died: :func:`recover_journals`
(``discreet audit recover``) and a starting server (:class:`Journal.take_over`) claim it
with the same lock, so two recoverers never replay one journal; records after its last
checkpoint are replayed in order, those already stored skipped by id.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["FSYNC_POLICIES", "Claim", "Journal", "JournalScan", "Mark", "Problem", "claim",
           "claim_legacy", "claims", "dead_journals", "frame", "journal_dir", "legacy_spills",
           "parse_frame", "scan_journal"]

log = logging.getLogger("discreet.api")

FSYNC_POLICIES = ("none", "batch", "always")
SEGMENT_BYTES = 4 << 20  # a new segment past this size; committed ones are deleted
_PREFIX = "audit-"
_SEGMENT = re.compile(r"^(audit-\d+-\d+)\.(\d{6})\.jnl$")
_HEAD = re.compile(rb"^J1 (\d{1,10}) ([0-9a-f]{8}) ")


def journal_dir(db: str, configured: str = "") -> Path:
    """The journal directory: ``configured``, else beside a SQLite store's file, else (a
    PostgreSQL URL) in the working directory, named after the URL so stores never share."""
    if configured.strip():
        return Path(configured.strip()).expanduser()
    if db.startswith(("postgresql://", "postgres://")):
        digest = hashlib.sha256(db.encode()).hexdigest()[:12]
        return Path.cwd() / f".discreet-audit-journal-{digest}"
    path = Path(db)
    return path.with_name(f".{path.name}.audit-journal")


def _is_default(directory: Path) -> bool:
    """Whether ``directory`` is a default journal directory (:func:`journal_dir`), which
    goes when empty; one an operator named stays."""
    name = directory.name
    return (name.startswith(".") and name.endswith(".audit-journal")) or name.startswith(
        ".discreet-audit-journal-")


def frame(body: dict[str, Any]) -> bytes:
    """One journal line for ``body`` (JSON; raises TypeError/ValueError if not encodable)."""
    text = json.dumps(body, ensure_ascii=True, separators=(",", ":"),
                      default=repr).encode("ascii")
    return b"J1 %d %08x %s\n" % (len(text), zlib.crc32(text), text)


def parse_frame(line: bytes) -> dict[str, Any] | None:
    """The body of a whole, intact journal line; None for anything else (cut short, corrupt,
    not a journal line)."""
    head = _HEAD.match(line)
    if head is None or not line.endswith(b"\n"):
        return None
    text = line[head.end():-1]
    if len(text) != int(head.group(1)) or zlib.crc32(text) != int(head.group(2), 16):
        return None
    try:
        body = json.loads(text)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


class Mark(NamedTuple):
    """Where a line is: its segment, start and end offsets, and the append's ticket (what a
    caller waits on to know it is on disk; 0: nothing to wait for)."""

    segment: int
    start: int
    end: int
    ticket: int


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that could not be read: where, and whether it is the journal's torn tail."""

    path: Path
    offset: int
    size: int
    torn: bool

    def line(self) -> str:
        what = "a torn last line (cut short by a crash)" if self.torn else "a corrupt line"
        return (f"audit journal {self.path} offset {self.offset}: {what} of {self.size} bytes "
                "skipped")


@dataclass(slots=True)
class JournalScan:
    """What a dead journal holds: records after its last checkpoint, in order, and the lines
    that could not be read."""

    records: list[tuple[dict[str, Any], bool]] = field(default_factory=list)
    committed: int = 0  # records before the last checkpoint (already in the store)
    problems: list[Problem] = field(default_factory=list)
    segments: list[Path] = field(default_factory=list)


def _segments(directory: Path, name: str) -> list[tuple[int, Path]]:
    found: list[tuple[int, Path]] = []
    for path in directory.glob(f"{name}.*.jnl"):
        matched = _SEGMENT.match(path.name)
        if matched is not None and matched.group(1) == name:
            found.append((int(matched.group(2)), path))
    return sorted(found)


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        offset = 0
        for line in handle:
            yield offset, line
            offset += len(line)


def scan_journal(directory: Path, name: str) -> JournalScan:
    """Read journal ``name`` (all its segments, in order): the records after its last
    checkpoint, and a :class:`Problem` for each line that is not a whole framed record."""
    out = JournalScan()
    found: list[tuple[int, int, dict[str, Any], bool]] = []  # segment, end, record, again
    done = (0, 0)
    segments = _segments(directory, name)
    out.segments = [path for _, path in segments]
    for index, (number, path) in enumerate(segments):
        last = index == len(segments) - 1
        try:
            lines = list(_lines(path))
        except OSError as exc:
            log.error("audit journal %s: cannot read it (%s)", path, exc)
            continue
        for i, (offset, line) in enumerate(lines):
            body = parse_frame(line)
            if body is None:
                torn = last and i == len(lines) - 1
                out.problems.append(Problem(path, offset, len(line), torn))
                continue
            if "done" in body:
                try:
                    seg, end = (int(v) for v in body["done"])
                except (TypeError, ValueError):
                    out.problems.append(Problem(path, offset, len(line), False))
                    continue
                done = max(done, (seg, end))
            elif isinstance(body.get("r"), dict):
                found.append((number, offset + len(line), body["r"], bool(body.get("again"))))
            else:
                out.problems.append(Problem(path, offset, len(line), False))
    for number, end, record, again in found:
        if (number, end) <= done:
            out.committed += 1
        else:
            out.records.append((record, again))
    return out


def dead_journals(directory: Path) -> list[str]:
    """Names of the journals in ``directory``, oldest process start first (whether alive is
    only known by trying the lock: :func:`claim`)."""
    names: set[str] = set()
    try:
        for path in directory.iterdir():
            matched = _SEGMENT.match(path.name)
            if matched is not None:
                names.add(matched.group(1))
            elif path.name.startswith(_PREFIX) and path.name.endswith(".lock"):
                names.add(path.name[:-len(".lock")])
    except OSError:
        return []

    def started(name: str) -> tuple[int, str]:
        parts = name.split("-")
        return (int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else 0, name)

    return sorted(names, key=started)


class Claim:
    """The lock of a dead process's journal, held while it is replayed; :meth:`finish`
    deletes the journal (segments first, the lock file last), then releases the lock."""

    def __init__(self, directory: Path, name: str, handle: int,
                 legacy: Path | None = None) -> None:
        self.directory = directory
        self.name = name
        self._handle = handle
        self._legacy = legacy

    def finish(self, remove: bool) -> None:
        try:
            if remove and self._legacy is not None:
                self._legacy.unlink(missing_ok=True)
            elif remove:
                for _, path in _segments(self.directory, self.name):
                    path.unlink(missing_ok=True)
                (self.directory / f"{self.name}.lock").unlink(missing_ok=True)
                _sync_dir(self.directory)
        finally:
            os.close(self._handle)


def claim(directory: Path, name: str) -> Claim | None:
    """Lock journal ``name`` if no live process holds it; None if one does (its server, or
    another recoverer), or if it was replayed and deleted meanwhile. The lock file is
    checked to be the same file after locking: a recoverer that opened it just before
    another deleted it must not replay it again."""
    lock = directory / f"{name}.lock"
    try:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.stat(lock).st_ino != os.fstat(handle).st_ino:
            raise FileNotFoundError(lock)
    except OSError:  # held by a live process, or deleted after we opened it
        os.close(handle)
        return None
    return Claim(directory, name, handle)


def legacy_spills(directory: Path) -> list[Path]:
    """Spill files that versions before the journal left beside a default journal directory
    (``.<db>.audit-spill.<pid>.jsonl``; for PostgreSQL ``.discreet-audit-spill-<hash>.<pid>
    .jsonl``): plain JSON lines of records, replayed like a dead journal."""
    if "audit-journal" not in directory.name:
        return []
    prefix = directory.name.replace("audit-journal", "audit-spill")
    try:
        return sorted(directory.parent.glob(f"{prefix}.*.jsonl"))
    except OSError:
        return []


def claim_legacy(path: Path) -> tuple[Claim, JournalScan] | None:
    """Lock an old spill file (None while the old server that wrote it lives) and read it;
    :meth:`Claim.finish` then deletes it."""
    try:
        handle = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.stat(path).st_ino != os.fstat(handle).st_ino:
            raise FileNotFoundError(path)
        scan = JournalScan(segments=[path])
        lines = list(_lines(path))
    except OSError:
        os.close(handle)
        return None
    for i, (offset, line) in enumerate(lines):
        try:
            record = json.loads(line) if line.endswith(b"\n") else None
        except ValueError:
            record = None
        if isinstance(record, dict):
            scan.records.append((record, True))
        else:
            scan.problems.append(Problem(path, offset, len(line), i == len(lines) - 1))
    return Claim(path.parent, path.name, handle, legacy=path), scan


def claims(directory: Path, own: str = ""
           ) -> Iterator[tuple[str, tuple[Claim, JournalScan] | None]]:
    """Each journal in ``directory`` but ``own``, then each old spill file beside it: its
    name and (its claim, what it holds), or None while a live process holds it. The
    caller finishes each claim (:meth:`Claim.finish`) before taking the next."""
    for name in dead_journals(directory):
        if name == own:
            continue
        held = claim(directory, name)
        yield name, None if held is None else (held, scan_journal(directory, name))
    for path in legacy_spills(directory):
        yield path.name, claim_legacy(path)


def _sync_dir(directory: Path) -> None:
    try:
        handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


_last_stamp = [0]
_stamp_lock = threading.Lock()


def _start_stamp() -> int:
    """Milliseconds since the epoch, never the same twice in one process: two journals of
    one process (a writer stopped and started again) get two names."""
    with _stamp_lock:
        _last_stamp[0] = max(time.time_ns() // 1_000_000, _last_stamp[0] + 1)
        return _last_stamp[0]


def _release(loop: asyncio.AbstractEventLoop, done: asyncio.Future[None]) -> None:
    def resolve() -> None:
        if not done.done():
            done.set_result(None)
    with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
        loop.call_soon_threadsafe(resolve)


class Journal:
    """This process's journal (see the module docstring): append, sync, checkpoint, read
    back. Thread-safe; ``open`` before use, ``close`` at the end."""

    def __init__(self, directory: Path, policy: str = "batch", interval_ms: float = 1.0,
                 segment_bytes: int = SEGMENT_BYTES) -> None:
        if policy not in FSYNC_POLICIES:
            raise ValueError(f"fsync policy {policy!r} is not one of {FSYNC_POLICIES}")
        self.directory = directory
        self.policy = policy
        self.interval = max(0.0, interval_ms) / 1000
        self.segment_bytes = segment_bytes
        self.name = f"{_PREFIX}{os.getpid()}-{_start_stamp()}"
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._synced_cond = threading.Condition(self._lock)
        self._lock_handle: int | None = None
        self._made_dir = False
        self._fd: int | None = None
        self._segment = 0
        self._size = 0
        self._retired: list[int] = []  # descriptors of full segments, to sync and close
        self._dir_dirty = False
        self._appended = 0  # tickets handed out
        self._synced = 0  # every ticket up to this one is on disk
        self._waiters: list[tuple[int, Callable[[], None]]] = []
        self._closing = False
        self._thread: threading.Thread | None = None
        self.appends = 0
        self.syncs = 0
        self.errors = 0
        self.deleted_segments = 0

    # --- life -----------------------------------------------------------------------

    def open(self) -> None:
        """Create the directory, take this journal's lock and open its first segment
        (OSError when the directory cannot be used)."""
        # The lock file appears already locked (made under another name, then renamed):
        # a recoverer listing the directory meanwhile can never take it for a dead one.
        hidden = self.directory / f".{self.name}.lock.new"
        for attempt in range(3):  # another worker may remove the empty directory meanwhile
            self._made_dir = self._made_dir or not self.directory.is_dir()
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                handle = os.open(hidden, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC,
                                 0o600)
                break
            except FileNotFoundError:
                if attempt == 2:
                    raise
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.rename(hidden, self.directory / f"{self.name}.lock")
        except OSError:
            os.close(handle)
            hidden.unlink(missing_ok=True)
            raise
        self._lock_handle = handle
        with self._lock:
            self._start_segment()
        _sync_dir(self.directory)
        self._dir_dirty = False
        if self.policy == "batch":
            self._thread = threading.Thread(target=self._sync_loop, daemon=True,
                                            name="discreet-audit-journal")
            self._thread.start()

    def close(self, remove: bool) -> None:
        """Sync and close; ``remove`` (everything is in the store) deletes the journal."""
        with self._lock:
            self._closing = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if not remove:
            self._sync_once()
        with self._lock:
            for fd in [*self._retired, *([self._fd] if self._fd is not None else [])]:
                os.close(fd)
            self._retired, self._fd = [], None
            waiters, self._waiters = self._waiters, []
            self._synced_cond.notify_all()
        for _, wake in waiters:
            wake()
        if remove:
            for _, path in _segments(self.directory, self.name):
                path.unlink(missing_ok=True)
            (self.directory / f"{self.name}.lock").unlink(missing_ok=True)
            _sync_dir(self.directory)
            if self._made_dir or _is_default(self.directory):  # no empty folder left
                with contextlib.suppress(OSError):  # (not empty: another worker's journal)
                    self.directory.rmdir()
        if self._lock_handle is not None:
            os.close(self._lock_handle)
            self._lock_handle = None

    @property
    def size(self) -> int:
        """Bytes of this journal on disk now (its segments)."""
        total = 0
        for _, path in _segments(self.directory, self.name):
            try:
                total += path.stat().st_size
            except OSError:
                continue
        return total

    # --- writing --------------------------------------------------------------------

    def _start_segment(self) -> None:
        """(with the lock held) Open the next segment; the full one is synced and closed
        by the sync thread (``batch``), now (``always``), or just closed (``none``)."""
        if self._fd is not None:
            if self.policy == "batch":
                self._retired.append(self._fd)
            else:
                if self.policy == "always":
                    os.fdatasync(self._fd)
                os.close(self._fd)
        self._segment += 1
        path = self.directory / f"{self.name}.{self._segment:06d}.jnl"
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
        self._size = 0
        self._dir_dirty = True

    def append(self, body: dict[str, Any]) -> Mark:
        """Append one framed line (raises OSError, or TypeError/ValueError for a body that
        is not JSON); ``Mark.ticket`` is what to wait on before answering (0: nothing)."""
        line = frame(body)
        with self._lock:
            if self._fd is None:
                raise OSError("the audit journal is closed")
            if self._size >= self.segment_bytes:
                self._start_segment()
            start = self._size
            view = memoryview(line)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            self._size += len(line)
            self.appends += 1
            self._appended += 1
            ticket = self._appended
            if self.policy == "always":
                os.fdatasync(self._fd)
                if self._dir_dirty:
                    _sync_dir(self.directory)
                    self._dir_dirty = False
                self.syncs += 1
                self._synced = ticket
                ticket = 0
            elif self.policy == "batch":
                self._wake.notify_all()
            else:
                ticket = 0
            return Mark(self._segment, start, start + len(line), ticket)

    def checkpoint(self, mark: Mark) -> None:
        """Everything up to ``mark`` is in the store: say so in the journal, and delete the
        segments wholly before it."""
        try:
            self.append({"done": [mark.segment, mark.end]})
        except (OSError, ValueError) as exc:
            self.errors += 1
            log.error("audit journal %s: cannot write a checkpoint: %s", self.name, exc)
            return
        for number, path in _segments(self.directory, self.name):
            if number >= mark.segment:
                break
            try:
                path.unlink()
                self.deleted_segments += 1
            except OSError:
                continue

    # --- durability -----------------------------------------------------------------

    def _sync_loop(self) -> None:
        last = float("-inf")
        while True:
            with self._lock:
                while self._synced >= self._appended and not self._closing:
                    self._wake.wait()
                if self._synced >= self._appended and self._closing:
                    return
            gap = self.interval - (time.monotonic() - last)
            if gap > 0 and not self._closing:
                time.sleep(gap)
            last = time.monotonic()
            self._sync_once()

    def _sync_once(self) -> None:
        """One group commit: sync what was appended so far, then release its waiters."""
        with self._lock:
            target = self._appended
            if target <= self._synced and not self._retired:
                return
            fds = [*self._retired, *([self._fd] if self._fd is not None else [])]
            retired = len(self._retired)
            dir_dirty, self._dir_dirty = self._dir_dirty, False
        try:
            for fd in fds:
                os.fdatasync(fd)
            if dir_dirty:
                _sync_dir(self.directory)
        except OSError as exc:  # the disk failed: say so loudly; nobody may wait forever
            self.errors += 1
            log.error("audit journal %s: fdatasync failed (%s): the records of the last "
                      "%d ms may not be on disk", self.name, exc, int(self.interval * 1000))
        with self._lock:
            for fd in fds[:retired]:
                os.close(fd)
            del self._retired[:retired]
            self.syncs += 1
            self._synced = max(self._synced, target)
            ready = [w for w in self._waiters if w[0] <= target]
            self._waiters = [w for w in self._waiters if w[0] > target]
            self._synced_cond.notify_all()
        for _, wake in ready:
            wake()

    def wait(self, ticket: int, timeout: float = 30.0) -> bool:
        """Wait (a thread) until ``ticket`` is on disk; False after ``timeout``."""
        with self._lock:
            return self._synced_cond.wait_for(
                lambda: ticket <= self._synced or self._fd is None, timeout=timeout)

    async def synced(self, ticket: int) -> None:
        """Wait (the event loop, not blocked) until ``ticket`` is on disk."""
        if ticket <= self._synced:
            return
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if ticket <= self._synced or self._fd is None:
                return
            self._waiters.append((ticket, lambda: _release(loop, done)))
        await done

    # --- reading back ---------------------------------------------------------------

    def read(self, segment: int, offset: int, count: int
             ) -> tuple[list[tuple[dict[str, Any], bool, Mark]], int, int, list[Problem]]:
        """Up to ``count`` records from (``segment``, ``offset``) on, skipping checkpoints:
        (records with their marks, the segment and offset after them, unreadable lines)."""
        out: list[tuple[dict[str, Any], bool, Mark]] = []
        problems: list[Problem] = []
        while len(out) < count:
            path = self.directory / f"{self.name}.{segment:06d}.jnl"
            with self._lock:
                active = self._segment
            try:
                handle = path.open("rb")
            except FileNotFoundError:
                if segment >= active:
                    break
                segment, offset = segment + 1, 0
                continue
            with handle:
                handle.seek(offset)
                while len(out) < count:
                    line = handle.readline()
                    if not line.endswith(b"\n"):
                        break  # the end of what is written
                    start, offset = offset, offset + len(line)
                    body = parse_frame(line)
                    if body is None or ("r" in body and not isinstance(body["r"], dict)):
                        problems.append(Problem(path, start, len(line), False))
                    elif "r" in body:
                        out.append((body["r"], bool(body.get("again")),
                                    Mark(segment, start, offset, 0)))
                else:
                    break
            if segment >= active:
                break
            segment, offset = segment + 1, 0
        return out, segment, offset, problems

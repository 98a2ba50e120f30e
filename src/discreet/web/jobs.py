"""Customer files screened from the browser: one background job per upload, kept on disk.

A job is a directory under :func:`jobs_dir` (beside a SQLite store, like the audit
journal; for PostgreSQL in the working directory, named after the URL): the uploaded file,
``state.json`` (owner, state, progress, summary), and when done the full results (JSON
lines, one per row, as ``discreet screen-file`` writes them) and the alert table (CSV).

Why files and not memory: ``discreet serve --workers N`` runs N processes, and the browser's
next request (the progress poll, the download) may reach any of them. Every worker reads
the same directory, so any of them answers for any job. The job itself runs in a thread of
the worker that received the upload, with the bulk pipeline of ``screen-file``
(:func:`discreet.screen.bulk.screen_bulk`, in that process: no workers are forked from a
server). That pipeline keeps its matcher in module globals, so a worker runs one job at a
time; others wait as ``queued``. A job whose worker died (its process, named by pid and
start time so that a reused pid is not taken for it, is gone; or a running job's progress
has not moved for :data:`STALE_SECONDS`, a queued one's for a day) is reported failed,
never left "running" for ever. ``state.json`` is replaced atomically, so a reader never sees half of
it. Jobs belong to the person who started them: anyone else is told there is no such job.
Old jobs are deleted (:data:`KEEP_SECONDS`), and each person has at most
:data:`PER_USER` jobs kept.

Nobody can take the service from the others: a person has at most
:data:`ACTIVE_PER_USER` files waiting or screening and :data:`BYTES_PER_USER` on disk
(their oldest finished jobs make room first); the whole folder holds at most
:data:`MAX_ACTIVE` waiting files and :data:`MAX_BYTES`, and never fills the disk below
:data:`FREE_FLOOR` (the store and its audit journal live on the same disk). These checks
and the new job's directory are made under a lock (a thread lock and an ``flock`` on the
folder, for the other workers), so a burst of uploads cannot slip past them together. A
worker screens one file at a time; when one ends, the next is the waiting job of the
person whose file last ran longest ago (round-robin), so one person's queue of files never
holds back everyone else's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from discreet.errors import DiscreetError

__all__ = ["ACTIVE_PER_USER", "BYTES_PER_USER", "FREE_FLOOR", "JOB_ID", "KEEP_SECONDS",
           "MAX_ACTIVE", "MAX_BYTES", "PER_USER", "STALE_SECONDS", "Job", "JobBusy", "Jobs",
           "ServerBusy", "jobs_dir"]

log = logging.getLogger("discreet.web")

JOB_ID = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600  # a finished job's files are kept this long
STALE_SECONDS = 15 * 60  # a running job whose progress stood still this long is dead
PER_USER = 20  # jobs kept per person (the oldest finished ones go first)
ACTIVE_PER_USER = 3  # files of one person waiting or screening at once
BYTES_PER_USER = 512 * 1024 * 1024  # what one person's jobs may hold on disk
MAX_ACTIVE = 50  # files waiting or screening, everyone's together
MAX_BYTES = 8 * 1024 * 1024 * 1024  # the whole folder
FREE_FLOOR = 1024 * 1024 * 1024  # free disk space never taken by an upload
ACTIVE = ("queued", "running")
STATE = "state.json"
LOCK = ".lock"
HOST = socket.gethostname()
_CREATE_LOCK = threading.Lock()  # with an flock on the folder: one create at a time


class JobBusy(DiscreetError):
    """The person has as many files waiting as they may, or their files fill their share
    of the disk (429: the person can make room)."""


class ServerBusy(DiscreetError):
    """The folder is full or the server has as many files waiting as it takes (503:
    nobody in particular can make room; try later)."""


class _Turns:
    """One job at a time in this process (the bulk pipeline's matcher is a module global),
    taken round-robin by owner: when a job ends, the waiting job whose owner's last turn is
    the oldest goes next (then the oldest job), so a queue of one person's files never
    holds back another person's file for more than one turn."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._busy = False
        self._waiting: list[tuple[str, float, str]] = []  # (owner, created, job id)
        self._last: dict[str, float] = {}  # owner -> when their last turn began

    def _next(self) -> tuple[str, float, str]:
        return min(self._waiting, key=lambda w: (self._last.get(w[0], 0.0), w[1], w[2]))

    @contextmanager
    def turn(self, owner: str, created: float, job_id: str) -> Iterator[None]:
        mine = (owner, created, job_id)
        with self._ready:
            self._waiting.append(mine)
            while self._busy or self._next() != mine:
                self._ready.wait()
            self._waiting.remove(mine)
            self._busy = True
            self._last[owner] = time.monotonic()
            if len(self._last) > 10_000:  # bounded: keep the owners still waiting
                waiting = {w[0] for w in self._waiting}
                self._last = {k: v for k, v in self._last.items() if k in waiting}
        try:
            yield
        finally:
            with self._ready:
                self._busy = False
                self._ready.notify_all()


_TURNS = _Turns()


def jobs_dir(db: str) -> Path:
    """Where the jobs of the store ``db`` live: beside a SQLite file, else (PostgreSQL) in
    the working directory, named after the URL so two stores never share one."""
    if db.startswith(("postgresql://", "postgres://")):
        digest = hashlib.sha256(db.encode()).hexdigest()[:12]
        return Path.cwd() / f".discreet-web-jobs-{digest}"
    path = Path(db)
    return path.with_name(f".{path.name}.web-jobs")


@dataclass(slots=True)
class Job:
    """What ``state.json`` holds about one job."""

    id: str
    owner: str
    file_name: str
    input_name: str  # the uploaded file's name inside the job's directory
    options: dict[str, Any]
    created: float
    state: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int | None = None
    message: str = ""
    updated: float = 0.0
    pid: int = 0
    host: str = ""
    started_at: str = ""  # when process ``pid`` started (tells a reused pid apart)
    summary: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def started(self) -> str:
        """When it was uploaded, in UTC to the minute."""
        return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(self.created))

    @property
    def finished(self) -> bool:
        return self.state not in ACTIVE

    def status(self) -> dict[str, Any]:
        """The progress poll's answer (static/app.js ``data-progress``)."""
        return {"done": self.done, "total": self.total, "state": self.state,
                "message": self.message}


class Jobs:
    """The job directories of one store (see the module docstring)."""

    def __init__(self, root: Path, *, keep_seconds: float = KEEP_SECONDS,
                 per_user: int = PER_USER, stale_seconds: float = STALE_SECONDS,
                 active_per_user: int = ACTIVE_PER_USER,
                 bytes_per_user: int = BYTES_PER_USER, max_active: int = MAX_ACTIVE,
                 max_bytes: int = MAX_BYTES, free_floor: int = FREE_FLOOR) -> None:
        self.root = root
        self.keep_seconds = keep_seconds
        self.per_user = per_user
        self.stale_seconds = stale_seconds
        self.active_per_user = min(active_per_user, per_user)
        self.bytes_per_user = bytes_per_user
        self.max_active = max_active
        self.max_bytes = max_bytes
        self.free_floor = free_floor

    # -- files ---------------------------------------------------------------------------

    def path(self, job_id: str) -> Path:
        if not JOB_ID.match(job_id):
            raise ValueError(f"not a job id: {job_id!r}")
        return self.root / job_id

    def _write(self, job: Job) -> None:
        """Replace ``state.json`` atomically (a reader sees the old or the new one)."""
        job.updated = time.time()
        where = self.path(job.id)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".state.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(job.to_dict(), handle, ensure_ascii=False)
            os.replace(tmp, where / STATE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _read(self, job_id: str) -> Job | None:
        try:
            data = json.loads((self.path(job_id) / STATE).read_text(encoding="utf-8"))
            return Job.from_dict(data)
        except (OSError, ValueError, TypeError):
            return None

    def _all(self) -> Iterator[Job]:
        try:
            names = [p.name for p in self.root.iterdir() if JOB_ID.match(p.name)]
        except OSError:
            return
        for name in names:
            job = self._read(name)
            if job is not None:
                yield self._checked(job)

    # -- what people see -----------------------------------------------------------------

    def get(self, job_id: str, owner: str) -> Job | None:
        """The job, if it exists and is ``owner``'s; else None (nobody learns of others')."""
        if not JOB_ID.match(job_id):
            return None
        job = self._read(job_id)
        if job is None or job.owner != owner:
            return None
        return self._checked(job)

    def of(self, owner: str) -> list[Job]:
        """``owner``'s jobs, newest first."""
        return sorted((j for j in self._all() if j.owner == owner),
                      key=lambda j: -j.created)

    def file(self, job: Job, name: str) -> Path | None:
        """A result file of a finished job, if it is there."""
        found = self.path(job.id) / name
        return found if job.state == "done" and found.is_file() else None

    def _checked(self, job: Job) -> Job:
        """The job, marked failed when the process running it is gone or stuck."""
        if job.finished:
            return job
        dead = job.host == HOST and not _alive(job.pid, job.started_at)
        # a queued job waits behind others without moving: it is given a day, not minutes
        idle = time.time() - job.updated
        stuck = idle > (self.stale_seconds if job.state == "running" else self.keep_seconds)
        if dead or stuck:
            job.state = "failed"
            job.message = ("the server process screening this file stopped before it "
                           "finished: upload the file again")
            try:
                self._write(job)
            except OSError as exc:
                log.warning("web jobs: cannot mark job %s failed: %s", job.id, exc)
        return job

    # -- life cycle ----------------------------------------------------------------------

    def create(self, owner: str, file_name: str, suffix: str, options: dict[str, Any],
               write: Callable[[Path], object], size: int = 0) -> Job:
        """A new queued job whose input (``size`` bytes, as far as known) ``write`` puts at
        the path it is given (what it returns is not used); old jobs swept first.
        :class:`JobBusy` when ``owner`` has :attr:`active_per_user` files waiting or their
        share of the disk is taken; :class:`ServerBusy` when the folder or the server is
        full (see the module's docstring). The checks and the job's directory are made
        under the folder's lock, the file written after it (the job counts as waiting from
        the start)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._locked():
            job = self._reserve(owner, file_name, suffix, options, size)
        where = self.path(job.id)
        try:
            write(where / job.input_name)
        except BaseException:
            shutil.rmtree(where, ignore_errors=True)
            raise
        return job

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """This process's lock and an ``flock`` on the folder (the other workers')."""
        with _CREATE_LOCK:
            try:
                import fcntl
            except ImportError:  # no flock here: the thread lock alone
                yield
                return
            with (self.root / LOCK).open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def _reserve(self, owner: str, file_name: str, suffix: str, options: dict[str, Any],
                 size: int) -> Job:
        self.sweep(owner)
        jobs = list(self._all())
        mine = [j for j in jobs if j.owner == owner]
        active = sum(1 for j in mine if not j.finished)
        if active >= self.active_per_user:
            raise JobBusy(f"{active} of your files are still being screened: wait for "
                          "one to finish")
        if sum(1 for j in jobs if not j.finished) >= self.max_active:
            raise ServerBusy(f"the server is screening {self.max_active} files already: "
                             "try again in a few minutes")
        held = {j.id: _size(self.path(j.id)) for j in jobs}
        for job in sorted((j for j in mine if j.finished), key=lambda j: j.created):
            if sum(held[j.id] for j in mine) + size <= self.bytes_per_user:
                break  # the person's oldest finished jobs make room for the new one
            self._remove(job.id)
            held[job.id] = 0
        if sum(held[j.id] for j in mine) + size > self.bytes_per_user:
            raise JobBusy(f"your files being screened take {_mb(sum(held.values()))}; with "
                          f"this one they would pass your share of {_mb(self.bytes_per_user)}"
                          ": wait for one to finish")
        if sum(held.values()) + size > self.max_bytes:
            raise ServerBusy(f"the folder of uploaded files holds {_mb(sum(held.values()))}"
                             f" of its {_mb(self.max_bytes)}: try again later")
        free = shutil.disk_usage(self.root).free
        if free - size < self.free_floor:
            raise ServerBusy(f"the server's disk has {_mb(free)} free; it keeps "
                             f"{_mb(self.free_floor)} for the store: try again later")
        job_id = secrets.token_hex(16)
        where = self.path(job_id)
        where.mkdir(mode=0o700)
        job = Job(job_id, owner, file_name, f"input{suffix}", options, time.time(),
                  message="waiting for its turn", pid=os.getpid(), host=HOST,
                  started_at=_started(os.getpid()))
        try:
            self._write(job)
        except BaseException:
            shutil.rmtree(where, ignore_errors=True)
            raise
        return job

    def update(self, job: Job) -> None:
        self._write(job)

    def sweep(self, owner: str | None = None) -> int:
        """Delete finished jobs older than :attr:`keep_seconds`, and ``owner``'s finished
        jobs beyond :attr:`per_user` - 1 (room for one more); how many went."""
        now = time.time()
        gone = 0
        jobs = list(self._all())
        for job in jobs:
            if job.finished and now - job.updated > self.keep_seconds:
                gone += self._remove(job.id)
        if owner is not None:
            mine = sorted((j for j in jobs if j.owner == owner and j.finished
                           and (self.path(j.id)).exists()), key=lambda j: j.created)
            active = sum(1 for j in jobs if j.owner == owner and not j.finished)
            excess = active + len(mine) - (self.per_user - 1)
            for job in mine[:max(0, excess)]:
                gone += self._remove(job.id)
        # directories a crash left without a readable state (older than a minute)
        try:
            for entry in self.root.iterdir():
                if JOB_ID.match(entry.name) and not (entry / STATE).exists() \
                        and now - entry.stat().st_mtime > 60:
                    gone += self._remove(entry.name)
        except OSError:
            pass
        return gone

    def remove(self, job_id: str) -> None:
        """Delete a job's directory (its upload, results and state)."""
        self._remove(job_id)

    def _remove(self, job_id: str) -> int:
        shutil.rmtree(self.path(job_id), ignore_errors=True)
        return 1

    def start(self, job: Job, work: Callable[[Job], None]) -> threading.Thread:
        """Run ``work(job)`` in a background thread of this process, one job at a time;
        whatever it raises marks the job failed with the error's words."""

        def run() -> None:
            with _TURNS.turn(job.owner, job.created, job.id):
                job.state, job.message = "running", "screening"
                job.pid, job.host = os.getpid(), HOST
                job.started_at = _started(job.pid)
                self._write(job)
                try:
                    work(job)
                except Exception as exc:  # the job fails; the server goes on
                    if not isinstance(exc, DiscreetError):
                        log.exception("web jobs: job %s failed", job.id)
                    job.state = "failed"
                    job.message = str(exc) if isinstance(exc, DiscreetError) else \
                        f"screening failed: {type(exc).__name__}"
                    try:
                        self._write(job)
                    except OSError:
                        log.exception("web jobs: cannot record the failure of %s", job.id)

        thread = threading.Thread(target=run, name=f"discreet-web-job-{job.id[:8]}",
                                  daemon=True)
        thread.start()
        return thread


def _size(where: Path) -> int:
    """The bytes a job's directory holds (0 when it is gone meanwhile)."""
    total = 0
    try:
        for entry in os.scandir(where):
            with suppress(OSError):
                total += entry.stat(follow_symlinks=False).st_size
    except OSError:
        return 0
    return total


def _mb(count: int) -> str:
    return f"{count / (1024 * 1024):,.0f} MB"


def _started(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot, from /proc; "" where there is
    no /proc): with the pid, it names one process, even after its pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rpartition(")")[2].split()[19]  # field 22, counted after the command


def _alive(pid: int, started_at: str = "") -> bool:
    """Whether process ``pid`` (started at ``started_at``, when known) is still running on
    this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        pass
    return not started_at or _started(pid) in ("", started_at)

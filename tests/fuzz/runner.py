"""Run ``discreet load`` on one mutated file, in a forked child with a time and memory bound.

The child is the real command (``discreet.cli.main``) against a copy of a real SQLite store
that already holds the unmutated version. Forking (rather than starting a new interpreter)
keeps each example to a few milliseconds of overhead; the child gets an address-space limit
(so a parser that balloons fails there, not in the test process) and is killed when it
outlives its time bound, which the test reports as a hang.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import discreet.cli  # imported here, once: every forked child inherits it instead of importing
from discreet.lists.load import load_file
from discreet.store import Store, VersionInfo

__all__ = ["BaseStore", "Outcome", "load_in_child", "make_base"]

MEMORY_HEADROOM = 1536 << 20  # bytes the child may map beyond what the test process holds
GATE = 0.05  # the default removal gate, passed explicitly so a local discreet.toml can't move it


@dataclass(frozen=True)
class BaseStore:
    """A store file holding the unmutated file as version 1 of ``source``."""

    path: Path
    source: str
    versions: tuple[tuple[int, str, int], ...]
    rows: tuple[int, int]


@dataclass
class Outcome:
    """What the child did: exit code, its stderr lines, its JSON result, and if it hung."""

    code: int
    stderr: list[str]
    result: dict[str, object] = field(default_factory=dict)
    hung: bool = False
    seconds: float = 0.0


def _fingerprint(store: Store, source: str) -> tuple[tuple[tuple[int, str, int], ...],
                                                     tuple[int, int]]:
    """Versions (number, file hash, entities) and row counts: equal means untouched."""
    infos: list[VersionInfo] = store.versions(source)
    spans = int(store.db.query("SELECT COUNT(*) FROM span")[0][0])
    records = int(store.db.query("SELECT COUNT(*) FROM record")[0][0])
    return tuple((v.version, v.sha256, v.entities) for v in infos), (spans, records)


def fingerprint(db: Path, source: str) -> tuple[tuple[tuple[int, str, int], ...],
                                                tuple[int, int]]:
    with Store.open(db) as store:
        return _fingerprint(store, source)


def make_base(folder: Path, original: Path, args: list[str], source: str) -> BaseStore:
    """Load the unmutated file: the store every example starts from.

    It is loaded in this process on purpose: the parsers' lazy tables (country names, …)
    are then built once here and inherited by every forked child, instead of once each.
    """
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "base.db"
    options = dict(zip(args[::2], args[1::2], strict=True))
    extra = {"mapping": options["--map"]} if "--map" in options else None
    with Store.open(db) as store:
        load_file(store, original, source=source, fmt=options.get("--format", "auto"),
                  extra=extra)
    versions, rows = fingerprint(db, source)
    assert len(versions) == 1
    return BaseStore(db, source, versions, rows)


def _child(db: Path, path: Path, args: list[str], out: Path, err: Path) -> None:
    """In the forked child: bound memory, point stdio at files, run the real command."""
    code = 1
    try:
        page = os.sysconf("SC_PAGE_SIZE")
        with open("/proc/self/statm") as handle:
            mapped = int(handle.read().split()[0]) * page
        limit = mapped + MEMORY_HEADROOM
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        sys.stdout = open(out, "w", encoding="utf-8")  # noqa: SIM115 - closed by _exit
        sys.stderr = open(err, "w", encoding="utf-8")  # noqa: SIM115
        os.environ.pop("DISCREET_DEBUG", None)
        sys.argv = ["discreet", "--db", str(db), "load", "--json",
                    "--max-removal", str(GATE), *args, str(path)]
        discreet.cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # shown to the test as a traceback on stderr
        import traceback

        traceback.print_exc()
        code = 99
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # the exit code already says enough
                stream.flush()
        os._exit(code)


def load_in_child(db: Path, path: Path, args: list[str], *, timeout: float) -> Outcome:
    """Fork, load, wait at most ``timeout`` seconds; a child still running is a hang."""
    out, err = db.with_suffix(".out"), db.with_suffix(".err")
    started = time.monotonic()
    with warnings.catch_warnings():
        # Python 3.12+ warns when forking a process with threads (an earlier test's server
        # thread, say); the child only loads a file and exits, taking no lock they hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        _child(db, path, args, out, err)
    hung = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - started > timeout:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            hung = True
            break
        time.sleep(0.005)
    code = os.waitstatus_to_exitcode(status)
    lines = [ln for ln in err.read_text(encoding="utf-8", errors="replace").splitlines()
             if ln.strip()] if err.exists() else []
    result: dict[str, object] = {}
    if code == 0 and out.exists():
        try:
            loaded = json.loads(out.read_text(encoding="utf-8"))
            result = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            result = {}
    return Outcome(code, lines, result, hung, time.monotonic() - started)


def copy_store(base: BaseStore, folder: Path) -> Path:
    """A fresh copy of the base store for one example (the base is never written)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base.path, db)
    return db

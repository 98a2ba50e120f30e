"""Resumable, atomic output for long screening runs.

Results are appended to ``OUT.partial`` in batches; after each batch is on disk (flushed and
fsynced) a small progress file records how many input rows are done and how many bytes of
output belong to them, replaced atomically. Killed at any moment (Ctrl-C, ``kill -9``, power
loss), the same command finds the progress file, cuts the partial output back to the last
recorded batch and continues after its last row: every input row ends up in the output
exactly once. Only a finished run is renamed to ``OUT``, so a reader never sees half a file.

The progress file carries a fingerprint of the input file, the options and the list
versions; if any of them changed, the old partial run is discarded and the run starts over.

A run may write side files in step with the output (the name-token cache beside the alerts,
see :mod:`~discreet.screen.tokencache`): each batch appends to every side file before the
progress is recorded, and the progress holds their sizes too, so a resumed run cuts them back
to the same batch as the output.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Progress", "ResumableOutput", "fingerprint"]


def fingerprint(input_path: Path, options: dict[str, Any]) -> str:
    """Identity of a run: the input file (path, size, mtime) and everything that shapes output."""
    stat = input_path.stat()
    data = {"input": str(input_path.resolve()), "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns, "options": options}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(slots=True)
class Progress:
    """How far a run got: input rows done, output bytes that hold them (and side bytes)."""

    fingerprint: str
    rows_done: int = 0
    output_bytes: int = 0
    side_bytes: list[int] = field(default_factory=list)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _append(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


class ResumableOutput:
    """An output file written in checkpointed batches and renamed into place at the end."""

    def __init__(self, output: Path, run_fingerprint: str, sides: Sequence[Path] = ()) -> None:
        """``sides``: partial side files written batch by batch with the output."""
        self.output = output
        self.partial = output.with_name(output.name + ".partial")
        self.progress_path = output.with_name(output.name + ".progress")
        self.sides = list(sides)
        self.progress = Progress(run_fingerprint, side_bytes=[0] * len(self.sides))
        self.resumed = False

    def open(self) -> int:
        """Prepare the partial files; return how many input rows are already done."""
        saved = self._load_progress()
        if saved is not None and self._can_resume(saved):
            for path, size in ((self.partial, saved.output_bytes),
                               *zip(self.sides, saved.side_bytes, strict=True)):
                with path.open("r+b") as handle:
                    handle.truncate(size)  # drop a batch written after the record
            self.progress, self.resumed = saved, True
        else:
            for path in (self.partial, *self.sides):
                path.write_bytes(b"")
            self._save_progress()
        return self.progress.rows_done

    def _can_resume(self, saved: Progress) -> bool:
        """Same run, and every partial file holds at least what the progress recorded."""
        if saved.fingerprint != self.progress.fingerprint or \
                len(saved.side_bytes) != len(self.sides):
            return False
        files = ((self.partial, saved.output_bytes),
                 *zip(self.sides, saved.side_bytes, strict=True))
        return all(path.exists() and path.stat().st_size >= size for path, size in files)

    def write_batch(self, text: str, rows: int, sides: Sequence[str] = ()) -> None:
        """Append the results of ``rows`` more input rows (and the matching text of each side
        file), durably, then record the progress."""
        data = text.encode("utf-8")
        _append(self.partial, data)
        for number, side_text in enumerate(sides):
            side = side_text.encode("utf-8")
            _append(self.sides[number], side)
            self.progress.side_bytes[number] += len(side)
        self.progress.rows_done += rows
        self.progress.output_bytes += len(data)
        self._save_progress()

    def finish(self) -> Path:
        """Rename the complete partial file to the output name and forget the progress."""
        os.replace(self.partial, self.output)
        self.progress_path.unlink(missing_ok=True)
        _fsync_dir(self.output.parent)
        return self.output

    def discard(self) -> None:
        """Forget the partial run (after its content was written elsewhere)."""
        self.progress_path.unlink(missing_ok=True)
        self.partial.unlink(missing_ok=True)

    def _load_progress(self) -> Progress | None:
        try:
            data = json.loads(self.progress_path.read_text(encoding="utf-8"))
            return Progress(str(data["fingerprint"]), int(data["rows_done"]),
                            int(data["output_bytes"]),
                            [int(size) for size in data.get("side_bytes", [])])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def _save_progress(self) -> None:
        tmp = self.progress_path.with_name(self.progress_path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump({"fingerprint": self.progress.fingerprint,
                       "rows_done": self.progress.rows_done,
                       "output_bytes": self.progress.output_bytes,
                       "side_bytes": self.progress.side_bytes}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.progress_path)

"""A big FtM JSON lines file read on every core: the two passes of
:meth:`~discreet.sources.opensanctions.ftm_json.FtmJsonParser.parse`, each split into chunks.

The file is cut into chunks of whole lines (about :data:`CHUNK_BYTES`, numbered from the
line each starts on); forked workers read their chunk from the file themselves and do to each
line what the reading in one process does (``scan_line`` in the first pass, ``assemble_line``
with the guard's name checks in the second), and their results are taken in file order: the
first defective line is the one refused, named by file and line, and the counts and warnings
at the end are the ones a reading in one process gives. The related entities go to the
:class:`~discreet.sources.opensanctions.ftm_json.SideTable` from this process, and each worker
reads it back by its file in the second pass.

Entities never cross processes (pickling them costs more than making them): a worker hands
back what ``encode`` makes of each, for the loader its id, content hash and canonical JSON.
At most a few chunks are in flight, so memory does not grow with the file.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from discreet.errors import ParseError
from discreet.model import Entity
from discreet.parallel import OrderedPool
from discreet.sources.common.base import ListMeta
from discreet.sources.common.guard import NameCheck
from discreet.sources.opensanctions.ftm_json import (
    PARSER,
    SideReader,
    SideRows,
    SideTable,
    _remember,
    _Tally,
)

__all__ = ["CHUNK_BYTES", "MIN_BYTES", "read_parallel", "workers_for"]

R = TypeVar("R")
T = TypeVar("T")

CHUNK_BYTES = 4 << 20  # a worker's chunk of the file (a few thousand entities)
MIN_BYTES = 32 << 20  # a smaller file is read in one process: workers would not pay
_IN_FLIGHT = 3  # chunks queued per worker: enough to keep each busy, few to hold


def workers_for(path: Path) -> int:
    """How many workers to read ``path`` with: one per core this process may use, when the
    file is big (:data:`MIN_BYTES`) and this process runs no other thread (a fork copies only
    the calling one: a lock another holds would never be released in the child); else 0."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1
    return cores if cores > 1 and path.stat().st_size >= MIN_BYTES else 0


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Whole lines of the file: ``size`` bytes from ``offset``, the first numbered ``line``."""

    path: Path
    offset: int
    size: int
    line: int
    index: int


@dataclass(frozen=True, slots=True)
class _Failure:
    """A ParseError raised in a worker, raised again here with what it names."""

    message: str
    file: str | None
    line: int | None
    field: str | None

    @classmethod
    def of(cls, exc: ParseError) -> _Failure:
        return cls(exc.message, exc.file, exc.line, exc.field)

    def error(self) -> ParseError:
        return ParseError(self.message, file=self.file, line=self.line, field=self.field)


def read_parallel(path: Path, meta: ListMeta, encode: Callable[[Entity], R], *, workers: int,
                  chunk_bytes: int | None = None) -> Iterator[list[R]]:
    """``encode`` of each listed entity of ``path``, a chunk's list at a time in file order,
    read by ``workers`` forked processes in chunks of about ``chunk_bytes`` (default
    :data:`CHUNK_BYTES`); ``meta`` is filled as ``parse`` fills it (the guard's name
    warnings added) once drained. ``encode`` must be picklable (a module's function, or a
    ``partial`` of one)."""
    meta.format, meta.authority = PARSER.format, "FtM"
    cut = _Cut(path, chunk_bytes or CHUNK_BYTES)
    tally, names, seen = _Tally(), NameCheck(meta.file_name), set[str]()
    with OrderedPool(workers, workers * _IN_FLIGHT) as pool, SideTable() as side:
        scan = partial(_scan, file=meta.file_name, dataset=meta.dataset)
        for index, (part, rows, failure) in enumerate(pool.map(scan, cut)):
            if failure is not None:
                raise failure.error()
            tally.merge(part)
            side.extend(rows, index)
        side.seal()
        meta.sha256 = cut.digest.hexdigest()
        convert = partial(_convert, side=side.path, file=meta.file_name, dataset=meta.dataset,
                          encode=encode)
        for records, checked, datasets, failure in pool.map(convert, cut.chunks):
            if failure is not None:
                raise failure.error()
            names.merge(checked)
            for dataset in datasets:
                _remember(seen, dataset)
            yield records
        orphans = side.orphans()
    PARSER.finish(meta, tally, cut.last, seen, (0, orphans))
    names.report(meta)


class _Cut:
    """The file cut into chunks of whole lines as it is iterated (:attr:`chunks` keeps them
    for the second pass), its last line (number, bytes) as the reading in one process
    sees it (``(0, b"\\n")`` for an empty file), and the SHA-256 of the bytes cut (this
    reading is the one pass over the file in this process: the loader need not read it
    again for its hash)."""

    def __init__(self, path: Path, size: int) -> None:
        self.path, self.size = path, size
        self.chunks: list[_Chunk] = []
        self.last: tuple[int, bytes] = (0, b"\n")
        self.digest = hashlib.sha256()

    def __iter__(self) -> Iterator[_Chunk]:
        offset, line = 0, 1
        with self.path.open("rb") as handle:
            while block := handle.read(self.size):
                if not block.endswith(b"\n"):
                    block += handle.readline()
                self.digest.update(block)
                chunk = _Chunk(self.path, offset, len(block), line, len(self.chunks))
                self.chunks.append(chunk)
                breaks = block.count(b"\n")
                tail = block[block.rfind(b"\n", 0, len(block) - 1) + 1:]
                self.last = (line + breaks - block.endswith(b"\n"), tail)
                offset, line = offset + len(block), line + breaks
                yield chunk


def _lines(chunk: _Chunk) -> Iterator[tuple[int, bytes]]:
    """(number, line) of the chunk's lines, as iterating over the file gives them."""
    with chunk.path.open("rb") as handle:
        handle.seek(chunk.offset)
        data = handle.read(chunk.size)
    start, number = 0, chunk.line
    while start < len(data):
        end = data.find(b"\n", start) + 1 or len(data)
        yield number, data[start:end]
        start, number = end, number + 1


def _scan(chunk: _Chunk, file: str, dataset: str
          ) -> tuple[_Tally, SideRows, _Failure | None]:
    """The first pass over a chunk (in a worker): its tally (every odd value counted: the
    caller caps them) and what it notes for the side table, or the ParseError it met."""
    meta = ListMeta(file_name=file, dataset=dataset)
    tally, rows = _Tally(cap=None), SideRows()
    try:
        for number, raw in _lines(chunk):
            PARSER.scan_line(raw, number, meta, tally, rows)
    except ParseError as exc:
        return tally, SideRows(), _Failure.of(exc)
    return tally, rows, None


_SIDES: dict[Path, SideReader] = {}  # a worker's reader of the side table, by its file


def _convert(chunk: _Chunk, side: Path, file: str, dataset: str,
             encode: Callable[[Entity], R]
             ) -> tuple[list[R], NameCheck, set[str], _Failure | None]:
    """The second pass over a chunk (in a worker): ``encode`` of each listed entity, the
    guard's name checks of them, the datasets they name, or the ParseError met."""
    if side not in _SIDES:
        _SIDES[side] = SideReader(side)
    found = _SIDES[side].chunk(chunk.index)
    meta = ListMeta(file_name=file, dataset=dataset)
    names, seen, out = NameCheck(file), set[str](), list[R]()
    try:
        for number, raw in _lines(chunk):
            entity = PARSER.assemble_line(raw, number, meta, found)
            if entity is not None:
                _remember(seen, entity.source)
                names.entity(entity)
                out.append(encode(entity))
    except ParseError as exc:
        return [], names, seen, _Failure.of(exc)
    return out, names, seen, None

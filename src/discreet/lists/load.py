"""From a published file to a stored version: parse, check plausibility, store atomically.

The checks here are the ones a person would make before trusting a download: it is a list
(not an empty body or an error page), it parsed to the end (not truncated), it holds
entities, and it does not remove more than a small share (the removal gate) of the entities
of the active version.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path

from discreet.errors import ParseError, StoreError
from discreet.model import Entity
from discreet.programmes.catalogue import programme_warnings
from discreet.sources import ListMeta, detect, open_list, parsers
from discreet.sources.opensanctions.ftm_parallel import read_parallel, workers_for
from discreet.store import LoadResult, ParsedList, Store
from discreet.store.spool import SPILL_AFTER, RecordSpool
from discreet.store.writer import DEFAULT_MAX_REMOVAL

__all__ = ["Progress", "Record", "file_sha256", "load_file", "read_list", "record",
           "state_date"]

# Told how many entities were read and the seconds since reading began, every
# PROGRESS_EVERY entities (the caller decides how often to say it).
Progress = Callable[[int, float], None]
PROGRESS_EVERY = 1000
HASH_BLOCK = 1 << 16  # bytes hashed at a time
MAX_REPEAT_WARNINGS = 20  # repeated ids named one by one; the rest counted
RECORD_BATCH = 1000  # entities parsed here, made records and spooled at a time
PARALLEL_FORMAT = "ftm_json"  # the format a big file of is read by forked workers


def file_sha256(paths: list[Path]) -> str:
    """SHA-256 of the published bytes (all files of a set, in order)."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(HASH_BLOCK), b""):
                digest.update(block)
    return digest.hexdigest()


def read_list(path: Path, *, source: str | None = None, fmt: str = "auto",
              extra: dict[str, str] | None = None, progress: Progress | None = None,
              spill_after: int | None = None, workers: int | None = None) -> ParsedList:
    """Parse a whole file into a parsed list; any defect raises before the store is touched.

    Past ``spill_after`` entities (default ``SPILL_AFTER``) the records move to a temporary file (a
    :class:`~discreet.store.spool.RecordSpool`), so memory does not grow with the file.
    ``progress`` is told the entities read so far, every ``PROGRESS_EVERY``. A big FtM JSON
    lines file is read by ``workers`` forked processes (default: one per core for a big file,
    :func:`~discreet.sources.opensanctions.ftm_parallel.workers_for`; 0: in this process),
    which give the same records.
    """
    meta, batches = _open_records(path, fmt, extra, source, workers)
    if source:
        meta.dataset = source
    records = RecordSpool(SPILL_AFTER if spill_after is None else spill_after)
    warnings: list[str] = []
    repeats = count = 0
    programmes: Counter[tuple[str, str]] = Counter()  # (authority, code) -> entities
    started = time.monotonic()
    for batch in batches:
        kept = records.add_many((r[0], r[1], r[2]) for r in batch)
        for (entity_id, _, _, authority, codes), new in zip(batch, kept, strict=True):
            count += 1
            if not new:
                repeats += 1
                if repeats <= MAX_REPEAT_WARNINGS:
                    warnings.append(f"{path.name}: entity {entity_id} appears twice; "
                                    "first kept")
                continue
            programmes.update((authority or meta.authority, p) for p in codes)
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count, time.monotonic() - started)
    records.seal()
    if repeats > MAX_REPEAT_WARNINGS:
        warnings.append(f"{path.name}: {repeats - MAX_REPEAT_WARNINGS} more entities appear "
                        "twice; first kept")
    warnings.extend(meta.warnings)  # the parser's own (nameless entities, garbled names…)
    warnings.extend(programme_warnings(path.name, programmes))  # codes no regime claims
    if not meta.dataset and not source:
        raise ParseError("cannot tell which list this is; give --source", file=path.name)
    if meta.record_count is not None and meta.record_count != len(records):
        warnings.append(f"{path.name}: the file says {meta.record_count} records, "
                        f"{len(records)} were read")
    return ParsedList(source=source or meta.dataset, authority=meta.authority or "unknown",
                      format=meta.format, file_name=path.name,
                      sha256=meta.sha256 or file_sha256([path]), published=meta.published,
                      records=records, warnings=warnings)


# An entity as the loader keeps it: id, content hash, canonical JSON, authority, programmes.
Record = tuple[str, str, str, str, tuple[str, ...]]


def record(dataset: str | None, entity: Entity) -> Record:
    """``entity`` as a :data:`Record`, in the list ``dataset`` (else its own source)."""
    entity.source = dataset or entity.source
    data = entity.to_json()  # the content hash is this text's (Entity.content_hash)
    return (entity.id, hashlib.sha256(data.encode("utf-8")).hexdigest(), data,
            entity.authority, tuple(entity.programmes))


def _open_records(path: Path, fmt: str, extra: dict[str, str] | None, source: str | None,
                  workers: int | None) -> tuple[ListMeta, Iterator[list[Record]]]:
    """The file's records a batch at a time: a big FtM file's from forked workers, any
    other's parsed here (``meta`` is complete once they are drained)."""
    if fmt in ("auto", PARALLEL_FORMAT) and path.is_file():
        parser = detect(path) if fmt == "auto" else parsers()[fmt]
        count = workers_for(path) if workers is None else workers
        if parser.format == PARALLEL_FORMAT and count > 1 and path.stat().st_size:
            meta = ListMeta(file_name=path.name, format=parser.format,
                            extra=dict(extra or {}), dataset=source or "")
            return meta, read_parallel(path, meta, partial(record, source), workers=count)
    meta, entities = open_list(path, fmt, extra)
    return meta, _batches(entities, lambda entity: record(source or meta.dataset, entity))


def _batches(entities: Iterator[Entity], encode: Callable[[Entity], Record]
             ) -> Iterator[list[Record]]:
    while batch := [encode(entity) for entity in islice(entities, RECORD_BATCH)]:
        yield batch


def state_date(parsed: ParsedList, published: str | None, basis: str = "operator") -> None:
    """Give ``parsed`` the as-of date someone states for it (``--published``, a download's
    header), saying in its warnings when the file's own date wins or when there is none."""
    name = parsed.file_name
    if parsed.published:
        if basis == "operator" and published and published[:10] != parsed.published[:10]:
            parsed.warnings.append(f"{name}: the file states {parsed.published}; that date is "
                                   f"kept, not the {basis} date {published}")
    elif published:
        parsed.as_of, parsed.as_of_basis = published, basis
    elif not parsed.published:
        parsed.warnings.append(
            f"{name}: states no publication date: the version is dated by its load time, "
            "which orders it but dates no designation; give --published DATE if it is older")


def load_file(store: Store, path: Path, *, source: str | None = None, fmt: str = "auto",
              force: bool = False, max_drop: float = DEFAULT_MAX_REMOVAL,
              extra: dict[str, str] | None = None, published: str | None = None,
              published_basis: str = "operator", progress: Progress | None = None
              ) -> LoadResult:
    """Parse ``path`` and store it where its as-of date puts it (or report unchanged).

    The as-of date is the file's own, else ``published`` (who states it: ``published_basis``,
    e.g. ``operator`` or ``last-modified``), else the load time. ``max_drop`` is the removal
    gate (the largest share of the entities of the version the file follows that it may
    remove unless ``force``); ``progress`` is told the entities read (:func:`read_list`).
    A store failure (disk full, lost connection) is rolled back
    and reported with the file's name; the previous version stays active.
    """
    parsed = read_list(path, source=source, fmt=fmt, extra=extra, progress=progress)
    state_date(parsed, published, published_basis)
    try:
        return store.write(parsed, force=force, max_drop=max_drop)
    except StoreError as exc:
        raise StoreError(f"{path.name}: not loaded as a new version of {parsed.source} "
                         f"(the previous version stays active): {exc}") from exc
    finally:
        if isinstance(parsed.records, RecordSpool):
            parsed.records.close()

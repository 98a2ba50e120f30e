"""The persisted index: a matcher written once as files and opened by memory-mapping them.

Building the index of the full lists takes seconds (minutes at a million entities); every
process that screens (``discreet match``, each API worker, bulk workers, Spark executors)
would otherwise build its own copy. Here a matcher is saved as a folder of files:

* every numpy array reachable from it (postings, the keys' table and their one-deletion
  neighbours, name tables, the kernel's tables of strings, ...; whatever attribute holds
  it) as one ``.npy`` file, opened with
  ``np.load(mmap_mode="r")``: the pages are the operating system's file cache, shared by
  every process that opens the index (arrays smaller than a page stay in the pickle);
* every long list of entities or prepared names as two such arrays (each item pickled,
  and where each begins; a prepared name as its state alone, marshalled,
  :class:`PackedNames`; the entities of a store as their rows marshalled, empty lists left
  out and repeated words as numbers, ``matcher.EntityRows``; both read back by the
  compiled ``_rows.Reader``): an
  item is decoded only when a query needs it (a result, an explanation), so opening does
  not rebuild a million Python objects; so are the listings
  of the parties (same-as links), party by party (:class:`PackedMapping`);
* every long list of numbers or strings of one type (a name's owner, kind and what a weak
  alias loses: millions of items at a million entities) as an array: numbers as they are,
  or, when few values repeat (the four kinds), each value once and a code per item. Read
  back as a list in compiled code; repeated values are then one object, not one each;
* what the API reads of the entities besides screening (``match/lookup.py``: the id table,
  the /search words, the facets, the relationships' keys), made before the matcher is
  written and carried by it, so its arrays are files too;
* the rest (dicts of strings, small objects) in one pickle, ``matcher.pkl``;
* ``manifest.json``: the index's key and each file's size and sha256;
* ``verified.json``: each file's stamp (device, inode, size, modification and change times
  in nanoseconds) when its sha256 was last checked against the manifest's.

:func:`open_matcher` finds the folder for a store's active versions (its *key*,
:func:`index_key`), checks it and opens it, or builds, writes and opens it. A folder for
other versions is never used; a damaged one (a size or hash that differs from the
manifest's, a missing file, a pickle that does not read) is logged on one line naming the
file and the cause, and rebuilt.

Damage is found without hashing every byte at every open (2 GiB of files at a million
entities): each file's sha256 is checked in full the first time it is opened, and again
whenever its stamp differs from the one recorded then (``verified.json``). Writing to a
file, replacing it, copying or restoring the folder changes its change time (which no
user can set back) or its inode, so the file is hashed again before it is used. A stamp
is recorded only for a file last changed over :data:`RACY` seconds before (a change in
the same tick of the file system's clock could leave the times as they were: racy, as git
calls it), so a fresh index is hashed in full at its first opens. What a stamp cannot see
(the disk changing bytes under the file system) :func:`verify` finds: it hashes every
file, whatever the stamps say. Files are written in a temporary folder beside the final
one, synced, then renamed into place; builders of one store are serialised by a lock file,
so one builds and the others open what it wrote. A process keeps the files it mapped even
when a newer index replaces or removes them (unlinked files stay mapped), so the API's swap
to a new generation stays atomic.

Trust: a pickle runs code when read. The files are read only when the folder and every file
belong to the user running discreet and no group or other user may write them (folders are
made 0700); anything else is refused (logged) and the index is built in memory. Whoever can
write as that user can already change discreet itself.

Where: beside a SQLite store (``<store file>.index/<key>/``); for PostgreSQL in a local cache
folder (``$DISCREET_INDEX_DIR``, else ``$XDG_CACHE_HOME/discreet/index``, else
``~/.cache/discreet/index``) under a hash of the connection string without its password.
``$DISCREET_INDEX_DIR`` also moves a SQLite store's indexes (a read-only store folder).
``DISCREET_INDEX=memory`` (or ``persist=False``) builds in memory and writes nothing. The
newest :data:`KEEP` indexes of a store are kept; older ones are removed after a build.
"""

from __future__ import annotations

import array
import contextlib
import errno
import fcntl
import hashlib
import io
import json
import logging
import marshal
import os
import pickle
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

import discreet
from discreet import collector_paused
from discreet.errors import DiscreetError
from discreet.match import lookup
from discreet.match._rows import Reader, Slots
from discreet.match.lookup import lookup_of
from discreet.match.matcher import Beside, EntityRecords, EntityRows, Matcher
from discreet.match.packed import Packed
from discreet.match.parties import Parties
from discreet.match.prepare import PREPARATION_VERSION, PreparedName
from discreet.model import Entity
from discreet.store import Store

__all__ = ["ENV_DIR", "ENV_MODE", "INDEX_FORMAT", "KEEP", "RACY", "IndexFileError",
           "PackedList", "PackedMapping", "PackedNames", "build_index", "index_key",
           "index_root", "load", "open_matcher", "save", "verify"]

log = logging.getLogger("discreet.match.persist")

# Bump when what is written changes shape (files, manifest, what the pickle holds).
INDEX_FORMAT = 7  # 2: the index's keys and their neighbours as arrays (match/_keys.pxi);
# 3: prepared names packed as their states, without the class (PackedNames); 4: entities
# as their rows marshalled (matcher.EntityRows), not the store's JSON; 5: prepared names'
# states marshalled (PackedNames), not pickled; 6: the kernel's name tables as one record
# per name (prune.name_records), not a column per field; 7: each key's twin (the first key
# posting the same names, the kernel's posting_twins) told at the build and written, not at
# each open; the records' numbers in 32 bits, each record placed on cache lines
KEEP = 2  # indexes kept per store (the newest); older ones are removed after a build
ENV_DIR = "DISCREET_INDEX_DIR"  # where indexes live (else beside the store / the user's cache)
ENV_MODE = "DISCREET_INDEX"  # "memory": never write or read index files
MANIFEST = "manifest.json"
PICKLE = "matcher.pkl"
VERIFIED = "verified.json"
RACY = 2.0  # seconds: a file changed more recently than this gets no stamp (hashed again)
_LOCK = ".lock"
_PACK_MIN = 64  # lists of entities or prepared names at least this long are packed
_PACK_TYPES = (Entity, PreparedName)
_LIST_MIN = 4096  # lists of numbers or strings at least this long are written as arrays
_CATEGORIES = 1 << 16  # ... as codes into their distinct values, when at most this many
_INLINE = 4096  # arrays smaller than a page stay in the pickle (nothing to share)
_PACKED_NAMES = "packed_names"  # a built matcher's names packed already (not written)
_KEY = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20
_HASH_BLOCK = 8 << 20  # bytes a file is hashed by at a time
_WRITERS = 2  # threads writing an index's array files (the cores of a small server)

T = TypeVar("T")
# a prepared name of its state (its fields' values in order), compiled (_rows.pyx)
_name_of_state = Slots(
    PreparedName, tuple(PreparedName.__dict__["__slots__"]))


class IndexFileError(DiscreetError):
    """An index folder that must not be used: damaged, for other list versions, or not
    trusted. ``path`` names the file (or folder) and the message the cause."""

    def __init__(self, path: Path, cause: str) -> None:
        super().__init__(f"{path}: {cause}")
        self.path = path
        self.cause = cause


class PackedList(Packed[T]):
    """A long list of objects as two arrays, each item pickled and where each begins: an
    item is unpickled when read (of those read again, the last
    :data:`~discreet.match.packed.DECODED` read are kept). Memory-mapped, the arrays are
    shared by every process; only the items a process reads become objects in it."""

    __slots__ = ()
    _what = "packed list"

    @classmethod
    def pack(cls, items: Sequence[T]) -> PackedList[T]:
        """Each item pickled, one after another into one buffer (not a million pieces
        joined: half the memory); an object met again (an index's names repeat theirs: a
        name written again is one prepared name) pickled once, its bytes copied."""
        blob = bytearray()
        ends = array.array("q", [0])
        first: dict[int, int] = {}  # an item's id -> its number (``items`` holds it alive)
        for i, item in enumerate(items):
            met = first.setdefault(id(item), i)
            if met == i:
                blob += cls._encode(item)
            else:
                blob += blob[ends[met]:ends[met + 1]]
            ends.append(len(blob))
        return cls(np.frombuffer(blob, np.uint8), np.frombuffer(ends, np.int64).copy())

    @staticmethod
    def _encode(item: T) -> bytes:
        return pickle.dumps(item, pickle.HIGHEST_PROTOCOL)

    def _decode(self, i: int) -> T:
        at = self._at
        item: T = pickle.loads(self._view[at[i]:at[i + 1]])
        return item


class PackedNames(PackedList[PreparedName]):
    """Prepared names packed as their states (their fields' values, ``__getstate__``) as a
    tuple marshalled, without the class, and read back by one ``marshal.loads`` and the
    compiled fill of its slots (``_rows.pyx``): no pickle machine (its opcodes, its memo),
    no class looked up by name and no ``__setstate__`` call for each name a result
    explains. Every field of a prepared name is text, a number, a boolean, None or a tuple
    or frozenset of them, which marshal writes exactly (a float's bits, a subclass refused)."""

    __slots__ = ()

    @staticmethod
    def _encode(item: PreparedName) -> bytes:
        # marshal marks a value for reference when something else holds it too (its
        # reference count): what the build's other structures hold differs between a build
        # here and one packing its names in another process, so the state is written from
        # a copy of its own first (marshal's version 2 writes no reference; read back, each
        # value is held by the copy alone, or is one Python shares anyway: a small int, a
        # letter, an interned word), the same bytes wherever the names are packed
        # (tests/match/test_build_beside.py)
        state: tuple[Any, ...] = tuple(item.__getstate__())
        return marshal.dumps(marshal.loads(marshal.dumps(state, 2)))

    def __init__(self, blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> None:
        super().__init__(blob, offsets)
        # (compiled: _rows.pyx; what _decode calls, and a read itself)
        self._make = Reader(_name_of_state, blob, offsets)

    def _decode(self, i: int) -> PreparedName:
        assert self._make is not None
        made: PreparedName = self._make(i)
        return made


class PackedMapping(Mapping[str, T]):
    """A mapping whose values are packed (:class:`PackedList`): a value is unpickled when
    read. What a matcher's :class:`~discreet.match.parties.Parties` holds as its
    ``members`` once opened from files: each party's listings are decoded only when a
    result of the party is returned."""

    __slots__ = ("_at", "_values")

    def __init__(self, keys: Sequence[str], values: PackedList[T]) -> None:
        self._at = {key: i for i, key in enumerate(keys)}
        self._values = values

    @classmethod
    def pack(cls, mapping: Mapping[str, T]) -> PackedMapping[T]:
        return cls(list(mapping), PackedList.pack(list(mapping.values())))

    def __getitem__(self, key: str) -> T:
        return self._values[self._at[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __reduce__(self) -> tuple[object, ...]:
        return PackedMapping, (tuple(self._at), self._values)


# ---------------------------------------------------------------- writing and reading


class _Writer(pickle.Pickler):
    """Pickles a matcher, writing every numpy array (and every long list of entities or
    prepared names, packed) to its own ``.npy`` file in ``folder`` instead."""

    def __init__(self, file: io.BufferedWriter, folder: Path,
                 pool: ThreadPoolExecutor | None = None) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.folder = folder
        self.files: list[str] = []
        # ``pool``: each array's file written, synced and hashed (its size and sha256, the
        # manifest's) by the pool's threads while this one pickles on, several at a time
        # (writing, syncing and hashing let go of the GIL); else here, in turn
        self.pool = pool
        self.described: dict[str, Future[dict[str, Any]]] = {}
        self.seen: dict[int, tuple[str, ...]] = {}
        self.alive: list[object] = []  # keeps what an id stands for alive while pickling

    def reducer_override(self, obj: Any) -> Any:
        """Parties: their listings packed party by party (decoded when read). Entities
        kept as the store's JSON (:class:`~discreet.match.matcher.EntityRecords`): as
        their rows (:class:`~discreet.match.matcher.EntityRows`), which a result reads
        back faster."""
        if type(obj) is Parties and type(obj.members) is dict \
                and len(obj.members) >= _PACK_MIN:
            return Parties, (obj.party_of, PackedMapping.pack(obj.members))
        if type(obj) is EntityRecords:
            rows = EntityRows.of_records(obj)
            self.alive.append(rows)  # its arrays written by the pool meanwhile
            return EntityRows, (rows._blob, rows._offsets, rows.words)
        return NotImplemented

    def persistent_id(self, obj: Any) -> tuple[Any, ...] | None:
        if isinstance(obj, np.ndarray):
            if obj.dtype.hasobject or obj.nbytes < _INLINE:
                return None  # Python objects inside, or small: pickled as they are
            return self._once(obj, lambda: ("array", self._array(obj)))
        if type(obj) is list and len(obj) >= _PACK_MIN and isinstance(obj[0], _PACK_TYPES) \
                and all(type(item) is type(obj[0]) for item in obj):
            return self._once(obj, lambda: self._packed(obj))
        if type(obj) is list and len(obj) >= _LIST_MIN and type(obj[0]) in (int, float, str):
            found = self.seen.get(id(obj))
            if found is None:
                listed = self._listed(obj)
                if listed is None:
                    return None
                found = self.seen[id(obj)] = listed
                self.alive.append(obj)
            return found
        return None

    def _listed(self, items: list[Any]) -> tuple[Any, ...] | None:
        """A list of numbers or strings of one type as arrays (None: pickled as it is)."""
        kind = type(items[0])
        if not all(type(item) is kind for item in items):
            return None
        most = min(_CATEGORIES, len(items) // 4)  # distinct values written once each
        if kind is str:
            number: dict[str, int] = {}
            codes = [number.setdefault(item, len(number)) for item in items]
            if len(number) > most:
                return None  # mostly distinct strings: nothing to share
            return ("list", "categories", tuple(number),
                    self._array(np.array(codes, np.uint16)))
        try:
            array = np.array(items, np.int64 if kind is int else np.float64)
        except OverflowError:
            return None
        # floats compared by their bits: -0.0 and 0.0, or two NaNs, stay what they were
        distinct, inverse = np.unique(array.view(np.uint64) if kind is float else array,
                                      return_inverse=True)
        if len(distinct) <= most:
            values = distinct.view(np.float64) if kind is float else distinct
            return ("list", "categories", tuple(values.tolist()),
                    self._array(inverse.astype(np.uint16)))
        return ("list", "numbers", self._array(array))

    def _once(self, obj: object, write: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
        """One file per object, however often it is referred to (one object again when read)."""
        found = self.seen.get(id(obj))
        if found is None:
            found = self.seen[id(obj)] = write()
            self.alive.append(obj)
        return found

    def _packed(self, items: list[Any]) -> tuple[str, ...]:
        maker = PackedNames if type(items[0]) is PreparedName else PackedList
        return self._files(maker.pack(items))

    def packed(self, items: list[Any], packed: PackedList[Any]) -> None:
        """``items`` written as ``packed`` (what :meth:`PackedList.pack` made of them
        already) wherever the pickle refers to them."""
        self._once(items, lambda: self._files(packed))

    def _files(self, packed: PackedList[Any]) -> tuple[str, ...]:
        kind = "names" if type(packed) is PackedNames else "packed"
        return (kind, self._array(packed._blob), self._array(packed._offsets))

    def _array(self, array: npt.NDArray[Any]) -> str:
        name = f"a{len(self.files):04d}.npy"
        self.files.append(name)
        if self.pool is None:
            _save_array(self.folder / name, array)
        else:  # the future keeps the array alive until it is written
            self.described[name] = self.pool.submit(_save_array, self.folder / name, array)
        return name


def _save_array(path: Path, array: npt.NDArray[Any]) -> dict[str, Any]:
    """``array`` written as the new file ``path`` and synced; the file's size and sha256."""
    with open(path, "xb") as handle:
        np.save(handle, array, allow_pickle=False)
        handle.flush()
        os.fsync(handle.fileno())
    return _describe(path)


class _Reader(pickle.Unpickler):
    """Reads a matcher's pickle, mapping each array file it names (read-only)."""

    def __init__(self, file: io.BufferedReader, folder: Path, files: set[str]) -> None:
        super().__init__(file)
        self.folder = folder
        self.files = files
        self.opened: dict[tuple[str, ...], object] = {}

    def persistent_load(self, pid: Any) -> object:
        key = tuple(pid)
        found = self.opened.get(key)
        if found is None:
            if key[0] == "array" and len(key) == 2:
                found = self._array(key[1])
            elif key[0] == "packed" and len(key) == 3:
                found = PackedList(self._array(key[1]), self._array(key[2]))
            elif key[0] == "names" and len(key) == 3:
                found = PackedNames(self._array(key[1]), self._array(key[2]))
            elif key[:2] == ("list", "categories") and len(key) == 4:
                values = np.empty(len(key[2]), object)
                values[:] = key[2]
                found = values[self._array(key[3])].tolist()
            elif key[:2] == ("list", "numbers") and len(key) == 3:
                found = self._array(key[2]).tolist()
            else:
                raise pickle.UnpicklingError(f"unknown persistent id {key!r}")
            self.opened[key] = found
        return found

    def _array(self, name: str) -> npt.NDArray[Any]:
        if name not in self.files:  # only files the manifest lists (and so were checked)
            raise pickle.UnpicklingError(f"{name} is not in the manifest")
        path = self.folder / name
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
        array: npt.NDArray[Any] = np.asarray(mapped) if mapped.size == 0 \
            else mapped.view(np.ndarray)  # a plain array over the mapping (which it keeps)
        return array


def save(matcher: Matcher, folder: Path | str, key: str = "") -> Path:
    """Write ``matcher`` as an index folder ``folder`` (which must not exist): written in a
    temporary folder beside it, synced, then renamed into place. ``key``: what the index is
    for (:func:`index_key`), checked when it is opened."""
    target = Path(folder)
    parent = target.parent
    _make_private(parent)
    temp = Path(tempfile.mkdtemp(prefix=f".tmp-{target.name[:16]}-", dir=parent))
    try:
        _write(matcher, temp, key)
        os.rename(temp, target)  # atomic; fails if the target exists
        _sync_folder(parent)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return target


def _write(matcher: Matcher, folder: Path, key: str) -> None:
    lookup_of(matcher)  # made now (unless carried already): written with the matcher
    packed = matcher.__dict__.pop(_PACKED_NAMES, None)  # the names packed meanwhile
    with ThreadPoolExecutor(_WRITERS, thread_name_prefix="index-write") as pool:
        with open(folder / PICKLE, "xb") as handle:
            writer = _Writer(handle, folder, pool)
            if isinstance(packed, PackedList) and len(packed) == len(matcher.names):
                writer.packed(matcher.names, packed)
            writer.dump(matcher)
            handle.flush()
            os.fsync(handle.fileno())
        files = {name: writer.described[name].result() for name in writer.files}
        files[PICKLE] = _describe(folder / PICKLE)
    manifest = {"format": INDEX_FORMAT, "key": key, "created": datetime.now(UTC).isoformat(),
                "entities": len(matcher.entities), "names": len(matcher.names),
                "discreet": discreet.__version__, "files": files}
    with open(folder / MANIFEST, "x", encoding="utf-8") as text:
        json.dump(manifest, text, indent=1, sort_keys=True)
        text.flush()
        os.fsync(text.fileno())
    _sync_folder(folder)


def _describe(path: Path) -> dict[str, Any]:
    return {"size": path.stat().st_size, "sha256": _sha256(path)}


def _sha256(path: Path) -> str:
    """The file's sha256, read in large blocks: the hash lets go of the GIL for each one,
    and takes it back as seldom (a build hashes while its other thread pickles)."""
    digest = hashlib.sha256()
    block = bytearray(_HASH_BLOCK)
    view = memoryview(block)
    with open(path, "rb", buffering=0) as handle:
        while read := handle.readinto(block):
            digest.update(view[:read])
    return digest.hexdigest()


def load(folder: Path | str, key: str | None = None) -> Matcher:
    """The matcher saved in ``folder``, its arrays memory-mapped; raises
    :class:`IndexFileError` (naming the file and the cause) when the folder is not to be
    used: not trusted, damaged, or (``key`` given) made for other list versions."""
    where = Path(folder)
    manifest = _manifest(where, key)
    files: dict[str, Any] = manifest["files"]
    _check_files(where, files, full=False)
    if PICKLE not in files:
        raise IndexFileError(where / MANIFEST, f"names no {PICKLE} (damaged)")
    try:  # the pickle makes many containers, none of them garbage: no collector passes
        with collector_paused(), open(where / PICKLE, "rb") as handle:
            matcher = _Reader(handle, where, set(files) - {PICKLE}).load()
    except Exception as exc:  # any failure to read it: not an index to use
        raise IndexFileError(where / PICKLE, f"does not read ({type(exc).__name__}: {exc})"
                             ) from exc
    if not isinstance(matcher, Matcher):
        raise IndexFileError(where / PICKLE, f"holds a {type(matcher).__name__}, not a matcher")
    matcher.tables.posted = matcher.index.key_ids  # as a built matcher's (not pickled)
    matcher.tables.kernel()  # as a built matcher does: the first query does not pay for it
    return matcher


def verify(folder: Path | str, key: str | None = None) -> tuple[int, int]:
    """Check an index folder in full: trusted, this format (and ``key``), every file's size
    and sha256 those of the manifest, whatever the stamps say (which it records again).
    Returns (files, bytes) checked. Raises :class:`IndexFileError` naming the file and the
    cause; the stamps are then forgotten, so the next open hashes every file again, finds
    the damage and rebuilds instead of trusting a stamp."""
    where = Path(folder)
    files: dict[str, Any] = _manifest(where, key)["files"]
    try:
        _check_files(where, files, full=True)
    except IndexFileError:
        with contextlib.suppress(OSError):
            (where / VERIFIED).unlink()
        raise
    return len(files), sum(int(facts.get("size") or 0) for facts in files.values())


def _check_files(folder: Path, files: dict[str, Any], full: bool) -> None:
    """Each file trusted, of the manifest's size, and of its sha256: hashed when ``full``
    or when its stamp differs from the one recorded when it was last hashed."""
    stamps = {} if full else _stamps(folder)
    fresh: dict[str, list[int]] = {}
    for name, facts in files.items():
        path = folder / name
        found = _check_trusted(path, folder=False)
        if found.st_size != facts.get("size"):
            raise IndexFileError(path, f"size {found.st_size} differs from the manifest's "
                                       f"{facts.get('size')} (damaged)")
        stamp = _stamp(found)
        if stamps.get(name) == stamp:
            fresh[name] = stamp
            continue
        if _sha256(path) != facts.get("sha256"):
            raise IndexFileError(path, "sha256 differs from the manifest's (damaged)")
        if time.time() - found.st_mtime > RACY and time.time() - found.st_ctime > RACY:
            fresh[name] = stamp
    if fresh != stamps:
        _record_stamps(folder, fresh)


def _stamp(facts: os.stat_result) -> list[int]:
    return [facts.st_dev, facts.st_ino, facts.st_size, facts.st_mtime_ns, facts.st_ctime_ns]


def _stamps(folder: Path) -> dict[str, list[int]]:
    """The stamps recorded (none when missing, unreadable or not trusted: all hashed)."""
    path = folder / VERIFIED
    try:
        _check_trusted(path, folder=False)
        found = json.loads(path.read_text(encoding="utf-8"))
    except (IndexFileError, OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _record_stamps(folder: Path, stamps: dict[str, list[int]]) -> None:
    """Write ``verified.json`` (atomically); a folder that cannot be written (read-only)
    keeps hashing at each open, which is slower, not wrong."""
    try:
        fd, temp = tempfile.mkstemp(prefix=".verified-", suffix=".tmp", dir=folder)
    except OSError as exc:
        log.info("index stamps not recorded in %s (%s): its files are hashed at each open",
                 folder, exc)
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(stamps, out, sort_keys=True)
        os.replace(temp, folder / VERIFIED)
    except OSError as exc:
        log.info("index stamps not recorded in %s (%s)", folder, exc)
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _manifest(folder: Path, key: str | None) -> dict[str, Any]:
    """The folder's manifest, checked: trusted, readable, this format, this key."""
    _check_trusted(folder, folder=True)
    path = folder / MANIFEST
    if not path.exists():
        raise IndexFileError(path, "missing (damaged or unfinished)")
    _check_trusted(path, folder=False)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexFileError(path, f"does not read ({exc})") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise IndexFileError(path, "not an index manifest (damaged)")
    if manifest.get("format") != INDEX_FORMAT:
        raise IndexFileError(path, f"format {manifest.get('format')!r}, not {INDEX_FORMAT} "
                                   "(another discreet wrote it)")
    if key is not None and manifest.get("key") != key:
        raise IndexFileError(path, "made for other list versions or code (stale)")
    for name in manifest["files"]:
        if not isinstance(name, str) or "/" in name or name.startswith("."):
            raise IndexFileError(path, f"names a file {name!r} outside the folder (damaged)")
    return manifest


def _check_trusted(path: Path, folder: bool) -> os.stat_result:
    """Refuse what another user owns or may write, and what is not a plain file (folder);
    its facts (``lstat``) when it is trusted."""
    try:
        facts = os.lstat(path)
    except FileNotFoundError as exc:
        raise IndexFileError(path, "missing (damaged)") from exc
    kind = stat.S_ISDIR(facts.st_mode) if folder else stat.S_ISREG(facts.st_mode)
    if not kind:
        raise IndexFileError(path, f"not a {'folder' if folder else 'plain file'} (not trusted)")
    if facts.st_uid != os.geteuid():
        raise IndexFileError(path, f"owned by uid {facts.st_uid}, not by this user "
                                   f"({os.geteuid()}): not trusted, not read")
    if facts.st_mode & 0o022:
        raise IndexFileError(path, f"writable by group or others (mode "
                                   f"{stat.S_IMODE(facts.st_mode):o}): not trusted, not read")
    return facts


def _make_private(folder: Path) -> None:
    """Make ``folder`` (0700) if missing; refuse one that is not trusted."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_trusted(folder, folder=True)


def _sync_folder(folder: Path) -> None:
    """The folder's entries on disk (a rename survives a crash)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- a store's indexes


@cache
def _code_fingerprint() -> str:
    """A hash of the code whose objects the index holds or whose rules built it (the match
    and text packages, the model): an index made by other code is stale, whatever the
    version number says."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    base = Path(discreet.__file__).resolve().parent
    paths = [base / "model.py"]
    for package in ("match", "text"):
        paths += [p for p in (base / package).rglob("*") if p.is_file()
                  and p.suffix in {".py", ".pyx", ".pxi", ".yml", ".yaml", ".tsv", ".json",
                                   ".txt", ".csv"}]
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def index_key(store: Store) -> str:
    """What identifies the index of a store's present state: the format, the preparation
    and discreet versions (and a hash of the code), each active version's source, number
    and content hash, and the store's links stamp (same-as links make the parties)."""
    doc = {"format": INDEX_FORMAT, "preparation": PREPARATION_VERSION,
           "discreet": discreet.__version__, "code": _code_fingerprint(),
           "active": sorted([v.source, v.version, v.sha256] for v in store.active()),
           "links": store.links_stamp()}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def index_root(store: Store) -> Path | None:
    """The folder holding a store's indexes (one subfolder per key); None where there is
    none (an in-memory SQLite store)."""
    env = os.environ.get(ENV_DIR, "").strip()
    server = store.server_url()
    if server is None:
        file = store.file_path()
        if file is None:
            return None
        path = file.resolve()
        if env:
            return Path(env).expanduser() / _short_hash(str(path))
        return path.with_name(path.name + ".index")
    base = Path(env).expanduser() if env else _cache_home() / "discreet" / "index"
    return base / _short_hash(_without_password(server))


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _cache_home() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"


def _without_password(url: str) -> str:
    """A PostgreSQL connection string without its password, in one canonical form."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(url)
    except Exception:  # an unreadable string still names one store
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1@", url)
    params.pop("password", None)
    return make_conninfo(**{k: str(v) for k, v in sorted(params.items())})


def _disabled(persist: bool | None) -> bool:
    if persist is not None:
        return not persist
    return os.environ.get(ENV_MODE, "").strip().lower() in {"memory", "off", "0", "no"}


def open_matcher(store: Store, *, persist: bool | None = None) -> Matcher:
    """The index of the store's active versions: the persisted one when valid, else built
    (:meth:`Matcher.from_store`), written and opened. ``persist=False`` (or
    ``DISCREET_INDEX=memory``) builds in memory; so does a store whose index folder cannot
    be written or is not trusted (said on one log line)."""
    if _disabled(persist):
        log.info("persisted index disabled (%s=memory or persist=False): building the index "
                 "in memory", ENV_MODE)
        return Matcher.from_store(store)
    root = index_root(store)
    if root is None:
        log.info("no folder for index files (an in-memory store): building in memory")
        return Matcher.from_store(store)
    matcher, _ = _open_or_build(store, root, want_matcher=True)
    assert matcher is not None
    return matcher


def build_index(store: Store, *, persist: bool | None = None) -> Path | None:
    """Build and write the index of the store's active versions now, unless a valid one is
    there (``discreet load`` and ``update`` call it, so the next screening opens it). Its
    folder; None when indexes are not persisted (disabled, or the folder is unusable)."""
    if _disabled(persist):
        return None
    root = index_root(store)
    if root is None:
        return None
    _, folder = _open_or_build(store, root, want_matcher=False)
    return folder


def _open_or_build(store: Store, root: Path, want_matcher: bool,
                   ) -> tuple[Matcher | None, Path | None]:
    key = index_key(store)
    folder = root / key
    if root.exists():
        try:
            _check_trusted(root, folder=True)
        except IndexFileError as exc:
            log.warning("index files not used (%s): the index is built in memory", exc)
            return (Matcher.from_store(store) if want_matcher else None), None
    if folder.exists():
        try:
            return _open_existing(folder, key, want_matcher)
        except IndexFileError as exc:
            log.warning("index not used, rebuilt: %s", exc)
    else:
        _say_stale(root, key)
    try:
        _make_private(root)
        with _locked(root):
            return _build_locked(store, root, key, want_matcher)
    except (OSError, IndexFileError) as exc:
        log.warning("index files not written at %s (%s): the index is built in memory",
                    root, exc)
        return (Matcher.from_store(store) if want_matcher else None), None


def _build_locked(store: Store, root: Path, key: str, want_matcher: bool,
                  ) -> tuple[Matcher | None, Path | None]:
    """Under the store's lock: open what another process built meanwhile, else build."""
    folder = root / key
    if folder.exists():
        try:
            return _open_existing(folder, key, want_matcher)
        except IndexFileError:
            _discard(folder)  # already logged by the caller, or damaged since: rebuilt
    _clear_leftovers(root)
    started = time.perf_counter()
    # No collector passes from the build to the built matcher's end: its millions of
    # containers are no garbage, and the first pass after the build would walk them all
    # (seconds at a million entities) just before they are written and let go.
    with collector_paused():
        # what is written besides the matcher made meanwhile (in other processes when the
        # build forks): the lookup of the entities, and the prepared names packed
        matcher = Matcher.from_store(store, beside=Beside(
            entities=(lookup.ATTRIBUTE, lookup.build), names=(_PACKED_NAMES, PackedNames.pack)))
        built = time.perf_counter() - started
        if index_key(store) != key:  # the lists or links changed during the build
            log.info("the store changed while the index was built: not written (built in "
                     "memory)")
            return (matcher if want_matcher else None), None
        save(matcher, folder, key)
        log.info("index built in %.1f s and written (%d entities): %s", built, len(matcher),
                 folder)
        del matcher  # the mapped one instead: its pages are shared with every other process
    _prune(root, key)
    if not want_matcher:
        return None, folder
    return _timed_load(folder, key), folder


def _open_existing(folder: Path, key: str, want_matcher: bool,
                   ) -> tuple[Matcher | None, Path | None]:
    """An index folder that is there: opened (``want_matcher``) or only checked; raises
    :class:`IndexFileError` when it is not to be used (the caller rebuilds it)."""
    if not want_matcher:
        _verify(folder, key)
        return None, folder
    return _timed_load(folder, key), folder


def _timed_load(folder: Path, key: str) -> Matcher:
    started = time.perf_counter()
    matcher = load(folder, key)
    log.info("index opened in %.2f s: %s", time.perf_counter() - started, folder)
    return matcher


def _verify(folder: Path, key: str) -> None:
    """The checks :func:`load` makes, without reading the pickle (what a builder needs)."""
    _check_files(folder, _manifest(folder, key)["files"], full=False)


def _say_stale(root: Path, key: str) -> None:
    """One line when the store has indexes, but none for its present state."""
    others = _generations(root)
    if others:
        log.info("index %s is for other list versions (stale): building the index of the "
                 "active versions (%s)", others[0], key[:12])


def _generations(root: Path) -> list[Path]:
    """The store's index folders, newest first."""
    try:
        found = [p for p in root.iterdir() if _KEY.match(p.name) and p.is_dir()]
    except OSError:
        return []

    def made(path: Path) -> float:
        try:
            return (path / MANIFEST).stat().st_mtime
        except OSError:
            return 0.0

    return sorted(found, key=made, reverse=True)


def _prune(root: Path, current: str) -> None:
    """Keep the newest :data:`KEEP` indexes (the current one among them). A process that
    has an older one open keeps reading its mapped files (unlinked, not gone)."""
    kept = 1
    for path in _generations(root):
        if path.name == current:
            continue
        if kept < KEEP:
            kept += 1
            continue
        _discard(path)


def _discard(folder: Path) -> None:
    """Move a folder aside (atomic), then delete it."""
    trash = folder.with_name(f".trash-{folder.name[:16]}-{os.getpid()}-{time.time_ns()}")
    try:
        os.rename(folder, trash)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise
        return
    shutil.rmtree(trash, ignore_errors=True)


def _clear_leftovers(root: Path) -> None:
    """Folders a builder that died left (under the lock no other builder is writing)."""
    for path in root.iterdir():
        if path.name.startswith((".tmp-", ".trash-")) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One builder per store at a time (an advisory lock on ``root/.lock``)."""
    fd = os.open(root / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock

"""A long sequence kept as two arrays, each item's bytes one after another and where each
begins: an item becomes an object only when read. What the persisted index maps from its
files (pickled items, ``persist.PackedList``) and what a build from a store keeps (stored
JSON, ``matcher.EntityRecords``) share this; each says only how one item is decoded."""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar, overload

import numpy as np
import numpy.typing as npt

from discreet.match._rows import Kept, Reader

__all__ = ["DECODED", "ONCE", "Packed"]

DECODED = 8192  # items a packed sequence keeps decoded, the latest read (results repeat)
ONCE = 8192  # items read once remembered (by number), at least: a second read keeps one

T = TypeVar("T")


class Packed(Kept, Sequence[T]):
    """Items as ``blob`` (their bytes) and ``offsets`` (one more than items); of the items
    read again (their first read among the last :data:`ONCE` at least), the last
    :data:`DECODED` read are kept (the one read least lately makes room: a hot item, a list
    name that many queries meet, stays). Subclasses decode one item (:meth:`_decode`).

    An item read once is not kept: most result entities and names of a new query are read
    by no later query (96% of entities, 86% of names, on a million entities), and a kept
    one is a dozen or more objects the cycle collector walks (in its young pass, then its
    middle one, then each full pass until it makes room): for new queries that cost more
    than decoding the few items read again twice. Its number is remembered instead, with
    the reads so far, in a dict of ints (untracked by the collector: no container in it).
    A subclass may keep an item only at a later read (:attr:`_kept_at`): what else reads
    its items than the queries' results may read each once more (a benchmark that takes
    its queries from the entities it screens them against).

    A read of an item by its number (``packed[i]``, most reads) is compiled
    (``_rows.Kept``, the base holding what is kept): every other subscript is
    :meth:`_other`'s."""

    __slots__ = ("_at", "_blob", "_offsets", "_view")
    _what = "item"  # what an index out of range names
    _kept_at = 2  # the read (among the latest) that keeps an item decoded: the second

    def __init__(self, blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> None:
        self._blob = blob
        self._offsets = offsets
        # the same two arrays as memoryviews, which a decoding reads: item i's bytes are
        # ``_view[_at[i]:_at[i + 1]]`` (plain ints and a slice, no numpy scalars or views)
        self._view = blob.data
        self._at = offsets.data
        self._size = len(offsets) - 1
        self._decoded: OrderedDict[int, T] = OrderedDict()
        # the numbers of the items read lately and not kept, with their reads so far: the
        # latest (up to ONCE), and the ONCE before them (a read finds an item in either; the
        # older goes when the latest fills)
        self._once: dict[int, int] = {}
        self._before: dict[int, int] = {}
        # what decodes item i when a subclass has a compiled reader of its own (its
        # _decode only calls it): called in place of _decode, no Python call for a read
        self._make: Reader | None = None
        self._limits = globals()  # (DECODED and ONCE, read where they are: tests set them)

    def __len__(self) -> int:
        return self._size

    def _decode(self, i: int) -> T:
        raise NotImplementedError

    if TYPE_CHECKING:  # (Kept's compiled read at run time)
        @overload
        def __getitem__(self, index: int) -> T: ...

        @overload
        def __getitem__(self, index: slice) -> list[T]: ...

        def __getitem__(self, index: int | slice) -> T | list[T]: ...

    def _other(self, index: int | slice) -> T | list[T]:
        """A read by another subscript than an item's number: a slice, a negative number,
        a number of another type (numpy's), one out of range (an IndexError)."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = operator.index(index)  # (a TypeError for what is no number)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"{self._what} index out of range")
        return self[i]

    def __iter__(self) -> Iterator[T]:
        """Every item decoded in turn (not kept: a full pass does not fill the memory)."""
        for i in range(len(self)):
            found = self._decoded.get(i)
            yield self._decode(i) if found is None else found

    def __reduce__(self) -> tuple[object, ...]:
        return type(self), (self._blob, self._offsets)

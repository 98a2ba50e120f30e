"""Type stub of the compiled records' fill (``_rows.pyx``)."""

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

class Slots:
    cls: type
    def __init__(self, cls: type, names: tuple[str, ...],
                 empties: tuple[type | None, ...] | None = None,
                 coded: tuple[bool, ...] | None = None) -> None: ...
    def __call__(self, values: tuple[Any, ...] | list[Any]) -> Any: ...
    def many(self, rows: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]: ...

class Rows:
    words: tuple[str, ...]
    def __init__(self, slots: Slots, records: dict[int, Slots], check: int,
                 checked: frozenset[str], words: tuple[str, ...] = (),
                 listed: tuple[int, ...] = ()) -> None: ...
    def __call__(self, row: tuple[Any, ...]) -> Any: ...

class Reader:
    maker: Slots | Rows
    def __init__(self, maker: Slots | Rows, blob: npt.NDArray[np.uint8],
                 offsets: npt.NDArray[np.int64]) -> None: ...
    def __call__(self, i: int) -> Any: ...

class Kept:
    _decoded: OrderedDict[int, Any]
    _once: dict[int, int]
    _before: dict[int, int]
    _make: Reader | None
    _size: int
    _limits: dict[str, Any]

class Texts:
    def __init__(self, blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> None: ...
    def __len__(self) -> int: ...
    def __call__(self, i: int) -> str: ...
    def many(self, positions: Iterable[int]) -> list[str]: ...

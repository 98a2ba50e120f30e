"""What every parser module provides, and what it reports about the file it reads.

A parser is a module-level object with a format name, a ``sniff`` that recognises its
format from the first bytes (and the file name as a hint only), and a ``parse`` that takes a
binary handle and lazily yields :class:`~discreet.model.Entity` objects. Formats that come
as a set of sibling files (OFAC's CSVs) override ``read``, the one place that knows paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from discreet.model import Entity

__all__ = ["HEAD_BYTES", "ListMeta", "Parser"]

# How much of a file sniffing (and an XML declaration check) reads: 64 KiB.
HEAD_BYTES = 65536


@dataclass(slots=True)
class ListMeta:
    """Facts about one published file, filled in by its parser as it reads.

    ``dataset`` is the default source name (OpenSanctions' naming: ``us_ofac_sdn``,
    ``un_sc_sanctions``…); ``published`` is the file's own publication date (ISO), when the
    file states one.
    """

    file_name: str
    format: str = ""
    dataset: str = ""
    authority: str = ""
    published: str | None = None
    record_count: int | None = None  # what the file says it holds, when it says
    # SHA-256 of the file's bytes when the reading hashed them as it went (a big FtM file
    # cut into chunks); empty: the loader reads the file once more for it
    sha256: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # Problems that do not stop the load but must not pass silently (``load --json`` counts).
    warnings: list[str] = field(default_factory=list)


class Parser:
    """Base of every format parser; subclasses set ``format`` and implement two methods."""

    format: str = ""
    title: str = ""  # one line for ``discreet load --help`` and the docs

    def sniff(self, head: bytes, file_name: str) -> bool:
        """True when ``head`` (the first 64 KiB, BOM stripped) is this format."""
        raise NotImplementedError

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Yield the file's entities; fill ``meta`` (dataset, published…) as they are read."""
        raise NotImplementedError

    def read(self, path: Path, meta: ListMeta) -> Iterator[Entity]:
        """Open ``path`` and parse it; formats made of several files override this."""
        with path.open("rb") as handle:
            yield from self.parse(handle, meta)

"""The frame of a list published as one XML document: known by its root, read as a stream.

Every such parser does the same three things: it recognises the file by its root element,
stamps the meta (format, dataset, authority), and streams the file one element at a time,
so that a large list never sits in memory whole. What differs is which elements it reads
and what each one gives; a subclass states that, and :meth:`XmlListParser.parse` is written
once here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, ClassVar, Generic, TypeVar

from lxml import etree

from discreet.model import Entity
from discreet.sources.common.base import ListMeta, Parser
from discreet.sources.common.xml_safe import iter_records, local

__all__ = ["StatelessXmlListParser", "XmlListParser"]

State = TypeVar("State")


class XmlListParser(Parser, Generic[State]):
    """A list that is one XML document whose ``entries`` are each one listed entity.

    ``headers`` are the other elements read: what describes the file (its date, its record
    count) or a dictionary the entries refer to. :meth:`start` makes the state one file is
    read with (fresh for each file), which headers may fill and entries read.
    """

    root: ClassVar[re.Pattern[bytes]]  # found in the file's first bytes when it is this format
    authority: ClassVar[str]
    dataset: ClassVar[str] = ""
    entries: ClassVar[frozenset[str]]  # local names
    headers: ClassVar[frozenset[str]] = frozenset()

    def sniff(self, head: bytes, file_name: str) -> bool:
        """Decided by the root element in the content; the file name is not consulted."""
        return self.root.search(head) is not None

    def dataset_for(self, file_name: str) -> str:
        """The dataset the file holds, as far as is known before reading it."""
        return self.dataset

    def start(self, meta: ListMeta) -> State:
        """The state one file is read with."""
        raise NotImplementedError

    def read_root(self, root: etree._Element, meta: ListMeta) -> None:
        """The root element as it opens (its attributes only: nothing inside it is read yet)."""

    def read_header(self, element: etree._Element, meta: ListMeta, state: State) -> None:
        """One of ``headers``, complete."""

    def read_entry(self, element: etree._Element, meta: ListMeta, state: State) -> Entity:
        """One of ``entries``, complete, as an Entity (a defect raises ParseError)."""
        raise NotImplementedError

    def parse(self, handle: IO[bytes], meta: ListMeta) -> Iterator[Entity]:
        """Yield one Entity per entry, in file order, holding one entry at a time."""
        meta.format, meta.authority = self.format, self.authority
        meta.dataset = self.dataset_for(meta.file_name)
        state = self.start(meta)

        def on_root(root: etree._Element) -> None:
            self.read_root(root, meta)

        wanted = self.entries | self.headers
        for element in iter_records(handle, meta.file_name, wanted, on_root):
            if local(element) in self.headers:
                self.read_header(element, meta, state)
            else:
                yield self.read_entry(element, meta, state)


class StatelessXmlListParser(XmlListParser[None]):
    """An XML list whose entries are read on their own, with no state across the file."""

    def start(self, meta: ListMeta) -> None:
        return None

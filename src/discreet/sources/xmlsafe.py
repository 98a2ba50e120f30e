"""Streaming, hostile-input-proof XML reading for every XML parser.

Official lists never carry a DTD; a file that declares one (XXE, billion laughs) is refused
before anything is expanded. Namespaces are ignored because OFAC changed them in 2024:
callers match on local names.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import IO

from lxml import etree

from discreet.errors import ParseError, UnsafeInputError

__all__ = ["children", "iter_records", "local", "text", "texts"]

HEAD_BYTES = 65536


def local(element: etree._Element) -> str:
    """The element's tag without its namespace."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text(element: etree._Element | None, path: str | None = None) -> str | None:
    """Whitespace-collapsed text of the element, or of its first descendant named ``path``."""
    if element is None:
        return None
    if path is not None:
        element = next((e for e in element.iter() if local(e) == path and e is not element), None)
        if element is None:
            return None
    value = " ".join("".join(str(t) for t in element.itertext()).split())
    return value or None


def texts(element: etree._Element, name: str) -> list[str]:
    """Texts of every descendant with local name ``name`` (blank ones dropped)."""
    out = []
    for child in element.iter():
        if child is not element and local(child) == name:
            value = text(child)
            if value:
                out.append(value)
    return out


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Direct children with local name ``name``."""
    return [c for c in element if local(c) == name]


def _check_head(handle: IO[bytes], file_name: str) -> None:
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    if not head.strip():
        raise ParseError("the file is empty", file=file_name)
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise UnsafeInputError(
            "the XML declares a DTD or entities, which no official list does; refused "
            "(possible XXE or entity-expansion attack)", file=file_name)


def iter_records(
    handle: IO[bytes],
    file_name: str,
    record_tags: Collection[str],
    on_root: Callable[[etree._Element], None] | None = None,
) -> Iterator[etree._Element]:
    """Yield each complete element whose local name is in ``record_tags``, then free it.

    ``on_root`` sees the root element when it opens (its attributes, e.g. ``dateGenerated``).
    Malformed or truncated XML raises :class:`ParseError` with the file and line.
    """
    _check_head(handle, file_name)
    events = etree.iterparse(
        handle, events=("start", "end"), resolve_entities=False, load_dtd=False,
        no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)
    depth = 0
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    if element.getroottree().docinfo.internalDTD is not None:
                        raise UnsafeInputError("the XML declares a DTD; refused", file=file_name)
                    if on_root is not None:
                        on_root(element)
                continue
            depth -= 1
            if local(element) in record_tags:
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None and depth >= 1:
                    while element.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        msg = exc.msg or str(exc)
        if "Premature end" in msg or "not closed" in msg or "EndTag" in msg:
            msg = f"the XML is truncated or malformed ({msg})"
        raise ParseError(msg, file=file_name, line=line) from exc

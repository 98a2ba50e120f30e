"""Streaming, hostile-input-proof XML reading for every XML parser.

Official lists never carry a DTD; a file that declares one (XXE, billion laughs) is refused
before anything is expanded. Namespaces are ignored because OFAC changed them in 2024:
callers match on local names.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Collection, Iterator
from typing import IO

from lxml import etree

from discreet.errors import ParseError, UnsafeInputError
from discreet.sources.common.base import HEAD_BYTES
from discreet.sources.common.guard import MAX_FIELD_CHARS, check_field, one_line

__all__ = ["DTD_REFUSAL", "children", "declared_encoding", "declares_dtd", "iter_records",
           "local", "source_line", "text", "texts"]

DTD_REFUSAL = ("the XML declares a DTD or entities, which no official list does; refused "
               "(possible XXE or entity-expansion attack)")
_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")


def source_line(element: etree._Element) -> int | None:
    """The element's line in the file, when lxml knows it."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else None


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


def declares_dtd(head: bytes) -> bool:
    """True when the document's prolog (before the root element) holds a ``<!DOCTYPE``.

    Only the prolog can declare a DTD, so text that merely contains "<!DOCTYPE" (in CDATA, a
    comment, an attribute) is not one. A prolog longer than ``head``, or an encoding this
    byte scan cannot read (UTF-16 without a BOM…), is left to the parser-level check in
    :func:`iter_records`, which sees the declaration whatever the encoding.
    """
    text = head.removeprefix(codecs.BOM_UTF8)
    if text.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = text[: len(text) // 2 * 2].decode("utf-16", "ignore").encode("utf-8")
    pos, size = 0, len(text)
    while True:
        while pos < size and text[pos] in b" \t\r\n":
            pos += 1
        for opening, closing in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if text.startswith(opening, pos):
                end = text.find(closing, pos + len(opening))
                if end < 0:
                    return False
                pos = end + len(closing)
                break
        else:
            return text[pos:pos + 9].upper() in (b"<!DOCTYPE", b"<!ENTITY ")


def declared_encoding(head: bytes) -> str | None:
    """The encoding the XML declaration names, if any (``ISO-8859-1``, ``UTF-8``…)."""
    match = _DECLARATION.match(head.removeprefix(codecs.BOM_UTF8))
    return match[1].decode("ascii", "replace") if match else None


def _is_utf8(name: str) -> bool:
    return name.replace("-", "").replace("_", "").lower() in ("utf8", "usascii", "ascii")


def _check_encoding(handle: IO[bytes], head: bytes, file_name: str) -> None:
    """Refuse a file whose bytes are UTF-8 text but whose declaration names another charset.

    Read as declared, every non-ASCII name would come out garbled ("Ã©" for "é"). A file
    truly in ISO-8859-1 or cp1252 with accented letters is almost never valid UTF-8.
    """
    declared = declared_encoding(head)
    if declared is None or _is_utf8(declared) or declared.lower().startswith("utf-16"):
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    non_ascii = False
    try:
        for block in iter(lambda: handle.read(1 << 20), b""):
            non_ascii = non_ascii or not block.isascii()
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return  # really in the declared charset
    finally:
        handle.seek(0)
    if non_ascii:
        raise ParseError(f"the file declares encoding {one_line(declared, 30)} but its bytes "
                         "are UTF-8 text: read as declared, every non-ASCII name would be "
                         "garbled; refused (mislabelled or re-encoded file)", file=file_name)


def _check_head(handle: IO[bytes], file_name: str) -> None:
    """Refuse an empty file, a DTD and a mislabelled encoding before lxml reads anything."""
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    if not head.strip():
        raise ParseError("the file is empty", file=file_name)
    if declares_dtd(head):
        raise UnsafeInputError(DTD_REFUSAL, file=file_name)
    _check_encoding(handle, head, file_name)


def _check_root(element: etree._Element, file_name: str) -> None:
    """The parser-level DTD check: any doctype, internal subset or external id refuses."""
    info = element.getroottree().docinfo
    if info.internalDTD is not None or info.doctype or info.system_url or info.public_id:
        raise UnsafeInputError(DTD_REFUSAL, file=file_name)


def _check_sizes(element: etree._Element, file_name: str) -> None:
    """Refuse a record holding a text or attribute longer than any real list value."""
    for node in element.iter():
        where = local(node) or "text"
        check_field(node.text, file_name, where, source_line(node))
        for key, value in node.attrib.items():
            if len(value) > MAX_FIELD_CHARS:
                name = str(key).rsplit("}", 1)[-1]
                check_field(str(value), file_name, f"{where}@{name}", source_line(node))


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    """lxml's message on one line, without the excerpt of the file some messages carry."""
    msg = one_line(str(exc.msg or exc).split("\n", 1)[0], 120)
    msg = re.sub(r",? ?line \d+, column \d+$", "", msg).rstrip(" ,")
    if "limit exceeded" in msg.lower() or "huge" in msg.lower():
        return f"a value is larger than any real list value ({msg})"
    if "Premature end" in msg or "not closed" in msg or "EndTag" in msg:
        return f"the XML is truncated or malformed ({msg})"
    return f"malformed XML ({msg})"


def iter_records(
    handle: IO[bytes],
    file_name: str,
    record_tags: Collection[str],
    on_root: Callable[[etree._Element], None] | None = None,
) -> Iterator[etree._Element]:
    """Yield each complete element whose local name is in ``record_tags``, then free it.

    ``on_root`` sees the root element when it opens (its attributes, e.g. ``dateGenerated``).
    Malformed or truncated XML raises :class:`ParseError` with the file and line; a DTD
    (anywhere lxml sees one) raises :class:`UnsafeInputError`.
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
                    _check_root(element, file_name)
                    if on_root is not None:
                        on_root(element)
                continue
            depth -= 1
            if local(element) in record_tags:
                _check_sizes(element, file_name)
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None and depth >= 1:
                    while element.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ParseError(_syntax_message(exc), file=file_name, line=line) from exc

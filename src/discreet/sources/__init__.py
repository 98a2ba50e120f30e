"""Published list formats -> entities. One module per format; the format is found from content.

>>> meta, entities = open_list(Path("sdn.csv"))
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from functools import cache
from importlib import import_module
from pathlib import Path

from discreet.errors import ParseError, UnknownFormatError, UnsafeInputError
from discreet.model import Entity
from discreet.sources.common.base import HEAD_BYTES, ListMeta, Parser
from discreet.sources.common.guard import guard_entities, one_line
from discreet.sources.common.xml_safe import DTD_REFUSAL, declares_dtd

__all__ = ["FORMAT_MODULES", "ListMeta", "Parser", "detect", "open_list", "parsers"]

# Order matters only for sniffing: specific formats first, explicit-only ones last.
FORMAT_MODULES = (
    "us_ofac.enhanced_xml", "us_ofac.sdn_xml", "un.sc_xml", "eu.fsf_xml", "gb.fcdo_xml",
    "gb.fcdo_csv", "gb.ofsi_csv", "us_ofac.sdn_csv", "opensanctions.ftm_json",
    "ca.sema_xml", "au.dfat_xlsx", "customer.watchlist_csv",
)


@cache
def parsers() -> dict[str, Parser]:
    """Every format's parser, by format name."""
    found: dict[str, Parser] = {}
    for module in FORMAT_MODULES:
        parser: Parser = import_module(f"discreet.sources.{module}").PARSER
        found[parser.format] = parser
    return found


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return head[len(codecs.BOM_UTF8):]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Sniffers read bytes as UTF-8; lxml itself reads the UTF-16 file as declared.
        return head[: len(head) // 2 * 2].decode("utf-16", "ignore").encode("utf-8")
    return head


def describe(head: bytes) -> str:
    """What a file that is not a list looks like: said in the refusal message."""
    text = head.lstrip()[:2000].decode("utf-8", "replace")
    if not text:
        return "the file is empty (0 bytes or only whitespace)"
    if re.search(r"<html|<!doctype html|<body", text, re.I):
        return "the file is an HTML page, not a list (an error or login page?)"
    error = re.search(r"<Error>\s*<Code>([^<]*)</Code>(?:\s*<Message>([^<]*))?", text)
    if error:
        said = one_line(f"{error[1]}: {error[2] or ''}".strip(" :"), 100)
        return f"the file is an error response ({said}), not a list"
    root = re.search(r"<([A-Za-z_][\w.:-]*)[\s>/]", re.sub(r"<\?.*?\?>|<!--.*?-->", "", text,
                                                           flags=re.S))
    if text.startswith("<") and root:
        return f"the XML root element <{one_line(root[1], 60)}> is not one of a known list format"
    return "the content matches no known list format"


def detect(path: Path) -> Parser:
    """The parser whose format the file's content is; UnknownFormatError says what it is instead."""
    head = _head(path)
    if re.search(rb"<!doctype html|<html", head[:4096], re.I):
        raise UnknownFormatError(f"{path.name}: {describe(head)}")
    if declares_dtd(head):
        raise UnsafeInputError(DTD_REFUSAL, file=path.name)
    if head.strip():
        for parser in parsers().values():
            if parser.sniff(head, path.name):
                return parser
    raise UnknownFormatError(f"{path.name}: {describe(head)}")


def open_list(path: Path, fmt: str = "auto",
              extra: dict[str, str] | None = None) -> tuple[ListMeta, Iterator[Entity]]:
    """Detect (or take) the format and start reading; ``meta`` is complete once drained."""
    if not path.is_file():
        raise ParseError("no such file", file=str(path))
    if fmt == "auto":
        parser = detect(path)
    elif fmt in parsers():
        parser = parsers()[fmt]
        if path.stat().st_size == 0:
            raise ParseError("the file is empty (0 bytes)", file=path.name)
    else:
        known = ", ".join(sorted(parsers()))
        raise UnknownFormatError(f"unknown format {fmt!r}; known formats: auto, {known}")
    meta = ListMeta(file_name=path.name, format=parser.format, extra=dict(extra or {}))
    return meta, guard_entities(parser.read(path, meta), meta)

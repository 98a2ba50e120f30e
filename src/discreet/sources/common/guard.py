"""Checks every parser shares against hostile or damaged input: caps, garbling, one-line messages.

A list file comes from outside: it may be cut short, re-encoded, or built to exhaust the
loader. Whatever a parser reads passes through :func:`guard_entities` (``open_list`` applies
it), which refuses absurd values (a "name" of megabytes) and counts names that read as
mis-decoded text, so that nothing bad is stored silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from discreet.errors import ParseError
from discreet.model import Entity
from discreet.sources.common.base import ListMeta

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_NAME_CHARS",
    "NameCheck",
    "check_field",
    "garbled",
    "guard_entities",
    "one_line",
]

# A name longer than this is not a name (the longest real ones are a few hundred characters:
# OFAC caps SDN_Name at 350). Generous, so that no real entry is ever refused.
MAX_NAME_CHARS = 2000
# Any other single value (remarks, statements of reasons): the csv module's own default limit.
MAX_FIELD_CHARS = 131072

# Garbled names in at least this many and this share of all names refuse the file: a
# re-encoded list, not the odd mis-typed name real lists carry.
GARBLED_REFUSE_MIN = 20
GARBLED_REFUSE_SHARE = 0.02

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# UTF-8 bytes read as Latin-1 or cp1252: a lead byte (Â Ã Ä Å Ð Ñ Ø Ù Ú Û) then a continuation
# byte (U+0080–U+00BF, or the cp1252 letters the bytes 0x80–0x9F become).
_MOJIBAKE = re.compile("[\u00c2-\u00c5\u00d0-\u00db][\u0080-\u00bf\u20ac\u201a\u0192\u201e"
                       "\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019"
                       "\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e"
                       "\u0178]")
# A UTF-7 shifted run ("+BB8EQwRC-") left undecoded.
_UTF7 = re.compile(r"(?<![A-Za-z0-9])\+([A-Za-z0-9/+]{3,})-?")


def one_line(text: str, limit: int = 160) -> str:
    """``text`` without line breaks or control characters, cut to ``limit`` characters.

    Refusal messages quote the file only through this: one line, no raw excerpts.
    """
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def garbled(value: str) -> str | None:
    """Why ``value`` reads as mis-decoded text ("UTF-8 read as Latin-1", "UTF-7"), or None."""
    if _MOJIBAKE.search(value):
        return "UTF-8 read as Latin-1/cp1252"
    for run in _UTF7.finditer(value):
        try:
            decoded = f"+{run[1]}-".encode("ascii").decode("utf-7")
        except UnicodeDecodeError:
            continue
        if not decoded.isascii():
            return "UTF-7"
    return None


def check_field(value: str | None, file: str, field: str, line: int | None = None,
                limit: int = MAX_FIELD_CHARS) -> None:
    """Refuse one value longer than ``limit`` characters (a damaged or hostile file)."""
    if value is not None and len(value) > limit:
        raise ParseError(f"value of {len(value):,} characters, over the limit of {limit:,}: "
                         "not a real list entry (damaged or hostile file)",
                         file=file, line=line, field=field)


def guard_entities(entities: Iterator[Entity], meta: ListMeta) -> Iterator[Entity]:
    """Pass the parser's entities through, refusing oversized names and counting odd ones.

    Nameless entities (they can never match) and garbled names become warnings in
    ``meta.warnings``; when many names are garbled the file is refused: it was re-encoded or
    mislabelled (xml_safe refuses the clearest case, UTF-8 bytes declared as another charset,
    before reading).
    """
    check = NameCheck(meta.file_name)
    for entity in entities:
        check.entity(entity)
        yield entity
    check.report(meta)


class NameCheck:
    """What :func:`guard_entities` counts of the names it passes: the checks of one entity
    (:meth:`entity`), the tally of a part of a file (a worker's chunk) added to the tally
    of the part before it (:meth:`merge`), and the verdict at the end (:meth:`report`)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.total = 0  # names
        self.nameless = 0
        self.first_nameless = ""
        self.garbled: dict[str, tuple[str, int]] = {}  # why -> (first name, how many)

    def entity(self, entity: Entity) -> None:
        """Refuse an oversized name of ``entity``; count its garbled names, or it as nameless."""
        self.total += len(entity.names)
        for name in entity.names:
            check_field(name.value, self.file, "name", limit=MAX_NAME_CHARS)
            why = garbled(name.value)
            if why:
                first, count = self.garbled.get(why, (name.value, 0))
                self.garbled[why] = (first, count + 1)
        if not entity.names:
            if not self.nameless:
                self.first_nameless = entity.id
            self.nameless += 1

    def merge(self, later: NameCheck) -> None:
        """Add the tally of the part of the file that follows this one."""
        self.total += later.total
        if later.nameless and not self.nameless:
            self.first_nameless = later.first_nameless
        self.nameless += later.nameless
        for why, (value, count) in later.garbled.items():
            first, held = self.garbled.get(why, (value, 0))
            self.garbled[why] = (first, held + count)

    def report(self, meta: ListMeta) -> None:
        """Warnings for nameless entities and garbled names; refuse a file with many."""
        file = self.file
        if self.nameless:
            meta.warnings.append(f"{file}: {self.nameless} entities have no name and can "
                                 f"never match (first: {one_line(self.first_nameless, 60)})")
        for why, (value, count) in self.garbled.items():
            sample = one_line(value, 60)
            if count >= max(GARBLED_REFUSE_MIN, self.total * GARBLED_REFUSE_SHARE):
                raise ParseError(f"{count} of {self.total} names look garbled ({why}, e.g. "
                                 f"{sample!r}): the file was re-encoded or mislabelled; "
                                 "refused", file=file)
            meta.warnings.append(f"{file}: {count} names look garbled ({why}, e.g. "
                                 f"{sample!r})")

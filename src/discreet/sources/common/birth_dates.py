"""Birth dates written as free text in list files: alternatives, ranges, "approximately".

Canada and Australia write a birth date cell the way an analyst types it: ``1965-04-29``,
``1972-08-10 or 1972-08-11``, ``a) 01/02/1960; b) 1961``, ``Approximately 1955- 1958``,
``Between 1960 and 1962``, ``born in the early 1970s``, ``Sep-99``. Each alternative is read
by :func:`discreet.text.dates.parse_date` (the one reader of dates as people write them),
with the list's own date order; what it cannot read is returned as text so that the parser
keeps it (as a remark) instead of dropping it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from discreet.model import DateSpec
from discreet.text.dates import MONTHS, parse_date

__all__ = ["ReadDates", "read_birth_dates"]

_APPROX = re.compile(r"^(?:approximately|approx\.?|circa|about|around|ca\.|c\.)\s*", re.I)
_LABEL = re.compile(r"^(?:alt(?:ernative)?\.?\s*)?(?:dob|date of birth)\s*:?\s*", re.I)
# "a) … b) …" enumerations, ";" lists and "or" between alternatives.
_SPLIT = re.compile(r"(?<![^\s;,])\(?[a-z]\)\s*|;|>>|\s+or\s+|\s{3,}", re.I)
_RANGE = re.compile(r"^(?:between\s+)?(\d{4})\s*(?:-|–|/|to|and)\s*(\d{4})$", re.I)
_DECADE = re.compile(r"^(?:born\s+in\s+)?(?:the\s+)?(early|mid|late)?[\s-]*(\d{3})0'?s$", re.I)
_MONTH_YY = re.compile(r"^([A-Za-z]{3,9})\.?[-\s](\d{2})$")
_DECADE_PART = {"early": (0, 4), "mid": (3, 7), "late": (6, 9), None: (0, 9)}


@dataclass(slots=True)
class ReadDates:
    """The dates read from one cell, and the alternatives that are no date (kept as text)."""

    dates: list[DateSpec] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def _two_digit_years(yy: str) -> list[int]:
    """19yy, and 20yy too when that is not in the future (a birth date)."""
    recent = 2000 + int(yy)
    return [1900 + int(yy)] + ([recent] if recent <= dt.date.today().year else [])


def _one(text: str, order: str) -> list[DateSpec]:
    """One alternative as dates (empty when it is no date)."""
    text = _LABEL.sub("", text)
    approximate = bool(_APPROX.match(text))
    text = _APPROX.sub("", text).strip(" .,")
    if match := _RANGE.match(text):
        low, high = match[1], match[2]
        if low == high:
            return [DateSpec(low, None, approximate)]
        return [DateSpec(low, high, approximate)] if low < high else []
    if match := _DECADE.match(text):
        first, last = _DECADE_PART[match[1].lower() if match[1] else None]
        decade = int(match[2]) * 10
        return [DateSpec(str(decade + first), str(decade + last), True)]
    if (match := _MONTH_YY.match(text)) and match[1].lower() in MONTHS:
        month = MONTHS[match[1].lower()]
        return [DateSpec(f"{year:04d}-{month:02d}", None, approximate)
                for year in _two_digit_years(match[2])]
    written = parse_date(text, order)
    return [DateSpec(reading, None, approximate) for reading in written.readings]


def read_birth_dates(text: str | None, order: str) -> ReadDates:
    """Every date a birth-date cell states; ``order`` (``YMD``, ``DMY``) settles ``01/02/1960``."""
    out = ReadDates()
    value = " ".join((text or "").replace("\n", "   ").split(" "))
    for piece in _SPLIT.split(value):
        piece = " ".join(piece.split()).strip(" ,;.")
        if not piece:
            continue
        found = _one(piece, order)
        if not found and "(" in piece:  # "5 Feb. 1970 (this aka only, alt born …)"
            found = _one(piece.split("(", 1)[0].strip(" ,;."), order)
            out.unread.append(piece)  # the note is kept as written
        elif not found:
            out.unread.append(piece)
        out.dates.extend(d for d in found if d not in out.dates)
    return out

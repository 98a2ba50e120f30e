"""Value cleaning shared by the parsers: dates, genders, joined text.

Every source spells these differently; normalising them here keeps each parser about its
format's structure, and makes the same fact look the same whichever list states it.
Blanks are :func:`discreet.text.cells.clean`'s and countries :mod:`discreet.text.countries`'
(screening reads queries with them too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from hijridate import Hijri

from discreet.model import DateSpec
from discreet.text.cells import clean

__all__ = [
    "MONTHS",
    "gender",
    "hijri_to_iso",
    "iso_date",
    "join_clean",
    "parse_dmy",
    "parse_free_date",
    "parse_mdy",
]

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def join_clean(parts: Iterable[str | None], sep: str = ", ") -> str | None:
    """Join the non-blank, whitespace-collapsed parts; None when all are blank."""
    kept = [c.strip(" ,;") for c in (clean(p) for p in parts) if c and c.strip(" ,;")]
    return sep.join(kept) or None


def gender(text: str | None) -> str | None:
    """``male`` / ``female`` from M, F, Male, Female, Masculin…; None for anything else."""
    value = (clean(text) or "").lower()
    if value in ("m", "male", "masculin", "man"):
        return "male"
    if value in ("f", "female", "féminin", "feminin", "woman"):
        return "female"
    return None


def iso_date(text: str | None) -> str | None:
    """The date part of an ISO date or datetime (``2025-01-10T00:00:00`` -> ``2025-01-10``)."""
    value = clean(text)
    if value is None:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def parse_mdy(text: str | None) -> str | None:
    """OFAC's ``MM/DD/YYYY`` as ISO."""
    value = clean(text)
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return None


def parse_dmy(text: str | None) -> DateSpec | None:
    """UK ``dd/mm/yyyy`` with ``00`` or literal ``dd``/``mm`` for unknown parts, or bare YYYY."""
    value = clean(text)
    if value is None:
        return None
    match = re.fullmatch(r"(\d{1,2}|dd|DD)/(\d{1,2}|mm|MM)/(\d{4})", value)
    if match is None:
        year = re.fullmatch(r"\d{4}", value)
        return DateSpec(value) if year else None
    day, month, year_text = match.groups()
    if not month.isdigit() or int(month) == 0:
        return DateSpec(year_text)
    if not day.isdigit() or int(day) == 0:
        return DateSpec(f"{year_text}-{int(month):02d}")
    try:
        return DateSpec(date(int(year_text), int(month), int(day)).isoformat())
    except ValueError:
        return DateSpec(year_text)


def _one_free_date(text: str) -> str | None:
    text = text.strip().strip(".,")
    if re.fullmatch(r"\d{4}", text):
        return text
    if iso := iso_date(text):
        return iso
    match = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", text)
    if match and match[2].lower() in MONTHS:
        month = MONTHS[match[2].lower()]
        if match[1] is None:
            return f"{match[3]}-{month:02d}"
        try:
            return date(int(match[3]), month, int(match[1])).isoformat()
        except ValueError:
            return f"{match[3]}-{month:02d}"
    if dmy := parse_dmy(text):
        return dmy.start
    return None


def parse_free_date(text: str | None) -> DateSpec | None:
    """OFAC's free-text dates: ``1962``, ``28 Jul 1963``, ``circa 1957``, ``1967 to 1969``."""
    value = clean(text)
    if value is None:
        return None
    approximate = bool(re.match(r"(circa|approximately|approx\.?|about|ca\.)\s+", value, re.I))
    if approximate:
        value = re.sub(r"^(circa|approximately|approx\.?|about|ca\.)\s+", "", value, flags=re.I)
    parts = re.split(r"\s+(?:to|-|–)\s+|(?<=\d{4})-(?=\d{4})", value)
    if len(parts) == 2:
        start, end = _one_free_date(parts[0]), _one_free_date(parts[1])
        if start and end:
            return DateSpec(start, end, approximate)
    single = _one_free_date(value)
    return DateSpec(single, None, approximate) if single else None


def hijri_to_iso(year: int, month: int | None, day: int | None) -> str | None:
    """Gregorian ISO date (or year) for a Hijri date, with the Umm al-Qura calendar."""
    try:
        if month and day:
            return str(Hijri(year, month, day).to_gregorian().isoformat())
        start = Hijri(year, month or 1, 1).to_gregorian()
        return str(start.year)
    except (ValueError, OverflowError):
        return None

"""Identifier and language values of the OFSI ConList rows.

The 2014 layout puts passports and national IDs in free text ("(1) 28642163 (German) issued
by the city of Hamburg (2) …"); the 2022 layout adds a number column beside the details.
Both are reduced here to :class:`~discreet.model.Identifier` records with the text as note.
"""

from __future__ import annotations

import re

import pycountry

from discreet.model import Identifier
from discreet.text.cells import clean
from discreet.text.countries import country_code

__all__ = ["identifiers", "language_code", "split_identifiers"]

# (number column, details column, identifier type); a layout lacks some columns.
ID_COLUMNS = (
    ("Passport Number", "Passport Details", "passport"),
    ("National Identification Number", "National Identification Details", "national_id"),
    (None, "NI Number", "national_id"),
)


def language_code(text: str | None) -> str | None:
    """ISO 639 code (two letters where one exists) for a language name such as ``Russian``."""
    value = clean(text)
    if value is None:
        return None
    try:
        found = pycountry.languages.lookup(value)
    except LookupError:
        return None
    code = getattr(found, "alpha_2", None) or getattr(found, "alpha_3", None)
    return str(code) if code else None


def _one(piece: str, id_type: str, label: str, note: str | None) -> Identifier | None:
    text = clean(piece)
    if text is None:
        return None
    tokens = [t.strip("(),.;:") for t in text.split()]
    value = next((t for t in tokens if any(ch.isdigit() for ch in t)), text)
    country = None
    for inner in re.findall(r"\(([^()]*)\)", text):
        country = country_code(inner)
        if country:
            break
    extra = note if note and note != text else None
    full_note = text if value != text else None
    joined = "; ".join(n for n in (full_note, extra) if n) or None
    return Identifier(id_type, value, country, label, joined)


def split_identifiers(text: str | None, id_type: str, label: str,
                      note: str | None = None) -> list[Identifier]:
    """Identifiers from ``(1) … (2) …`` free text: the first token with a digit is the value."""
    value = clean(text)
    if value is None:
        return []
    pieces = [p for p in re.split(r"\(\d+\)", value) if p.strip()]
    found = (_one(p, id_type, label, note) for p in pieces)
    return [i for i in found if i is not None]


def identifiers(row: dict[str, str]) -> list[Identifier]:
    """Passport and national ID identifiers of one ConList row, in either layout."""
    out: list[Identifier] = []
    for number_col, details_col, id_type in ID_COLUMNS:
        number = row.get(number_col) if number_col else None
        details = clean(row.get(details_col))
        if number_col and clean(number):
            out.extend(split_identifiers(number, id_type, number_col, details))
        elif details:
            out.extend(split_identifiers(details, id_type, details_col))
    return out

"""Structured facts out of OFAC's free-text Remarks (the legacy CSV's 12th column).

In the delimited files every fact beyond name, type and programme (birth dates, IDs, weak
aliases, links…) lives in one ``;``-separated Remarks string. The whole text is kept once in
``entity.remarks`` so nothing is lost; the segments recognised here are added as fields too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from discreet.model import Entity, Identifier, Link, NameKind
from discreet.sources.common.values import gender, parse_free_date
from discreet.text.countries import country_code

__all__ = ["apply_remarks", "apply_segment", "parse_identifier", "split_remarks",
           "strip_terminator"]

# Identifier labels (OFAC's wording, longest first where one is a prefix of another).
ID_LABELS: tuple[tuple[str, str], ...] = (
    ("Vessel Registration Identification IMO", "imo"),
    ("Digital Currency Address - [A-Z0-9]+", "crypto"),
    ("SWIFT/BIC", "swift_bic"),
    ("(?:Diplomatic |Service )?Passport(?: No\\.?)?", "passport"),
    ("National ID No\\.", "national_id"),
    ("Cedula No\\.", "national_id"),
    ("C\\.U\\.R\\.P\\.", "national_id"),
    ("D\\.N\\.I\\.", "national_id"),
    ("SSN", "national_id"),
    ("Identification Number", "national_id"),
    ("Personal ID Card", "national_id"),
    ("Tax ID No\\.", "tax_id"),
    ("R\\.?F\\.?C\\.?", "tax_id"),
    ("NIT #", "tax_id"),
    ("RUC #", "tax_id"),
    ("V\\.A\\.T\\. Number", "tax_id"),
    ("Business Registration Number", "registration"),
    ("Business Registration Document #", "registration"),
    ("Registration (?:ID|Number)", "registration"),
    ("(?:UK )?Company Number", "registration"),
    ("Commercial Registry Number", "registration"),
    ("Chamber of Commerce Number", "registration"),
    ("Unified Social Credit Code \\(USCC\\)", "registration"),
    ("Legal Entity Number", "registration"),
    ("Government Gazette Number", "registration"),
    ("Trade License No\\.", "registration"),
    ("Central Registration System Number", "registration"),
    ("Folio Mercantil No\\.?", "registration"),
    ("Matricula Mercantil No\\.?", "registration"),
    ("C\\.R\\. No\\.", "registration"),
    ("MMSI", "other"),
    ("Aircraft Manufacturer's Serial Number \\(MSN\\)", "other"),
    ("Aircraft Tail Number", "other"),
    ("ISIN", "other"),
    ("D-U-N-S Number", "other"),
    ("Birth Certificate Number", "other"),
    ("Electoral Registry No\\.", "other"),
)
_ID_RE = re.compile(
    r"^(?:alt\. )?(?P<label>" + "|".join(f"(?:{p})" for p, _ in ID_LABELS) + r")\s+(?P<rest>\S.*)$"
)
_ID_TYPES = [(re.compile(f"^(?:{p})$"), t) for p, t in ID_LABELS]
_ALT = r"^(?:alt\. )?"
_PROPS = {"Website": "website", "Email Address": "email", "Phone Number": "phone",
          "Telephone(?: No\\.| Number)?": "phone"}
# Abbreviations that end a name, so a final "." belongs to the name, not the sentence.
_NAME_ENDINGS = {"LTD.", "CO.", "CORP.", "INC.", "LTDA.", "JR.", "SR.", "CIA."}


def strip_terminator(text: str) -> str:
    """Drop the full stop that ends a Remarks text, unless it ends an abbreviation.

    OFAC writes ``…; Linked To: HIZBALLAH.`` but ``…; Linked To: ACME S.A.`` (no second dot).
    """
    text = text.strip()
    if not text.endswith("."):
        return text
    last = text.split()[-1]
    if "." in last[:-1] or last.upper() in _NAME_ENDINGS:
        return text
    return text[:-1]


def split_remarks(text: str) -> list[str]:
    """Top-level ``;`` segments; semicolons inside parentheses stay in their segment."""
    parts: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _country_and_note(tail: str) -> tuple[str | None, str | None]:
    """The issuing country (the last parenthesised country) and the rest of ``tail``."""
    groups = re.findall(r"\(([^()]*)\)\s*([^()]*)", tail)
    codes = [country_code(inner) for inner, _ in groups]
    last = max((i for i, code in enumerate(codes) if code), default=None)
    notes: list[str] = []
    for index, (inner, after) in enumerate(groups):
        if index != last:
            notes.append(f"({inner})")
        notes.append(after.strip())
    country = codes[last] if last is not None else None
    return country, " ".join(n for n in notes if n) or None


def parse_identifier(segment: str) -> Identifier | None:
    """``Passport P0017003 (Belize) issued 2006`` → Identifier; None when no label matches."""
    match = _ID_RE.match(segment)
    if match is None:
        return None
    label, rest = match["label"], match["rest"].strip()
    id_type = next(t for rx, t in _ID_TYPES if rx.match(label))
    value, _, tail = rest.partition(" (")
    country, note = _country_and_note("(" + tail if tail else "")
    if value.startswith("IMO ") and value[4:].strip().isdigit():
        id_type, value = "imo", value[4:]
    elif id_type == "imo":
        value = value.removeprefix("IMO").strip()
    return Identifier(id_type, value.strip(" ,"), country, label, note)


def _quoted(text: str) -> str:
    """The text between the first and last single quote (names may contain apostrophes)."""
    text = text.strip().rstrip(".").strip()
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        return text[1:-1]
    return text.strip("'")


def _name(kind: NameKind) -> Callable[[Entity, str], None]:
    return lambda entity, value: entity.add_name(_quoted(value), kind)


def _dob(entity: Entity, value: str) -> None:
    spec = parse_free_date(value)
    if spec is not None:
        entity.birth_dates.append(spec)


def _country(attr: str) -> Callable[[Entity, str], None]:
    def add(entity: Entity, value: str) -> None:
        code = country_code(value)
        if code:
            getattr(entity, attr).append(code)

    return add


def _gender(entity: Entity, value: str) -> None:
    found = gender(value)
    if found:
        entity.genders.append(found)


def _link(entity: Entity, value: str) -> None:
    entity.links.append(Link("Linked To", value.strip(), False))


def _established(entity: Entity, value: str) -> None:
    spec = parse_free_date(value)
    if spec is not None:
        entity.add("incorporationDate", spec.start)


_HANDLERS: tuple[tuple[re.Pattern[str], Callable[[Entity, str], None]], ...] = (
    (re.compile(_ALT + r"DOB:?\s+(.+)$"), _dob),
    (re.compile(_ALT + r"POB:?\s+(.+)$"), lambda e, v: e.birth_places.append(v)),
    (re.compile(_ALT + r"nationality:?\s+(.+)$"), _country("nationalities")),
    (re.compile(_ALT + r"citizen:?\s+(.+)$"), _country("citizenships")),
    (re.compile(r"^Gender\s+(.+)$"), _gender),
    (re.compile(r"^a\.k\.a\.,?\s+(.+)$"), _name("weak")),
    (re.compile(r"^f\.k\.a\.,?\s+(.+)$"), _name("previous")),
    (re.compile(r"^n\.k\.a\.,?\s+(.+)$"), _name("alias")),
    (re.compile(r"^Linked To:\s*(.+)$"), _link),
    (re.compile(r"^Organization Established Date\s+(.+)$"), _established),
    *((re.compile(_ALT + label + r"\s+(.+)$"), lambda e, v, p=prop: e.add(p, v))
      for label, prop in _PROPS.items()),
)


def apply_segment(entity: Entity, segment: str) -> bool:
    """Add one segment's fact to ``entity``; False when the segment is not recognised."""
    for pattern, handler in _HANDLERS:
        match = pattern.match(segment)
        if match:
            handler(entity, match[1].strip())
            return True
    identifier = parse_identifier(segment)
    if identifier is not None and identifier.value:
        entity.identifiers.append(identifier)
        return True
    return False


def apply_remarks(entity: Entity, text: str | None) -> None:
    """Keep the whole Remarks text once, and add every fact recognised in its segments."""
    if not text or not text.strip():
        return
    full = " ".join(text.split())
    entity.remarks.append(full)
    for segment in split_remarks(strip_terminator(full)):
        apply_segment(entity, segment)

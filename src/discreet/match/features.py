"""Evidence besides the name: birth date, country, gender, identifiers, schema (stated, or
inferred from the name of a query without one).

Each function compares what the query states with what the list states and returns a
:class:`Feature` (what it adds to or subtracts from the score, and why, in words), or None
when either side is silent. The amounts start from :data:`~discreet.match.rules.RULES`
(``Matcher.weights``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from discreet.match.kind import INCOMPATIBLE, Reading
from discreet.model import DateSpec, Entity
from discreet.text.dates import parse_date

__all__ = ["Feature", "birth_date", "clean_id", "compatible", "country", "entity_countries",
           "gender", "identifier", "schema", "schema_unlikely", "stated"]

_ORGS = frozenset({"Organization", "Company", "LegalEntity"})
_UNSTATED = frozenset({"Thing", "Any"})
_ID_CLEAN = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of non-name evidence: its key in WEIGHTS, the amount, and an explanation."""

    name: str
    delta: float
    detail: str

    def to_dict(self) -> dict[str, object]:
        return {"feature": self.name, "delta": round(self.delta, 4), "detail": self.detail}


def _year(text: str) -> int | None:
    return int(text[:4]) if text[:4].isdigit() else None


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def _near(query: dt.date, listed: dt.date) -> str | None:
    """How two different full dates can be one mistyped: a day, a month or a year off, or
    day and month swapped (07/10 read the other way); None when they are unrelated."""
    if abs((query - listed).days) <= 1:
        return "one day apart"
    if (query.month, query.day) == (listed.day, listed.month) and query.year == listed.year:
        return "day and month swapped"
    if query.day == listed.day and query.year == listed.year \
            and abs(query.month - listed.month) == 1:
        return "one month apart"
    if (query.month, query.day) == (listed.month, listed.day) \
            and abs(query.year - listed.year) == 1:
        return "one year apart"
    return None


def _date_fits(query: str, spec: DateSpec) -> tuple[int, str]:
    """How far one reading of the query date agrees with one listed date: (rank, why),
    rank 3 the same day, 2 the same as far as both are precise (or within a listed range,
    or a year of a circa date), 1 near (a likely slip), 0 not the same date."""
    if spec.end:
        lo, hi, qy = _year(spec.start), _year(spec.end), _year(query)
        if lo is not None and hi is not None and qy is not None and lo <= qy <= hi:
            return 2, ""
        return 0, ""
    if spec.approximate:
        qy, sy = _year(query), _year(spec.start)
        return (2, "") if qy is not None and sy is not None and abs(qy - sy) <= 1 else (0, "")
    common = min(len(query), len(spec.start))
    if query[:common] == spec.start[:common]:
        return (3, "") if common >= 10 else (2, "")
    qd, sd = _day(query), _day(spec.start)
    slip = _near(qd, sd) if qd is not None and sd is not None else None
    return (1, slip) if slip else (0, "")


_DOB: Final = {3: "dob_exact", 2: "dob_year", 1: "dob_near", 0: "dob_mismatch"}


def birth_date(query: str | None, dates: list[DateSpec],
               weights: dict[str, float]) -> Feature | None:
    """Birth date: the same day, the same year (or in the listed range), near (a day, a
    month or a year off, day and month swapped: weak agreement), or not the same. Every
    reading of an ambiguous date (07/10/1952) is compared and the best one counts; a date
    that cannot be read is no evidence either way (a zero feature saying so)."""
    if not query or not dates:
        return None
    written = parse_date(query)
    if not written.readings:
        return Feature("dob_unreadable", weights["dob_unreadable"],
                       f"birth date {written.text!r} could not be read ({written.problem}): "
                       "not compared")
    best = (-1, "", "")
    for r in written.readings:
        for d in dates:
            fit, slip = _date_fits(r, d)
            if fit > best[0]:
                best = (fit, r, slip)
    rank, reading, why = best
    listed = ", ".join(str(d) for d in dates)
    born = written.describe(reading) if rank else written.describe(" or ".join(written.readings))
    text = {3: f"born {born}, as listed",
            2: f"born {born}: agrees with listed {listed} as far as both are precise",
            1: f"born {born}, listed {listed}: {why}, perhaps a slip",
            0: f"born {born}, listed {listed}"}[rank]
    if written.ambiguous and rank:
        others = [r for r in written.readings if r != reading]
        text += f" (it could also be read as {', '.join(others)})"
    return Feature(_DOB[rank], weights[_DOB[rank]], text)


def entity_countries(entity: Entity) -> set[str]:
    """Every country the list links the entity to (nationality, citizenship, address…)."""
    found = set(entity.countries) | set(entity.nationalities) | set(entity.citizenships)
    found.update(a.country for a in entity.addresses if a.country)
    return found


def country(query: Iterable[str], listed: set[str],
            weights: dict[str, float]) -> Feature | None:
    """Country: one in common adds a little; none in common subtracts a little."""
    wanted = set(query)
    if not wanted or not listed:
        return None
    shared = sorted(wanted & listed)
    if shared:
        return Feature("country_match", weights["country_match"],
                       f"country {', '.join(shared)} in common")
    return Feature("country_mismatch", weights["country_mismatch"],
                   f"query country {', '.join(sorted(wanted))}, listed {', '.join(sorted(listed))}")


def gender(query: str | None, listed: list[str], weights: dict[str, float]) -> Feature | None:
    """Gender: only a contradiction counts (agreement says little)."""
    if not query or not listed or query in listed:
        return None
    return Feature("gender_mismatch", weights["gender_mismatch"],
                   f"query gender {query}, listed {', '.join(listed)}")


def clean_id(value: str) -> str:
    """Identifier compared without spaces, dashes, dots or case."""
    return _ID_CLEAN.sub("", value.upper())


def identifier(query: Iterable[str], entity: Entity,
               weights: dict[str, float]) -> Feature | None:
    """An identifier (passport, registration, IMO…) equal to a listed one: strong evidence."""
    wanted = {clean_id(v) for v in query} - {""}
    if not wanted:
        return None
    for ident in entity.identifiers:
        if clean_id(ident.value) in wanted and len(clean_id(ident.value)) >= 4:
            return Feature("id_match", weights["id_match"],
                           f"{ident.type} number {ident.value} matches")
    return None


def compatible(a: str, b: str) -> bool:
    """FtM schemata that can describe one thing: LegalEntity fits any person or body."""
    if a == b or (a in _ORGS and b in _ORGS):
        return True
    return "LegalEntity" in (a, b) and not {a, b} & {"Vessel", "Airplane"}


def stated(query: str | None) -> bool:
    """The query says what it names: a schema other than none, Thing or Any (which say
    nothing; the name is then read for it, :func:`schema_unlikely`)."""
    return bool(query) and query not in _UNSTATED


def schema(query: str | None, listed: str, weights: dict[str, float]) -> Feature | None:
    """A person against an organisation (or a vessel): a strong negative."""
    if not stated(query) or query is None or compatible(query, listed):
        return None
    return Feature("schema_mismatch", weights["schema_mismatch"],
                   f"query is a {query}, the listed entity a {listed}")


def schema_unlikely(reading: Reading, listed: str,
                    weights: dict[str, float]) -> Feature | None:
    """A query without a schema that reads as what the listed entity cannot be (a person's
    name against a vessel, a legal form against a person): a moderate negative, less than
    :func:`schema`'s, since the reading is inferred (:mod:`discreet.match.kind`); a legal
    form, which the name states, weighs as a stated schema does."""
    if reading.kind is None or listed not in INCOMPATIBLE[reading.kind]:
        return None
    if reading.stated:  # a legal form in the name says it as plainly as a schema
        return Feature("schema_mismatch", weights["schema_mismatch"],
                       f"query {reading.describe()}; listed as a {listed}")
    return Feature("schema_unlikely", weights["schema_unlikely"],
                   f"query {reading.describe()}; listed as a {listed}")

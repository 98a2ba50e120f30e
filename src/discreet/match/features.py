"""Evidence besides the name: birth date, country, gender, identifiers, schema.

Each function compares what the query states with what the list states and returns a
:class:`Feature` (what it adds to or subtracts from the score, and why, in words), or None
when either side is silent. The amounts are in :data:`~discreet.match.score.WEIGHTS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from discreet.model import DateSpec, Entity

__all__ = ["Feature", "birth_date", "clean_id", "compatible", "country", "entity_countries",
           "gender", "identifier", "schema"]

_ORGS = frozenset({"Organization", "Company", "LegalEntity"})
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


def _date_fits(query: str, spec: DateSpec) -> str | None:
    """'exact', 'year' or None: how far a query date agrees with one listed date."""
    if spec.end:
        lo, hi, qy = _year(spec.start), _year(spec.end), _year(query)
        if lo is not None and hi is not None and qy is not None and lo <= qy <= hi:
            return "year"
        return None
    if spec.approximate:
        qy, sy = _year(query), _year(spec.start)
        return "year" if qy is not None and sy is not None and abs(qy - sy) <= 1 else None
    common = min(len(query), len(spec.start))
    if query[:common] != spec.start[:common]:
        return None
    return "exact" if common >= 10 else "year"


def birth_date(query: str | None, dates: list[DateSpec],
               weights: dict[str, float]) -> Feature | None:
    """Birth date: exact day, same year (or in the listed range), or impossible."""
    if not query or not dates:
        return None
    fits = [f for f in (_date_fits(query, d) for d in dates) if f]
    listed = ", ".join(str(d) for d in dates)
    if "exact" in fits:
        return Feature("dob_exact", weights["dob_exact"], f"born {query}, as listed")
    if fits:
        return Feature("dob_year", weights["dob_year"],
                       f"born {query}: agrees with listed {listed} as far as both are precise")
    return Feature("dob_mismatch", weights["dob_mismatch"], f"born {query}, listed {listed}")


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


def schema(query: str | None, listed: str, weights: dict[str, float]) -> Feature | None:
    """A person against an organisation (or a vessel): a strong negative."""
    if not query or query in ("Thing", "Any") or compatible(query, listed):
        return None
    return Feature("schema_mismatch", weights["schema_mismatch"],
                   f"query is a {query}, the listed entity a {listed}")

"""Between the wire and the matcher: FtM query entities in, FtM result entities out."""

from __future__ import annotations

from typing import Any

from discreet.api.errors import ApiError
from discreet.api.listings import result_listings
from discreet.match import MatchResult, Query
from discreet.model import SCHEMATA, Entity
from discreet.sources.opensanctions.ftm import entity_to_ftm
from discreet.text.dates import normalize_date

__all__ = ["QUERY_PROPS", "entity_out", "query_from_ftm", "result_out"]

# FtM query properties discreet reads, and where each goes on a Query.
QUERY_PROPS: dict[str, str] = {
    "name": "name", "alias": "name", "weakAlias": "name", "previousName": "name",
    "firstName": "part", "middleName": "part", "lastName": "part", "fatherName": "part",
    "birthDate": "birth_date",
    "nationality": "country", "country": "country", "citizenship": "country",
    "jurisdiction": "country",
    "idNumber": "id", "passportNumber": "id", "registrationNumber": "id", "taxNumber": "id",
    "imoNumber": "id", "innCode": "id", "ogrnCode": "id", "swiftBic": "id",
    "gender": "gender",
}
# FtM schemata a query may state; the general ones match any listed schema.
_GENERAL = {"Thing", "LegalEntity"}
QUERY_SCHEMATA = frozenset(SCHEMATA) | _GENERAL


def _values(props: dict[str, list[str]], kind: str) -> list[str]:
    out: list[str] = []
    for prop, values in props.items():
        if QUERY_PROPS.get(prop) == kind:
            out.extend(v.strip() for v in values if v and v.strip())
    return out


def query_from_ftm(schema: str, props: dict[str, list[str]],
                   qid: str | None = None) -> list[Query]:
    """One discreet Query per name of an FtM query entity (first name + last name if no name)."""
    if schema not in QUERY_SCHEMATA:
        raise ApiError(400, f"schema {schema!r} cannot be matched; use one of "
                            f"{', '.join(sorted(QUERY_SCHEMATA))}")
    names = list(dict.fromkeys(_values(props, "name")))
    if not names and (parts := _values(props, "part")):
        names = [" ".join(parts)]
    if not names:
        raise ApiError(400, "the query has no name: give properties.name (or firstName and "
                            "lastName)", fields=["properties.name"])
    dates = _values(props, "birth_date")
    genders = _values(props, "gender")
    base = Query(name=names[0], schema=None if schema in _GENERAL else schema,
                 birth_date=normalize_date(dates[0]) if dates else None,
                 countries=tuple(dict.fromkeys(_values(props, "country"))),
                 id_numbers=tuple(dict.fromkeys(_values(props, "id"))),
                 gender=genders[0].lower() if genders else None, id=qid)
    return [Query(n, base.schema, base.birth_date, base.countries, base.id_numbers,
                  base.gender, qid) for n in names[:10]]


def entity_out(entity: Entity, seen: tuple[str, str, str] | None,
               ftm: dict[str, Any] | None = None) -> dict[str, Any]:
    """FtM entity JSON with yente's extra fields (referents, first/last seen, last change)."""
    data = dict(ftm if ftm is not None else entity_to_ftm(entity))
    data.pop("links", None)
    data["referents"] = []
    first, last, change = seen if seen else (None, None, None)
    data["first_seen"], data["last_seen"], data["last_change"] = first, last, change
    return data


def _explanations(result: MatchResult) -> dict[str, dict[str, Any]]:
    ex = result.explanation
    out: dict[str, dict[str, Any]] = {
        "name": {"score": round(ex.name_score, 4), "weight": 1.0,
                 "query": ex.query_name, "candidate": ex.matched_name,
                 "detail": ex.to_text().splitlines()[0]},
    }
    for feature in ex.features:
        out[feature.name] = {"score": round(feature.delta, 4), "weight": 1.0,
                             "detail": feature.detail}
    return out


def result_out(result: MatchResult, seen: tuple[str, str, str] | None,
               ftm: dict[str, Any] | None, threshold: float) -> dict[str, Any]:
    """One scored result: the entity, ``score``, ``match`` and yente-style explanations;
    for a party listed by several authorities, its other listings (api/listings.py)."""
    data = entity_out(result.entity, seen, ftm)
    result_listings(data, result)
    data["score"] = round(result.score, 4)
    data["match"] = result.score >= threshold
    data["explanations"] = _explanations(result)
    data["explanation"] = result.explanation.to_dict()
    return data

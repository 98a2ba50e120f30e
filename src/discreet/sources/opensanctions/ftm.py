"""Conversion between :class:`~discreet.model.Entity` and FollowTheMoney (FtM) entity JSON.

FtM is what OpenSanctions and yente exchange, so exporting to it lets other tools read our
lists, and importing it lets a firm load an FtM dump. FtM flattens structure that the model
keeps; the choices below say what survives a trip out and back.

Mapping (model field -> FtM property):

* names by kind -> ``name`` / ``alias`` / ``weakAlias`` / ``previousName``; the parts of
  *primary* names -> ``firstName``, ``lastName``… (read back onto the first primary name).
  A name's language and script have no FtM home and are dropped.
* ``birth_dates`` -> ``birthDate``; a range emits its start and its end as two values (FtM
  has no range type, and both ends are what a matcher should compare against); the
  "approximate" flag is dropped.
* identifiers -> ``model.ID_PROPS`` (issuer country, label and note are dropped); read back,
  ``idNumber`` becomes a ``national_id``.
* addresses -> ``address`` (the full text only).
* ``programmes`` -> ``programId``; ``remarks`` -> ``notes``; ``listed_on`` -> ``createdAt``.
* ``delisted_on`` -> ``endDate``. FtM keeps a delisting on a separate Sanction entity;
  ``endDate`` is the name that Sanction uses, so FtM tools that check properties drop it,
  while discreet reads it back. A delisted entity is also exported with ``"target": false``.
* ``links`` -> a top-level ``"links"`` list of ``{relation, target, target_is_id}``. FtM
  models relations as separate entities (Associate, Ownership…) that need ids at both ends,
  which name-only targets lack. FtM tools ignore the key.
* ``properties`` -> merged as they are. ``topics`` always gains ``"sanction"``.

Round trip: for FtM JSON that uses only the properties above, ``entity_from_ftm`` then
``entity_to_ftm`` gives back the same id, schema and property values (as sets per property),
apart from the added ``sanction`` topic. Unknown properties are kept verbatim. ``caption``,
``referents`` and the ``*_seen`` / ``last_change`` timestamps are derived or belong to the
publisher, and are not read back.
"""

from __future__ import annotations

from typing import Any

from discreet.model import (
    ID_PROPS,
    NAME_KINDS,
    NAME_PROPS,
    SCHEMATA,
    Address,
    DateSpec,
    Entity,
    Identifier,
    Link,
    Name,
    NameKind,
)

__all__ = ["PART_PROPS", "SIMPLE_PROPS", "entity_from_ftm", "entity_to_ftm", "is_supported"]

# Name part properties that travel on the primary name.
PART_PROPS = ("firstName", "middleName", "lastName", "secondName", "fatherName", "motherName")

# List-of-string fields of the model and the FtM property each maps to, one to one.
SIMPLE_PROPS: dict[str, str] = {
    "birth_places": "birthPlace",
    "nationalities": "nationality",
    "citizenships": "citizenship",
    "countries": "country",
    "genders": "gender",
    "titles": "title",
    "positions": "position",
    "programmes": "programId",
    "remarks": "notes",
}

_FIELD_BY_PROP = {prop: attr for attr, prop in SIMPLE_PROPS.items()}
_KIND_BY_PROP: dict[str, NameKind] = {NAME_PROPS[kind]: kind for kind in NAME_KINDS}
# Reverse identifier map: the first type listed for a property wins (idNumber -> national_id).
_ID_TYPE_BY_PROP: dict[str, str] = {}
for _type, _prop in ID_PROPS.items():
    _ID_TYPE_BY_PROP.setdefault(_prop, _type)


def is_supported(data: dict[str, Any]) -> bool:
    """True when the FtM entity's schema is one the model holds (not Sanction, Address…)."""
    return data.get("schema") in SCHEMATA


# -- export --------------------------------------------------------------------------------


def _add(props: dict[str, list[str]], prop: str, value: str | None) -> None:
    """Append once, skipping blanks: FtM values are sets in spirit."""
    if value and value.strip() and value not in props.setdefault(prop, []):
        props[prop].append(value)


def _export_names(entity: Entity, props: dict[str, list[str]]) -> None:
    for name in entity.names:
        _add(props, NAME_PROPS.get(name.kind, "alias"), name.value)
        if name.kind == "primary":
            for part, value in name.parts:
                _add(props, part, value)


def _export_fields(entity: Entity, props: dict[str, list[str]]) -> None:
    for date in entity.birth_dates:
        _add(props, "birthDate", date.start)
        _add(props, "birthDate", date.end)
    for attr, prop in SIMPLE_PROPS.items():
        for value in getattr(entity, attr):
            _add(props, prop, value)
    for ident in entity.identifiers:
        _add(props, ID_PROPS.get(ident.type, "idNumber"), ident.value)
    for address in entity.addresses:
        _add(props, "address", address.full)
    _add(props, "createdAt", entity.listed_on)
    _add(props, "endDate", entity.delisted_on)


def entity_to_ftm(entity: Entity) -> dict[str, Any]:
    """FtM entity JSON for one entity (see the module docstring for the mapping)."""
    props: dict[str, list[str]] = {}
    _export_names(entity, props)
    _export_fields(entity, props)
    for prop, values in entity.properties.items():
        for value in values:
            _add(props, prop, value)
    _add(props, "topics", "sanction")
    data: dict[str, Any] = {
        "id": entity.id,
        "schema": entity.schema,
        "caption": entity.caption,
        "properties": {k: v for k, v in props.items() if v},
        "datasets": [entity.source] if entity.source else [],
        "target": entity.delisted_on is None,
    }
    if entity.links:
        data["links"] = [link.to_dict() for link in dict.fromkeys(entity.links)]
    return data


# -- import --------------------------------------------------------------------------------


def _values(raw: Any) -> list[str]:
    """Property values as a list of non-blank strings, whatever JSON type they came as."""
    items = raw if isinstance(raw, list) else [raw]
    return [str(v) for v in items if v is not None and str(v).strip()]


def _import_prop(entity: Entity, prop: str, values: list[str]) -> bool:
    """Put one known property's values on the entity; False when the property is unknown."""
    if prop in _KIND_BY_PROP:
        entity.names.extend(Name(v, _KIND_BY_PROP[prop]) for v in values)
    elif prop == "birthDate":
        entity.birth_dates.extend(DateSpec(v) for v in values)
    elif prop in _ID_TYPE_BY_PROP:
        entity.identifiers.extend(Identifier(_ID_TYPE_BY_PROP[prop], v) for v in values)
    elif prop == "address":
        entity.addresses.extend(Address(v) for v in values)
    elif prop in _FIELD_BY_PROP:
        getattr(entity, _FIELD_BY_PROP[prop]).extend(values)
    else:
        return False
    return True


def _single(entity: Entity, values: list[str], attr: str, prop: str) -> None:
    """A one-value field (listed/delisted): the earliest value, the rest kept as properties."""
    ordered = sorted(values)
    setattr(entity, attr, ordered[0])
    if ordered[1:]:
        entity.properties[prop] = ordered[1:]


def _attach_parts(entity: Entity, parts: list[tuple[str, str]]) -> None:
    """Name parts go onto the first primary name; without one they stay plain properties."""
    index = next((i for i, n in enumerate(entity.names) if n.kind == "primary"), None)
    if index is None:
        for prop, value in parts:
            entity.properties.setdefault(prop, []).append(value)
        return
    name = entity.names[index]
    entity.names[index] = Name(name.value, name.kind, name.lang, name.script,
                               name.parts + tuple(parts))


def entity_from_ftm(data: dict[str, Any], source: str = "") -> Entity:
    """An entity from FtM entity JSON; raises ValueError for a schema the model lacks."""
    datasets = _values(data.get("datasets", []))
    entity = Entity(id=str(data["id"]), schema=str(data.get("schema")),
                    source=source or (datasets[0] if datasets else ""),
                    authority_id=str(data["id"]))
    parts: list[tuple[str, str]] = []
    properties = data.get("properties") or {}
    for prop, raw in properties.items():
        values = _values(raw)
        if not values:
            continue
        if prop in PART_PROPS:
            parts.extend((prop, v) for v in values)
        elif prop in ("createdAt", "endDate"):
            _single(entity, values, "listed_on" if prop == "createdAt" else "delisted_on", prop)
        elif not _import_prop(entity, prop, values):
            entity.properties[prop] = values
    _attach_parts(entity, parts)
    entity.links = [Link.from_dict(x) for x in data.get("links") or []]
    return entity.finish()

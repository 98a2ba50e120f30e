"""What FtM tools would refuse in an export, judged by the ``followthemoney`` library itself.

Used by the export tests; kept apart so that a person can run it over any FtM JSON lines
file too: ``python -m tests.sources.opensanctions.ftm_check FILE``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any, cast

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.schema import ValidationData
from followthemoney.types import registry

# The top-level keys of FtM entity JSON (followthemoney's own plus yente's and OpenSanctions').
ENTITY_KEYS = frozenset({"id", "schema", "properties", "caption", "datasets", "referents",
                         "target", "first_seen", "last_seen", "last_change"})


def problems(data: dict[str, Any]) -> list[str]:
    """Each way one entity breaks FtM's model: kind of problem first, for counting."""
    found: list[str] = []
    schema = model.get(str(data.get("schema")))
    if schema is None or schema.abstract:
        return [f"schema: {data.get('schema')!r} is not a concrete FtM schema"]
    if not isinstance(data.get("id"), str) or not registry.entity.validate(data["id"]):
        found.append(f"id: {data.get('id')!r} is not a valid entity id")
    found.extend(f"key: {key!r} is not part of FtM entity JSON"
                 for key in sorted(set(data) - ENTITY_KEYS))
    props = data.get("properties") or {}
    for name, values in props.items():
        prop = schema.get(name)
        if prop is None or prop.stub:
            found.append(f"property: {schema.name}.{name} is not defined")
            continue
        if not isinstance(values, list) or not values:
            found.append(f"value: {schema.name}.{name} is not a non-empty list")
            continue
        for value in values:
            if not isinstance(value, str) or not prop.type.validate(value):
                found.append(f"value: {schema.name}.{name} ({prop.type.name}) refuses "
                             f"{value!r}")
    found.extend(f"required: {schema.name}.{name} is missing"
                 for name in schema.required if not props.get(name))
    try:
        schema.validate(cast(ValidationData, data))  # what it checks, whatever it holds
    except InvalidData as exc:
        found.append(f"validate: {exc}")
    proxy = model.get_proxy(data, cleaned=False)
    for name, values in props.items():
        prop = schema.get(name)
        if prop is not None and not prop.stub and isinstance(values, list):
            kept = proxy.get(name, quiet=True)
            if len(kept) < len(set(values)):
                found.append(f"cleaning: {schema.name}.{name} loses "
                             f"{len(set(values)) - len(kept)} value(s) of {values!r}")
    return found


def references(entities: Iterable[dict[str, Any]]) -> list[str]:
    """Entity-valued properties that point at nothing exported, or at the wrong schema."""
    schema_of = {e["id"]: e["schema"] for e in entities}
    found: list[str] = []
    for data in entities:
        schema = model.get(data["schema"])
        if schema is None:
            continue
        for name, values in (data.get("properties") or {}).items():
            prop = schema.get(name)
            if prop is None or prop.type != registry.entity:
                continue
            for value in values:
                target = schema_of.get(value)
                if target is None:
                    found.append(f"reference: {schema.name}.{name} -> {value!r} not exported")
                elif prop.range is not None and not model.schemata[target].is_a(prop.range):
                    found.append(f"reference: {schema.name}.{name} -> {target} is not a "
                                 f"{prop.range.name}")
    return found


def check_export(entities: list[dict[str, Any]]) -> list[str]:
    """Every problem in a whole export: per entity, references, ids given twice."""
    found = [p for data in entities for p in problems(data)]
    found.extend(references(entities))
    counts = Counter(str(e.get("id")) for e in entities)
    found.extend(f"duplicate: id {ident!r} exported {n} times"
                 for ident, n in counts.items() if n > 1)
    return found


def main(path: str) -> int:
    """Print a tally of problem kinds and a few examples; non-zero when there are any."""
    with open(path, encoding="utf-8") as handle:
        entities = [json.loads(line) for line in handle if line.strip()]
    found = check_export(entities)
    kinds = Counter(p.split(" refuses ")[0].split(" -> ")[0] for p in found)
    for kind, count in kinds.most_common(40):
        print(f"{count:7} {kind}")
    for problem in found[:20]:
        print("  e.g.", problem[:200])
    print(f"{len(entities)} entities, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

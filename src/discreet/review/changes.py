"""What changed since a decision: field-level differences of a listed entity and of a
customer, shown when a remembered decision no longer holds and its alert reopens."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["field_diff"]


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def field_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One entry per field that differs: a list field says which items were added and
    removed (a new alias, a new birth date, a new programme), any other its two values."""
    out: list[dict[str, Any]] = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if _key(old) == _key(new):
            continue
        if isinstance(old, list | type(None)) and isinstance(new, list | type(None)) \
                and (old or new):
            was = {_key(x): x for x in old or []}
            now = {_key(x): x for x in new or []}
            out.append({"field": name,
                        "added": [now[k] for k in now if k not in was],
                        "removed": [was[k] for k in was if k not in now]})
        else:
            out.append({"field": name, "before": old, "after": new})
    return out

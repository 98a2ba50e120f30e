"""JSON Schemas of W3C Entity Reconciliation API 0.2 answers, written from the published spec.

Manifest, reconciliation result batch and the three suggest responses; ``type`` is inlined
where the spec refers to ``type.json``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MANIFEST", "RESULT_BATCH", "SUGGEST_ENTITIES", "SUGGEST_PROPERTIES",
           "SUGGEST_TYPES"]

_STR: dict[str, Any] = {"type": "string"}
_ID_TEMPLATE = {"type": "string", "pattern": ".*\\{\\{id\\}\\}.*"}
_TYPE: dict[str, Any] = {
    "type": "object",
    "properties": {"id": _STR, "name": _STR, "description": _STR,
                   "broader": {"type": "array", "items": {"type": "object"}}},
    "required": ["id", "name"],
}
_TYPE_REF: dict[str, Any] = {"oneOf": [
    {"type": "object", "properties": {"id": _STR, "name": _STR}, "required": ["id"]}, _STR]}
_SERVICE = {"type": "object", "properties": {
    "service_url": _STR, "service_path": _STR, "flyout_service_url": _STR,
    "flyout_service_path": {"type": "string", "pattern": ".*\\$\\{id\\}.*"}}}

MANIFEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "versions": {"type": "array", "items": _STR, "contains": {"enum": ["0.2"]}},
        "name": _STR, "identifierSpace": _STR, "schemaSpace": _STR,
        "documentation": _STR, "serviceVersion": _STR, "logo": _STR,
        "view": {"type": "object", "properties": {"url": _ID_TEMPLATE}, "required": ["url"]},
        "feature_view": {"type": "object", "properties": {"url": _ID_TEMPLATE},
                         "required": ["url"]},
        "defaultTypes": {"type": "array", "items": _TYPE, "uniqueItems": True},
        "suggest": {"type": "object", "properties": {
            "entity": _SERVICE, "property": _SERVICE, "type": _SERVICE}},
        "preview": {"type": "object", "properties": {
            "url": _ID_TEMPLATE, "width": {"type": "integer"}, "height": {"type": "integer"}},
            "required": ["url", "width", "height"]},
    },
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
}

RESULT_BATCH: dict[str, Any] = {
    "type": "object",
    "patternProperties": {"^.*$": {
        "type": "object",
        "properties": {"result": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "id": _STR, "name": _STR, "description": _STR, "score": {"type": "number"},
                "features": {"type": "array", "items": {"type": "object", "properties": {
                    "id": _STR, "value": {"oneOf": [{"type": "boolean"},
                                                    {"type": "number"}]}}}},
                "match": {"type": "boolean"},
                "type": {"type": "array", "items": _TYPE_REF},
            },
            "required": ["id", "name", "score"],
        }}},
        "required": ["result"],
    }},
}

SUGGEST_ENTITIES: dict[str, Any] = {
    "type": "object",
    "properties": {"result": {"type": "array", "items": {
        "type": "object",
        "properties": {"id": _STR, "name": _STR, "description": _STR,
                       "notable": {"type": "array", "items": _TYPE_REF}},
        "required": ["id", "name"]}}},
    "required": ["result"],
}

SUGGEST_PROPERTIES: dict[str, Any] = {
    "type": "object",
    "properties": {"result": {"type": "array", "items": {
        "type": "object", "properties": {"id": _STR, "name": _STR, "description": _STR},
        "required": ["id", "name"]}}},
    "required": ["result"],
}

SUGGEST_TYPES: dict[str, Any] = {
    "type": "object",
    "properties": {"result": {"type": "array", "items": _TYPE}},
    "required": ["result"],
}

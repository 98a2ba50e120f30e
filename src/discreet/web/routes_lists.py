"""The lists pages: every source and its versions, and the diff between any two versions.

The figures are the store's own (``Store.versions``, ``Store.diff``: what ``discreet
sources`` / ``discreet diff`` and ``GET /versions`` / ``GET /diff/{source}`` answer); this
module only pages and words them. A diff's rows are one sequence (added, removed, changed)
paged ``ROWS`` at a time, so a large diff is never one huge page. Old and new values of a
changed field are shown item by item, each side marking what the other lacks.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from discreet.errors import NotFoundError
from discreet.store import Diff, VersionInfo
from discreet.web.pages import lookup, render
from discreet.web.session import Viewer, services_of

__all__ = ["FieldChange", "Item", "field_changes", "page_links", "router", "value_text"]

router = APIRouter(prefix="/ui", include_in_schema=False)
ROWS = 100  # diff rows per page
VERSION_ROWS = 100  # versions per page of one source
SourceName = Annotated[str, Query(max_length=100)]


# -- values as words: shared with the entity history page ------------------------------------

def value_text(value: Any) -> str:
    """One stored value as a person reads it: a record's main value first, then the rest."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, Mapping):
        lead = next((k for k in ("value", "full", "start", "type", "relation")
                     if k in value), None)
        rest = [f"{k}: {value_text(v)}" for k, v in value.items() if k != lead]
        head = value_text(value[lead]) if lead is not None else ""
        if lead == "start" and value.get("end"):
            head = f"{head}..{value_text(value['end'])}"
            rest = [r for r in rest if not r.startswith("end: ")]
        if not rest:
            return head
        return f"{head} ({'; '.join(rest)})" if head else "; ".join(rest)
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True, slots=True)
class Item:
    """One value of one side of a change; ``moved`` when the other side lacks it."""

    text: str
    moved: bool


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A field's old and new values, item by item."""

    field: str
    old: tuple[Item, ...]
    new: tuple[Item, ...]


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, Mapping):
        return [{k: v} for k, v in value.items()] if all(
            isinstance(v, list) for v in value.values()) else [value]
    return [value]


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def field_changes(fields: Sequence[str], before: Mapping[str, Any],
                  after: Mapping[str, Any]) -> list[FieldChange]:
    """Each changed field with its old and new items; an item only one side holds is
    marked (removed on the old side, added on the new)."""
    out = []
    for name in fields:
        old, new = _items(before.get(name)), _items(after.get(name))
        old_keys, new_keys = {_key(v) for v in old}, {_key(v) for v in new}
        out.append(FieldChange(
            name,
            tuple(Item(value_text(v), _key(v) not in new_keys) for v in old),
            tuple(Item(value_text(v), _key(v) not in old_keys) for v in new)))
    return out


def page_links(path: str, params: Mapping[str, object], offset: int, rows: int,
               total: int) -> dict[str, str | int | None]:
    """The pager of a table: its previous and next pages' addresses and what is shown."""
    def at(where: int) -> str:
        kept = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{path}?{urlencode({**kept, 'offset': where})}"

    return {"first": offset + 1 if total else 0, "last": min(offset + rows, total),
            "total": total,
            "previous": at(max(offset - rows, 0)) if offset > 0 else None,
            "next": at(offset + rows) if offset + rows < total else None}


# -- pages -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SourceRow:
    """One source on the lists page: its active version and how many it has."""

    source: str
    authority: str
    active: VersionInfo
    count: int


@router.get("/lists")
def lists(request: Request, user: Viewer) -> Response:
    """Every source: its active version (publication, load, entities, hash) and how many
    versions the store keeps."""
    with services_of(request).gate() as store:
        every = store.versions()
        authorities = store.source_authorities()
    by_source: dict[str, list[VersionInfo]] = {}
    for version in every:
        by_source.setdefault(version.source, []).append(version)
    rows = [SourceRow(name, authorities.get(name, ""),
                      next(v for v in found if v.active), len(found))
            for name, found in sorted(by_source.items())]
    return render(request, "lists/index.html", {"sources": rows})


def _versions_of(request: Request, source: str) -> list[VersionInfo]:
    with services_of(request).gate() as store:
        return store.versions(source)  # NotFoundError -> the 404 page, naming the source


def _pick(text: str, field: str) -> int | None:
    """A version number from a form field: blank means the default; else an integer."""
    text = text.strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise _BadVersion(field, lookup("lists.bad_number").format(value=text[:40])) from None
    if not -1000 <= number <= 10**6:
        raise _BadVersion(field, lookup("lists.bad_number").format(value=text[:40]))
    return number


class _BadVersion(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@router.get("/lists/diff")
def diff(request: Request, user: Viewer,
         source: SourceName = "",
         from_version: Annotated[str, Query(alias="from", max_length=20)] = "",
         to_version: Annotated[str, Query(alias="to", max_length=20)] = "",
         offset: Annotated[int, Query(ge=0, le=10**7)] = 0) -> Response:
    """The form to pick a source and two versions, and the diff between them (default:
    the active version against the one before it)."""
    with services_of(request).gate() as store:
        every = store.versions()
    sources = sorted({v.source for v in every})
    chosen = source or (sources[0] if sources else "")
    versions = [v for v in every if v.source == chosen]
    context: dict[str, Any] = {"sources": sources, "source": chosen, "versions": versions,
                               "from_version": from_version, "to_version": to_version,
                               "error": "", "result": None}
    if not source:
        return render(request, "lists/diff.html", context)
    if not versions:
        context["error"] = lookup("lists.no_source").format(source=source)
        return render(request, "lists/diff.html", context, status=404)
    try:
        older, newer = _pick(from_version, "from"), _pick(to_version, "to")
        result = _DIFFS.get(request, source, older, newer, versions)
    except _BadVersion as bad:
        context["error"] = str(bad)
        return render(request, "lists/diff.html", context, status=422)
    except NotFoundError as missing:
        context["error"] = str(missing)
        return render(request, "lists/diff.html", context, status=404)
    return render(request, "lists/diff.html", {**context, **_diff_page(result, offset)})


class _DiffCache:
    """The last few diffs asked for, so that paging through one does not compute it again
    (a diff of a few thousand rows takes the store most of a second). A version never
    changes once stored, and the key holds every version of the source (number, place,
    hash), so a load or an inserted older file makes a new key."""

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[Any, ...], Diff] = OrderedDict()

    def get(self, request: Request, source: str, older: int | None, newer: int | None,
            versions: Sequence[VersionInfo]) -> Diff:
        services = services_of(request)
        key = (services.settings.db, source, older, newer,
               tuple((v.version, v.position, v.sha256) for v in versions))
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        with services.gate() as store:
            result = store.diff(source, older, newer)  # NotFoundError names what exists
        with self._lock:
            self._kept[key] = result
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return result


_DIFFS = _DiffCache()


def _diff_page(result: Diff, offset: int) -> dict[str, Any]:
    """One page of a diff's rows, grouped by kind, with the counts of the whole diff."""
    rows: list[tuple[str, str]] = ([("added", e) for e in result.added]
                                   + [("removed", e) for e in result.removed]
                                   + [("changed", c.id) for c in result.changed])
    changes = {c.id: c for c in result.changed}
    shown: dict[str, list[dict[str, Any]]] = {"added": [], "removed": [], "changed": []}
    for kind, eid in rows[offset:offset + ROWS]:
        change = changes.get(eid) if kind == "changed" else None
        shown[kind].append({
            "id": eid,
            "caption": change.caption if change else result.captions.get(eid, eid),
            "fields": field_changes(change.fields, change.before, change.after)
            if change else []})
    params = {"source": result.source, "from": result.from_version, "to": result.to_version}
    return {"result": result, "shown": shown,
            "counts": {"added": len(result.added), "removed": len(result.removed),
                       "changed": len(result.changed)},
            "from_version": str(result.from_version), "to_version": str(result.to_version),
            "pager": page_links("/ui/lists/diff", params, offset, ROWS, len(rows))}


@router.get("/lists/{source}")
def source_page(request: Request, user: Viewer, source: str,
                offset: Annotated[int, Query(ge=0, le=10**7)] = 0) -> Response:
    """One source's versions, newest first, each with its diff against the one before."""
    if len(source) > 100:
        raise NotFoundError(f"no source named {source[:100]!r}… in the store")
    versions = _versions_of(request, source)
    with services_of(request).gate() as store:
        authority = store.source_authorities().get(source, "")
    ordered = versions[::-1]
    previous = {v.version: ordered[i + 1].version for i, v in enumerate(ordered[:-1])}
    return render(request, "lists/source.html", {
        "source": source, "authority": authority, "versions": versions,
        "sources": [source], "from_version": "", "to_version": "",
        "rows": ordered[offset:offset + VERSION_ROWS], "previous": previous,
        "pager": page_links(f"/ui/lists/{quote(source, safe='')}", {}, offset, VERSION_ROWS,
                            len(ordered))})

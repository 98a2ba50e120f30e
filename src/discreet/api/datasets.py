"""Datasets as OpenSanctions names them: one per source, plus the collections.

``sanctions`` and ``default`` hold every loaded source. A known source that is not loaded is
still listed (``load`` false) and answers with no results; an unknown name is a 404. The
known sources, their titles and publishers, and the collections come from the dataset
catalogue (``discreet/lists/data/datasets.yml``), not from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from discreet.api.errors import ApiError
from discreet.lists.catalogue import catalogue

__all__ = ["COLLECTIONS", "KNOWN", "catalog", "resolve_datasets"]

KNOWN: dict[str, tuple[str, str]] = {  # name -> (title, publisher)
    d.name: (d.title, d.publisher) for d in catalogue().datasets.values()
}
COLLECTIONS: dict[str, str] = dict(catalogue().collections)  # name -> title


def _names(loaded: Iterable[str]) -> list[str]:
    return sorted(set(KNOWN) | set(loaded))


def resolve_datasets(name: str, loaded: Iterable[str], include: Iterable[str] = (),
                     exclude: Iterable[str] = ()) -> frozenset[str]:
    """The loaded sources a dataset path (plus include/exclude parameters) stands for."""
    have = frozenset(loaded)
    known = set(_names(have)) | set(COLLECTIONS)
    unknown = [n for n in (name, *include, *exclude) if n not in known]
    if unknown:
        raise ApiError(404, f"unknown dataset {unknown[0]!r}; known: {', '.join(sorted(known))}")
    chosen: set[str] = set()
    for item in (name, *include):
        chosen |= have if item in COLLECTIONS else {item} & have
    for item in exclude:
        chosen -= have if item in COLLECTIONS else {item}
    return frozenset(chosen)


def _entry(name: str, count: int | None, version: str | None, updated: str | None,
           children: list[str]) -> dict[str, Any]:
    title, publisher = KNOWN.get(name, (COLLECTIONS.get(name, name), None))
    entry: dict[str, Any] = {
        "name": name, "title": title, "load": count is not None or bool(children),
        "entity_count": count, "version": version, "updated_at": updated,
        "children": children, "index_current": count is not None or bool(children),
        "index_version": version,
    }
    if publisher:
        entry["publisher"] = {"name": publisher, "official": True}
    return entry


def catalog(active: dict[str, tuple[int, int, str]]) -> dict[str, Any]:
    """The /catalog body; ``active`` maps a loaded source to (version, entities, loaded_at)."""
    datasets = []
    for name in _names(active):
        info = active.get(name)
        datasets.append(_entry(name, info[1] if info else None, str(info[0]) if info else None,
                               info[2] if info else None, []))
    total = sum(i[1] for i in active.values())
    stamp = max((i[2] for i in active.values()), default=None)
    for name in COLLECTIONS:
        datasets.append(_entry(name, total, stamp, stamp, sorted(active)))
    current = sorted(active) + list(COLLECTIONS)
    return {"datasets": datasets, "current": current, "outdated": [], "index_stale": False}

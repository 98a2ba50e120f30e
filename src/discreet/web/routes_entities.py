"""The entities pages: search, one entity with everything its list states, and its history.

An entity is read as ``GET /entities/{id}`` reads it: from the current generation when it
is listed now (with the other authorities' listings of the same party and every same-as
link, as :func:`discreet.api.listings.add_listings` gives them), else as last listed from
the store. The history is ``Store.history`` (``discreet history``). Search is the API's
``/search`` index (every query word starts a word of a name) plus an exact id.

Entity ids are the lists' own and may hold ``/``, ``:``, spaces or ``%``: the routes take
the rest of the path, and links quote every character (``/`` as ``%2F``). The history page
is ``…/{id}/history`` with a literal slash; an id that itself ends in ``/history`` is
linked as ``…%2Fhistory`` and so still opens as an entity (see :func:`entity_history`).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

import numpy as np
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from discreet.api.deps import Ready
from discreet.api.index import Generation
from discreet.api.listings import add_listings
from discreet.errors import NotFoundError
from discreet.match.lookup import name_key
from discreet.model import Entity, Link
from discreet.programmes.catalogue import catalogue
from discreet.sources.opensanctions.ftm import ftm_id
from discreet.web.pages import render
from discreet.web.routes_lists import field_changes, page_links
from discreet.web.session import Viewer, services_of

__all__ = ["entity_href", "router"]



@asynccontextmanager
async def _warm(app: object) -> AsyncIterator[None]:
    """Read the regime catalogue aside at start-up (a second or so of YAML), so the first
    entity page does not wait for it."""
    threading.Thread(target=catalogue, name="discreet-catalogue", daemon=True).start()
    yield


router = APIRouter(prefix="/ui", include_in_schema=False, lifespan=_warm)
ROWS = 50  # search results per page
MAX_ID = 200  # as GET /entities/{id}
_HISTORY = "/history"


def entity_href(entity_id: str) -> str:
    """The page of an entity, every character of its id quoted (``/`` too)."""
    return f"/ui/entities/{quote(entity_id, safe='')}"


# -- search ---------------------------------------------------------------------------------

@router.get("/entities")
def search(request: Request, user: Viewer, gen: Ready,
           q: Annotated[str, Query(max_length=500)] = "",
           source: Annotated[str, Query(max_length=100)] = "",
           offset: Annotated[int, Query(ge=0, le=10**7)] = 0) -> Response:
    """Entities whose names hold every word of ``q`` (or whose id is ``q``), in one source
    or all, a page at a time."""
    sources = sorted(gen.sources)
    wanted = source if source in gen.sources else ""

    found = gen.search_index.find(q, (wanted,) if wanted else None)
    exact = gen.by_id.get(q.strip())
    first: list[Entity] = []  # the entity whose id is q, ahead of the hits
    if exact is not None and (not wanted or exact.source == wanted):
        first = [exact]
        found = found[~np.isin(found, gen.lookup.positions_of(exact.id))]
    gone = None
    if exact is None and q.strip() and len(q.strip()) <= MAX_ID:
        with services_of(request).gate() as store:
            try:  # no longer listed, but kept: the history's indexed lookup says first
                gone = store.entity(q.strip()) if store.history(q.strip()) else None
            except NotFoundError:
                gone = None
    rest = found[max(0, offset - len(first)):offset + ROWS - len(first)].tolist()
    page = [*first[offset:offset + ROWS], *(gen.entities[p] for p in rest)]
    return render(request, "entities/search.html", {
        "q": q, "source": wanted, "sources": sources, "rows": [_row(e) for e in page],
        "gone": _row(gone) if gone is not None else None,
        "pager": page_links("/ui/entities", {"q": q, "source": wanted}, offset, ROWS,
                            len(first) + len(found))})


def _row(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "href": entity_href(entity.id), "caption": entity.caption,
            "schema": entity.schema, "source": entity.source,
            "countries": sorted({c.upper() for c in (*entity.countries, *entity.nationalities,
                                                     *entity.citizenships)}),
            "programmes": entity.programmes}


# -- one entity -----------------------------------------------------------------------------

KIND_KEYS = {"primary": "kind_primary", "alias": "kind_alias", "weak": "kind_weak",
             "previous": "kind_previous"}


@dataclass(frozen=True, slots=True)
class ProgrammeRow:
    """A programme code as listed, with what the regime catalogue knows of it."""

    code: str
    name: str | None
    regime_id: str | None
    regime: str | None
    legal_basis: tuple[str, ...]
    umbrella: bool


def _programmes(entity: Entity) -> list[ProgrammeRow]:
    known = catalogue()
    rows = []
    for code in entity.programmes:
        found = known.resolve(entity.authority, code)
        regime = known.regimes.get(found.regime) if found and found.regime else None
        rows.append(ProgrammeRow(code, found.name if found else None,
                                 regime.id if regime else None, regime.name if regime else None,
                                 found.legal_basis if found else (), bool(found and
                                                                          found.umbrella)))
    return rows


def _target(gen: Generation, entity: Entity, link: Link) -> str | None:
    """The id a relationship names: its target when it is an id; for a name, the one
    listed entity of the same list bearing that name (case, accents and punctuation
    aside), else the one of all lists; otherwise None (nobody, or several: no guess)."""
    if link.target_is_id:
        return link.target
    key = name_key(link.target)
    if not key:
        return None
    bearers: dict[str, set[str]] = {}  # list -> the ids bearing the name there
    for position in gen.lookup.keyed("b:" + key):
        other = gen.entities[position]
        if any(name_key(n.value) == key for n in other.names):
            bearers.setdefault(other.source, set()).add(other.id)
    same = bearers.get(entity.source, set())
    every = set().union(*bearers.values())
    for found in (same, every):
        if len(found) == 1:
            return next(iter(found))
        if found:
            return None
    return None


def _incoming(gen: Generation, entity: Entity) -> list[tuple[str, str]]:
    """The (relation, id) of the listed entities whose relationships name this one: by
    its id, or by a name it bears that resolves to it (:func:`_target`). Found through the
    lookup's keys (who states which id or name), so only those entities are decoded."""
    incoming: list[tuple[str, str]] = []
    for position in gen.lookup.keyed("i:" + entity.id):
        other = gen.entities[position]
        if other.id != entity.id:
            incoming += [(link.relation, other.id) for link in other.links
                         if link.target_is_id and link.target == entity.id]
    for key in dict.fromkeys(name_key(n.value) for n in entity.names):
        for position in gen.lookup.keyed("l:" + key) if key else ():
            other = gen.entities[position]
            source = gen.by_id.get(other.id)
            if other.id == entity.id or source is None:
                continue
            incoming += [(link.relation, other.id) for link in other.links
                         if not link.target_is_id and name_key(link.target) == key
                         and _target(gen, source, link) == entity.id]
    return incoming


def _relations(entity: Entity, gen: Generation) -> list[dict[str, Any]]:
    """The relationships the list states (to an id or a name), then those other listed
    entities state towards this one."""
    targets = [_target(gen, entity, link) for link in entity.links]
    incoming = _incoming(gen, entity)
    out: list[dict[str, Any]] = []
    for link, target_id in zip(entity.links, targets, strict=True):
        target = gen.by_id.get(target_id) if target_id else None
        out.append({"relation": link.relation, "direction": "out", "target": link.target,
                    "target_id": target_id, "named": not link.target_is_id,
                    "href": entity_href(target_id) if target_id else None,
                    "caption": target.caption if target else None,
                    "source": target.source if target else None})
    for relation, other_id in incoming:
        other = gen.by_id[other_id]
        out.append({"relation": relation, "direction": "in", "target": other.caption,
                    "target_id": other.id, "named": False, "href": entity_href(other.id),
                    "caption": other.caption, "source": other.source})
    return out


def _party(entity_id: str, gen: Generation, listed: bool) -> dict[str, Any]:
    """The party's other listings and every same-as link, exactly as the API gives them
    (listings named by the API's id, mapped back to the store's for the links here)."""
    data: dict[str, Any] = {"id": ftm_id(entity_id), "datasets": []}
    add_listings(data, entity_id, gen.parties if listed else None, gen.graph)
    party = gen.parties.party(entity_id) if listed and gen.parties is not None else None
    members = gen.parties.members[party] if gen.parties is not None and party else ()
    store_ids = {ftm_id(e.id): e.id for e in members}
    others = []
    for listing in data.get("listings", []):
        eid = store_ids.get(str(listing["id"]), str(listing["id"]))
        if eid != entity_id:
            others.append({**listing, "href": entity_href(eid), "entity_id": eid})
    links = []
    for link in data.get("same_as", []):
        other = link["b"] if link["a"] == entity_id else link["a"]
        found = gen.by_id.get(other)
        links.append({**link, "other": other, "href": entity_href(other),
                      "caption": found.caption if found else None,
                      "source": found.source if found else None})
    return {"others": others, "links": links}


def _find(request: Request, gen: Generation, entity_id: str) -> tuple[Entity, bool]:
    """The entity as listed now (True), else as last listed (False); 404 when unknown."""
    if len(entity_id) > MAX_ID:
        raise NotFoundError(f"no entity {entity_id[:MAX_ID]!r}… in the store")
    found = gen.by_id.get(entity_id)
    if found is not None:
        return found, True
    with services_of(request).gate() as store:
        return store.entity(entity_id), False  # NotFoundError -> the 404 page


def _entity_page(request: Request, gen: Generation, entity_id: str) -> Response:
    entity, listed = _find(request, gen, entity_id)
    seen = gen.seen.get(entity.id) if listed else None
    return render(request, "entities/entity.html", {
        "e": entity, "listed": listed, "seen": seen,
        "names": [{"value": n.value, "kind": KIND_KEYS.get(n.kind, n.kind),
                   "script": n.script, "lang": n.lang,
                   "original": bool(n.script and n.script != "Latin"),
                   "parts": [f"{k}: {v}" for k, v in n.parts]} for n in entity.names],
        "programmes": _programmes(entity),
        "relations": _relations(entity, gen),
        "party": _party(entity.id, gen, listed),
        "history_href": entity_href(entity.id) + _HISTORY,
        "source_href": f"/ui/lists/{quote(entity.source, safe='')}",
        "properties": sorted(entity.properties.items())})


@router.get("/entities/{entity_id:path}/history")
def entity_history(request: Request, user: Viewer, gen: Ready, entity_id: str) -> Response:
    """An entity's listings, changes and delistings across versions, in as-of order.

    Routing decodes ``%2F``, so ``/ui/entities/x%2Fhistory`` (the entity ``x/history``)
    arrives here too: the raw path tells them apart."""
    raw = bytes(request.scope.get("raw_path") or b"")
    if raw and not raw.split(b"?")[0].endswith(_HISTORY.encode()):
        return _entity_page(request, gen, entity_id + _HISTORY)
    if len(entity_id) > MAX_ID:
        raise NotFoundError(f"no entity {entity_id[:MAX_ID]!r}… in any version of any source")
    with services_of(request).gate() as store:
        events = store.history(entity_id)  # NotFoundError -> the 404 page
        firsts = {v.source: v.version for v in reversed(store.versions())}  # first in as-of
        try:
            entity: Entity | None = gen.by_id.get(entity_id) or store.entity(entity_id)
        except NotFoundError:
            entity = None
    return render(request, "entities/history.html", {
        "entity_id": entity_id, "caption": entity.caption if entity else entity_id,
        "href": entity_href(entity_id),
        "events": [_event(e, firsts.get(e.source) == e.version) for e in events]})


def _event(event: Any, first: bool) -> dict[str, Any]:
    """One history event as shown; its version links to the diff that shows it (the first
    version held has none: it links to the list's versions)."""
    changes: dict[str, Any] = event.changes
    fields: Sequence[str] = event.fields
    return {"source": event.source, "version": event.version, "when": event.when,
            "event": event.event, "dated": event.dated,
            "source_href": f"/ui/lists/{quote(event.source, safe='')}",
            "diff_href": f"/ui/lists/{quote(event.source, safe='')}" if first else
            "/ui/lists/diff?" + "&".join([f"source={quote(event.source, safe='')}",
                                          f"to={event.version}"]),
            "fields": field_changes(fields, {k: v["before"] for k, v in changes.items()},
                                    {k: v["after"] for k, v in changes.items()})}


@router.get("/entities/{entity_id:path}")
def entity_page(request: Request, user: Viewer, gen: Ready, entity_id: str) -> Response:
    """One entity: names (kind, script), identifiers, addresses, dates, countries,
    programmes (regime, legal basis), relationships, the same party on other lists."""
    return _entity_page(request, gen, entity_id)

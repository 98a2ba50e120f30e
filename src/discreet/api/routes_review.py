"""The review workflow over HTTP: customers, alerts and their cases, screening runs.

The caller (a signed-in user's bearer token, or an API key created with ``--role``) is the
:class:`~discreet.review.Actor`; the library checks the roles and four eyes, so the rules
are the same as the CLI's. Changes of an alert name the version the caller read (the
``version`` field, or ``If-Match``): a stale one is answered 409, never lost. Permission
refusals are 403, unknown ids 404, bad input 400/422.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path as FilePath
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from discreet.api.deps import Caller, Ready, ServicesDep
from discreet.api.errors import ERROR_RESPONSES, ApiError, ErrorOut
from discreet.api.security import Principal
from discreet.api.uploads import as_utf8, check_unpacked
from discreet.errors import ParseError, UnknownFormatError
from discreet.review import (
    DECISIONS,
    Actor,
    ReviewPermissionError,
    StaleAlertError,
    approve,
    assign,
    attach,
    case,
    close,
    close_customers,
    comment,
    customer_input,
    decide,
    import_customers,
    load_review_settings,
    screen_book,
    screen_customers,
    upsert_customers,
)
from discreet.store import Store
from discreet.store.review import ALERT_SORTS, ALERT_STATES, CURSOR_CHARS, AlertPage, CursorError

__all__ = ["router"]

RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    409: {"model": ErrorOut, "description": "the alert changed since the version sent"}}
router = APIRouter(prefix="/review", tags=["review"], responses=RESPONSES)
T = TypeVar("T")
MAX_PAGE = 1000
MAX_ID = 2**53  # ids and offsets: what SQL integers and JSON numbers both hold
AlertId = Annotated[int, Path(ge=0, le=MAX_ID)]
_STATES = f"^({'|'.join(ALERT_STATES)})$"
_DECISIONS = f"^({'|'.join(DECISIONS)})$"
_SORTS = f"^({'|'.join(ALERT_SORTS)})$"


def actor_of(caller: Principal) -> Actor:
    """The caller as an actor; a key without a role (and no admin scope) may not act."""
    roles = caller.roles
    if not roles and "admin" in caller.scopes:
        roles = frozenset({"admin"})
    if not roles:
        raise ApiError(403, f"{caller.key_id} has no review role: create the key with "
                            "--role analyst|reviewer|admin|auditor, or sign in as a user")
    return Actor(caller.actor or caller.key_id, roles)


async def get_actor(caller: Caller) -> Actor:
    return actor_of(caller)


ActorDep = Annotated[Actor, Depends(get_actor)]


@contextmanager
def _refusals() -> Iterator[None]:
    """The library's refusals as HTTP answers (never a 500)."""
    try:
        yield
    except ReviewPermissionError as exc:
        raise ApiError(403, str(exc)) from exc
    except StaleAlertError as exc:
        raise ApiError(409, str(exc)) from exc
    except (ParseError, UnknownFormatError) as exc:  # an unreadable file: the caller's
        raise ApiError(400, str(exc)) from exc


async def _run(services: ServicesDep, work: Callable[[Store], T], *, long: bool = False) -> T:
    """``work`` on the shared store; ``long`` work (an import, a book run) on a connection
    of its own, so the one every request's checks share stays free meanwhile."""
    def call() -> T:
        with _refusals(), (services.open_store() if long else services.gate()) as store:
            return work(store)
    return await run_in_threadpool(call)


def _version(body: int | None, if_match: str | None) -> int | None:
    if body is not None:
        return body
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 15:
        raise ApiError(400, f"If-Match {if_match!r} is not an alert version (a number)")
    return int(text)


IfMatch = Annotated[str | None, Header(description="The alert version read (or `version`)")]


# -- who am I -----------------------------------------------------------------------------

@router.get("/me", summary="The caller as the review book sees it: name and roles")
async def me(caller: Caller) -> dict[str, Any]:
    roles = caller.roles or (frozenset({"admin"}) if "admin" in caller.scopes else frozenset())
    return {"name": caller.actor or caller.key_id, "roles": sorted(roles),
            "scopes": sorted(caller.scopes)}


# -- customers ----------------------------------------------------------------------------

class CustomerIn(BaseModel):
    ref: str = Field(min_length=1, max_length=500, description="The firm's own reference")
    names: list[str] = Field(min_length=1, max_length=100)
    schema_: str | None = Field(None, alias="schema")
    birth_date: str | None = None
    countries: list[str] = Field(default_factory=list, max_length=50)
    id_numbers: list[str] = Field(default_factory=list, max_length=50)
    gender: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)


class CustomersIn(BaseModel):
    customers: list[CustomerIn] = Field(min_length=1, max_length=10_000)
    screen: bool = Field(True, description="Screen the new and changed customers now")


class RefsIn(BaseModel):
    refs: list[str] = Field(min_length=1, max_length=10_000)


@router.get("/customers", summary="Customers of the book, by reference, paged")
async def list_customers(services: ServicesDep, caller: ActorDep,
                         status: Annotated[str | None, Query(pattern="^(active|closed|all)$")]
                         = "active",
                         limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
                         offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> dict[str, Any]:
    wanted = None if status == "all" else status
    found = await _run(services, lambda s: (
        s.review.customers(status=wanted, limit=limit, offset=offset),
        s.review.count_customers(wanted)))
    return {"total": found[1], "limit": limit, "offset": offset,
            "customers": [c.to_dict() for c in found[0]]}


@router.get("/customers/{ref}", summary="One customer with its versions")
async def show_customer(ref: str, services: ServicesDep, caller: ActorDep) -> dict[str, Any]:
    found = await _run(services, lambda s: (s.review.customer(ref),
                                            s.review.customer_versions(ref)))
    return {**found[0].to_dict(), "versions": [v.to_dict() for v in found[1]]}


@router.post("/customers", summary="Create or update customers (idempotent by reference)")
async def put_customers(body: CustomersIn, services: ServicesDep, actor: ActorDep,
                        generation: Ready) -> dict[str, Any]:
    items = [customer_input(c.ref, names=c.names, schema=c.schema_, birth_date=c.birth_date,
                            countries=c.countries, id_numbers=c.id_numbers, gender=c.gender,
                            attributes=c.attributes) for c in body.customers]

    def work(store: Store) -> dict[str, Any]:
        changes = upsert_customers(store, items, actor)
        out: dict[str, Any] = {"changes": [{"ref": c.ref, "outcome": c.outcome,
                                            "version": c.version} for c in changes]}
        changed = [c.ref for c in changes if c.outcome == "created" or c.screening_changed]
        if body.screen and changed:
            out["run"] = screen_customers(store, generation.matcher, changed, actor,
                                          load_review_settings()).to_dict()
        return out
    return await _run(services, work)


@router.post("/customers/close", summary="Close customers (kept, no longer screened)")
async def close_many(body: RefsIn, services: ServicesDep, actor: ActorDep) -> dict[str, Any]:
    changes = await _run(services, lambda s: close_customers(s, body.refs, actor))
    return {"changes": [{"ref": c.ref, "outcome": c.outcome, "version": c.version}
                        for c in changes]}


_SUFFIXES = {"csv": ".csv", "tsv": ".tsv", "xlsx": ".xlsx", "parquet": ".parquet",
             "jsonl": ".jsonl"}


@router.post("/customers/import",
             summary="Import a customer file (the body: CSV, TSV, xlsx, Parquet or JSONL)")
async def import_file(request: Request, services: ServicesDep, actor: ActorDep,
                      format: Annotated[str, Query(pattern="^(csv|tsv|xlsx|parquet|jsonl)$")]
                      = "csv",
                      screening_only: bool = False) -> dict[str, Any]:
    data = await request.body()
    if not data:
        raise ApiError(400, "an empty file: send the customer file as the request body")

    def work(store: Store) -> dict[str, Any]:
        with tempfile.TemporaryDirectory() as folder:
            path = FilePath(folder, "customers" + _SUFFIXES[format])
            path.write_bytes(data)
            check_unpacked(path, "the file")  # a zip bomb is refused before it is read
            as_utf8(path, "the file")  # UTF-16 text (Excel's "Unicode text") as UTF-8
            return import_customers(store, path, actor,
                                    screening_only=screening_only).to_dict()
    return await _run(services, work, long=True)


# -- alerts -------------------------------------------------------------------------------

@router.get("/alerts", summary="Alerts, soonest due first (or another order), filtered and "
                                "paged by offset or cursor")
async def list_alerts(services: ServicesDep, actor: ActorDep,
                      state: Annotated[str | None, Query(pattern=_STATES)] = None,
                      assignee: str | None = None, customer: str | None = None,
                      decision: Annotated[str | None, Query(pattern=_DECISIONS)] = None,
                      limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
                      offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
                      sort: Annotated[str, Query(pattern=_SORTS, description=(
                          "due (SLA), score, age (opened at), updated or id; ties by id"))]
                      = "due",
                      descending: bool = False,
                      cursor: Annotated[str | None, Query(
                          min_length=1, max_length=CURSOR_CHARS, description=(
                              "The `next_cursor` of the page before (same sort and "
                              "direction): the page after it, read from where that one "
                              "ended (deep pages stay fast); instead of `offset`"))] = None
                      ) -> dict[str, Any]:
    """A page of the queue and `next_cursor`, the cursor of the page after it (null on the
    last page). Offset paging still works; a cursor and an offset together are refused."""
    if cursor is not None and offset:
        raise ApiError(400, "give a cursor or an offset, not both", fields=["cursor"])

    def work(store: Store) -> AlertPage:
        try:
            return store.review.alert_page(
                state=state, assignee=assignee, customer_ref=customer, decision=decision,
                limit=limit, offset=offset, sort=sort, descending=descending, after=cursor)
        except CursorError as exc:
            raise ApiError(400, str(exc), fields=["cursor"]) from exc
    found = await _run(services, work)
    return {"limit": limit, "offset": offset, "sort": sort, "descending": descending,
            "alerts": [a.to_dict() for a in found.alerts], "next_cursor": found.next}


@router.get("/alerts/{alert_id}", summary="An alert's whole case")
async def show_alert(alert_id: AlertId, services: ServicesDep, actor: ActorDep,
                     response: Response) -> dict[str, Any]:
    found = await _run(services, lambda s: case(s, alert_id))
    response.headers["ETag"] = f'"{found.alert.version}"'
    return found.to_dict()


class VersionIn(BaseModel):
    version: int | None = Field(None, ge=0, le=MAX_ID,
                                description="The alert version read (or If-Match)")


class AssignIn(VersionIn):
    assignee: str | None = Field(None, max_length=200)


class CommentIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class DecideIn(VersionIn):
    decision: str = Field(json_schema_extra={"enum": list(DECISIONS)})
    note: str | None = Field(None, max_length=10_000)


class ApproveIn(VersionIn):
    approved: bool = True
    note: str | None = Field(None, max_length=10_000)


@router.post("/alerts/{alert_id}/assign", summary="Assign an alert (null: unassign)")
async def assign_alert(alert_id: AlertId, body: AssignIn, services: ServicesDep, actor: ActorDep,
                       if_match: IfMatch = None) -> dict[str, Any]:
    seen = _version(body.version, if_match)
    found = await _run(services, lambda s: assign(s, alert_id, body.assignee, actor,
                                                  version=seen))
    return found.to_dict()


@router.post("/alerts/{alert_id}/comments", summary="Comment on an alert")
async def comment_alert(alert_id: AlertId, body: CommentIn, services: ServicesDep,
                        actor: ActorDep) -> dict[str, Any]:
    found = await _run(services, lambda s: comment(s, alert_id, body.text, actor))
    return found.to_dict()


@router.post("/alerts/{alert_id}/decide",
             summary="Decide an alert (with four eyes it waits for a reviewer's approval)")
async def decide_alert(alert_id: AlertId, body: DecideIn, services: ServicesDep, actor: ActorDep,
                       if_match: IfMatch = None) -> dict[str, Any]:
    seen = _version(body.version, if_match)
    found = await _run(services, lambda s: decide(s, alert_id, body.decision, actor,
                                                  load_review_settings(), note=body.note,
                                                  version=seen))
    return found.to_dict()


@router.post("/alerts/{alert_id}/approve",
             summary="Approve (or reject) a decision: a reviewer who did not make it")
async def approve_alert(alert_id: AlertId, body: ApproveIn, services: ServicesDep,
                        actor: ActorDep, if_match: IfMatch = None) -> dict[str, Any]:
    seen = _version(body.version, if_match)
    found = await _run(services, lambda s: approve(s, alert_id, actor, approved=body.approved,
                                                   note=body.note, version=seen))
    return found.to_dict()


@router.post("/alerts/{alert_id}/close", summary="Close a decided alert")
async def close_alert(alert_id: AlertId, body: VersionIn, services: ServicesDep, actor: ActorDep,
                      if_match: IfMatch = None) -> dict[str, Any]:
    seen = _version(body.version, if_match)
    found = await _run(services, lambda s: close(s, alert_id, actor, version=seen))
    return found.to_dict()


@router.post("/alerts/{alert_id}/attachments",
             summary="Attach a file (the body) to an alert; size-limited")
async def attach_file(alert_id: AlertId, request: Request, services: ServicesDep,
                      actor: ActorDep, name: Annotated[str, Query(min_length=1,
                                                                  max_length=255)]
                      ) -> dict[str, Any]:
    settings = load_review_settings()
    limit = settings.attachment_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"attachment of {int(declared):,} bytes; the limit is {limit:,}")
    data = await request.body()
    media = request.headers.get("content-type") or "application/octet-stream"
    found = await _run(services, lambda s: attach(s, alert_id, name, data, actor, settings,
                                                  media_type=media[:200]))
    return found.to_dict()


@router.get("/alerts/{alert_id}/attachments/{attachment_id}",
            summary="An attachment's content", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}},
                             "description": "the file as attached (its media type)"}})
async def get_attachment(alert_id: AlertId, attachment_id: AlertId, services: ServicesDep,
                         actor: ActorDep) -> Response:
    def work(store: Store) -> tuple[str, bytes]:
        kept = {a.id: a for a in store.review.attachments(alert_id)}
        if attachment_id not in kept:
            raise ApiError(404, f"alert {alert_id} has no attachment {attachment_id}")
        return kept[attachment_id].media_type, store.review.attachment_data(attachment_id)
    media, data = await _run(services, work)
    return Response(data, media_type=media)


# -- runs ---------------------------------------------------------------------------------

class RunIn(BaseModel):
    segment: dict[str, str] | None = Field(
        None, description="Only customers whose attributes hold every attribute: value")


@router.get("/runs", summary="Screening runs, newest first")
async def list_runs(services: ServicesDep, actor: ActorDep,
                    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> dict[str, Any]:
    found = await _run(services, lambda s: s.review.runs(limit=limit))
    return {"runs": [r.to_dict() for r in found]}


@router.get("/runs/{run_id}", summary="One screening run")
async def show_run(run_id: AlertId, services: ServicesDep, actor: ActorDep) -> dict[str, Any]:
    return (await _run(services, lambda s: s.review.run(run_id))).to_dict()


@router.post("/runs", summary="Screen the whole book, or a segment, now")
async def start_run(body: RunIn, services: ServicesDep, actor: ActorDep,
                    generation: Ready) -> dict[str, Any]:
    found = await _run(services, lambda s: screen_book(s, generation.matcher, actor,
                                                       load_review_settings(),
                                                       segment=body.segment), long=True)
    return found.to_dict()

